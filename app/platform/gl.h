// The OpenGL headers for this target: glad's GL 3.3 core loader on the desktop, GLES 3 (WebGL2)
// in the browser. Include this instead of any GL or GLFW header.
#pragma once

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#define GLFW_INCLUDE_ES3
#else
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#endif
#include <GLFW/glfw3.h>
