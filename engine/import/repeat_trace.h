// A long trace made from a short one, for benchmarks: the event lines of an ftrace text
// (`cat trace`) repeated until there are `lines` of them, each copy `shift_seconds` later, under
// a `cat trace` header. The shared 4 371-line capture makes the 1 M-event trace the importer
// and the UI are measured with.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wqlab::import {

// `*count` receives the number of event lines written (fewer than `lines` only when the text
// has no event line).
std::string repeat_trace(std::string_view ftrace_text, size_t lines, long shift_seconds,
                         size_t* count);

}  // namespace wqlab::import
