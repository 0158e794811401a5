// LessonCatalog: the lesson files the Lessons menu lists, read from one folder (lessons/ in the
// source tree or next to the program on the desktop, /lessons bundled into the browser build),
// in their `order`. A file that does not parse is listed with its file:line:col error.
#pragma once

#include <string>
#include <vector>

#include "engine/scenario/spec.h"

namespace wqlab::player {

struct CatalogEntry {
  std::string path;
  std::string id;  // the lesson's id (the file's stem when it does not parse)
  std::string kind;
  int order = 0;
  scenario::Text title;
  size_t steps = 0;
  size_t machines = 0;
  std::string error;  // the parser's errors, one "file:line:col: message" a line
};

class LessonCatalog {
 public:
  // Reads every *.toml file in `dir`; false if the folder cannot be read.
  bool scan(const std::string& dir);
  const std::vector<CatalogEntry>& entries() const { return entries_; }
  const std::string& dir() const { return dir_; }
  // An entry by lesson id, file name or stem ("pid-exhaustion", "01_pid_exhaustion").
  const CatalogEntry* find(const std::string& name) const;

 private:
  std::string dir_;
  std::vector<CatalogEntry> entries_;
};

// The lessons folder for a program at `exe_path`: <exe dir>/lessons, then lessons/ in the
// folders above it (a build tree inside the source tree), then `fallback`; "" if none exists.
std::string find_lesson_dir(const std::string& exe_path, const std::string& fallback);

}  // namespace wqlab::player
