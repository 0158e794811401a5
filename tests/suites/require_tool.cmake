# Runs wqlab_require_test_tool (cmake/TestTools.cmake) for xvfb-run in a child CMake whose PATH
# has no xvfb-run, and expects it to stop with a message naming the program and its package.
set(child "${CMAKE_CURRENT_BINARY_DIR}/require_tool_child.cmake")
file(WRITE "${child}" "include(\"${MODULE}\")\nwqlab_require_test_tool(XVFB_RUN xvfb-run xvfb \"the desktop smoke tests\")\nmessage(\"found: \${XVFB_RUN}\")\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E env "PATH=${CMAKE_CURRENT_BINARY_DIR}/no-tools-here"
  ${CMAKE_COMMAND} -P "${child}" RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("exit code: ${code}\n${out}${err}")
string(REGEX REPLACE "[ \t\n]+" " " err "${err}")  # CMake wraps long messages
if(code EQUAL 0)
  message(FATAL_ERROR "the lookup of a missing xvfb-run did not fail")
endif()
foreach(want "xvfb-run not found" "the desktop smoke tests need it" "Debian package 'xvfb'")
  string(FIND "${err}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the message does not say: ${want}")
  endif()
endforeach()
