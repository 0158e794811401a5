# Dear ImGui 1.90.1 from Debian trixie's source package, compiled once per target with our backends.
if(NOT EXISTS "${WQLAB_IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR "Dear ImGui sources not found in ${WQLAB_IMGUI_DIR}; run ./lab setup")
endif()

add_library(imgui STATIC
  ${WQLAB_IMGUI_DIR}/imgui.cpp
  ${WQLAB_IMGUI_DIR}/imgui_draw.cpp
  ${WQLAB_IMGUI_DIR}/imgui_tables.cpp
  ${WQLAB_IMGUI_DIR}/imgui_widgets.cpp
  ${WQLAB_IMGUI_DIR}/imgui_demo.cpp
  ${WQLAB_IMGUI_DIR}/backends/imgui_impl_glfw.cpp
  ${WQLAB_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${WQLAB_IMGUI_DIR} ${WQLAB_IMGUI_DIR}/backends)
target_compile_definitions(imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS IMGUI_DISABLE_OBSOLETE_KEYIO)

if(WQLAB_WEB)
  # GLFW's headers are in Emscripten's sysroot; -sUSE_GLFW is a link setting (em++ 3.1.6 warns
  # "linker setting ignored during compilation" if it is passed to the compiler).
  target_compile_definitions(imgui PUBLIC IMGUI_IMPL_OPENGL_ES3)
  target_link_options(imgui PUBLIC -sUSE_GLFW=3 -sUSE_WEBGL2=1 -sFULL_ES3=1 -sMAX_WEBGL_VERSION=2 -sMIN_WEBGL_VERSION=2)
else()
  include(Glad)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(GLFW3 REQUIRED IMPORTED_TARGET glfw3)
  # The OpenGL3 backend loads GL through glad instead of its bundled loader.
  target_compile_definitions(imgui PUBLIC IMGUI_IMPL_OPENGL_LOADER_CUSTOM)
  set_source_files_properties(${WQLAB_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp PROPERTIES
    COMPILE_OPTIONS "-include;glad/gl.h")
  target_link_libraries(imgui PUBLIC glad PkgConfig::GLFW3 ${CMAKE_DL_LIBS})
endif()
