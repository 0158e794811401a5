// The one window (desktop) or canvas (browser) and its GL context, created through GLFW.
#pragma once

#include <string>

struct GLFWwindow;

namespace wqlab {

struct Window {
  GLFWwindow* handle = nullptr;
  const char* glsl_version = nullptr;  // for ImGui's OpenGL3 backend
  std::string renderer;                // GL_RENDERER and GL_VERSION, for Help > About
};

enum class WindowError { kNone, kNoDisplay, kNoContext };

// Creates the window with a GL 3.3 core (desktop) or WebGL2 (browser) context and loads GL.
// On failure returns the kind of failure and a one-line `detail` from GLFW.
WindowError open_window(int width, int height, Window* out, std::string* detail);
void close_window(Window* window);

}  // namespace wqlab
