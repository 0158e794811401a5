# A tree configured without Xvfb: the smoke tests that need X are registered but disabled, and
# scripts/suites.py (what ./lab test runs before ctest) fails, naming the suite, the tests and
# the missing tool. The same check passes on the build running this test.
file(REMOVE_RECURSE "${SCRATCH}")
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${SCRATCH}" -G "${GENERATOR}"
  -DCMAKE_BUILD_TYPE=Release -DWQLAB_DESKTOP_SMOKE=OFF -DWQLAB_BUILD_BENCH=OFF
  "-DWQLAB_IMGUI_DIR=${IMGUI_DIR}"
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "configuring with WQLAB_DESKTOP_SMOKE=OFF failed:\n${out}${err}")
endif()

execute_process(COMMAND "${PYTHON}" "${SOURCE_DIR}/scripts/suites.py" static "${SCRATCH}"
  --preset release --require unit,lessons,smoke
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("without Xvfb: exit code ${code}\n${out}${err}")
if(code EQUAL 0)
  message(FATAL_ERROR "the count check passed a build configured without Xvfb")
endif()
foreach(want "release/smoke: " " tests the tree registers will not run"
    "configured without xvfb-run (xvfb)" ": smoke.desktop_")
  string(FIND "${err}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the count check's message does not say: ${want}")
  endif()
endforeach()

execute_process(COMMAND "${PYTHON}" "${SOURCE_DIR}/scripts/suites.py" static "${THIS_BUILD}"
  --preset release --require unit,lessons,smoke
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("this build: exit code ${code}\n${out}${err}")
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the count check fails on this build, which has every tool")
endif()
file(REMOVE_RECURSE "${SCRATCH}")
