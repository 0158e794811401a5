# Fuzzes EXE for SECONDS from the seed folders SEEDS (read only), keeping what it finds in WORK;
# a crash, a leak or a failed property fails the test and leaves the input in WORK's artifacts.
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
set(dict_arg)
if(DICT AND NOT DICT STREQUAL "-")
  set(dict_arg "${DICT}")
endif()
execute_process(COMMAND "${EXE}" -max_total_time=${SECONDS} -print_final_stats=1 -timeout=10
  -rss_limit_mb=2048 "-artifact_prefix=${WORK}/artifacts/" ${dict_arg} "${WORK}/corpus" ${SEEDS}
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCH "#[0-9]+[ \t]+DONE[^\n]*" done "${err}")
string(REGEX MATCH "stat::number_of_executed_units: [0-9]+" execs "${err}")
message("${done}\n${execs}")
if(NOT code EQUAL 0)
  message("${err}")
  message(FATAL_ERROR "the fuzzer failed (exit code ${code}); the input is in ${WORK}/artifacts/: "
    "fix the bug and add the input to tests/fuzz/regressions/")
endif()
if(done STREQUAL "")
  message("${err}")
  message(FATAL_ERROR "the fuzzer did not finish a run")
endif()
