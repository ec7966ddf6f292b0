/* Counts the heap allocations of the calling program, libmerit included:
 * the program defines malloc, calloc and realloc, so every call from any
 * library (operator new calls malloc) comes here first, and forwards to
 * glibc's own allocator. glibc only; not for sanitizer builds, which replace
 * malloc themselves. Include it in exactly one file of a program. */
#ifndef MERIT_COUNT_MALLOC_H
#define MERIT_COUNT_MALLOC_H

#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

/* Allocations so far (malloc, calloc, realloc). Read it before and after a
 * call on a thread where nothing else allocates meanwhile. */
static volatile size_t allocations = 0;

void *malloc(size_t size) {
  ++allocations;
  return __libc_malloc(size);
}
void *calloc(size_t n, size_t size) {
  ++allocations;
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t size) {
  ++allocations;
  return __libc_realloc(p, size);
}
void free(void *p) { __libc_free(p); }

#endif
