/* The checks shared by the C ABI tests (C99): CHECK, CHECK_FAILS (a call
 * fails with a code, and the thread's last error says so, at a location)
 * and read_file. Include once per program, after merit.h. */
#ifndef MERIT_CAPI_CHECK_H
#define MERIT_CAPI_CHECK_H

#include <merit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define MERIT_TEST_MAYBE_UNUSED __attribute__((unused))
#else
#define MERIT_TEST_MAYBE_UNUSED
#endif

MERIT_TEST_MAYBE_UNUSED static int failures = 0;
MERIT_TEST_MAYBE_UNUSED static int checks = 0;

#define CHECK(cond)                                                     \
  do {                                                                  \
    ++checks;                                                           \
    if (!(cond)) {                                                      \
      ++failures;                                                       \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                   \
  } while (0)

/* A call fails with `code`, and the thread's last error says so, with a
 * message and the expected location (NULL: any). */
#define CHECK_FAILS(call, code, location) check_fails((call), (code), (location), #call, __LINE__)

MERIT_TEST_MAYBE_UNUSED static void check_fails(int rc, int code, const char *location, const char *what, int line) {
  const merit_error *e = merit_last_error();
  ++checks;
  if (rc != code || e->code != code || e->message[0] == '\0' ||
      (location && strcmp(e->location, location) != 0)) {
    ++failures;
    fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d; last error %d '%s' at '%s'%s%s%s\n", __FILE__, line,
            what, rc, merit_error_name(rc), code, e->code, e->message, e->location,
            location ? " (expected location '" : "", location ? location : "", location ? "')" : "");
  }
}

MERIT_TEST_MAYBE_UNUSED static char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) {
    buf[n] = '\0';
    if (size) *size = (size_t)n;
  }
  return buf;
}

#endif
