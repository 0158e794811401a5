// Files a user hands the app: dropped on the window (desktop: GLFW's drop callback; browser:
// the canvas's drop event) or chosen in the browser's file picker. Each arrives whole, with its
// name, and is taken once per frame by the app, which decides what it is (a trace, a scenario).
#pragma once

#include <optional>
#include <string>

struct GLFWwindow;

namespace wqlab::page_files {

struct IncomingFile {
  std::string name;   // the path (desktop) or the file's name (browser)
  std::string text;   // its contents
  std::string error;  // set instead of text when it could not be read
};

// Starts listening for dropped files (call once the window exists).
void install(GLFWwindow* window);
// Browser: opens the page's file picker (an <input type=file>); desktop: does nothing (the app
// asks for a path instead). `accept`: the picker's filter, e.g. ".txt,.dat".
void pick(const char* accept);
// The next file that arrived, if any.
std::optional<IncomingFile> take();

}  // namespace wqlab::page_files
