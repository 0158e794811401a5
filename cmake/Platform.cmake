# What differs between the desktop and the browser build, in one place.
if(EMSCRIPTEN)
  set(WQLAB_WEB ON)
  # Real pthreads in the browser: every translation unit must be compiled with -pthread.
  add_compile_options(-pthread -fexceptions)
  add_link_options(-pthread -fexceptions)
else()
  set(WQLAB_WEB OFF)
  find_package(Threads REQUIRED)
endif()
