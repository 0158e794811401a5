// The legacy worker thread: worker_thread() sleeping on cwq->more_work, and run_workqueue()
// running the cwq's list strictly one item after another. No concurrency management: an item
// that blocks holds up every item behind it on this cwq (for an ST workqueue, system-wide).
// Not modelled: try_to_freeze() (the freezer), lockdep's lock_acquire() around f(work).
#include "engine/legacy/legacy_wq.h"

namespace wqlab::legacy {

using kernel::Task;
using kernel::TaskState;
using kernel::TaskStep;
using trace::EventKind;
using wq::Work;

// Mirrors 2.6.24 kernel/workqueue.c: run_workqueue(). PENDING is cleared just before f(work), so
// the item may be queued again (here or on another CPU) while it runs.
void LegacyWq::run_workqueue(CpuWorkqueue* cwq) {
  Task* self = k_.current();
  cwq->lock.lock();
  ++cwq->run_depth;
  if (cwq->run_depth > 3) {
    // "morton gets to eat his hat"
    bug("run_workqueue: recursion depth exceeded: " + std::to_string(cwq->run_depth));
  }
  while (Work* work = wq::list_first_entry_or_null<Work>(&cwq->worklist)) {
    std::shared_ptr<const wq::WorkFn> f = work->func;  // the item may free itself while f runs
    int64_t wid = work_id(work);
    int64_t fid = k_.intern(f->name);
    cwq->current_work = work;
    wq::list_del_init(&work->entry);
    cwq->lock.unlock();

    work->data.fetch_and(~WORK_STRUCT_PENDING, std::memory_order_acq_rel);  // work_clear_pending
    k_.emit(EventKind::LegacyExecution, self->pid, wid, fid, cwq->wq->name_id);
    int depth = self->atomic_depth;
    f->fn(work);
    k_.emit(EventKind::LegacyExecutionEnd, self->pid, wid, fid);
    if (self->atomic_depth != depth) {
      bug("BUG: workqueue leaked lock or atomic: " + self->comm + "/" + std::to_string(self->pid) +
          "\n    last function: " + f->name);
      self->atomic_depth = depth;
    }

    cwq->lock.lock();
    cwq->current_work = nullptr;
  }
  --cwq->run_depth;
  cwq->lock.unlock();
}

// Mirrors 2.6.24 kernel/workqueue.c: worker_thread(). Entered from the top on every wake-up; with
// nothing queued it returns Park (the kernel's schedule()), so an idle thread holds no OS thread.
// It exits when kthread_stop()ed, or (lab) when told to stop once its list is empty.
TaskStep LegacyWq::worker_thread(CpuWorkqueue* cwq) {
  Task* self = k_.current();
  for (;;) {
    cwq->more_work.prepare_to_wait(cwq->wait, TaskState::Interruptible);
    bool should_stop = k_.kthread_should_stop();
    bool idle = false;
    bool exit = false;
    {
      kernel::SpinLockGuard g(cwq->lock);
      bool empty = cwq->worklist.empty();
      if (!should_stop && empty && !cwq->stop_when_empty) {
        idle = true;
      } else if (should_stop || (empty && cwq->stop_when_empty)) {
        exit = true;
        cwq->stop_when_empty = false;
        Task* expected = self;
        cwq->thread.compare_exchange_strong(expected, nullptr);
      }
    }
    if (idle) return TaskStep::Park;  // schedule(); woken by wake_up(&cwq->more_work)
    cwq->more_work.finish_wait(cwq->wait);
    if (exit) {
      nr_threads_.fetch_sub(1);
      return TaskStep::Exit;
    }
    run_workqueue(cwq);
  }
}

}  // namespace wqlab::legacy
