# embed_files(TARGET NAMESPACE BASE_DIR FILES...) compiles text files into the binary so that
# the defaults (migrations, messages, profiles, API description) ship inside `examphoto` and
# a bare `examphoto serve` needs nothing on disk. Each file is found by its path relative to
# BASE_DIR through `<NAMESPACE>::FindEmbedded(name)`.
set(_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_files_script.cmake)

function(embed_files target namespace base_dir)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cc)
  set(names "")
  foreach(f ${ARGN})
    file(RELATIVE_PATH rel ${base_dir} ${f})
    list(APPEND names ${rel})
  endforeach()
  string(REPLACE ";" "|" names_arg "${names}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${namespace} -DBASE=${base_dir}
            "-DNAMES=${names_arg}" -P ${_EMBED_SCRIPT}
    DEPENDS ${ARGN} ${_EMBED_SCRIPT}
    COMMENT "Embedding ${target} files"
    VERBATIM)
  add_library(${target} STATIC ${out})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()
