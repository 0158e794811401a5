// Handing an exported file to the person: the desktop writes it into a folder, the browser
// downloads it (a Blob and a click on an <a download> link).
#pragma once

#include <string>
#include <string_view>

namespace wqlab::exporting {

struct Delivered {
  std::string where;  // desktop: the file's path; browser: the download's file name
  std::string error;  // empty on success
};

// Desktop: ~/Downloads/wqlab if ~/Downloads exists, else ~/wqlab-exports (else the current
// folder). Browser: "" (downloads go where the browser puts them).
std::string default_export_dir();

// Desktop: writes `data` to `dir`/`name`, creating `dir`; if that file exists, "-2", "-3", ...
// go before the extension. Browser: the page downloads `data` as `name` (`dir` is ignored).
Delivered deliver_file(const std::string& dir, const std::string& name, const char* mime,
                       std::string_view data);

// The back buffer (call after rendering, before the swap) as a PNG, delivered the same way.
Delivered deliver_back_buffer_png(const std::string& dir, const std::string& name, int width,
                                  int height);

}  // namespace wqlab::exporting
