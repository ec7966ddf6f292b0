/* The per-candidate call of the C ABI (issue 20): merit_scorer_score_json on
 * examples/candidate_C001.json (26 scores) against merit_scorer_score_batch on
 * the same candidate, in microseconds per candidate (median of the rounds)
 * of this thread's CPU time, and heap allocations per call (malloc, calloc and realloc counted by
 * tests/c/count_malloc.h; the file reading of tests/c/capi_check.h).
 * Usage: bench_score_json <merit source dir> [rounds] [calls per round] */
#define _POSIX_C_SOURCE 200809L
#include <merit.h>

#include "capi_check.h"
#include "count_malloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this thread: on a shared machine the wall clock counts the
 * other programs' turns too (the load average is printed beside). */
static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

#define MAX_ROUNDS 64
#define BATCH 1000

int main(int argc, char **argv) {
  char path[4096];
  merit_model *m = NULL;
  merit_scorer *sc = NULL;
  char *doc, *result = NULL;
  double json_us[MAX_ROUNDS], batch_us[MAX_ROUNDS], *rows, *fit, *cov;
  int8_t *st;
  size_t C = 0, c, i, size, json_allocs = 0, batch_allocs = 0;
  int rounds = argc > 2 ? atoi(argv[2]) : 15, calls = argc > 3 ? atoi(argv[3]) : 2000, r, k;
  FILE *load;
  if (argc < 2 || rounds < 1 || rounds > MAX_ROUNDS || calls < 1) {
    fprintf(stderr, "usage: bench_score_json <merit source dir> [rounds <= %d] [calls per round]\n", MAX_ROUNDS);
    return 2;
  }
  snprintf(path, sizeof path, "%s/competency_models/sales_enablement.json", argv[1]);
  if (merit_model_load(path, &m) != 0 || merit_scorer_create(m, "sales_enablement", &sc) != 0) {
    fprintf(stderr, "%s at %s\n", merit_last_error_message(), merit_last_error_location());
    return 1;
  }
  snprintf(path, sizeof path, "%s/examples/candidate_C001.json", argv[1]);
  doc = read_file(path, &size);
  if (!doc) return 1;

  /* The same candidate as a model-order row, BATCH times. */
  merit_model_competency_count(m, &C);
  rows = malloc(BATCH * C * sizeof *rows);
  fit = malloc(BATCH * sizeof *fit);
  cov = malloc(BATCH * sizeof *cov);
  st = malloc(BATCH);
  for (c = 0; c < C; ++c) {
    const char *id, *at;
    char key[256];
    merit_model_competency_id(m, c, &id);
    snprintf(key, sizeof key, "\"%s\":", id);
    at = strstr(doc, key);
    rows[c] = at ? strtod(at + strlen(key), NULL) : NAN;
  }
  for (i = 1; i < BATCH; ++i) memcpy(rows + i * C, rows, C * sizeof *rows);

  if (merit_scorer_score_json(sc, doc, size, &result) != 0) {
    fprintf(stderr, "%s at %s\n", merit_last_error_message(), merit_last_error_location());
    return 1;
  }
  merit_string_free(result); /* the first call grows the thread's buffers */

  for (r = 0; r < rounds; ++r) {
    size_t before = allocations;
    double t0 = now_us();
    for (k = 0; k < calls; ++k) {
      merit_scorer_score_json(sc, doc, size, &result);
      merit_string_free(result);
    }
    json_us[r] = (now_us() - t0) / calls;
    json_allocs = allocations - before;
    before = allocations;
    t0 = now_us();
    for (k = 0; k < calls / 100 + 1; ++k) merit_scorer_score_batch(sc, rows, BATCH, C, fit, cov, st, NULL, NULL);
    batch_us[r] = (now_us() - t0) / ((calls / 100 + 1) * (double)BATCH);
    batch_allocs = allocations - before;
  }
  qsort(json_us, (size_t)rounds, sizeof *json_us, by_value);
  qsort(batch_us, (size_t)rounds, sizeof *batch_us, by_value);

  load = fopen("/proc/loadavg", "r");
  if (load && fgets(path, sizeof path, load)) printf("load: %s", path);
  if (load) fclose(load);
  printf("merit %s; candidate C001, %zu competencies; %d rounds of %d calls, median [min-max]\n", merit_version(), C,
         rounds, calls);
  printf("score_json   %8.3f us/call [%.3f-%.3f]  %.2f allocations/call\n", json_us[rounds / 2], json_us[0],
         json_us[rounds - 1], (double)json_allocs / calls);
  printf("score_batch  %8.3f us/candidate [%.3f-%.3f]  %.2f allocations/call of %d candidates\n",
         batch_us[rounds / 2], batch_us[0], batch_us[rounds - 1],
         (double)batch_allocs / (calls / 100 + 1), BATCH);
  printf("score_json / batch per candidate: %.0f x\n", json_us[rounds / 2] / batch_us[rounds / 2]);
  merit_scorer_destroy(sc);
  merit_model_destroy(m);
  free(rows);
  free(fit);
  free(cov);
  free(st);
  free(doc);
  return 0;
}
