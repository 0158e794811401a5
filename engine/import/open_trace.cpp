#include "engine/import/open_trace.h"

#include "engine/import/reconstruct.h"

namespace wqlab::import {

OpenedTrace open_trace_text(std::string_view text, const ImportOptions& options) {
  OpenedTrace o;
  o.trace = import_trace_text(text, options);
  o.machine = reconstruct(o.trace);
  o.log = build_lab_log(o.trace, o.machine);
  return o;
}

std::optional<OpenedTrace> open_trace_file(const std::string& path, std::string* error,
                                           ImportOptions options) {
  std::optional<std::string> text = read_trace_file(path, error);
  if (!text) return std::nullopt;
  options.source = path;
  return open_trace_text(*text, options);
}

}  // namespace wqlab::import
