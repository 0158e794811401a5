// The sandbox's words (see sandbox_text.h).
#include "sandbox/sandbox_text.h"

#include <cctype>

#include "engine/scenario/units.h"
#include "engine/scenario/writer.h"

namespace wqlab::sandbox {

using scenario::ActionKind;

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

std::string cpu_text(int cpu) {
  return cpu >= 0 ? std::to_string(cpu) : "WORK_CPU_UNBOUND";
}

}  // namespace

std::string describe_action(const scenario::Action& a) {
  switch (a.kind) {
    case ActionKind::Queue:
      if (a.delay >= 0)
        return "queue_delayed_work_on(" + cpu_text(a.cpu) + ", " + a.wq + ", " + a.work + ", " +
               scenario::format_duration(a.delay) + ")";
      return "queue_work_on(" + cpu_text(a.cpu) + ", " + a.wq + ", " + a.work + ")";
    case ActionKind::ModDelayed:
      return "mod_delayed_work_on(" + cpu_text(a.cpu) + ", " + a.wq + ", " + a.work + ", " +
             scenario::format_duration(a.delay) + ")";
    case ActionKind::Cancel:
      return std::string("cancel_work") + (a.sync ? "_sync(" : "(") + a.work + ")";
    case ActionKind::Flush:
      return a.work.empty() ? "flush_workqueue(" + a.wq + ")" : "flush_work(" + a.work + ")";
    case ActionKind::Drain:
      return "drain_workqueue(" + a.wq + ")";
    case ActionKind::Destroy:
      return "destroy_workqueue(" + a.wq + ")";
    case ActionKind::Create:
    case ActionKind::CreateUntilFail: {
      std::string args = "\"" + a.create.name + "\"";
      if (a.create.create == "alloc_workqueue" || a.create.create == "alloc_ordered_workqueue")
        args += ", " + (a.create.flags ? scenario::wq_flag_names(a.create.flags) : "0");
      if (a.create.create == "alloc_workqueue") args += ", " + std::to_string(a.create.max_active);
      return a.create.create + "(" + args + ")";
    }
    case ActionKind::Pressure:
      return std::string("memory pressure ") + (a.on ? "on" : "off");
    case ActionKind::CpuOffline:
      return "cpu_offline(" + std::to_string(a.cpu) + ")";
    case ActionKind::CpuOnline:
      return "cpu_online(" + std::to_string(a.cpu) + ")";
    case ActionKind::Freeze:
      return "freeze_workqueues_begin()";
    case ActionKind::Thaw:
      return "thaw_workqueues()";
    case ActionKind::MaxActive:
      return "workqueue_set_max_active(" + a.wq + ", " + std::to_string(a.value) + ")";
    case ActionKind::Complete:
      return "complete_all(" + a.name + ")";
    case ActionKind::Wait:
      return "wait " + scenario::format_duration(a.delay);
  }
  return scenario::action_word(a.kind);
}

std::vector<std::string> split_body(const std::string& body, const std::string& self) {
  std::vector<std::string> steps;
  std::string cur;
  auto flush = [&] {
    std::string step = trim(cur);
    cur.clear();
    if (step.empty()) return;
    // "queue self", "flush self", "cancel self": the item names itself.
    for (const char* word : {"queue ", "flush ", "cancel "}) {
      const std::string w = word;
      if (step.rfind(w + "self", 0) == 0 &&
          (step.size() == w.size() + 4 || step[w.size() + 4] == ' '))
        step = w + self + step.substr(w.size() + 4);
    }
    steps.push_back(step);
  };
  for (char c : body) {
    if (c == ';' || c == '\n' || c == ',') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  return steps;
}

std::string work_table(const std::string& name, const std::vector<std::string>& steps,
                       bool delayed) {
  std::string out = "\n[[work]]\nname = " + quote(name) + "\n";
  if (delayed) out += "delayed = true\n";
  out += "steps = [";
  for (size_t i = 0; i < steps.size(); ++i) out += (i ? ", " : "") + quote(steps[i]);
  return out + "]\n";
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 40) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

}  // namespace wqlab::sandbox
