// The machine's CPU topology: which CPUs are SMT siblings of one core, which share a last-level
// cache, which sit on one NUMA node. Linux reads it from the firmware (cpu_smt_mask(),
// cpus_share_cache(), cpu_to_node()); the lab describes it as regular groups of consecutive CPUs.
// The workqueue's affinity scopes group CPUs into pods by it (kernel/workqueue.c: init_pod_type()).
#pragma once

#include <algorithm>
#include <string>

namespace wqlab::kernel {

struct CpuTopology {
  int smt = 1;             // hardware threads per core (SMT siblings)
  int cpus_per_cache = 0;  // CPUs sharing a last-level cache; 0 = every CPU (one LLC)
  int cpus_per_node = 0;   // CPUs on a NUMA node; 0 = every CPU (one node)
  bool operator==(const CpuTopology&) const = default;  // MachineSpec compares machines whole

  // The group a CPU belongs to at each level (consecutive CPUs, counted from 0).
  int core_of(int cpu) const { return cpu / std::max(1, smt); }
  int llc_of(int cpu) const { return cpus_per_cache > 0 ? cpu / cpus_per_cache : 0; }
  int node_of(int cpu) const { return cpus_per_node > 0 ? cpu / cpus_per_node : 0; }
  // Empty when the description is consistent, else what is wrong with it.
  std::string check() const {
    if (smt < 1) return "smt must be at least 1";
    if (cpus_per_cache < 0 || cpus_per_node < 0) return "group sizes cannot be negative";
    if (cpus_per_cache > 0 && cpus_per_cache % smt != 0)
      return "cpus_per_cache must be a multiple of smt (a core's threads share its cache)";
    if (cpus_per_node > 0 && cpus_per_cache > 0 && cpus_per_node % cpus_per_cache != 0)
      return "cpus_per_node must be a multiple of cpus_per_cache (a cache sits on one node)";
    if (cpus_per_node > 0 && cpus_per_cache == 0)
      return "cpus_per_node needs cpus_per_cache (a cache sits on one node)";
    return {};
  }
};

}  // namespace wqlab::kernel
