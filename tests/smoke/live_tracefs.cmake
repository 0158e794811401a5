# `wqlab --live` on this machine: where tracefs can be had (root, a kernel with ftrace), the app
# reads trace_pipe of an instance of its own and, when it exits, the instance is gone and a
# tracefs it mounted is unmounted; where it cannot, it exits with status 1 and the one message
# says what to run instead. Prints which case ran. EXE: xvfb-run; ARGS: its arguments up to the
# app ('|'-separated); STATE: the --state-json file.
string(REPLACE "|" ";" args "${ARGS}")
file(REMOVE "${STATE}")
file(READ /proc/mounts mounts_before)
execute_process(COMMAND ${CMAKE_COMMAND} -E env "XDG_CONFIG_HOME=${CONFIG_HOME}" "${EXE}" ${args}
  --live --sched --frames 40 --state-json "${STATE}"
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("exit code: ${code}\n--- stdout ---\n${out}--- stderr ---\n${err}--------------")
file(READ /proc/mounts mounts_after)
if(code EQUAL 1)
  message("[case: no tracefs here] checking the message instead")
  foreach(want "wqlab --live: " "trace-cmd stream -e workqueue" "wqlab --live-from -")
    string(FIND "${err}" "${want}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "expected the message to contain: ${want}")
    endif()
  endforeach()
elseif(code EQUAL 0)
  message("[case: tracefs here] the app read trace_pipe live")
  file(READ "${STATE}" state)
  string(REGEX MATCH "\"live\":{\"on\":true,\"source\":\"([^\"]*)/trace_pipe\"" found "${state}")
  if(NOT found)
    message(FATAL_ERROR "the state does not show a live trace_pipe: ${state}")
  endif()
  set(instance "${CMAKE_MATCH_1}")
  if(EXISTS "${instance}" AND instance MATCHES "/instances/wqlab-")
    message(FATAL_ERROR "the app left its tracing instance behind: ${instance}")
  endif()
  if(NOT mounts_before STREQUAL mounts_after)
    message(FATAL_ERROR "the mounts differ after the app:\n${mounts_before}\n---\n${mounts_after}")
  endif()
else()
  message(FATAL_ERROR "expected exit code 0 (live) or 1 (no tracefs), got ${code}")
endif()
