#include "proc_stats.h"

#include <dirent.h>
#include <malloc.h>

#include <cstdio>
#include <cstring>

namespace wqlab::bench {

int os_threads() {
  int n = 0;
  DIR* d = opendir("/proc/self/task");
  if (d == nullptr) return -1;
  while (dirent* e = readdir(d))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n;
}

static int64_t status_kib(const char* key) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  int64_t kib = -1;
  size_t len = std::strlen(key);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, key, len) == 0) {
      long long v = 0;
      if (std::sscanf(line + len, " %lld", &v) == 1) kib = v;
      break;
    }
  }
  std::fclose(f);
  return kib;
}

int64_t resident_bytes() {
  return status_kib("VmRSS:") * 1024;
}
int64_t peak_resident_bytes() {
  return status_kib("VmHWM:") * 1024;
}

void release_free_memory() {
  malloc_trim(0);
}

}  // namespace wqlab::bench
