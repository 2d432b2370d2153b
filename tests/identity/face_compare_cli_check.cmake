# Runs `examphoto face compare` and checks its exit code and output (used by ctest).
# -DEXAMPHOTO=binary -DARGS=a;b;... -DEXPECTED_EXIT=n -DEXPECTED_OUTPUT=regex
string(REPLACE "|" ";" arguments "${ARGS}")
execute_process(COMMAND ${EXAMPHOTO} face compare ${arguments}
                RESULT_VARIABLE exit_code OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT exit_code EQUAL EXPECTED_EXIT)
  message(FATAL_ERROR "exit ${exit_code}, expected ${EXPECTED_EXIT}\n${output}\n${errors}")
endif()
if(NOT output MATCHES "${EXPECTED_OUTPUT}")
  message(FATAL_ERROR "output does not match ${EXPECTED_OUTPUT}:\n${output}")
endif()
