# What differs between the desktop and the browser build, in one place.
if(EMSCRIPTEN)
  set(WQLAB_WEB ON)
  # Real pthreads in the browser: every translation unit must be compiled with -pthread.
  add_compile_options(-pthread -fexceptions)
  add_link_options(-pthread -fexceptions)
  # Debian's header-only libraries (toml++, nlohmann-json), without the rest of /usr/include,
  # whose C library headers are the host's, not Emscripten's.
  set(WQLAB_HOST_HEADERS ${CMAKE_BINARY_DIR}/host-headers)
  file(MAKE_DIRECTORY ${WQLAB_HOST_HEADERS})
  foreach(dir toml++ nlohmann)
    if(NOT EXISTS ${WQLAB_HOST_HEADERS}/${dir})
      file(CREATE_LINK /usr/include/${dir} ${WQLAB_HOST_HEADERS}/${dir} SYMBOLIC)
    endif()
  endforeach()
  include_directories(SYSTEM ${WQLAB_HOST_HEADERS})
else()
  set(WQLAB_WEB OFF)
  find_package(Threads REQUIRED)
endif()
