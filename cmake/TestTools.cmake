# Programs a test suite needs at run time (xvfb-run, xrdb): found when configuring, or configuring
# fails with what to install. Never cached, so a tool installed later is found by the next
# configure (scripts/build.sh configures on every build).
#
# WQLAB_DESKTOP_SMOKE=OFF is the one way to configure without them (a machine that cannot run X):
# the tests that need them are still registered (the suite manifest lists them) but disabled,
# so scripts/suites.py reports the smoke suite short and ./lab test fails.
include_guard(GLOBAL)
option(WQLAB_DESKTOP_SMOKE
  "Run the desktop smoke tests under Xvfb (OFF: they are registered disabled; ./lab test fails)" ON)

# Sets VAR to the full path of PROGRAM; missing, configuring fails, naming the Debian PACKAGE and
# the suite that needs it. With WQLAB_DESKTOP_SMOKE=OFF it is not looked for: VAR is a
# placeholder path, and the tests this directory registers from here on are disabled (wqlab_disable_tests_needing_tools, deferred to
# the end of that directory).
function(wqlab_require_test_tool var program package needed_by)
  if(DEFINED WQLAB_DESKTOP_SMOKE AND NOT WQLAB_DESKTOP_SMOKE)
    set(${var} "/${program}-not-found-when-configuring" PARENT_SCOPE)
    get_property(deferred DIRECTORY PROPERTY WQLAB_TESTS_NEED_TOOLS_FROM SET)
    if(NOT deferred)
      get_property(registered DIRECTORY PROPERTY TESTS)
      list(LENGTH registered first)
      set_property(DIRECTORY PROPERTY WQLAB_TESTS_NEED_TOOLS_FROM ${first})
      cmake_language(DEFER CALL wqlab_disable_tests_needing_tools)
    endif()
    set_property(GLOBAL APPEND PROPERTY WQLAB_MISSING_TEST_TOOLS "${program} (${package})")
    message(WARNING "configured without ${program}: ${needed_by} are registered but disabled "
      "(WQLAB_DESKTOP_SMOKE=OFF); ./lab test will fail because the smoke suite is short")
    return()
  endif()
  find_program(found_${var} ${program} NO_CACHE)
  if(found_${var})
    set(${var} "${found_${var}}" PARENT_SCOPE)
    return()
  endif()
  message(FATAL_ERROR "${program} not found: ${needed_by} need it. Install the Debian package "
    "'${package}' (./lab setup does), or configure with -DWQLAB_DESKTOP_SMOKE=OFF to build "
    "without them (./lab test then fails: the smoke suite is short).")
endfunction()

# Runs at the end of the directory that looked a tool up (cmake_language(DEFER)): disables every
# test it registered after the first missing tool, and lists them for the suite manifest.
function(wqlab_disable_tests_needing_tools)
  get_property(first DIRECTORY PROPERTY WQLAB_TESTS_NEED_TOOLS_FROM)
  get_property(registered DIRECTORY PROPERTY TESTS)
  list(LENGTH registered count)
  if(first LESS count)
    list(SUBLIST registered ${first} -1 disabled)
    set_tests_properties(${disabled} PROPERTIES DISABLED TRUE)
    set_property(GLOBAL APPEND PROPERTY WQLAB_DISABLED_TESTS ${disabled})
  endif()
endfunction()
