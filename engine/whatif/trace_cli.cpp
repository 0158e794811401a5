#include "engine/whatif/trace_cli.h"

#include <fstream>
#include <string>
#include <vector>

#include "engine/import/capture.h"
#include "engine/import/open_trace.h"
#include "engine/import/summary.h"
#include "engine/trace/exporters.h"
#include "engine/whatif/compare.h"
#include "engine/whatif/fit.h"
#include "engine/whatif/what_if.h"

namespace wqlab::whatif {
namespace {

const char kUsage[] =
    "usage: wqlab open FILE [--summary] [--json OUT] [--perfetto OUT]\n"
    "                       [--to-scenario OUT [--policy P]] [--compare P[,P]] [--compare-json "
    "OUT]\n"
    "       wqlab capture [--seconds N] [--sched] -o FILE [--tracefs DIR]\n"
    "  FILE: `cat trace` or `trace_pipe` text, `trace-cmd report` or `perf script` output\n"
    "  P: cmwq, legacy (Linux 2.6.24), ordered, max_active=N; --compare P compares the trace\n"
    "     with the fitted scenario run under P, --compare P,Q two policies\n";

bool write_file(const std::string& path, const std::string& text, std::ostream& err) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) {
    err << "wqlab: cannot write " << path << "\n";
    return false;
  }
  return true;
}

struct OpenArgs {
  std::string file, json, perfetto, scenario, compare, compare_json;
  std::string policy = "cmwq";
  bool summary = false;
};

int open_cmd(const OpenArgs& a, std::ostream& out, std::ostream& err) {
  const bool headless = a.summary || !a.json.empty() || !a.perfetto.empty() ||
                        !a.scenario.empty() || !a.compare.empty();
  std::vector<Policy> policies;
  std::string why;
  if (!a.compare.empty() && !parse_policies(a.compare, &policies, &why)) {
    err << "wqlab open: --compare: " << why << "\n";
    return 2;
  }
  Policy fit_policy;
  if (!parse_policy(a.policy, fit_policy, &why)) {
    err << "wqlab open: --policy: " << why << "\n";
    return 2;
  }
  std::string error;
  std::optional<import::OpenedTrace> o = import::open_trace_file(a.file, &error);
  if (!o) {
    err << "wqlab open: " << error << "\n";
    return 2;
  }
  const import::ImportReport& r = o->trace.report;
  err << import::problems_text(o->trace);
  if (r.records == 0) {
    err << "wqlab open: " << a.file << ": no workqueue or scheduler events in " << r.lines
        << " lines (" << r.malformed << " malformed, " << r.unknown
        << " of other events); is this ftrace, trace-cmd report or perf script text?\n";
    return 2;
  }
  if (!headless) {  // main() sends these to the app; the test runner wqlab_open has no window
    err << "wqlab open: this program has no window; give --summary, --json OUT, --perfetto OUT,\n"
           "  --to-scenario OUT or --compare P\n"
        << kUsage;
    return 2;
  }
  if (a.summary) out << import::summary_text(o->trace, o->machine);
  bool ok = true;
  if (!a.json.empty())
    ok = write_file(a.json, import::summary_json(o->trace, o->machine), err) && ok;
  if (!a.perfetto.empty()) {
    trace::ExportInfo info;
    info.nr_cpus = o->log.nr_cpus;
    info.process_name = "linux (" + a.file + ")";
    ok =
        write_file(a.perfetto,
                   trace::export_perfetto(o->log.recorder->log(), o->log.recorder->strings(), info),
                   err) &&
        ok;
  }
  if (!a.scenario.empty()) {
    FitOptions fo;
    fo.policy = fit_policy;
    FitResult fit = fit_scenario(o->trace, o->machine, fo);
    ok = write_file(a.scenario, fitted_scenario_text(fit, a.file), err) && ok;
    if (ok)
      out << "wrote " << a.scenario << ": " << fit.items << " items on "
          << fit.scenario.workqueues.size() << " workqueues (policy " << fit_policy.name() << ")\n";
  }
  if (!policies.empty()) {
    const Comparison c = what_if(*o, policies);
    out << comparison_text(c);
    if (!a.compare_json.empty()) ok = write_file(a.compare_json, comparison_json(c), err) && ok;
  }
  return ok ? 0 : 2;
}

}  // namespace

bool is_trace_command(int argc, char** argv) {
  if (argc < 2) return false;
  const std::string cmd = argv[1];
  return cmd == "open" || cmd == "capture";
}

bool open_wants_window(int argc, char** argv) {
  if (argc < 3 || std::string(argv[1]) != "open" || argv[2][0] == '-') return false;
  for (int i = 3; i < argc; ++i) {
    const std::string s = argv[i];
    for (const char* headless : {"--summary", "--json", "--perfetto", "--to-scenario", "--policy",
                                 "--compare", "--compare-json"})
      if (s == headless) return false;
  }
  return true;
}

int run_trace_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    err << kUsage;
    return 2;
  }
  const std::string cmd = args[0];
  auto value = [&](size_t& i, std::string* into) {
    if (i + 1 >= args.size()) {
      err << "wqlab " << cmd << ": " << args[i] << " needs a value\n" << kUsage;
      return false;
    }
    *into = args[++i];
    return true;
  };
  if (cmd == "open") {
    OpenArgs a;
    for (size_t i = 1; i < args.size(); ++i) {
      const std::string& s = args[i];
      bool ok = true;
      if (s == "--summary") {
        a.summary = true;
      } else if (s == "--json") {
        ok = value(i, &a.json);
      } else if (s == "--perfetto") {
        ok = value(i, &a.perfetto);
      } else if (s == "--to-scenario") {
        ok = value(i, &a.scenario);
      } else if (s == "--policy") {
        ok = value(i, &a.policy);
      } else if (s == "--compare") {
        ok = value(i, &a.compare);
      } else if (s == "--compare-json") {
        ok = value(i, &a.compare_json);
      } else if (!s.empty() && s[0] == '-') {
        err << "wqlab open: unknown option '" << s << "'\n" << kUsage;
        return 2;
      } else if (a.file.empty()) {
        a.file = s;
      } else {
        err << "wqlab open: one trace file at a time, got '" << a.file << "' and '" << s << "'\n";
        return 2;
      }
      if (!ok) return 2;
    }
    if (a.file.empty()) {
      err << "wqlab open: which trace file?\n" << kUsage;
      return 2;
    }
    if (!a.compare_json.empty() && a.compare.empty()) {
      err << "wqlab open: --compare-json needs --compare\n";
      return 2;
    }
    return open_cmd(a, out, err);
  }
  if (cmd == "capture") {
    import::CaptureOptions o;
    for (size_t i = 1; i < args.size(); ++i) {
      const std::string& s = args[i];
      std::string v;
      if (s == "--sched") {
        o.sched = true;
      } else if (s == "--seconds") {
        if (!value(i, &v)) return 2;
        char* end = nullptr;
        o.seconds = std::strtod(v.c_str(), &end);
        if (end == v.c_str() || *end != '\0') {
          err << "wqlab capture: --seconds needs a number, got '" << v << "'\n";
          return 2;
        }
      } else if (s == "-o" || s == "--output") {
        if (!value(i, &o.output)) return 2;
      } else if (s == "--tracefs") {
        if (!value(i, &o.tracefs)) return 2;
      } else {
        err << "wqlab capture: unknown option '" << s << "'\n" << kUsage;
        return 2;
      }
    }
    return import::run_capture(o, out, err);
  }
  err << "wqlab: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}

}  // namespace wqlab::whatif
