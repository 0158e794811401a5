// Opening a real kernel's trace: ftrace text (`cat trace`, `trace_pipe`, with or without the
// header, the irq-info and record-tgid columns), `trace-cmd report` and `perf script` output.
// The format is recognised from the text itself. Every line is either used, counted as a header,
// counted as an unknown event (and skipped), or reported as malformed with its line number;
// nothing in the text can make the importer fail or crash.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/import/records.h"

namespace wqlab::import {

struct ImportOptions {
  std::string source = "<text>";  // named in problems ("FILE:LINE: ...")
  // Called now and then with (bytes read, total bytes); the app's progress bar.
  std::function<void(size_t, size_t)> progress;
};

ParsedTrace import_trace_text(std::string_view text, const ImportOptions& options = {});

// The whole file; nullopt with `error` ("FILE: cannot open the file") when it cannot be read.
std::optional<std::string> read_trace_file(const std::string& path, std::string* error);

// Reads `path` and imports it. nullopt with `error` set when the file cannot be read.
std::optional<ParsedTrace> import_trace_file(const std::string& path, std::string* error);

// "FILE:LINE: reason: text" for each problem kept, and a line of counts.
std::string problems_text(const ParsedTrace& t);

}  // namespace wqlab::import
