// Parses wqlab's command line: --help, --version, --width/--height, --screenshot FILE --frames N,
// --demo NAME --at TIME, --why EVENT, --zoom WHERE, --state-json FILE, --shots DIR, --bench-ui,
// --export-dir DIR, --press KEYS, --open-url URL, and the lesson player's --lesson FILE
// --answers LIST --to-checkpoint N --back-to-checkpoint N (N: a number, first or last) --zh.
#include "host/cli.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "model/why.h"
#include "player/lesson_answers.h"
#include "session/demo_scenarios.h"
#include "shell/keyboard_map.h"

namespace wqlab {
namespace {

constexpr int kDefaultScreenshotFrames = 30;

std::string problem(const std::string& what) {
  return "wqlab: " + what + " (try 'wqlab --help')";
}

// "Ctrl+E F12 ?" -> the chords' labels; an error names the first one that is not a key.
std::optional<std::string> split_presses(const std::string& text, std::vector<std::string>* out) {
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    const size_t end = std::min(text.find(' ', i), text.size());
    const std::string name = text.substr(i, end - i);
    const std::optional<KeyChord> chord = parse_chord(name);
    if (!chord) return name;
    out->push_back(chord_label(*chord));
    i = end;
  }
  return std::nullopt;
}

std::optional<int> parse_int(const std::string& text, int lo, int hi) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < lo || value > hi) return std::nullopt;
  return value;
}

}  // namespace

int64_t parse_duration(const std::string& text) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (...) {
    return -1;
  }
  const std::string unit = text.substr(used);
  double scale = 0;
  if (unit.empty() || unit == "ns") {
    scale = 1;
  } else if (unit == "us") {
    scale = 1e3;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "s") {
    scale = 1e9;
  }
  if (scale == 0 || !(value >= 0) || value * scale > 9e18) return -1;
  return static_cast<int64_t>(value * scale + 0.5);
}

const char* usage_text() {
  return "usage: wqlab [--width N] [--height N] [--frames N] [--screenshot FILE.png]\n"
         "             [--demo NAME] [--at TIME] [--why EVENT] [--zoom WHERE]\n"
         "             [--state-json FILE] [--shots DIR]\n"
         "             [--export-dir DIR] [--press KEYS] [--open-url URL]\n"
         "             [--sandbox [FILE]] [--trace FILE] [--live [--sched] | --live-from PATH]\n"
         "             [--lesson FILE|ID] [--answers LIST] [--to-checkpoint N|first|last]\n"
         "             [--back-to-checkpoint N|first|last] [--zh]\n"
         "       wqlab --bench-ui [--trace FILE]\n"
         "       wqlab run FILE [--json OUT] [--perfetto OUT] [--ftrace OUT] [--zh]\n"
         "       wqlab check DIR\n"
         "       wqlab open TRACE [app options]   (the trace in the app's views)\n"
         "       wqlab open TRACE [--summary] [--json OUT] [--perfetto OUT] [--to-scenario OUT]\n"
         "                        [--policy P] [--compare P[,P]] [--compare-json OUT]\n"
         "       wqlab capture [--seconds N] [--sched] -o FILE\n"
         "       wqlab --help | --version\n"
         "\n"
         "  --width N, --height N  window size before HiDPI scaling (default 1280 x 800)\n"
         "  --frames N             render N frames, then exit\n"
         "  --screenshot FILE.png  after the last frame (default: frame 30), save the window\n"
         "                         as a PNG and exit (desktop only)\n"
         "  --demo NAME            the demo to load: tour (default), doc, mayday, wave,\n"
         "                         legacy, legacy-256\n"
         "  --at TIME              run the demo to its end, then show the moment TIME\n"
         "                         (e.g. 27ms); without it the demo plays from the start\n"
         "  --why EVENT            run the demo to its end, show EVENT (KIND[:NAME][#N], e.g.\n"
         "                         workqueue_execute_start:w1) and walk Why? to its first cause\n"
         "  --zoom WHERE           run the demo to its end and zoom the machine room into\n"
         "                         cpu:N, pool:N or (legacy) wq:NAME\n"
         "  --state-json FILE      when the app exits, write what it shows as JSON (desktop)\n"
         "  --shots DIR            save a screenshot of the whole window and of each view in\n"
         "                         DIR, then exit (desktop only)\n"
         "                         (with --lesson: the window at the last checkpoint reached\n"
         "                         and after going back, in English and Chinese)\n"
         "  --export-dir DIR       File > Export saves into DIR for this run (desktop)\n"
         "  --press KEYS           once the machine has settled, press these keys one by one\n"
         "                         (space-separated, as Help > Keyboard shortcuts names them:\n"
         "                         'Ctrl+E F12 ?'); then exit, unless --frames is given\n"
         "  --open-url URL         open the scenario of a share link (http://host/#s=...)\n"
         "                         in the sandbox\n"
         "  --sandbox [FILE]       open the sandbox (with a scenario file's workqueues, work "
         "items\n"
         "                         and actions)\n"
         "  --trace FILE           open a real kernel's workqueue trace in the views (what\n"
         "                         `wqlab open FILE` does without its headless options)\n"
         "  --whatif P[,Q]         with a trace: open What if, the trace beside its workload\n"
         "                         replayed under policy P (cmwq, legacy, ordered,\n"
         "                         max_active=N), or the workload under P and under Q\n"
         "  --live [--sched]       this machine's workqueue tracepoints (and with --sched the\n"
         "                         scheduler's), shown as they come (root, Linux; tracefs is\n"
         "                         restored on exit); Space pauses and follows again\n"
         "  --live-from PATH       the same from a pipe, FIFO or growing file ('-': stdin),\n"
         "                         e.g. sudo trace-cmd stream -e workqueue | wqlab --live-from -\n"
         "  --lesson FILE|ID       open a lesson: a file, or a lesson of lessons/ by id or name\n"
         "                         (e.g. pid-exhaustion); a file with errors shows them\n"
         "  --answers LIST         answer the lesson's questions as their steps come, e.g.\n"
         "                         how-many-queues=120,which-fits=2 (a choice by its number);\n"
         "                         questions not listed are skipped\n"
         "  --to-checkpoint N|first|last\n"
         "                         run the lesson to checkpoint N (the end of step N)\n"
         "  --back-to-checkpoint N|first|last\n"
         "                         then show checkpoint N again, from the recording\n"
         "  --zh                   the lesson's texts in Simplified Chinese\n"
         "  --bench-ui             measure frame build times with a million executions (with\n"
         "                         --trace FILE: FILE repeated to a million lines) and\n"
         "                         the time to show past moments; print a table and exit\n"
         "  run FILE               run a lesson or scenario headless: every checkpoint, pass or\n"
         "                         fail (exit 0 only if all pass); --json/--perfetto/--ftrace\n"
         "                         also write a report, a Perfetto trace or ftrace text\n"
         "  check DIR              run every lesson in DIR (lessons/README.md has the format)\n"
         "  open TRACE             a real kernel's workqueue trace (ftrace, trace-cmd report,\n"
         "                         perf script): its pools, kworkers and workqueues; fit a\n"
         "                         scenario to it and compare policies (docs/traces.md)\n"
         "  capture                record the workqueue tracepoints from tracefs (root)\n"
         "  --help                 this text\n"
         "  --version              print the version and exit\n";
}

ParseResult parse_args(const std::vector<std::string>& args) {
  ParseResult result;
  Options& opt = result.options;
  bool frames_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag.resize(eq);
    }
    auto value = [&]() -> std::optional<std::string> {
      if (inline_value) return inline_value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    auto int_flag = [&](int* out, int lo, int hi) {
      std::optional<std::string> v = value();
      if (!v) {
        result.error = problem(flag + " needs a value");
      } else if (std::optional<int> n = parse_int(*v, lo, hi)) {
        *out = *n;
      } else {
        result.error = problem(flag + " expects a whole number from " + std::to_string(lo) +
                               " to " + std::to_string(hi) + ", got '" + *v + "'");
      }
    };

    if (flag == "--help" || flag == "-h") {
      opt.help = true;
    } else if (flag == "--version") {
      opt.version = true;
    } else if (flag == "--width") {
      int_flag(&opt.width, 200, 16384);
    } else if (flag == "--height") {
      int_flag(&opt.height, 150, 16384);
    } else if (flag == "--frames") {
      int_flag(&opt.frames, 1, 1000000);
      frames_given = true;
    } else if (flag == "--screenshot") {
      std::optional<std::string> v = value();
      if (!v || v->empty())
        result.error = problem("--screenshot needs a file name");
      else
        opt.screenshot = *v;
    } else if (flag == "--demo") {
      std::optional<std::string> v = value();
      if (!v || v->empty())
        result.error = problem("--demo needs a name");
      else
        opt.demo = *v;
    } else if (flag == "--at") {
      std::optional<std::string> v = value();
      if (!v) {
        result.error = problem("--at needs a time, such as 27ms");
      } else if ((opt.at_ns = parse_duration(*v)) < 0) {
        result.error = problem("--at expects a time such as 27ms, 1.5s or 250us, got '" + *v + "'");
      }
    } else if (flag == "--state-json" || flag == "--shots") {
      std::optional<std::string> v = value();
      if (!v || v->empty())
        result.error = problem(flag + " needs a path");
      else
        (flag == "--shots" ? opt.shots : opt.state_json) = *v;
    } else if (flag == "--why" || flag == "--zoom") {
      std::optional<std::string> v = value();
      std::string why_error;
      if (!v || v->empty()) {
        result.error = problem(flag + (flag == "--why" ? " needs an event, such as "
                                                         "workqueue_execute_start:w1"
                                                       : " needs cpu:N, pool:N or wq:NAME"));
      } else if (flag == "--why" && !model::parse_event_spec(*v, &why_error)) {
        result.error = problem("--why: " + why_error);
      } else if (flag == "--zoom" && !(v->rfind("cpu:", 0) == 0 || v->rfind("pool:", 0) == 0 ||
                                       v->rfind("wq:", 0) == 0)) {
        result.error = problem("--zoom expects cpu:N, pool:N or wq:NAME, got '" + *v + "'");
      } else {
        (flag == "--why" ? opt.why : opt.zoom) = *v;
      }
    } else if (flag == "--bench-ui") {
      opt.bench_ui = true;
    } else if (flag == "--export-dir" || flag == "--open-url") {
      std::optional<std::string> v = value();
      if (!v || v->empty())
        result.error = problem(flag + (flag == "--open-url" ? " needs a link" : " needs a path"));
      else
        (flag == "--export-dir" ? opt.export_dir : opt.open_url) = *v;
    } else if (flag == "--sandbox") {
      opt.sandbox = true;  // the file is optional: a following option is not one
      if (inline_value) {
        opt.sandbox_file = *inline_value;
      } else if (i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) {
        opt.sandbox_file = args[++i];
      }
    } else if (flag == "--trace") {
      std::optional<std::string> v = value();
      if (!v || v->empty())
        result.error =
            problem("--trace needs a trace file (cat trace, trace-cmd report, perf script)");
      else
        opt.trace_file = *v;
    } else if (flag == "--live" || flag == "--sched") {
      (flag == "--live" ? opt.live : opt.live_sched) = true;
    } else if (flag == "--live-from") {
      std::optional<std::string> v = value();
      if (!v || v->empty())
        result.error = problem("--live-from needs a pipe, FIFO or growing file ('-': stdin)");
      else
        opt.live_from = *v;
    } else if (flag == "--whatif") {
      std::optional<std::string> v = value();
      std::string why;
      if (!v || v->empty())
        result.error = problem("--whatif needs a policy: cmwq, legacy, ordered or max_active=N");
      else if (!whatif::parse_policies(*v, &opt.whatif, &why))
        result.error = problem("--whatif: " + why);
    } else if (flag == "--press") {
      std::optional<std::string> v = value();
      if (!v || v->find_first_not_of(' ') == std::string::npos) {
        result.error = problem("--press needs keys, such as 'Ctrl+E F12 ?'");
      } else if (std::optional<std::string> bad = split_presses(*v, &opt.press)) {
        result.error = problem("--press: '" + *bad +
                               "' is not a key (Help > Keyboard shortcuts lists them; e.g. "
                               "Ctrl+E, Shift+Right, F12, ?)");
      }
    } else if (flag == "--zh") {
      opt.chinese = true;
    } else if (flag == "--lesson") {
      std::optional<std::string> v = value();
      if (!v || v->empty())
        result.error = problem("--lesson needs a lesson file or id");
      else
        opt.lesson = *v;
    } else if (flag == "--answers") {
      std::optional<std::string> v = value();
      std::map<std::string, double> parsed;
      std::string why;
      if (!v) {
        result.error = problem("--answers needs a list such as how-many-queues=120,which-fits=2");
      } else if (!player::parse_answer_list(*v, &parsed, &why)) {
        result.error = problem("--answers: " + why);
      } else {
        opt.answers = *v;
      }
    } else if (flag == "--to-checkpoint" || flag == "--back-to-checkpoint") {
      std::optional<std::string> v = value();
      int& out = flag == "--to-checkpoint" ? opt.to_checkpoint : opt.back_to_checkpoint;
      if (v && (*v == "first" || *v == "last")) {
        out = *v == "first" ? 1 : -1;
      } else if (std::optional<int> n = v ? parse_int(*v, 1, 1000) : std::nullopt) {
        out = *n;
      } else {
        result.error = problem(flag + " expects a checkpoint number, 'first' or 'last', got '" +
                               v.value_or("") + "'");
      }
    } else if (flag.rfind("-", 0) == 0) {
      result.error = problem("unknown option '" + flag + "'");
    } else {
      result.error = problem("unexpected argument '" + flag + "'");
    }
    if (inline_value &&
        (flag == "--help" || flag == "-h" || flag == "--version" || flag == "--bench-ui" ||
         flag == "--zh" || flag == "--live" || flag == "--sched")) {
      result.error = problem(flag + " takes no value");
    }
    if (!result.error.empty()) return result;
  }
  opt.press_then_exit = !opt.press.empty() && !frames_given;
  if (opt.lesson.empty() &&
      (!opt.answers.empty() || opt.to_checkpoint != 0 || opt.back_to_checkpoint != 0)) {
    result.error = problem("--answers, --to-checkpoint and --back-to-checkpoint need --lesson");
    return result;
  }
  if (!opt.whatif.empty() && opt.trace_file.empty()) {
    result.error = problem(
        "--whatif compares a trace's workload: give it with --trace FILE (or "
        "wqlab open FILE --whatif P)");
    return result;
  }
  if (opt.live_sched && !opt.live) {
    result.error = problem("--sched goes with --live (the scheduler's tracepoints too)");
    return result;
  }
  if (opt.live && !opt.live_from.empty()) {
    result.error =
        problem("--live reads this kernel's trace_pipe, --live-from a file: one of them");
    return result;
  }
  if ((opt.live || !opt.live_from.empty()) && !opt.trace_file.empty()) {
    result.error = problem("a live trace replaces an opened one: give --live or --trace, not both");
    return result;
  }
  if (session::demo_scenarios().find(opt.demo) == nullptr) {
    result.error = problem("--demo: there is no demo called '" + opt.demo + "'");
    return result;
  }

#ifdef __EMSCRIPTEN__
  if (opt.live || !opt.live_from.empty()) {
    result.error = problem("--live and --live-from need the Linux desktop app");
    return result;
  }
  if (!opt.shots.empty() || !opt.state_json.empty() || opt.bench_ui || !opt.export_dir.empty()) {
    result.error = problem(
        "--shots, --state-json, --bench-ui and --export-dir are only available in the desktop app");
    return result;
  }
  if (!opt.trace_file.empty()) {  // the page has no files of its own
    result.error =
        problem("trace: the browser opens a trace with File > Open trace (a file picker)");
    return result;
  }
#else
  if (!opt.shots.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(opt.shots, ec))
      result.error = problem("--shots: the folder '" + opt.shots + "' does not exist");
  }
#endif
  if (opt.screenshot.empty()) return result;
  // With --press the app saves it after the last key instead.
  if (!frames_given && !opt.press_then_exit) opt.frames = kDefaultScreenshotFrames;
#ifdef __EMSCRIPTEN__
  result.error = problem("--screenshot is only available in the desktop app");
#else
  std::filesystem::path dir = std::filesystem::path(opt.screenshot).parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
    result.error = problem("--screenshot: the folder '" + dir.string() + "' does not exist");
  }
#endif
  return result;
}

}  // namespace wqlab
