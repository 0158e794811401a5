// The workqueue state dump of Linux 6.12, line by line as the kernel prints it:
// show_all_workqueues() (show_one_workqueue(), show_pwq(), show_one_worker_pool()) and, for
// stalled per-CPU pools, show_cpu_pools_hogs(). Each line is one printk record.
// Lab: busy workers are listed in pid order (Linux walks its busy hash); the hogs' task lines
// have no stack or thread flags to show (0, as without CONFIG_DEBUG_STACK_USAGE), and their call
// traces name the functions without offsets.
#include <algorithm>
#include <cstdio>

#include "engine/wq/cmwq.h"

namespace wqlab::wq {

namespace {

// "%*pbl": a cpumask as a list of ranges, e.g. "0-3,6".
std::string cpumask_list(const kernel::CpuMask& mask) {
  std::string out;
  for (size_t cpu = 0; cpu < mask.size();) {
    if (!mask.test(cpu)) {
      ++cpu;
      continue;
    }
    size_t last = cpu;
    while (last + 1 < mask.size() && mask.test(last + 1)) ++last;
    if (!out.empty()) out += ',';
    out += std::to_string(cpu);
    if (last > cpu) out += '-' + std::to_string(last);
    cpu = last + 1;
  }
  return out;
}

std::string hex(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

// Mirrors struct pr_cont_work_struct with pr_cont_work_flush() and pr_cont_work(): runs of one
// function print as "N*fn", barriers as "BAR(pid)".
struct PrContWork {
  std::string* line;
  bool comma = false;
  const std::string* func = nullptr;
  long ctr = 0;

  void flush(bool c, const std::string* f) {
    if (ctr != 0) {
      if (f != nullptr && *f == *func) {
        ++ctr;
        return;
      }
      *line += comma ? "," : "";
      *line += ctr == 1 ? " " + *func : " " + std::to_string(ctr) + "*" + *func;
      ctr = 0;
    }
    if (f == nullptr) return;  // (work_func_t)-1: only print what is pending
    comma = c;
    func = f;
    ctr = 1;
  }
  void work(bool c, const Work* w) {
    if (w->is_barrier) {
      flush(c, nullptr);
      *line += std::string(c ? "," : "") + " BAR(" + std::to_string(w->barrier_pid) + ")";
      return;
    }
    if (!c) flush(c, nullptr);
    flush(c, &w->name());
  }
};

// Mirrors pr_cont_worker_id(): a BH worker has no task.
std::string worker_id(const Worker* worker) {
  if (worker->pool != nullptr && (worker->pool->flags & POOL_BH))
    return worker->pool->attrs.nice == HIGHPRI_NICE_LEVEL ? "bh-hi" : "bh";
  return std::to_string(worker->task->pid) + (worker->rescue_wq != nullptr ? "(RESCUER)" : "");
}

// pid order for the workers a dump lists (BH workers, which have no pid, first).
bool by_pid(const Worker* a, const Worker* b) {
  int pa = a->task != nullptr ? a->task->pid : 0;
  int pb = b->task != nullptr ? b->task->pid : 0;
  return pa < pb;
}

}  // namespace

// Mirrors pr_cont_pool_info(). LOCKING: pool->lock.
std::string Cmwq::pr_cont_pool_info(const WorkerPool* pool) const {
  std::string out = " cpus=" + cpumask_list(pool->attrs.cpumask) +
                    " node=" + std::to_string(pool->node) + " flags=" + hex(pool->flags);
  if (pool->flags & POOL_BH) return out + (pool->attrs.nice == HIGHPRI_NICE_LEVEL ? " bh-hi" : " bh");
  return out + " nice=" + std::to_string(pool->attrs.nice);
}

// Mirrors show_pwq(). LOCKING: pwq->pool->lock.
void Cmwq::show_pwq(PoolWorkqueue* pwq, std::vector<std::string>& out) const {
  WorkerPool* pool = pwq->pool;
  out.push_back("  pwq " + std::to_string(pool->id) + ":" + pr_cont_pool_info(pool) + " active=" +
                std::to_string(pwq->nr_active) + " refcnt=" + std::to_string(pwq->refcnt) +
                (pwq->mayday_node.empty() ? "" : " MAYDAY"));
  std::vector<Worker*> busy;
  for (const ListHead& bucket : pool->busy_hash)
    for (ListHead* b = bucket.next; b != &bucket; b = b->next)
      if (b->entry<Worker>()->current_pwq == pwq) busy.push_back(b->entry<Worker>());
  std::sort(busy.begin(), busy.end(), by_pid);
  std::string line;
  PrContWork pcws{&line};
  if (!busy.empty()) {
    line = "    in-flight:";
    bool comma = false;
    for (Worker* worker : busy) {
      line += std::string(" ") + (comma ? "," : "") + worker_id(worker) + ":" +
              worker->current_func->name;
      for (ListHead* w = worker->scheduled.next; w != &worker->scheduled; w = w->next)
        pcws.work(false, w->entry<Work>());
      pcws.flush(comma, nullptr);
      comma = true;
    }
    out.push_back(line);
  }
  bool has_pending = false;
  for (ListHead* w = pool->worklist.next; w != &pool->worklist && !has_pending; w = w->next)
    has_pending = get_work_pwq(w->entry<Work>()) == pwq;
  if (has_pending) {
    line = "    pending:";
    bool comma = false;
    for (ListHead* w = pool->worklist.next; w != &pool->worklist; w = w->next) {
      Work* work = w->entry<Work>();
      if (get_work_pwq(work) != pwq) continue;
      pcws.work(comma, work);
      comma = !(work_data(work) & WORK_STRUCT_LINKED);
    }
    pcws.flush(comma, nullptr);
    out.push_back(line);
  }
  if (!pwq->inactive_works.empty()) {
    line = "    inactive:";
    bool comma = false;
    for (ListHead* w = pwq->inactive_works.next; w != &pwq->inactive_works; w = w->next) {
      Work* work = w->entry<Work>();
      pcws.work(comma, work);
      comma = !(work_data(work) & WORK_STRUCT_LINKED);
    }
    pcws.flush(comma, nullptr);
    out.push_back(line);
  }
}

// Mirrors show_one_workqueue(): nothing for an idle workqueue.
void Cmwq::show_one_workqueue(Workqueue* wq, std::vector<std::string>& out) const {
  std::vector<PoolWorkqueue*> pwqs;
  for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next)
    pwqs.push_back(n->entry<PoolWorkqueue>());
  bool idle = true;
  for (PoolWorkqueue* pwq : pwqs) {
    kernel::SpinLockGuard g(pwq->pool->lock);
    idle = idle && pwq_is_empty(pwq);
  }
  if (idle) return;
  out.push_back("workqueue " + wq->name + ": flags=" + hex(wq->flags.load()));
  for (PoolWorkqueue* pwq : pwqs) {
    kernel::SpinLockGuard g(pwq->pool->lock);
    if (!pwq_is_empty(pwq)) show_pwq(pwq, out);
  }
}

// Mirrors show_one_worker_pool(): nothing for a pool whose workers are all idle.
void Cmwq::show_one_worker_pool(WorkerPool* pool, std::vector<std::string>& out) const {
  kernel::SpinLockGuard g(pool->lock);
  if (pool->nr_workers == pool->nr_idle) return;
  uint64_t hung = 0;  // how long the first pending item has waited for a worker
  if (!pool->worklist.empty())
    hung = (k_.jiffies() - pool->watchdog_ts) / static_cast<uint64_t>(k_.hz());
  std::string line = "pool " + std::to_string(pool->id) + ":" + pr_cont_pool_info(pool) +
                     " hung=" + std::to_string(hung) +
                     "s workers=" + std::to_string(pool->nr_workers);
  if (pool->manager != nullptr) line += " manager: " + std::to_string(pool->manager->task->pid);
  bool first = true;
  for (ListHead* n = pool->idle_list.next; n != &pool->idle_list; n = n->next) {
    line += std::string(" ") + (first ? "idle: " : "") + worker_id(n->entry<Worker>());
    first = false;
  }
  out.push_back(line);
}

std::vector<std::string> Cmwq::show_all_workqueues_lines() const {
  std::vector<std::string> out{"Showing busy workqueues and worker pools:"};
  for (Workqueue* wq : workqueues()) show_one_workqueue(wq, out);
  for (WorkerPool* pool : pools()) show_one_worker_pool(pool, out);
  return out;
}

// Mirrors show_all_workqueues() (sysrq-t and the watchdog print it).
std::string Cmwq::show_all_workqueues() const {
  std::string text;
  for (const std::string& line : show_all_workqueues_lines()) text += line + "\n";
  return text;
}

// Mirrors show_cpu_pools_hogs() and show_cpu_pool_hog(): the running workers of every stalled
// per-CPU pool, each with sched_show_task()'s lines.
std::vector<std::string> Cmwq::show_cpu_pools_hogs() const {
  std::vector<std::string> out{
      "Showing backtraces of running workers in stalled CPU-bound worker pools:"};
  for (WorkerPool* pool : pools()) {
    kernel::SpinLockGuard g(pool->lock);
    if (!pool->cpu_stall) continue;
    std::vector<Worker*> busy;
    for (const ListHead& bucket : pool->busy_hash)
      for (ListHead* b = bucket.next; b != &bucket; b = b->next) busy.push_back(b->entry<Worker>());
    std::sort(busy.begin(), busy.end(), by_pid);
    for (Worker* worker : busy) {
      kernel::Task* t = worker->task;
      if (t == nullptr || !k_.task_is_running(*t)) continue;
      char line[160];
      std::snprintf(line, sizeof line,
                    "task:%-15.15s state:R  running task     stack:%-5d pid:%-5d tgid:%-5d "
                    "ppid:%-6d flags:0x%08x",
                    t->comm.c_str(), 0, t->pid, t->pid, 2, 0u);
      out.push_back("pool " + std::to_string(pool->id) + ":");
      out.push_back(line);
      out.push_back("Workqueue: " + worker->current_pwq->wq->name + " " +
                    worker->current_func->name);  // print_worker_info()
      out.push_back("Call Trace:");
      out.push_back(" <TASK>");
      out.push_back(" " + worker->current_func->name);
      for (const char* frame : {"process_one_work", "worker_thread", "kthread", "ret_from_fork"})
        out.push_back(std::string(" ") + frame);
      out.push_back(" </TASK>");
    }
  }
  return out;
}

}  // namespace wqlab::wq
