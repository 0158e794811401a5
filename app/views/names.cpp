// Formatting helpers shared by the views.
#include "views/names.h"

#include "model/engine_vocabulary.h"
#include "model/why.h"

namespace wqlab {

// One duration formatter for the app: the model's (Why? explanations use it too).
std::string format_duration(model::Nanos ns) {
  return ns < 0 ? "-" : model::why_duration(ns);
}

std::string pool_name(const model::PoolInfo& p) {
  if (p.unbound)
    return "pool " + std::to_string(p.id) + " (unbound" + (p.highpri() ? ", highpri)" : ")");
  return "pool " + std::to_string(p.id) + " (CPU " + std::to_string(p.cpu) +
         (p.highpri() ? ", highpri)" : ")");
}

std::string wq_flags_text(uint32_t flags) {
  struct Flag {
    uint32_t bit;
    const char* name;
  };
  static constexpr Flag kFlags[] = {
      {wq::WQ_UNBOUND, "WQ_UNBOUND"},
      {wq::WQ_FREEZABLE, "WQ_FREEZABLE"},
      {wq::WQ_MEM_RECLAIM, "WQ_MEM_RECLAIM"},
      {wq::WQ_HIGHPRI, "WQ_HIGHPRI"},
      {wq::WQ_CPU_INTENSIVE, "WQ_CPU_INTENSIVE"},
      {wq::WQ_SYSFS, "WQ_SYSFS"},
      {wq::WQ_POWER_EFFICIENT, "WQ_POWER_EFFICIENT"},
      {wq::__WQ_ORDERED, "__WQ_ORDERED"},
      {wq::__WQ_LEGACY, "__WQ_LEGACY"},
  };
  std::string out;
  for (const Flag& f : kFlags) {
    if (!(flags & f.bit)) continue;
    if (!out.empty()) out += " | ";
    out += f.name;
  }
  return out.empty() ? "none" : out;
}

}  // namespace wqlab
