# Screenshot tests: a PNG of the right size that is not blank (png_check.cpp), and, in the app's
# --state-json of the same run, what the pictured view must hold (drawn items, rows, tracks...):
# a view that drew nothing can still leave a picture that is not blank.
set(WQLAB_SHOT_CHECK "${CMAKE_CURRENT_LIST_DIR}/shot_check.cmake")

# The state_check.cmake expressions for a screenshot named SHOT (its file name without .png).
function(wqlab_shot_state_checks shot out)
  set(room "views.machineRoom.drawnItems>0")
  set(timeline "views.timeline.drawnItems>0|views.timeline.tracks>0")
  set(counters "views.counters.drawnItems>0")
  set(log "views.eventLog.drawnItems>0|views.eventLog.rows>0")
  if(shot STREQUAL "full")
    set(checks "${room}|${timeline}|${counters}|${log}|fontGlyphsMissing=0")
  elseif(shot MATCHES "^machine-room")
    set(checks "${room}")
  elseif(shot STREQUAL "timeline")
    set(checks "${timeline}")
  elseif(shot MATCHES "^counters")
    set(checks "${counters}")
  elseif(shot STREQUAL "event-log")
    set(checks "${log}")
  elseif(shot STREQUAL "lesson")
    set(checks "views.lesson.drawnItems>0")
  elseif(shot MATCHES "^checkpoint-")
    set(checks "lesson.views.player>0|lesson.views.machineRoom>0|lesson.glyphsMissing=0")
  elseif(shot STREQUAL "shell")
    set(checks "${room}|${timeline}|fontGlyphsMissing=0|machineError=")
  elseif(shot STREQUAL "keys")
    set(checks "keysOverlay=ON|${room}")
  elseif(shot STREQUAL "hidpi")
    set(checks "displayScale>1|${room}")
  elseif(shot STREQUAL "sandbox")
    set(checks "sandbox.shown=ON|${room}|${timeline}")
  elseif(shot STREQUAL "trace")
    set(checks "trace.shown=ON|${room}|${timeline}|${counters}|${log}")
  else()
    message(FATAL_ERROR "shot_checks.cmake: no state checks for screenshot '${shot}'")
  endif()
  set(${out} "${checks}" PARENT_SCOPE)
endfunction()

# add_test NAME: PNG is WIDTH x HEIGHT and not blank, and JSON holds what SHOT's view must.
function(wqlab_shot_test name png width height json shot)
  wqlab_shot_state_checks(${shot} checks)
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} "-DPNG_CHECK=$<TARGET_FILE:wqlab_png_check>"
    "-DPNG=${png}" "-DWIDTH=${width}" "-DHEIGHT=${height}" "-DFILE=${json}" "-DCHECKS=${checks}"
    -P "${WQLAB_SHOT_CHECK}")
endfunction()
