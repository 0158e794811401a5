# Checks the files File > Export left in DIR (the app was run with --press "Ctrl+E Ctrl+Shift+E
# F12"): exactly one Perfetto trace, one ftrace text and one screenshot; the trace is JSON with
# the machine's process and events, the ftrace text has the kernel's header and the doc demo's
# last execution, and the PNG passes PNG_CHECK (size and not blank).
foreach(ext IN ITEMS perfetto.json ftrace.txt png)
  file(GLOB found "${DIR}/wqlab-${DEMO}-*.${ext}")
  list(LENGTH found n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "expected one wqlab-${DEMO}-*.${ext} in ${DIR}, found ${n}: ${found}")
  endif()
  set(file_${ext} "${found}")
endforeach()

file(READ "${file_perfetto.json}" json)
string(JSON events ERROR_VARIABLE err LENGTH "${json}" traceEvents)
if(err)
  message(FATAL_ERROR "${file_perfetto.json} is not a Perfetto trace: ${err}")
endif()
if(events LESS 10)
  message(FATAL_ERROR "${file_perfetto.json} has only ${events} events")
endif()
string(JSON process ERROR_VARIABLE err GET "${json}" traceEvents 0 args name)
if(NOT process STREQUAL "${DEMO} (cmwq, Linux 6.12)")
  message(FATAL_ERROR "the trace's process is '${process}' ${err}")
endif()

file(READ "${file_ftrace.txt}" text)
foreach(want IN ITEMS "# tracer: nop\n" "${FTRACE_LINE}")
  string(FIND "${text}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${file_ftrace.txt} lacks: ${want}\n${text}")
  endif()
endforeach()

execute_process(COMMAND "${PNG_CHECK}" "${file_png}" --width 1280 --height 800
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "${file_png}: ${out}")
endif()
message("${events} trace events, ftrace and ${file_png} as expected")
