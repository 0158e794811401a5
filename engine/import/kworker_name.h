// What a kworker's comm says about it (mirrors kernel/workqueue.c: format_worker_id() and
// wq_worker_comm()): "kworker/1:2" CPU 1's normal pool, "kworker/0:1H" CPU 0's highpri pool,
// "kworker/u8:0" unbound pool 8, "kworker/R-kblockd" the rescuer of kblockd; a "+wq" suffix
// while it runs an item of wq, "-wq" after. perf cuts comms to 15 characters
// ("kworker/0:1H-kb"), so a suffix may be a prefix of the workqueue's name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wqlab::import {

struct KworkerName {
  enum class Kind { PerCpu, Unbound, Rescuer } kind = Kind::PerCpu;
  int cpu = -1;   // PerCpu
  int pool = -1;  // Unbound: the pool id the kernel printed
  int id = -1;    // the worker's id within its pool
  bool highpri = false;
  std::string base;   // "kworker/0:1H", without the suffix
  std::string wq;     // the workqueue in the suffix (Rescuer: its workqueue), may be cut short
  bool busy = false;  // '+': inside a work item of `wq` when the comm was read
  bool cut = false;   // the comm is 15 characters long: `wq` may be the start of a longer name
};

std::optional<KworkerName> parse_kworker_comm(std::string_view comm);

}  // namespace wqlab::import
