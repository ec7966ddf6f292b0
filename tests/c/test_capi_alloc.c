/* The deterministic guard of the per-candidate call's speed (issue 20): once
 * the calling thread's buffers have grown, merit_scorer_score_json on a plain
 * "scores" document allocates only the result string it returns. Timings
 * live in bench/bench_score_json.c; this counts allocations, which do not
 * depend on the machine's load. Not built for sanitizer builds (they replace
 * malloc themselves). */
#define _POSIX_C_SOURCE 200809L
#include <merit.h>

#include "capi_check.h"
#include "count_malloc.h"

#ifndef MERIT_SOURCE_DIR
#error "MERIT_SOURCE_DIR must point at the source tree"
#endif

/* The result string is the one allocation a call may make. */
#define MAX_ALLOCATIONS_PER_CALL 1

static size_t allocations_of_call(const merit_scorer *sc, const char *doc) {
  char *r = NULL;
  size_t before = allocations, used;
  CHECK(merit_scorer_score_json(sc, doc, strlen(doc), &r) == 0);
  used = allocations - before;
  CHECK(r != NULL);
  merit_string_free(r);
  return used;
}

int main(void) {
  merit_model *m = NULL;
  merit_scorer *sc = NULL;
  size_t n = 0, used;
  char *doc = read_file(MERIT_SOURCE_DIR "/examples/candidate_C001.json", &n);
  const char *echo = "{\"candidate_id\": 36987001, \"application_id\": 48213004, \"correlation_id\": \"req-7f3a\", "
                     "\"source\": \"ats\", \"scores\": {\"content_clarity\": 4, \"sales_training\": null}}";
  CHECK(doc != NULL);
  CHECK(merit_model_load(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json", &m) == 0);
  CHECK(merit_scorer_create(m, "sales_enablement", &sc) == 0);
  if (!doc || !sc) return 1;

  /* The hooks see the library's allocations: a first call grows the buffers. */
  CHECK(allocations_of_call(sc, doc) > MAX_ALLOCATIONS_PER_CALL);
  allocations_of_call(sc, echo);
  used = allocations_of_call(sc, doc);
  printf("candidate_C001.json (26 scores): %zu allocations per call (at most %d)\n", used, MAX_ALLOCATIONS_PER_CALL);
  CHECK(used >= 1 && used <= MAX_ALLOCATIONS_PER_CALL);
  used = allocations_of_call(sc, echo);
  printf("with application_id and correlation_id: %zu allocations per call\n", used);
  CHECK(used >= 1 && used <= MAX_ALLOCATIONS_PER_CALL);
  CHECK(allocations_of_call(sc, doc) <= MAX_ALLOCATIONS_PER_CALL);

  merit_scorer_destroy(sc);
  merit_model_destroy(m);
  free(doc);
  printf("%d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
