# The suite manifest: what this configured tree must run, per suite, for scripts/suites.py to
# compare with what ctest did run (./lab test fails when a suite is missing or short).
#   - a test registered with add_test belongs to the suite its name starts with: smoke.* is
#     "smoke", fuzz.* "fuzz", lessons_check "lessons" (the lowercase letters before '.' or '_');
#     it is listed with its DISABLED state (see TestTools.cmake);
#   - a GoogleTest executable is listed with its sources; suites.py reads every TEST, TEST_F and
#     TEST_P in them, so each definition in the tree must run (suite "unit").
# No count is typed by hand: adding a test adds it here.
include_guard(GLOBAL)

function(wqlab_collect_dirs dir out)
  set(all "${dir}")
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    wqlab_collect_dirs("${sub}" more)
    list(APPEND all ${more})
  endforeach()
  set(${out} "${all}" PARENT_SCOPE)
endfunction()

# Writes ${CMAKE_BINARY_DIR}/wqlab-suites.tsv for the tests registered under DIR (recursively).
function(wqlab_write_suite_manifest dir)
  wqlab_collect_dirs("${dir}" dirs)
  get_property(disabled_tests GLOBAL PROPERTY WQLAB_DISABLED_TESTS)
  set(lines "# kind\tsuite\tname\tdetail (written by cmake/TestSuites.cmake)\n")
  foreach(d IN LISTS dirs)
    get_property(tests DIRECTORY "${d}" PROPERTY TESTS)
    foreach(name IN LISTS tests)
      string(REGEX MATCH "^[a-z]+" suite "${name}")
      if(name IN_LIST disabled_tests)
        set(state disabled)
      else()
        set(state enabled)
      endif()
      string(APPEND lines "test\t${suite}\t${name}\t${state}\n")
    endforeach()
    get_property(targets DIRECTORY "${d}" PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(libs ${target} LINK_LIBRARIES)
      if(NOT libs MATCHES "GTest::gtest")
        continue()
      endif()
      get_target_property(sources ${target} SOURCES)
      get_target_property(source_dir ${target} SOURCE_DIR)
      set(paths "")
      foreach(src IN LISTS sources)
        cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY "${source_dir}" OUTPUT_VARIABLE abs)
        list(APPEND paths "${abs}")
      endforeach()
      string(APPEND lines "gtest\tunit\t${target}\t${paths}\n")
    endforeach()
  endforeach()
  get_property(missing GLOBAL PROPERTY WQLAB_MISSING_TEST_TOOLS)
  foreach(tool IN LISTS missing)
    string(APPEND lines "note\tsmoke\t-\tconfigured without ${tool}: WQLAB_DESKTOP_SMOKE=OFF\n")
  endforeach()
  file(WRITE "${CMAKE_BINARY_DIR}/wqlab-suites.tsv" "${lines}")
endfunction()
