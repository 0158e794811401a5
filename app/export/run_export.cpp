// The run on screen as one machine for engine/trace/exporters.h, and export file names.
#include "export/run_export.h"

#include <cctype>
#include <cstdio>
#include <vector>

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
  // The demos' machines are cmwq machines.
  const MachineRecording m{rec.scenario.name, false,
                           std::shared_ptr<const session::Recording>(&rec, [](auto*) {})};
  return export_machines({&m, 1}, f);
}

std::string export_machines(std::span<const MachineRecording> machines, Format f) {
  if (f == Format::kScreenshot) return "";
  std::vector<trace::TraceSource> sources;
  for (const MachineRecording& m : machines) {
    if (!m.recording || !m.recording->recorder) continue;
    const session::Recording& rec = *m.recording;
    trace::TraceSource& source = sources.emplace_back();
    source.log = &rec.recorder->log();
    source.strings = &rec.recorder->strings();
    source.info.nr_cpus = rec.config.nr_cpus;
    source.info.max_events = source.log->size();
    source.info.process_id = static_cast<int>(sources.size());
    source.info.process_name = m.id + (m.real     ? " (recorded on a real kernel)"
                                       : m.legacy ? " (legacy, Linux 2.6.24)"
                                                  : " (cmwq, Linux 6.12)");
    source.machine = m.id;
  }
  if (sources.empty()) return "";
  return f == Format::kPerfetto ? trace::export_perfetto(sources) : trace::export_ftrace(sources);
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
