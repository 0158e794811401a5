// What the host says about this process: OS threads and resident memory (Linux /proc).
#pragma once

#include <cstdint>

namespace wqlab::bench {

int os_threads();               // entries in /proc/self/task
int64_t resident_bytes();       // VmRSS
int64_t peak_resident_bytes();  // VmHWM
void release_free_memory();  // gives freed heap pages back (malloc_trim) so RSS deltas are honest

}  // namespace wqlab::bench
