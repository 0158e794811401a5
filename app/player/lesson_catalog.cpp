// LessonCatalog: scanning a folder of lesson files; finding that folder.
#include "player/lesson_catalog.h"

#include <algorithm>
#include <filesystem>

#include "engine/scenario/parser.h"

namespace wqlab::player {

namespace fs = std::filesystem;

bool LessonCatalog::scan(const std::string& dir) {
  dir_ = dir;
  entries_.clear();
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  if (ec) return false;
  for (const std::string& f : files) {
    CatalogEntry entry;
    entry.path = f;
    entry.id = fs::path(f).stem().string();
    const scenario::ParseResult parsed = scenario::parse_scenario_file(f);
    if (parsed.ok()) {
      const scenario::Scenario& s = *parsed.scenario;
      entry.id = s.id.empty() ? entry.id : s.id;
      entry.kind = s.kind;
      entry.order = s.order;
      entry.title = s.title;
      entry.steps = s.steps.size();
      entry.machines = s.machines.size();
    } else {
      entry.error = parsed.error_text();
      entry.order = 1 << 30;  // broken files last
    }
    entries_.push_back(std::move(entry));
  }
  std::sort(entries_.begin(), entries_.end(), [](const CatalogEntry& a, const CatalogEntry& b) {
    return a.order != b.order ? a.order < b.order : a.path < b.path;
  });
  return true;
}

const CatalogEntry* LessonCatalog::find(const std::string& name) const {
  for (const CatalogEntry& e : entries_) {
    const fs::path p(e.path);
    if (e.id == name || p.filename().string() == name || p.stem().string() == name) return &e;
  }
  return nullptr;
}

namespace {

// A folder of lesson files (a build folder that happens to be called "lessons" is not).
bool has_lessons(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") return true;
  return false;
}

}  // namespace

std::string find_lesson_dir(const std::string& exe_path, const std::string& fallback) {
  fs::path dir = fs::path(exe_path).parent_path();
  for (int up = 0; up < 5 && !dir.empty(); ++up) {
    if (has_lessons(dir / "lessons")) return (dir / "lessons").string();
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  if (!fallback.empty() && has_lessons(fallback)) return fallback;
  return "";
}

}  // namespace wqlab::player
