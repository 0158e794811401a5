# glad 2 loader for OpenGL 3.3 core, generated at configure time by Debian's python3-glad.
find_program(GLAD_EXECUTABLE glad REQUIRED)
set(GLAD_OUT "${CMAKE_BINARY_DIR}/glad")
if(NOT EXISTS "${GLAD_OUT}/src/gl.c")
  execute_process(
    COMMAND ${GLAD_EXECUTABLE} --quiet --reproducible --out-path ${GLAD_OUT} --api gl:core=3.3 c
    RESULT_VARIABLE glad_rc OUTPUT_QUIET ERROR_VARIABLE glad_err)
  if(NOT glad_rc EQUAL 0 OR NOT EXISTS "${GLAD_OUT}/src/gl.c")
    message(FATAL_ERROR "glad failed to generate the GL 3.3 core loader:\n${glad_err}")
  endif()
endif()
add_library(glad STATIC ${GLAD_OUT}/src/gl.c)
target_include_directories(glad SYSTEM PUBLIC ${GLAD_OUT}/include)
