# Every external library comes from Debian 12's packages (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json CONFIG)
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(GTest)
find_package(benchmark)

# ONNX Runtime's C/C++ API comes from the npm registry (scripts/install-models.sh puts the
# headers and libonnxruntime.so under deps/onnxruntime/); only src/inference/ uses it.
set(EXAMPHOTO_ONNXRUNTIME_DIR ${PROJECT_SOURCE_DIR}/deps/onnxruntime CACHE PATH
    "Folder with include/onnxruntime_cxx_api.h and lib/libonnxruntime.so")
find_path(ONNXRUNTIME_INCLUDE_DIR onnxruntime_cxx_api.h
          PATHS ${EXAMPHOTO_ONNXRUNTIME_DIR}/include NO_DEFAULT_PATH)
find_library(ONNXRUNTIME_LIBRARY onnxruntime PATHS ${EXAMPHOTO_ONNXRUNTIME_DIR}/lib NO_DEFAULT_PATH)
if(ONNXRUNTIME_INCLUDE_DIR AND ONNXRUNTIME_LIBRARY)
  add_library(onnxruntime::onnxruntime SHARED IMPORTED)
  set_target_properties(onnxruntime::onnxruntime PROPERTIES
    IMPORTED_LOCATION ${ONNXRUNTIME_LIBRARY}
    IMPORTED_SONAME libonnxruntime.so.1
    INTERFACE_INCLUDE_DIRECTORIES ${ONNXRUNTIME_INCLUDE_DIR})
else()
  message(FATAL_ERROR "ONNX Runtime not found in ${EXAMPHOTO_ONNXRUNTIME_DIR}: run scripts/install-models.sh")
endif()
