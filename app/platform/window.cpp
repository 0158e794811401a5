// Opens the GLFW window and GL context; the desktop also loads GL 3.3 core through glad.
#include "platform/window.h"

#include "platform/gl.h"

namespace wqlab {
namespace {

std::string g_last_glfw_error;  // GLFW reports errors through a callback; keep the last one quietly

void remember_glfw_error(int code, const char* description) {
  g_last_glfw_error =
      "GLFW error " + std::to_string(code) + ": " + (description ? description : "");
}

}  // namespace

WindowError open_window(int width, int height, Window* out, std::string* detail) {
  glfwSetErrorCallback(remember_glfw_error);
  if (!glfwInit()) {
    *detail = g_last_glfw_error;
    return WindowError::kNoDisplay;
  }
#ifdef __EMSCRIPTEN__
  out->glsl_version = "#version 300 es";
#else
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);  // a HiDPI monitor gets a larger window
  out->glsl_version = "#version 330 core";
#endif
  out->handle = glfwCreateWindow(width, height, "wqlab", nullptr, nullptr);
  if (!out->handle) {
    *detail = g_last_glfw_error;
    glfwTerminate();
    return WindowError::kNoContext;
  }
  glfwMakeContextCurrent(out->handle);
#ifndef __EMSCRIPTEN__
  if (gladLoadGL(glfwGetProcAddress) == 0) {
    *detail = "glad could not load the OpenGL 3.3 core functions";
    close_window(out);
    return WindowError::kNoContext;
  }
  glfwSwapInterval(1);  // vsync
#endif
  auto gl_string = [](GLenum name) {
    const GLubyte* s = glGetString(name);
    return s ? std::string(reinterpret_cast<const char*>(s)) : std::string("?");
  };
  out->renderer = gl_string(GL_RENDERER) + " (" + gl_string(GL_VERSION) + ")";
  return WindowError::kNone;
}

void close_window(Window* window) {
  if (window->handle) glfwDestroyWindow(window->handle);
  window->handle = nullptr;
  glfwTerminate();
}

}  // namespace wqlab
