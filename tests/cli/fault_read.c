/* An LD_PRELOAD shim for tests/cli/faults_test.sh: a real read error in the
 * middle of an input file. Reads of the file MERIT_FAULT_FILE through fread
 * deliver MERIT_FAULT_AFTER bytes; then the stream's descriptor is replaced
 * by one on /proc/self/mem at offset 0, whose reads fail with EIO, so the
 * stream's next refill fails inside the C library exactly as a bad sector
 * would: ferror() set, errno EIO. Built in the test tree only. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t delivered;
static int broken;

static int is_target(FILE *f) {
  const char *want = getenv("MERIT_FAULT_FILE");
  char link[64], path[PATH_MAX], real[PATH_MAX];
  ssize_t n;
  if (!want || !realpath(want, real)) return 0;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fileno(f));
  n = readlink(link, path, sizeof path - 1);
  if (n < 0) return 0;
  path[n] = '\0';
  return strcmp(path, real) == 0;
}

size_t fread(void *buf, size_t size, size_t n, FILE *f) {
  static size_t (*real_fread)(void *, size_t, size_t, FILE *);
  const char *after_text = getenv("MERIT_FAULT_AFTER");
  size_t after = after_text ? strtoul(after_text, NULL, 10) : 0, got;
  if (!real_fread) *(void **)&real_fread = dlsym(RTLD_NEXT, "fread");
  if (size != 1 || !is_target(f)) return real_fread(buf, size, n, f);
  if (!broken && delivered + n > after) {
    if (delivered < after) {
      got = real_fread(buf, 1, after - delivered, f);
      delivered += got;
      return got;
    }
    {
      int bad = open("/proc/self/mem", O_RDONLY);
      if (bad >= 0) {
        dup2(bad, fileno(f));
        close(bad);
      }
      broken = 1;
    }
  }
  got = real_fread(buf, 1, n, f);
  delivered += got;
  return got;
}
