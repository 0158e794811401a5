# One screenshot test (shot_checks.cmake): png_check on PNG, then state_check.cmake's CHECKS on
# the state JSON FILE.
execute_process(COMMAND "${PNG_CHECK}" "${PNG}" --width ${WIDTH} --height ${HEIGHT}
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT code EQUAL 0)
  message(FATAL_ERROR "${PNG}: png_check failed (exit code ${code})")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/state_check.cmake")
