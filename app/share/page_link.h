// The page around the app, for share links: its address and fragment (browser), and the
// clipboard. On the desktop there is no page: no fragment, a fixed base address (what
// `./lab web` serves), and GLFW's clipboard.
#pragma once

#include <optional>
#include <string>

namespace wqlab::page_link {

// Browser: location.hash ("#s=...") at the first call if it has one, then the new hash after
// each hashchange; nullopt when there is nothing new. Desktop: always nullopt.
std::optional<std::string> take_new_fragment();

// Browser: this page's address without its fragment. Desktop: http://127.0.0.1:8080/.
std::string base_url();

// Puts `text` on the clipboard. Browser: navigator.clipboard, whose answer arrives later in
// window.wqlabStatus.clipboard ("copied" or "failed: why"). Desktop: at once.
void copy_to_clipboard(const std::string& text);

}  // namespace wqlab::page_link
