/* Tests of what an applicant tracking system needs from the C ABI (issue 20,
 * and issue 18's protected keys), compiled as C99: the scorer's model
 * identity, named batch columns, application_id and correlation_id echoed,
 * protected keys refused anywhere in a candidate document, and the plain
 * documents' fast reader giving the same bytes as the full one. */
#define _POSIX_C_SOURCE 200809L
#include <merit.h>

#include "capi_check.h"

#include <math.h>

#ifndef MERIT_SOURCE_DIR
#error "MERIT_SOURCE_DIR must point at the source tree"
#endif
#define MODEL_PATH MERIT_SOURCE_DIR "/competency_models/sales_enablement.json"
#define CANDIDATE_PATH MERIT_SOURCE_DIR "/examples/candidate_C001.json"

static int json_has_prefix(const char *doc, const char *prefix) { return strncmp(doc, prefix, strlen(prefix)) == 0; }

static char *score(const merit_scorer *sc, const char *doc) {
  char *r = NULL;
  int rc = merit_scorer_score_json(sc, doc, strlen(doc), &r);
  if (rc != 0) fprintf(stderr, "score_json: %d %s at '%s' for %s\n", rc, merit_last_error_message(),
                       merit_last_error_location(), doc);
  return r;
}

/* Scoring `doc` fails with `code` at `location` and exactly `message`. */
#define FAILS_WITH(sc, doc, code, location, message) fails_with((sc), (doc), (code), (location), (message), __LINE__)
static void fails_with(const merit_scorer *sc, const char *doc, int code, const char *location, const char *message,
                       int line) {
  char *r = (char *)&r;
  check_fails(merit_scorer_score_json(sc, doc, strlen(doc), &r), code, location, doc, line);
  CHECK(r == NULL);
  if (strcmp(merit_last_error_message(), message) != 0) {
    ++failures;
    fprintf(stderr, "%s:%d: message '%s', expected '%s'\n", __FILE__, line, merit_last_error_message(), message);
  }
}

static void test_identity(const merit_model *m, const merit_scorer *sc) {
  const char *a, *b;
  CHECK(merit_scorer_model_id(sc, &a) == 0 && merit_model_id(m, &b) == 0 && strcmp(a, b) == 0);
  CHECK(strcmp(a, "sales_enablement") == 0);
  CHECK(merit_scorer_model_version(sc, &a) == 0 && merit_model_version(m, &b) == 0 && strcmp(a, b) == 0);
  CHECK(merit_scorer_model_content_hash(sc, &a) == 0 && merit_model_content_hash(m, &b) == 0 && strcmp(a, b) == 0);
  CHECK(strlen(a) == 64);
  a = "x";
  CHECK_FAILS(merit_scorer_model_id(NULL, &a), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(a == NULL);
  CHECK(strcmp(merit_last_error_message(), "scorer must not be NULL") == 0);
  CHECK_FAILS(merit_scorer_model_version(NULL, &a), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_model_content_hash(NULL, &a), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_model_id(sc, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(strcmp(merit_last_error_message(), "out must not be NULL") == 0);
  CHECK_FAILS(merit_scorer_model_version(sc, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_model_content_hash(sc, NULL), MERIT_E_INVALID_ARGUMENT, "");
}

/* The named batch equals the positional one, whatever the caller's column order. */
static void test_batch_named(const merit_model *m, const merit_scorer *sc) {
  enum { ROWS = 3, MAXC = 32 };
  size_t C = 0, i, j;
  const char *ids[MAXC], *rev[MAXC];
  double x[ROWS * MAXC], xr[ROWS * MAXC], fit[ROWS], fr[ROWS], cov[ROWS], cr[ROWS], con[ROWS * MAXC],
      conr[ROWS * MAXC], gap[ROWS * MAXC], gapr[ROWS * MAXC];
  int8_t st[ROWS], sr[ROWS];
  int same = 1;
  CHECK(merit_model_competency_count(m, &C) == 0 && C <= MAXC);
  for (j = 0; j < C; ++j) merit_model_competency_id(m, j, &ids[j]);
  for (j = 0; j < C; ++j) rev[j] = ids[C - 1 - j];
  for (i = 0; i < ROWS; ++i)
    for (j = 0; j < C; ++j) {
      x[i * C + j] = (i == 2 && j % 5 == 0) ? NAN : (double)(1 + (i + j) % 5);
      xr[i * C + (C - 1 - j)] = x[i * C + j];
    }
  CHECK(merit_scorer_score_batch(sc, x, ROWS, C, fit, cov, st, con, gap) == 0);
  CHECK(merit_scorer_score_batch_named(sc, rev, C, xr, ROWS, fr, cr, sr, conr, gapr) == 0);
  for (i = 0; i < ROWS; ++i) {
    same &= (fit[i] == fr[i] || (isnan(fit[i]) && isnan(fr[i]))) && cov[i] == cr[i] && st[i] == sr[i];
    for (j = 0; j < C; ++j) {
      const double a = con[i * C + j], b = conr[i * C + (C - 1 - j)], g = gap[i * C + j], h = gapr[i * C + (C - 1 - j)];
      same &= (a == b || (isnan(a) && isnan(b))) && (g == h || (isnan(g) && isnan(h)));
    }
  }
  CHECK(same);

  /* Refusals: nothing written. */
  fr[0] = -1;
  CHECK_FAILS(merit_scorer_score_batch_named(NULL, rev, C, xr, ROWS, fr, NULL, NULL, NULL, NULL),
              MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_score_batch_named(sc, NULL, C, xr, ROWS, fr, NULL, NULL, NULL, NULL),
              MERIT_E_INVALID_ARGUMENT, "");
  CHECK(strcmp(merit_last_error_message(), "column_ids must not be NULL") == 0);
  {
    const char *bad[MAXC];
    memcpy(bad, rev, C * sizeof *bad);
    bad[2] = "charisma";
    CHECK_FAILS(merit_scorer_score_batch_named(sc, bad, C, xr, ROWS, fr, NULL, NULL, NULL, NULL), MERIT_E_REFERENCE,
                "/columns/2");
    CHECK(strcmp(merit_last_error_message(), "column 'charisma' names no competency of model 'sales_enablement'") == 0);
    bad[2] = "candidate_age";
    CHECK_FAILS(merit_scorer_score_batch_named(sc, bad, C, xr, ROWS, fr, NULL, NULL, NULL, NULL),
                MERIT_E_PROTECTED_ATTRIBUTE, "/columns/2");
    CHECK(strcmp(merit_last_error_message(), "column 'candidate_age' names a protected characteristic ('age'); "
                                             "demographic data never enters a score") == 0);
    bad[2] = rev[0];
    CHECK_FAILS(merit_scorer_score_batch_named(sc, bad, C, xr, ROWS, fr, NULL, NULL, NULL, NULL), MERIT_E_DUPLICATE,
                "/columns/2");
    {
      char want[256];
      snprintf(want, sizeof want, "duplicate column '%s' (first at column 0)", rev[0]);
      CHECK(strcmp(merit_last_error_message(), want) == 0);
    }
    bad[2] = NULL;
    CHECK_FAILS(merit_scorer_score_batch_named(sc, bad, C, xr, ROWS, fr, NULL, NULL, NULL, NULL),
                MERIT_E_INVALID_ARGUMENT, "/columns/2");
    CHECK(strcmp(merit_last_error_message(), "column_ids[2] must not be NULL") == 0);
  }
  /* sales_enablement targets content_clarity (model column 15): leaving it out is refused. */
  {
    const char *fewer[MAXC];
    double y[MAXC];
    size_t k = 0;
    for (j = 0; j < C; ++j)
      if (strcmp(ids[j], "content_clarity") != 0) {
        fewer[k] = ids[j];
        y[k++] = 3;
      }
    CHECK_FAILS(merit_scorer_score_batch_named(sc, fewer, k, y, 1, fr, NULL, NULL, NULL, NULL), MERIT_E_SCHEMA,
                "/columns");
    CHECK(strcmp(merit_last_error_message(),
                 "no column for competency 'content_clarity', which profile 'sales_enablement' targets (pass NaN "
                 "where it was not observed)") == 0);
    y[1] = 6;
    CHECK_FAILS(merit_scorer_score_batch_named(sc, ids, C, y, 1, fr, NULL, NULL, NULL, NULL), MERIT_E_VALUE, "/0/1");
  }
  CHECK(fr[0] == -1);
  /* No rows: nothing to do, even without scores. */
  CHECK(merit_scorer_score_batch_named(sc, ids, C, NULL, 0, NULL, NULL, NULL, NULL, NULL) == 0);
}

/* Scoring `doc` succeeds with a result that starts with `prefix`. */
#define RESULT_STARTS(sc, doc, prefix) result_starts((sc), (doc), (prefix), __LINE__)
static void result_starts(const merit_scorer *sc, const char *doc, const char *prefix, int line) {
  char *r = score(sc, doc);
  ++checks;
  if (!r || !json_has_prefix(r, prefix)) {
    ++failures;
    fprintf(stderr, "%s:%d: result '%.120s' does not start with '%s'\n", __FILE__, line, r ? r : "(none)", prefix);
  }
  merit_string_free(r);
}

/* application_id and correlation_id come back as strings, unchanged. */
static void test_echoed_ids(const merit_scorer *sc) {
  RESULT_STARTS(sc,
                "{\"candidate_id\": 36987001, \"application_id\": 48213004, \"correlation_id\": \"req-7f3a\", "
                "\"scores\": {\"content_clarity\": 4}}",
                "{\"candidate_id\":\"36987001\",\"application_id\":\"48213004\",\"correlation_id\":\"req-7f3a\","
                "\"profile\":\"sales_enablement\",");
  RESULT_STARTS(sc, "{\"candidate_id\": \"C1\", \"application_id\": \"A-1\", \"scores\": {}}",
                "{\"candidate_id\":\"C1\",\"application_id\":\"A-1\",\"profile\":");
  /* Escapes survive: the echo is the same string. */
  RESULT_STARTS(sc, "{\"candidate_id\": \"C1\", \"correlation_id\": \"a\\\"b\\u00e9\\n\", \"scores\": {}}",
                "{\"candidate_id\":\"C1\",\"correlation_id\":\"a\\\"b\xc3\xa9\\n\",\"profile\":");
  /* null is absent. */
  RESULT_STARTS(sc, "{\"candidate_id\": \"C1\", \"application_id\": null, \"correlation_id\": null, \"scores\": {}}",
                "{\"candidate_id\":\"C1\",\"profile\":");
  /* Evidence documents echo them too. */
  RESULT_STARTS(sc, "{\"candidate_id\": \"C1\", \"correlation_id\": \"x\", \"evidence\": []}",
                "{\"candidate_id\":\"C1\",\"correlation_id\":\"x\",\"profile\":");

  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"application_id\": true, \"scores\": {}}", MERIT_E_SCHEMA,
             "/application_id", "application_id must be a string or an integer");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"application_id\": 1.5, \"scores\": {}}", MERIT_E_SCHEMA,
             "/application_id", "application_id must be a string or an integer");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"application_id\": \"\", \"scores\": {}}", MERIT_E_VALUE,
             "/application_id", "empty application_id");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"correlation_id\": 7, \"scores\": {}}", MERIT_E_SCHEMA,
             "/correlation_id", "correlation_id must be a string");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"correlation_id\": {\"a\": 1}, \"evidence\": []}", MERIT_E_SCHEMA,
             "/correlation_id", "correlation_id must be a string");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"application_id\": 1, \"application_id\": 2, \"scores\": {}}",
             MERIT_E_DUPLICATE, "/application_id", "duplicate key 'application_id'");
}

/* Issue 18: a protected characteristic anywhere in a candidate document is refused. */
static void test_protected_keys(const merit_scorer *sc) {
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"gender\": \"f\", \"scores\": {\"content_clarity\": 4}}",
             MERIT_E_PROTECTED_ATTRIBUTE, "/gender",
             "key 'gender' names a protected characteristic ('gender'); demographic data never enters a score");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"scores\": {}, \"applicant\": {\"profile\": [{\"dateOfBirth\": 1}]}}",
             MERIT_E_PROTECTED_ATTRIBUTE, "/applicant/profile/0/dateOfBirth",
             "key 'dateOfBirth' names a protected characteristic ('date_of_birth'); demographic data never enters a "
             "score");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"evidence\": [], \"Age\": 41}", MERIT_E_PROTECTED_ATTRIBUTE, "/Age",
             "key 'Age' names a protected characteristic ('age'); demographic data never enters a score");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"scores\": {}, \"\xe6\x80\xa7\xe5\x88\xab\": \"x\"}",
             MERIT_E_PROTECTED_ATTRIBUTE, "/\xe6\x80\xa7\xe5\x88\xab",
             "key '\xe6\x80\xa7\xe5\x88\xab' names a protected characteristic ('\xe6\x80\xa7\xe5\x88\xab'); "
             "demographic data never enters a score");
  FAILS_WITH(sc, "{\"candidate_id\": \"C1\", \"scores\": {\"gender\": 3}}", MERIT_E_PROTECTED_ATTRIBUTE,
             "/scores/gender",
             "key 'gender' names a protected characteristic ('gender'); demographic data never enters a score");
  /* Keys merit does not read, that name nothing protected, are still ignored. */
  {
    char *r = score(sc, "{\"candidate_id\": \"C1\", \"stage\": \"onsite\", \"page\": 2, \"scores\": {}}");
    CHECK(r != NULL);
    merit_string_free(r);
  }
}

/* The fast reader of plain documents and the full reader give the same bytes:
 * an escaped key (\u005f is '_') or a non-ASCII byte sends a document the full way. */
static void test_fast_and_full_agree(const merit_scorer *sc) {
  size_t n = 0;
  char *doc = read_file(CANDIDATE_PATH, &n);
  char *full = malloc(n + 64), *extra = malloc(n + 256), *a, *b;
  const char *at;
  CHECK(doc && full && extra);
  if (!doc || !full || !extra) return;
  at = strstr(doc, "\"candidate_id\"");
  snprintf(full, n + 64, "%.*s\"candidate\\u005fid\"%s", (int)(at - doc), doc, at + strlen("\"candidate_id\""));
  a = score(sc, doc);
  b = score(sc, full);
  CHECK(a && b && strcmp(a, b) == 0);
  merit_string_free(a);
  merit_string_free(b);

  /* With echoed ids, an unknown scalar key and nulls, both ways. */
  snprintf(extra, n + 256, "{\"source\": \"ats\", \"application_id\": 5, \"correlation_id\": \"r1\",%s", doc + 1);
  a = score(sc, extra);
  snprintf(extra, n + 256, "{\"source\": \"\xc3\xa4ts\", \"application_id\": 5, \"correlation_id\": \"r1\",%s", doc + 1);
  b = score(sc, extra);
  CHECK(a && b && strstr(a, "\"correlation_id\":\"r1\",\"profile\""));
  if (a && b) {
    /* Same bytes: the unknown key's value is not echoed. */
    CHECK(strcmp(a, b) == 0);
  }
  merit_string_free(a);
  merit_string_free(b);
  free(doc);
  free(full);
  free(extra);
}

int main(void) {
  merit_model *m = NULL;
  merit_scorer *sc = NULL;
  CHECK(merit_model_load(MODEL_PATH, &m) == 0);
  CHECK(merit_scorer_create(m, "sales_enablement", &sc) == 0);
  if (!m || !sc) return 1;
  test_identity(m, sc);
  test_batch_named(m, sc);
  test_echoed_ids(sc);
  test_protected_keys(sc);
  test_fast_and_full_agree(sc);
  merit_scorer_destroy(sc);
  merit_model_destroy(m);
  printf("%d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
