// The kernel threads a Linux 2.6.24 machine has before anyone creates a workqueue: the PID budget
// the "PID exhaustion" lesson starts from. Workqueue threads are real legacy workqueues; the
// other kernel threads (and init, which holds pid 1) are tasks that park at once and stay parked.
//
// The list follows `ps ax` of a 2.6.2x machine of that era, in pid order:
//     1 init   2 kthreadd   3 migration/0   4 ksoftirqd/0   5 watchdog/0   6 migration/1 ...
//     events/0..N  khelper  kblockd/0..N  kacpid  kacpi_notify  ata/0..N  ata_aux  ksuspend_usbd
//     khubd  kseriod  pdflush  pdflush  kswapd0  aio/0..N  kpsmoused  scsi_eh_0  kjournald
// and the 2.6.24 code that creates each thread (cited beside it below). Per CPU that is 7 threads
// (migration, ksoftirqd, watchdog, events, kblockd, ata, aio), plus 15 others. Left out: threads
// of modules and optional drivers (kstriped, ksnapd, kmpathd/N, rpciod/N, xfs*/N, cqueue/N ...).
#include "engine/legacy/legacy_wq.h"

namespace wqlab::legacy {

using kernel::TaskState;
using kernel::TaskStep;

namespace {
// Per-CPU kernel threads other than workqueues, created at CPU_UP_PREPARE, in notifier order.
struct PerCpuKthread {
  const char* name;
  int nice;
};
constexpr PerCpuKthread kPerCpuKthreads[] = {
    {"migration", -5},  // kernel/sched.c: migration_call(), "migration/%d" (SCHED_FIFO)
    {"ksoftirqd", 19},  // kernel/softirq.c: cpu_callback(), "ksoftirqd/%d", set_user_nice(19)
    {"watchdog", -5},   // kernel/softlockup.c: cpu_callback(), "watchdog/%d" (SCHED_FIFO)
};
// kthreadd's children inherit its nice -5 (kernel/kthread.c: kthreadd() does set_user_nice(-5)).
constexpr int kKthreaddNice = -5;
}  // namespace

// A boot kernel thread: it has nothing to do in the lab, so it parks until it is stopped.
TaskStep LegacyWq::boot_thread_main(BootThread* bt) {
  k_.set_current_state(TaskState::Interruptible);
  if (k_.kthread_should_stop() || bt->stop.load()) {
    k_.set_current_state(TaskState::Running);
    nr_boot_kthreads_.fetch_sub(1);
    return TaskStep::Exit;
  }
  return TaskStep::Park;
}

void LegacyWq::boot_kthread(std::string comm, int cpu, int nice) {
  auto owned = std::make_unique<BootThread>();
  BootThread* bt = owned.get();
  bt->comm = comm;
  bt->cpu = cpu;
  bt->nice = nice;
  auto r = k_.kthread_create([this, bt] { return boot_thread_main(bt); }, comm, cpu, nice);
  if (!r) {
    bug("boot: cannot create kernel thread " + comm + ": " +
        (r.err == -kernel::kEAGAIN ? "-EAGAIN" : "-ENOMEM"));
    return;
  }
  bt->task = r.task;
  nr_boot_kthreads_.fetch_add(1);
  boot_threads_.push_back(std::move(owned));
  k_.wake_up_process(*r.task);
}

void LegacyWq::boot_workqueue(std::string name, bool singlethread, bool freezeable) {
  if (__create_workqueue_key(name, singlethread, freezeable) == nullptr)
    bug("boot: cannot create workqueue " + name);
}

// Before init_workqueues(): rest_init() starts init (pid 1) and kthreadd (pid 2); smp_init()
// brings each CPU up with its migration, ksoftirqd and watchdog threads.
void LegacyWq::create_boot_threads_early() {
  boot_kthread("init", -1, 0);  // init/main.c: kernel_init(), which execs /sbin/init
  boot_kthread("kthreadd", -1, kKthreaddNice);  // kernel/kthread.c: kthreadd()
  for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu) {
    if (!k_.cpu_online(cpu)) continue;
    for (const PerCpuKthread& t : kPerCpuKthreads)
      boot_kthread(std::string(t.name) + "/" + std::to_string(cpu), cpu, t.nice);
  }
}

// After init_workqueues(): the initcalls of do_basic_setup(), then the root filesystem.
void LegacyWq::create_boot_threads_late() {
  boot_workqueue("khelper", true, false);       // kernel/kmod.c: usermodehelper_init()
  boot_workqueue("kblockd", false, false);      // block/ll_rw_blk.c: blk_dev_init()
  boot_workqueue("kacpid", true, false);        // drivers/acpi/osl.c: acpi_os_initialize1()
  boot_workqueue("kacpi_notify", true, false);  // drivers/acpi/osl.c: acpi_os_initialize1()
  boot_workqueue("ata", false, false);          // drivers/ata/libata-core.c: ata_init()
  boot_workqueue("ata_aux", true, false);       // drivers/ata/libata-core.c: ata_init()
  boot_workqueue("ksuspend_usbd", true, true);  // drivers/usb/core/usb.c: ksuspend_usb_init()
  boot_kthread("khubd", -1, kKthreaddNice);     // drivers/usb/core/hub.c: usb_hub_init()
  boot_kthread("kseriod", -1, kKthreaddNice);   // drivers/input/serio/serio.c: serio_init()
  boot_kthread("pdflush", -1, 0);  // mm/pdflush.c: pdflush_init(), MIN_PDFLUSH_THREADS = 2
  boot_kthread("pdflush", -1, 0);
  boot_kthread("kswapd0", -1, kKthreaddNice);  // mm/vmscan.c: kswapd_init(), one per node
  boot_workqueue("aio", false, false);         // fs/aio.c: aio_setup()
  boot_workqueue("kpsmoused", true, false);    // drivers/input/mouse/psmouse-base.c: psmouse_init()
  boot_kthread("scsi_eh_0", -1, kKthreaddNice);  // drivers/scsi/hosts.c: scsi_add_host()
  boot_kthread("kjournald", -1, kKthreaddNice);  // fs/jbd/journal.c: ext3 root filesystem
}

// The per-CPU boot threads follow their CPU: created when it comes up, stopped when it goes down
// (in a task with kthread_stop(); from the driver they are told to exit at their next wake-up).
void LegacyWq::boot_kthreads_cpu_callback(int cpu, bool online) {
  if (!cfg_.boot_threads) return;
  if (online) {
    for (const PerCpuKthread& t : kPerCpuKthreads)
      boot_kthread(std::string(t.name) + "/" + std::to_string(cpu), cpu, t.nice);
    return;
  }
  for (auto& bt : boot_threads_) {
    if (bt->cpu != cpu || bt->task == nullptr) continue;
    kernel::Task* t = bt->task;
    bt->task = nullptr;
    if (k_.current() != nullptr) {
      k_.kthread_stop(*t);
    } else {
      bt->stop = true;
      k_.wake_up_process(*t);
    }
  }
}

}  // namespace wqlab::legacy
