// What File > Export writes for the run on screen: the same Perfetto JSON and ftrace text as
// `wqlab run --perfetto/--ftrace` (engine/trace/exporters.h writes both), and the file names,
// "wqlab-DEMO-YYYYMMDD-HHMMSS.perfetto.json". No ImGui: tests/app checks it.
#pragma once

#include <ctime>
#include <memory>
#include <span>
#include <string>

#include "session/recording.h"

namespace wqlab::exporting {

enum class Format { kPerfetto, kFtrace, kScreenshot };

struct FormatInfo {
  const char* what;       // "Perfetto trace", for messages
  const char* extension;  // ".perfetto.json"
  const char* mime;       // for the browser's download
};
const FormatInfo& format_info(Format f);

// The recording's events so far (the driver may still be appending) as Perfetto JSON or ftrace
// text; nothing for kScreenshot.
std::string export_recording(const session::Recording& rec, Format f);

// One machine of the stage on screen, as an export writes it.
struct MachineRecording {
  std::string id;       // the Perfetto process's name and the ftrace text's "# machine:" line
  bool legacy = false;  // the 2.6.24 model
  std::shared_ptr<const session::Recording> recording;
  bool real = false;  // imported from a real kernel's trace (no model ran)
};

// Several machines (a lesson's) in one document: one Perfetto process per machine (pid 1, 2,
// ... in order), or ftrace text with a "# machine: ID" section per machine. One machine gives
// the same text as export_recording() of its recording.
std::string export_machines(std::span<const MachineRecording> machines, Format f);

// "wqlab-tour-20250101-093000.perfetto.json"; characters other than letters, digits, '-' and
// '_' in the scenario's name become '-'.
std::string export_file_name(const std::string& scenario, Format f, const std::tm& local_time);

}  // namespace wqlab::exporting
