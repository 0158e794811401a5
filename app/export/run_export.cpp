// The run on screen as one machine for engine/trace/exporters.h, and export file names.
#include "export/run_export.h"

#include <cctype>
#include <cstdio>

#include "engine/trace/exporters.h"

namespace wqlab::exporting {
namespace {

constexpr FormatInfo kFormats[] = {
    {"Perfetto trace", ".perfetto.json", "application/json"},
    {"ftrace text", ".ftrace.txt", "text/plain"},
    {"screenshot", ".png", "image/png"},
};

}  // namespace

const FormatInfo& format_info(Format f) {
  return kFormats[static_cast<int>(f)];
}

std::string export_recording(const session::Recording& rec, Format f) {
  if (f == Format::kScreenshot || !rec.recorder) return "";
  trace::TraceSource source;
  source.log = &rec.recorder->log();
  source.strings = &rec.recorder->strings();
  source.info.nr_cpus = rec.config.nr_cpus;
  source.info.max_events = source.log->size();
  // The app's machines are cmwq machines (the legacy model runs only in lesson files so far).
  source.info.process_name = rec.scenario.name + " (cmwq, Linux 6.12)";
  source.machine = rec.scenario.name;
  return f == Format::kPerfetto ? trace::export_perfetto({&source, 1})
                                : trace::export_ftrace({&source, 1});
}

std::string export_file_name(const std::string& scenario, Format f, const std::tm& t) {
  std::string name = scenario.empty() ? "run" : scenario;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02d-%02d%02d%02d", t.tm_year + 1900, t.tm_mon + 1,
                t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
  return "wqlab-" + name + "-" + stamp + format_info(f).extension;
}

}  // namespace wqlab::exporting
