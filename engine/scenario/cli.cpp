#include "engine/scenario/cli.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/scenario/parser.h"
#include "engine/scenario/report.h"

namespace wqlab::scenario {
namespace {

const char kUsage[] =
    "usage: wqlab run FILE [--json OUT] [--perfetto OUT] [--ftrace OUT] [--zh]\n"
    "       wqlab check DIR\n";

bool write_file(const std::string& path, const std::string& text, std::ostream& err) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) {
    err << "wqlab: cannot write " << path << "\n";
    return false;
  }
  return true;
}

void progress(size_t i, size_t n, const Step& step) {
  if (!isatty(STDERR_FILENO) || n < 2) return;
  std::fprintf(stderr, "\r[%zu/%zu] %-60.60s", i + 1, n, step.id.empty() ? "" : step.id.c_str());
  if (i + 1 == n) std::fprintf(stderr, "\r%80s\r", "");
  std::fflush(stderr);
}

int run_one(const std::string& file, const std::string& json, const std::string& perfetto,
            const std::string& ftrace, bool chinese, std::ostream& out, std::ostream& err) {
  ParseResult parsed = parse_scenario_file(file);
  if (!parsed.ok()) {
    err << parsed.error_text();
    return 2;
  }
  Runner runner(*parsed.scenario);
  ScenarioRun run = run_scenario(*parsed.scenario, runner, progress);
  out << report_text(run, chinese);
  bool wrote = true;
  if (!json.empty()) wrote = write_file(json, report_json(run), err) && wrote;
  if (!perfetto.empty()) wrote = write_file(perfetto, report_perfetto(run), err) && wrote;
  if (!ftrace.empty()) wrote = write_file(ftrace, report_ftrace(run), err) && wrote;
  if (!wrote) return 2;
  return run.failed() == 0 ? 0 : 1;
}

}  // namespace

bool is_cli_command(int argc, char** argv) {
  if (argc < 2) return false;
  std::string cmd = argv[1];
  return cmd == "run" || cmd == "check";
}

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    err << kUsage;
    return 2;
  }
  if (args[0] == "run") {
    std::string file, json, perfetto, ftrace;
    bool chinese = false;
    for (size_t i = 1; i < args.size(); ++i) {
      const std::string& a = args[i];
      auto value = [&](std::string* into) {
        if (i + 1 >= args.size()) {
          err << "wqlab: " << a << " needs a file name\n" << kUsage;
          return false;
        }
        *into = args[++i];
        return true;
      };
      if (a == "--json") {
        if (!value(&json)) return 2;
      } else if (a == "--perfetto") {
        if (!value(&perfetto)) return 2;
      } else if (a == "--ftrace") {
        if (!value(&ftrace)) return 2;
      } else if (a == "--zh") {
        chinese = true;
      } else if (!a.empty() && a[0] == '-') {
        err << "wqlab: unknown option '" << a << "' for run\n" << kUsage;
        return 2;
      } else if (file.empty()) {
        file = a;
      } else {
        err << "wqlab: run takes one file, got '" << file << "' and '" << a << "'\n";
        return 2;
      }
    }
    if (file.empty()) {
      err << "wqlab: run needs a scenario or lesson file\n" << kUsage;
      return 2;
    }
    return run_one(file, json, perfetto, ftrace, chinese, out, err);
  }
  if (args[0] == "check") {
    if (args.size() != 2) {
      err << "wqlab: check needs one folder\n" << kUsage;
      return 2;
    }
    std::error_code ec;
    std::vector<std::string> files;
    for (auto& entry : std::filesystem::directory_iterator(args[1], ec))
      if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
    if (ec) {
      err << "wqlab: cannot read folder " << args[1] << ": " << ec.message() << "\n";
      return 2;
    }
    std::sort(files.begin(), files.end());
    int worst = 0, ok = 0;
    for (auto& f : files) {
      int rc = run_one(f, "", "", "", false, out, err);
      if (rc == 0) ++ok;
      worst = std::max(worst, rc);
    }
    out << "checked " << files.size() << " files: " << ok << " passed, " << files.size() - ok
        << " failed\n";
    return files.empty() ? 2 : worst;
  }
  err << "wqlab: unknown command '" << args[0] << "'\n" << kUsage;
  return 2;
}

}  // namespace wqlab::scenario
