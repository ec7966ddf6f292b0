/* Tests of the C ABI (include/merit.h), compiled as C99: every entry point,
 * every error path, the thread-local last error, and 8 threads scoring on one
 * shared scorer with identical results. */
#define _POSIX_C_SOURCE 200809L
#include <merit.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MERIT_SOURCE_DIR
#error "MERIT_SOURCE_DIR must point at the source tree"
#endif
#define MODEL_PATH MERIT_SOURCE_DIR "/competency_models/sales_enablement.json"
#define MINI_PATH MERIT_SOURCE_DIR "/tests/data/models/mini.json"
#define POOL_PATH MERIT_SOURCE_DIR "/examples/pool.csv"

#include "capi_check.h"

static int write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  fputs(text, f);
  return fclose(f);
}

/* ---- the example pool, in the model's column order -------------------------- */

#define MAX_POOL 64
#define MAX_COLS 32

typedef struct pool {
  size_t n, cols;
  char ids[MAX_POOL][16];
  double scores[MAX_POOL * MAX_COLS]; /* n x cols, row-major, NaN = missing */
  char json[MAX_POOL][2048];          /* each candidate as a score_json document */
} pool;

static pool the_pool;

/* The next comma-separated field of *s (which advances), or NULL at the end. */
static char *next_field(char **s) {
  char *f = *s, *comma;
  if (!f) return NULL;
  comma = strchr(f, ',');
  if (comma) {
    *comma = '\0';
    *s = comma + 1;
  } else {
    *s = NULL;
  }
  return f;
}

/* Reads examples/pool.csv (no quoting in it) into model order. */
static int read_pool(const merit_model *model, pool *p) {
  char *text = read_file(POOL_PATH, NULL);
  char *line, *save = NULL;
  int column_of[MAX_COLS + 1];
  char *names[MAX_COLS + 1];
  size_t n_fields = 0, j, c;
  if (!text) return -1;
  CHECK(merit_model_competency_count(model, &p->cols) == 0);
  line = strtok_r(text, "\r\n", &save);
  {
    char *s = line, *f;
    while ((f = next_field(&s)) != NULL && n_fields <= MAX_COLS) names[n_fields++] = f;
  }
  for (j = 1; j < n_fields; ++j) {
    column_of[j] = -1;
    for (c = 0; c < p->cols; ++c) {
      const char *id;
      merit_model_competency_id(model, c, &id);
      if (strcmp(id, names[j]) == 0) column_of[j] = (int)c;
    }
    CHECK(column_of[j] >= 0);
  }
  p->n = 0;
  while ((line = strtok_r(NULL, "\r\n", &save)) != NULL && p->n < MAX_POOL) {
    char *s = line, *f;
    double *row = p->scores + p->n * p->cols;
    char *out = p->json[p->n];
    size_t used;
    for (c = 0; c < p->cols; ++c) row[c] = NAN;
    j = 0;
    while ((f = next_field(&s)) != NULL) {
      if (j == 0) {
        snprintf(p->ids[p->n], sizeof p->ids[p->n], "%s", f);
        used = (size_t)snprintf(out, 2048, "{\"candidate_id\": \"%s\", \"scores\": {", f);
      } else {
        const char *id;
        merit_model_competency_id(model, (size_t)column_of[j], &id);
        if (*f) row[column_of[j]] = strtod(f, NULL);
        used += (size_t)snprintf(out + used, 2048 - used, "%s\"%s\": %s", j > 1 ? ", " : "", id, *f ? f : "null");
      }
      ++j;
    }
    snprintf(out + used, 2048 - used, "}}");
    CHECK(j == n_fields);
    ++p->n;
  }
  free(text);
  return p->n > 0 ? 0 : -1;
}

/* The number after "key": in a result document (NaN for null or absent). */
static double json_number(const char *doc, const char *key) {
  char pattern[128];
  const char *at;
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  at = strstr(doc, pattern);
  if (!at) return NAN;
  at += strlen(pattern);
  if (strncmp(at, "null", 4) == 0) return NAN;
  return strtod(at, NULL);
}

static int json_has(const char *doc, const char *fragment) { return strstr(doc, fragment) != NULL; }

/* ---- versions and errors ------------------------------------------------------ */

static void test_versions(void) {
  CHECK(strcmp(merit_version(), MERIT_EXPECTED_VERSION) == 0);
  CHECK(merit_abi_version() == MERIT_ABI_VERSION);
  CHECK(merit_abi_version() == 1);
}

static void test_error_names(void) {
  CHECK(strcmp(merit_error_name(MERIT_OK), "ok") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_INVALID_ARGUMENT), "invalid_argument") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_IO), "io") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_PARSE), "parse") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_SCHEMA), "schema") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_REFERENCE), "reference") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_DUPLICATE), "duplicate") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_VALUE), "value") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_PROTECTED_ATTRIBUTE), "protected_attribute") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_INCONSISTENT), "inconsistent") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_NOT_FOUND), "not_found") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_INTERRUPTED), "interrupted") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_UNSUPPORTED), "unsupported") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_NOMEM), "nomem") == 0);
  CHECK(strcmp(merit_error_name(MERIT_E_INTERNAL), "internal") == 0);
  CHECK(strcmp(merit_error_name(-40), "unknown") == 0);
  CHECK(strcmp(merit_error_name(7), "unknown") == 0);
  CHECK(strcmp(merit_error_name(-1000), "unknown") == 0);
  merit_string_free(NULL);
  merit_model_destroy(NULL);
  merit_scorer_destroy(NULL);
}

/* ---- models ---------------------------------------------------------------------- */

static void test_model_load_errors(void) {
  merit_model *m = (merit_model *)&m; /* must be reset to NULL on failure */
  const char *bad_json = "/tmp/merit_capi_bad.json";
  const char *bad_model = "/tmp/merit_capi_bad_model.json";

  CHECK_FAILS(merit_model_load(NULL, &m), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(m == NULL);
  CHECK(strstr(merit_last_error_message(), "path") != NULL);
  CHECK_FAILS(merit_model_load(MODEL_PATH, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_load("/nonexistent/model.json", &m), MERIT_E_IO, "/nonexistent/model.json");
  CHECK(m == NULL);
  CHECK(strcmp(merit_last_error_message(), "cannot open file: No such file or directory") == 0);
  /* A directory is a file error at its path, not an internal error. */
  CHECK_FAILS(merit_model_load("/tmp", &m), MERIT_E_IO, "/tmp");
  CHECK(m == NULL);
  CHECK(strcmp(merit_last_error_message(), "is a directory; give the path of a file") == 0);

  CHECK(write_file(bad_json, "{\n  \"id\": }\n") == 0);
  CHECK_FAILS(merit_model_load(bad_json, &m), MERIT_E_PARSE, "/tmp/merit_capi_bad.json:2:9");
  CHECK(strncmp(merit_last_error_message(), "invalid JSON: ", 14) == 0);
  CHECK(write_file(bad_model, "{\"format\": \"merit.competency-model/2\"}") == 0);
  CHECK_FAILS(merit_model_load(bad_model, &m), MERIT_E_SCHEMA, "/tmp/merit_capi_bad_model.json#/format");
  remove(bad_json);
  remove(bad_model);

  /* The buffer form: locations are bare pointers / line:column without a source. */
  CHECK_FAILS(merit_model_load_buffer(NULL, 3, NULL, &m), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_load_buffer("{}", 2, NULL, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_load_buffer(NULL, 0, NULL, &m), MERIT_E_PARSE, "1:1");
  CHECK_FAILS(merit_model_load_buffer("", 0, NULL, &m), MERIT_E_PARSE, "1:1");
  CHECK_FAILS(merit_model_load_buffer("{\"a\": 1,", 8, NULL, &m), MERIT_E_PARSE, "1:9");
  CHECK_FAILS(merit_model_load_buffer("[1, 2]", 6, NULL, &m), MERIT_E_SCHEMA, "/");
  CHECK_FAILS(merit_model_load_buffer("{\"a\": 1, \"a\": 2}", 16, NULL, &m), MERIT_E_DUPLICATE, "/a");
  CHECK_FAILS(merit_model_load_buffer("{\"format\": 5}", 13, "mem", &m), MERIT_E_SCHEMA, "mem#/format");
  CHECK(strcmp(merit_last_error_message(), "must be a string, got a number") == 0);
  /* The size is honoured: the text need not be NUL-terminated. */
  CHECK_FAILS(merit_model_load_buffer("{}garbage", 2, NULL, &m), MERIT_E_SCHEMA, "/");
  {
    char deep[600];
    memset(deep, '[', sizeof deep);
    CHECK_FAILS(merit_model_load_buffer(deep, sizeof deep, NULL, &m), MERIT_E_PARSE, NULL);
    CHECK(strstr(merit_last_error_message(), "nesting deeper than") != NULL);
  }
  CHECK(m == NULL);
}

static void test_model_accessors(void) {
  merit_model *m = NULL, *m2 = NULL;
  const char *s = (const char *)&s;
  size_t n = 99, i;
  char *text;
  size_t size = 0;

  CHECK(merit_model_load(MODEL_PATH, &m) == MERIT_OK);
  CHECK(m != NULL);
  CHECK(merit_last_error_code() == 0);

  CHECK(merit_model_id(m, &s) == 0 && strcmp(s, "sales_enablement") == 0);
  CHECK(merit_model_version(m, &s) == 0 && strcmp(s, "2.1.0") == 0);
  CHECK(merit_model_content_hash(m, &s) == 0 && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64);
  CHECK(merit_model_competency_count(m, &n) == 0 && n == 26);
  CHECK(merit_model_competency_id(m, 0, &s) == 0 && strcmp(s, "sales_content_management") == 0);
  CHECK(merit_model_competency_id(m, 25, &s) == 0 && strcmp(s, "sales_performance_participation") == 0);
  CHECK(merit_model_profile_count(m, &n) == 0 && n == 4);
  CHECK(merit_model_profile_id(m, 0, &s) == 0 && strcmp(s, "sales_enablement") == 0);
  CHECK(merit_model_profile_id(m, 2, &s) == 0 && strcmp(s, "head_of_sales_enablement") == 0);
  CHECK(merit_model_profile_id(m, 3, &s) == 0 && strcmp(s, "vp_sales_enablement_and_operations") == 0);

  /* The same model from memory has the same content hash. */
  text = read_file(MODEL_PATH, &size);
  CHECK(text != NULL);
  CHECK(merit_model_load_buffer(text, size, "sales_enablement.json", &m2) == 0);
  {
    const char *h1, *h2;
    merit_model_content_hash(m, &h1);
    merit_model_content_hash(m2, &h2);
    CHECK(strcmp(h1, h2) == 0);
  }
  free(text);
  merit_model_destroy(m2);

  /* Error paths of every accessor. */
  CHECK_FAILS(merit_model_id(NULL, &s), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(s == NULL);
  CHECK_FAILS(merit_model_id(m, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_version(NULL, &s), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_version(m, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_content_hash(NULL, &s), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_content_hash(m, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_competency_count(NULL, &n), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(n == 0);
  CHECK_FAILS(merit_model_competency_count(m, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_competency_id(NULL, 0, &s), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_competency_id(m, 0, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_competency_id(m, 26, &s), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(strcmp(merit_last_error_message(), "competency index 26 is out of range (the model has 26)") == 0);
  CHECK(s == NULL);
  CHECK_FAILS(merit_model_competency_id(m, (size_t)-1, &s), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_profile_count(NULL, &n), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_profile_count(m, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_profile_id(NULL, 0, &s), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_profile_id(m, 0, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_model_profile_id(m, 4, &s), MERIT_E_INVALID_ARGUMENT, "");

  /* A success clears the thread's last error. */
  CHECK(merit_model_profile_count(m, &n) == 0);
  CHECK(merit_last_error()->code == 0 && merit_last_error()->message[0] == '\0' &&
        merit_last_error()->location[0] == '\0');
  for (i = 0; i < 3; ++i) CHECK(merit_model_profile_id(m, i, &s) == 0);
  merit_model_destroy(m);
}

/* ---- scorers ----------------------------------------------------------------------- */

static void test_scorer_create(const merit_model *m) {
  merit_scorer *sc = (merit_scorer *)&sc;
  const char *s;
  CHECK_FAILS(merit_scorer_create(NULL, "sales_enablement", &sc), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(sc == NULL);
  CHECK_FAILS(merit_scorer_create(m, "sales_enablement", NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_create(m, "sales", &sc), MERIT_E_NOT_FOUND, "");
  CHECK(strcmp(merit_last_error_message(),
               "unknown profile 'sales' (the model has: sales_enablement, sales_operations, head_of_sales_enablement, "
               "vp_sales_enablement_and_operations)") == 0);
  CHECK(merit_scorer_create(m, NULL, &sc) == 0);
  CHECK(merit_scorer_profile_id(sc, &s) == 0 && strcmp(s, "sales_enablement") == 0);
  CHECK_FAILS(merit_scorer_profile_id(NULL, &s), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(s == NULL);
  CHECK_FAILS(merit_scorer_profile_id(sc, NULL), MERIT_E_INVALID_ARGUMENT, "");
  merit_scorer_destroy(sc);
  CHECK(merit_scorer_create(m, "head_of_sales_enablement", &sc) == 0);
  CHECK(merit_scorer_profile_id(sc, &s) == 0 && strcmp(s, "head_of_sales_enablement") == 0);
  merit_scorer_destroy(sc);
}

static void test_scorer_outlives_model(void) {
  merit_model *m = NULL;
  merit_scorer *sc = NULL;
  char *r = NULL;
  const char *doc = "{\"candidate_id\": 7, \"scores\": {\"content_clarity\": 5}}";
  CHECK(merit_model_load(MODEL_PATH, &m) == 0);
  CHECK(merit_scorer_create(m, "sales_enablement", &sc) == 0);
  merit_model_destroy(m);
  CHECK(merit_scorer_score_json(sc, doc, strlen(doc), &r) == 0);
  CHECK(r && json_has(r, "\"candidate_id\":\"7\""));
  CHECK(r && json_has(r, "\"status\":\"incomplete\""));
  merit_string_free(r);
  merit_scorer_destroy(sc);
}

static void score_json_fails(const merit_scorer *sc, const char *doc, int code, const char *location, int line) {
  char *r = (char *)&r;
  int rc = merit_scorer_score_json(sc, doc, strlen(doc), &r);
  check_fails(rc, code, location, doc, line);
  CHECK(r == NULL);
}
#define SCORE_JSON_FAILS(sc, doc, code, location) score_json_fails((sc), (doc), (code), (location), __LINE__)

/* A Greenhouse attribute whose interview's method does not measure its
 * competency: refused by merit::aggregate, placed under /greenhouse_scorecards
 * like the reader's own errors. The shipped model with every unnamed
 * interview mapped to knowledge_test, which does not measure content_clarity. */
static void test_greenhouse_not_measured(void) {
  size_t n = 0;
  char *text = read_file(MODEL_PATH, &n);
  const char *from = "\"default_method\": \"structured_interview\"";
  const char *to = "\"default_method\": \"knowledge_test\"      ";
  char *at = text ? strstr(text, from) : NULL;
  merit_model *m = NULL;
  merit_scorer *sc = NULL;
  CHECK(at != NULL && strlen(from) == strlen(to));
  if (!at) {
    free(text);
    return;
  }
  memcpy(at, to, strlen(to));
  CHECK(merit_model_load_buffer(text, n, NULL, &m) == 0);
  CHECK(merit_scorer_create(m, "sales_enablement", &sc) == 0);
  SCORE_JSON_FAILS(sc,
                   "{\"candidate_id\": 1, \"greenhouse_scorecards\": [{\"candidate_id\": 1, \"interviewer\": {\"id\": 9, "
                   "\"employee_id\": \"E9\"}, \"interview\": \"Phone Screen\", \"attributes\": [{\"name\": "
                   "\"crm_systems_and_data\", \"rating\": \"yes\"}, {\"name\": \"Content Clarity\", \"rating\": \"yes\"}]}]}",
                   MERIT_E_REFERENCE, "/greenhouse_scorecards/0/attributes/1");
  CHECK(strcmp(merit_last_error_message(), "method 'knowledge_test' does not measure competency 'content_clarity' in "
                                           "the model's evidence matrix") == 0);
  merit_scorer_destroy(sc);
  merit_model_destroy(m);
  free(text);
}

static void test_score_json_errors(const merit_scorer *sc) {
  char *r = (char *)&r;
  CHECK_FAILS(merit_scorer_score_json(NULL, "{}", 2, &r), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(r == NULL);
  CHECK_FAILS(merit_scorer_score_json(sc, NULL, 2, &r), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_score_json(sc, "{}", 2, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_score_json(sc, NULL, 0, &r), MERIT_E_PARSE, "1:1");

  SCORE_JSON_FAILS(sc, "", MERIT_E_PARSE, "1:1");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\",\n \"scores\": {\"content_clarity\": 4,}}", MERIT_E_PARSE, "2:34");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {}} {}", MERIT_E_PARSE, NULL);
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"\xff\", \"scores\": {}}", MERIT_E_PARSE, NULL);
  SCORE_JSON_FAILS(sc, "[{\"candidate_id\": \"C1\", \"scores\": {}}]", MERIT_E_SCHEMA, "");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\"}", MERIT_E_SCHEMA, "");
  CHECK(strstr(merit_last_error_message(), "missing required key 'scores'") != NULL);
  SCORE_JSON_FAILS(sc, "{\"scores\": {}}", MERIT_E_SCHEMA, "");
  CHECK(strcmp(merit_last_error_message(), "missing required key 'candidate_id'") == 0);
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": true, \"scores\": {}}", MERIT_E_SCHEMA, "/candidate_id");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"\", \"scores\": {}}", MERIT_E_VALUE, "/candidate_id");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": [4]}", MERIT_E_SCHEMA, "/scores");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {\"charisma\": 4}}", MERIT_E_REFERENCE,
                   "/scores/charisma");
  CHECK(strcmp(merit_last_error_message(), "'charisma' names no competency of model 'sales_enablement'") == 0);
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {\"a/b~c\": 4}}", MERIT_E_REFERENCE, "/scores/a~1b~0c");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {\"content_clarity\": 6}}", MERIT_E_VALUE,
                   "/scores/content_clarity");
  CHECK(strcmp(merit_last_error_message(), "value 6 for competency 'content_clarity' is outside the scale 1..5") == 0);
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {\"content_clarity\": 0.5}}", MERIT_E_VALUE,
                   "/scores/content_clarity");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {\"content_clarity\": 1e999}}", MERIT_E_PARSE, NULL);
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {\"content_clarity\": \"4\"}}", MERIT_E_VALUE,
                   "/scores/content_clarity");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {\"content_clarity\": 4, \"content_clarity\": 5}}",
                   MERIT_E_DUPLICATE, "/scores/content_clarity");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {}, \"evidence\": []}", MERIT_E_SCHEMA, "/evidence");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"scores\": {}, \"calibration\": \"leniency\"}", MERIT_E_VALUE,
                   "/calibration");
}

/* The evidence forms: errors placed as JSON pointers into the document. */
#define EV(items) "{\"candidate_id\": \"C1\", \"evidence\": [" items "]}"
static void test_evidence_errors(const merit_scorer *sc) {
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"evidence\": {}}", MERIT_E_SCHEMA, "/evidence");
  SCORE_JSON_FAILS(sc, "{\"evidence\": []}", MERIT_E_SCHEMA, "");
  CHECK(strcmp(merit_last_error_message(), "missing required key 'candidate_id'") == 0);
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": [], \"evidence\": []}", MERIT_E_SCHEMA, "/candidate_id");
  SCORE_JSON_FAILS(sc, EV("4"), MERIT_E_SCHEMA, "/evidence/0");
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"content_clarity\", \"method\": \"astrology\", \"rater\": \"r1\", \"value\": 4}"),
                   MERIT_E_REFERENCE, "/evidence/0/method");
  CHECK(strcmp(merit_last_error_message(),
               "unknown method 'astrology' (the model has: structured_interview, work_sample, knowledge_test, "
               "reference_check)") == 0);
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"charisma\", \"method\": \"work_sample\", \"rater\": \"r1\", \"value\": 4}"),
                   MERIT_E_REFERENCE, "/evidence/0/competency_id");
  SCORE_JSON_FAILS(sc,
                   EV("{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": \"r1\", \"value\": 50},"
                      "{\"competency_id\": \"mechanism_building\", \"method\": \"reference_check\", \"rater\": \"r1\", \"value\": \"maybe\"}"),
                   MERIT_E_VALUE, "/evidence/1/value");
  CHECK(strcmp(merit_last_error_message(),
               "unknown level 'maybe' for method 'reference_check' (expected one of: strong_no, no, yes, strong_yes)") == 0);
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": \"r1\", \"value\": 101}"),
                   MERIT_E_VALUE, "/evidence/0/value");
  CHECK(strcmp(merit_last_error_message(), "value 101 is outside the scale of method 'work_sample' (0..100)") == 0);
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": \"r1\", \"value\": true}"),
                   MERIT_E_SCHEMA, "/evidence/0/value");
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"value\": 4}"),
                   MERIT_E_SCHEMA, "/evidence/0");
  CHECK(strcmp(merit_last_error_message(), "missing required key 'rater'") == 0);
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": \"\", \"value\": 4}"),
                   MERIT_E_VALUE, "/evidence/0/rater");
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": 3.5, \"value\": 4}"),
                   MERIT_E_SCHEMA, "/evidence/0/rater");
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"content_clarity\", \"method\": \"knowledge_test\", \"rater\": \"r1\", \"value\": 40}"),
                   MERIT_E_REFERENCE, "/evidence/0");
  CHECK(strcmp(merit_last_error_message(), "method 'knowledge_test' does not measure competency 'content_clarity' in "
                                           "the model's evidence matrix") == 0);
  SCORE_JSON_FAILS(sc, EV("{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": \"r1\", \"value\": 4, \"gender\": \"f\"}"),
                   MERIT_E_PROTECTED_ATTRIBUTE, "/evidence/0/gender");
  SCORE_JSON_FAILS(sc, EV("{\"candidate_id\": \"C2\", \"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": \"r1\", \"value\": 4}"),
                   MERIT_E_REFERENCE, "/evidence/0/candidate_id");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"evidence\": [], \"calibration\": \"leniency\"}", MERIT_E_VALUE,
                   "/calibration");
  CHECK(strstr(merit_last_error_message(), "calibration 'leniency' needs the ratings of many candidates") != NULL);
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"evidence\": [], \"calibration\": \"median\"}", MERIT_E_VALUE,
                   "/calibration");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": \"C1\", \"evidence\": [], \"calibration\": null}", MERIT_E_SCHEMA,
                   "/calibration");

  SCORE_JSON_FAILS(sc, "{\"candidate_id\": 1, \"greenhouse_scorecards\": {}}", MERIT_E_SCHEMA, "/greenhouse_scorecards");
  SCORE_JSON_FAILS(sc, "{\"candidate_id\": 1, \"greenhouse_scorecards\": [{}]}", MERIT_E_REFERENCE,
                   "/greenhouse_scorecards/0");
  CHECK(strcmp(merit_last_error_message(), "scorecard names no candidate (candidate_id is missing or null)") == 0);
  SCORE_JSON_FAILS(sc,
                   "{\"candidate_id\": 1, \"greenhouse_scorecards\": [{\"candidate_id\": 1, \"interviewer\": {\"id\": 9, "
                   "\"employee_id\": \"E9\"}, \"attributes\": [{\"name\": \"Content Clarity\", \"rating\": \"maybe\"}]}]}",
                   MERIT_E_VALUE, "/greenhouse_scorecards/0/attributes/0/rating");
  CHECK(strcmp(merit_last_error_message(), "unknown level 'maybe' for source 'greenhouse' (expected one of: "
                                           "definitely_not, no, mixed, yes, strong_yes, no_decision)") == 0);
  /* The shipped model's sources.greenhouse names raters by employee id. */
  SCORE_JSON_FAILS(sc,
                   "{\"candidate_id\": 1, \"greenhouse_scorecards\": [{\"candidate_id\": 1, \"interviewer\": {\"id\": 9}, "
                   "\"attributes\": [{\"name\": \"Content Clarity\", \"rating\": \"yes\"}]}]}",
                   MERIT_E_VALUE, "/greenhouse_scorecards/0");
  CHECK(strcmp(merit_last_error_message(), "scorecard names no interviewer (interviewer.employee_id and "
                                           "submitted_by.employee_id are missing)") == 0);
  SCORE_JSON_FAILS(sc,
                   "{\"candidate_id\": 1, \"greenhouse_scorecards\": [{\"candidate_id\": 1, \"interviewer\": {\"id\": 9, "
                   "\"employee_id\": \"E9\"}, \"attributes\": [{\"name\": \"Content Clarity\", \"rating\": \"yes\"}]}, "
                   "{\"candidate_id\": \"2\", \"interviewer\": {\"id\": 9, \"employee_id\": \"E9\"}, \"attributes\": "
                   "[{\"name\": \"Culture Add\", \"rating\": \"yes\"}]}]}",
                   MERIT_E_REFERENCE, "/greenhouse_scorecards/1/candidate_id");
  CHECK(strcmp(merit_last_error_message(),
               "scorecard is for candidate '2', but the document is for candidate '1'") == 0);
}

/* The scores of a result's "evidence" member as a "scores" document for the same candidate. */
static char *scores_document_of(const char *result, const merit_model *m) {
  const char *ev = strstr(result, "\"evidence\":{\"competencies\":{");
  size_t n = 0, c, used;
  char *doc = malloc(8192);
  if (!ev || !doc) {
    free(doc);
    return NULL;
  }
  merit_model_competency_count(m, &n);
  used = (size_t)snprintf(doc, 8192, "{\"candidate_id\": \"same\", \"scores\": {");
  for (c = 0; c < n; ++c) {
    const char *id = NULL;
    char pattern[128];
    const char *at;
    merit_model_competency_id(m, c, &id);
    snprintf(pattern, sizeof pattern, "\"%s\":{\"score\":", id);
    at = strstr(ev, pattern);
    CHECK(at != NULL);
    if (!at) continue;
    at += strlen(pattern);
    /* The number's JSON text as written by the library: the same double. */
    used += (size_t)snprintf(doc + used, 8192 - used, "%s\"%s\": %.*s", c ? ", " : "", id, (int)strcspn(at, ","), at);
  }
  snprintf(doc + used, 8192 - used, "}}");
  return doc;
}

/* The top-level objects of a JSON array text whose text contains `needle`,
 * as a new array text (a scanner that knows strings and nesting: enough for
 * the fixture, not a JSON parser). */
static char *array_items_with(const char *array, const char *needle) {
  size_t len = strlen(array), used = 0, i, start = 0;
  char *out = malloc(len + 3);
  int depth = 0, in_string = 0, first = 1;
  if (!out) return NULL;
  out[used++] = '[';
  for (i = 0; i < len; ++i) {
    char ch = array[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = 0;
      continue;
    }
    if (ch == '"') in_string = 1;
    else if (ch == '{' || ch == '[') {
      if (++depth == 2) start = i;
    } else if (ch == '}' || ch == ']') {
      if (depth-- == 2) {
        size_t n = i + 1 - start;
        char *item = malloc(n + 1);
        memcpy(item, array + start, n);
        item[n] = '\0';
        if (strstr(item, needle)) {
          if (!first) out[used++] = ',';
          memcpy(out + used, item, n);
          used += n;
          first = 0;
        }
        free(item);
      }
    }
  }
  out[used++] = ']';
  out[used] = '\0';
  return out;
}

static void test_evidence(const merit_scorer *sc, const merit_model *m) {
  char *r = NULL, *r2 = NULL, *same;
  /* Two raters on one method, one on another: rater means per method, then
   * the methods averaged with the evidence weights (structured_interview .42,
   * work_sample .33 for content_clarity: their validities); work sample 75 of
   * 0..100 is level 4 (cut points 20, 40, 60, 80). */
  const char *doc = EV("{\"competency_id\": \"content_clarity\", \"method\": \"structured_interview\", \"rater\": \"r1\", \"value\": 4},"
                       "{\"competency_id\": \"content_clarity\", \"method\": \"structured_interview\", \"rater\": \"r2\", \"value\": \"5\"},"
                       "{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": 17, \"value\": 75},"
                       "{\"competency_id\": \"sales_training\", \"method\": \"structured_interview\", \"rater\": \"r1\", \"value\": \"NA\"},"
                       "{\"competency_id\": \"sales_training\", \"method\": \"work_sample\", \"rater\": \"r1\", \"value\": null},"
                       "{\"competency_id\": \"sales_coaching\", \"method\": \"structured_interview\", \"rater\": \"r1\", \"value\": 4}");
  CHECK(merit_scorer_score_json(sc, doc, strlen(doc), &r) == 0);
  CHECK(r != NULL);
  if (!r) return;
  CHECK(merit_last_error_code() == 0);
  CHECK(json_has(r, "{\"candidate_id\":\"C1\",\"profile\":\"sales_enablement\""));
  CHECK(fabs(json_number(r, "content_clarity\":{\"score") - (0.42 * 4.5 + 0.33 * 4.0) / (0.42 + 0.33)) < 1e-12);
  CHECK(fabs(json_number(r, "content_clarity\":{\"score\":4.28,\"ratings\":3,\"rater_sd") - sqrt(1.0 / 3)) < 1e-12);
  CHECK(fabs(json_number(strstr(r, "\"content_clarity\":{\"score\""), "se") - sqrt(1.0 / 3) / sqrt(3.0)) < 1e-12);
  CHECK(json_has(r, "\"methods\":[\"structured_interview\",\"work_sample\"]"));
  CHECK(json_has(r, "\"sales_training\":{\"score\":null,\"ratings\":0,\"rater_sd\":null,\"se\":null,\"methods\":[]}"));
  CHECK(json_has(r, "\"sales_coaching\":{\"score\":4.0,\"ratings\":1,\"rater_sd\":null,\"se\":null"));
  CHECK(json_has(r, "\"unmapped_attributes\":{},\"observations\":4,\"missing\":2,\"duplicates\":0,\"calibration\":\"none\"}"));
  same = scores_document_of(r, m);
  CHECK(same != NULL);
  if (same) {
    CHECK(merit_scorer_score_json(sc, same, strlen(same), &r2) == 0);
    CHECK(r2 && json_number(r2, "fit") == json_number(r, "fit") && json_number(r2, "coverage") == json_number(r, "coverage"));
    CHECK(r2 && !json_has(r2, "\"evidence\""));
    merit_string_free(r2);
    free(same);
  }
  merit_string_free(r);

  /* No observation at all (empty, or every value missing): nothing observed, no fit. */
  doc = "{\"candidate_id\": \"E\", \"evidence\": [], \"calibration\": \"none\"}";
  CHECK(merit_scorer_score_json(sc, doc, strlen(doc), &r) == 0);
  CHECK(r && json_has(r, "\"fit\":null,\"status\":\"incomplete\""));
  CHECK(r && json_has(r, "\"content_clarity\":{\"score\":null,\"ratings\":0"));
  merit_string_free(r);

  /* Greenhouse: candidate 36987001's three scorecards of the test fixture. */
  {
    char *text = read_file(MERIT_SOURCE_DIR "/tests/data/evidence/greenhouse_scorecards.json", NULL);
    char *mine = text ? array_items_with(text, "\"candidate_id\": 36987001") : NULL;
    char *gh;
    size_t n;
    CHECK(mine != NULL);
    if (!mine) {
      free(text);
      return;
    }
    n = strlen(mine) + 128;
    gh = malloc(n);
    snprintf(gh, n, "{\"candidate_id\": 36987001, \"greenhouse_scorecards\": %s}", mine);
    CHECK(merit_scorer_score_json(sc, gh, strlen(gh), &r) == 0);
    CHECK(r != NULL);
    if (r) {
      CHECK(json_has(r, "{\"candidate_id\":\"36987001\""));
      /* strong_yes, yes, and "content clarity" yes (test_evidence.cpp). */
      CHECK(fabs(json_number(r, "content_clarity\":{\"score") - 13.0 / 3) < 1e-12);
      CHECK(json_has(r, "\"content_clarity\":{\"score\":4.333333333333333,\"ratings\":3,"));
      CHECK(fabs(json_number(r, "sales_training\":{\"score") - 13.0 / 3) < 1e-12); /* incl. the alias 销售培训 */
      CHECK(json_has(r, "\"unmapped_attributes\":{\"Culture Add\":1}"));
      CHECK(json_has(r, "\"missing\":1")); /* the no_decision */
      same = scores_document_of(r, m);
      CHECK(same != NULL);
      if (same) {
        CHECK(merit_scorer_score_json(sc, same, strlen(same), &r2) == 0);
        CHECK(r2 && !isnan(json_number(r, "fit")) && json_number(r2, "fit") == json_number(r, "fit"));
        CHECK(r2 && json_number(r2, "margin") == json_number(r, "margin"));
        merit_string_free(r2);
        free(same);
      }
      merit_string_free(r);
    }
    /* The whole fixture holds another candidate's scorecards: an error at the first of them. */
    free(gh);
    n = strlen(text) + 128;
    gh = malloc(n);
    snprintf(gh, n, "{\"candidate_id\": 36987001, \"greenhouse_scorecards\": %s}", text);
    SCORE_JSON_FAILS(sc, gh, MERIT_E_REFERENCE, "/greenhouse_scorecards/3/candidate_id");
    free(gh);
    free(mine);
    free(text);
  }
}

static void test_score_json(const merit_scorer *sc, const merit_model *m) {
  char *r = NULL;
  const char *hash;
  char fragment[128];
  size_t i;
  merit_model_content_hash(m, &hash);

  /* C001: 92.846 for sales_enablement per examples/README.md (an independent
   * transcription of the formulas); the role answer shows sales_enablement,
   * 4.52 standard errors clearer than head_of_sales_enablement. */
  CHECK(strcmp(the_pool.ids[0], "C001") == 0);
  CHECK(merit_scorer_score_json(sc, the_pool.json[0], strlen(the_pool.json[0]), &r) == 0);
  CHECK(r != NULL);
  if (!r) return;
  CHECK(merit_last_error_code() == 0);
  CHECK(fabs(json_number(r, "fit") - 92.846) < 0.0005);
  CHECK(json_has(r, "{\"candidate_id\":\"C001\",\"profile\":\"sales_enablement\",\"fit\":"));
  CHECK(json_has(r, "\"status\":\"qualified\",\"coverage\":1.0,\"contributions\":{"));
  CHECK(json_has(r, "\"best_profile\":\"sales_enablement\""));
  CHECK(json_has(r, "\"fits\":[\"sales_enablement\"],\"profiles\":{"));
  CHECK(json_has(r, "\"sales_operations\":{\"fit\":"));
  CHECK(fabs(json_number(r, "margin") - 4.52) < 0.005);
  CHECK(json_has(r, "\"reason\":\"the candidate's pattern of strengths shows sales_enablement, 4.5 standard errors "
                    "clearer than head_of_sales_enablement; qualified with a fit of at least 80 on sales_enablement\""));
  snprintf(fragment, sizeof fragment, "\"content_hash\":\"%s\"", hash);
  CHECK(json_has(r, fragment));
  CHECK(json_has(r, "\"model\":{\"id\":\"sales_enablement\",\"version\":\"2.1.0\""));
  snprintf(fragment, sizeof fragment, "\"merit_version\":\"%s\"}", merit_version());
  CHECK(json_has(r, fragment));
  merit_string_free(r);

  /* C028 has no evidence on any sales_enablement competency: no fit; it fits
   * sales_operations, but too little is observed to show a distinct role. */
  for (i = 0; i < the_pool.n; ++i) {
    if (strcmp(the_pool.ids[i], "C028") != 0) continue;
    CHECK(merit_scorer_score_json(sc, the_pool.json[i], strlen(the_pool.json[i]), &r) == 0);
    CHECK(json_has(r, "\"fit\":null,\"status\":\"incomplete\",\"coverage\":0.0"));
    CHECK(json_has(r, "\"best_profile\":null,\"margin\":"));
    CHECK(json_has(r, "\"fits\":[\"sales_operations\"]"));
    merit_string_free(r);
  }
  /* C003, rated 3 on everything, shows no role: the profiles' targets do not decide. */
  for (i = 0; i < the_pool.n; ++i) {
    if (strcmp(the_pool.ids[i], "C003") != 0) continue;
    CHECK(merit_scorer_score_json(sc, the_pool.json[i], strlen(the_pool.json[i]), &r) == 0);
    CHECK(json_has(r, "\"best_profile\":null,"));
    merit_string_free(r);
  }

  /* Nothing observed at all. */
  {
    const char *doc = "{\"candidate_id\": \"E\", \"scores\": {}}";
    CHECK(merit_scorer_score_json(sc, doc, strlen(doc), &r) == 0);
    CHECK(json_has(r, "\"fit\":null,\"status\":\"incomplete\""));
    CHECK(json_has(r, "\"best_profile\":null,\"margin\":null,\"fits\":[],"));
    CHECK(json_has(r, "\"reason\":\"no distinct role: observed on 0 of the 26 competencies the profiles target (needs 3); "
                      "qualified with a fit of at least 80 on no profile\""));
    merit_string_free(r);
  }
}

static void test_batch(const merit_scorer *sc) {
  const size_t n = the_pool.n, C = the_pool.cols;
  double *fit = malloc(n * sizeof *fit), *cov = malloc(n * sizeof *cov);
  double *contrib = malloc(n * C * sizeof *contrib), *gap = malloc(n * C * sizeof *gap);
  int8_t *st = malloc(n);
  double bad[MAX_COLS], one = 0;
  size_t i, j;

  /* Error paths: nothing is written. */
  fit[0] = -1;
  CHECK_FAILS(merit_scorer_score_batch(NULL, the_pool.scores, n, C, fit, cov, st, NULL, NULL),
              MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_score_batch(sc, the_pool.scores, n, C - 1, fit, cov, st, NULL, NULL),
              MERIT_E_INVALID_ARGUMENT, "");
  CHECK(strcmp(merit_last_error_message(),
               "n_cols is 25, but the model has 26 competencies (merit_model_competency_count)") == 0);
  CHECK_FAILS(merit_scorer_score_batch(sc, NULL, n, C, fit, cov, st, NULL, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK_FAILS(merit_scorer_score_batch(sc, &one, (size_t)-1 / 8, C, fit, cov, st, NULL, NULL),
              MERIT_E_INVALID_ARGUMENT, "");
  memcpy(bad, the_pool.scores, C * sizeof *bad);
  bad[3] = 0;
  CHECK_FAILS(merit_scorer_score_batch(sc, bad, 1, C, fit, cov, st, NULL, NULL), MERIT_E_VALUE, "/0/3");
  CHECK(strcmp(merit_last_error_message(),
               "value 0 for competency 'methodology_distillation' is outside the scale 1..5") == 0);
  bad[3] = INFINITY;
  CHECK_FAILS(merit_scorer_score_batch(sc, bad, 1, C, fit, cov, st, NULL, NULL), MERIT_E_VALUE, "/0/3");
  bad[3] = 5.5;
  CHECK_FAILS(merit_scorer_score_batch(sc, bad, 1, C, fit, cov, st, NULL, NULL), MERIT_E_VALUE, "/0/3");
  CHECK(fit[0] == -1);
  CHECK(merit_scorer_score_batch(sc, NULL, 0, C, NULL, NULL, NULL, NULL, NULL) == 0);
  CHECK(merit_scorer_score_batch(sc, the_pool.scores, n, C, NULL, NULL, NULL, NULL, NULL) == 0);

  CHECK(merit_scorer_score_batch(sc, the_pool.scores, n, C, fit, cov, st, contrib, gap) == 0);
  for (i = 0; i < n; ++i) {
    char *r = NULL;
    double sum = 0;
    int targeted = 0;
    CHECK(merit_scorer_score_json(sc, the_pool.json[i], strlen(the_pool.json[i]), &r) == 0);
    if (!r) continue;
    /* The JSON path prints the shortest text that reads back exactly. */
    CHECK(isnan(fit[i]) ? isnan(json_number(r, "fit")) : json_number(r, "fit") == fit[i]);
    CHECK(json_number(r, "coverage") == cov[i]);
    CHECK(json_has(r, st[i] == MERIT_STATUS_QUALIFIED      ? "\"status\":\"qualified\",\"coverage\""
                      : st[i] == MERIT_STATUS_SCREENED_OUT ? "\"status\":\"screened_out\",\"coverage\""
                                                           : "\"status\":\"incomplete\",\"coverage\""));
    for (j = 0; j < C; ++j) {
      if (isnan(contrib[i * C + j])) {
        CHECK(isnan(gap[i * C + j]));
        continue;
      }
      ++targeted;
      sum += contrib[i * C + j];
      CHECK(gap[i * C + j] >= 0);
    }
    CHECK(targeted > 0 && targeted < (int)C);
    if (!isnan(fit[i])) CHECK(fabs(sum - fit[i]) < 1e-9);
    merit_string_free(r);
  }
  /* examples/README.md: C005 is screened out by a hurdle, C011 incomplete. */
  for (i = 0; i < n; ++i) {
    if (strcmp(the_pool.ids[i], "C005") == 0) CHECK(st[i] == MERIT_STATUS_SCREENED_OUT);
    if (strcmp(the_pool.ids[i], "C011") == 0) CHECK(st[i] == MERIT_STATUS_INCOMPLETE && fabs(fit[i] - 93.963) < 0.0005);
    if (strcmp(the_pool.ids[i], "C012") == 0) CHECK(fabs(fit[i] - 90.976) < 0.0005);
  }
  free(fit);
  free(cov);
  free(contrib);
  free(gap);
  free(st);
}

/* ---- threads ------------------------------------------------------------------------ */

#define N_THREADS 8
#define ROUNDS 20

typedef struct work {
  const merit_scorer *scorer;
  char *json[MAX_POOL];       /* reference results from the main thread */
  double fit[MAX_POOL];
  int mismatches;
  int error_code_seen;
} work;

static void *score_in_thread(void *arg) {
  work *w = arg;
  const size_t n = the_pool.n, C = the_pool.cols;
  double fit[MAX_POOL], cov[MAX_POOL];
  int8_t st[MAX_POOL];
  int round;
  size_t i;
  /* Another thread's errors are not this thread's. */
  w->error_code_seen = merit_last_error_code();
  for (round = 0; round < ROUNDS; ++round) {
    for (i = 0; i < n; ++i) {
      char *r = NULL;
      if (merit_scorer_score_json(w->scorer, the_pool.json[i], strlen(the_pool.json[i]), &r) != 0 ||
          strcmp(r, w->json[i]) != 0)
        ++w->mismatches;
      merit_string_free(r);
    }
    if (merit_scorer_score_batch(w->scorer, the_pool.scores, n, C, fit, cov, st, NULL, NULL) != 0 ||
        memcmp(fit, w->fit, n * sizeof *fit) != 0)
      ++w->mismatches;
    /* An error in this thread leaves the others' last errors alone. */
    if (merit_scorer_score_json(w->scorer, "{", 1, NULL) != MERIT_E_INVALID_ARGUMENT) ++w->mismatches;
  }
  return NULL;
}

static void test_threads(const merit_scorer *sc) {
  work w[N_THREADS];
  pthread_t tid[N_THREADS];
  char *ref[MAX_POOL];
  double ref_fit[MAX_POOL], cov[MAX_POOL];
  int8_t st[MAX_POOL];
  size_t i;
  int t;

  for (i = 0; i < the_pool.n; ++i)
    CHECK(merit_scorer_score_json(sc, the_pool.json[i], strlen(the_pool.json[i]), &ref[i]) == 0);
  CHECK(merit_scorer_score_batch(sc, the_pool.scores, the_pool.n, the_pool.cols, ref_fit, cov, st, NULL, NULL) == 0);
  /* Leave an error in the main thread: the workers must not see it. */
  CHECK_FAILS(merit_scorer_create(NULL, NULL, NULL), MERIT_E_INVALID_ARGUMENT, "");

  for (t = 0; t < N_THREADS; ++t) {
    w[t].scorer = sc;
    memcpy(w[t].json, ref, sizeof ref);
    memcpy(w[t].fit, ref_fit, sizeof ref_fit);
    w[t].mismatches = 0;
    w[t].error_code_seen = -999;
    CHECK(pthread_create(&tid[t], NULL, score_in_thread, &w[t]) == 0);
  }
  for (t = 0; t < N_THREADS; ++t) {
    CHECK(pthread_join(tid[t], NULL) == 0);
    CHECK(w[t].mismatches == 0);
    CHECK(w[t].error_code_seen == 0);
  }
  CHECK(merit_last_error_code() == MERIT_E_INVALID_ARGUMENT);
  CHECK(strcmp(merit_last_error_message(), "model must not be NULL") == 0);
  for (i = 0; i < the_pool.n; ++i) merit_string_free(ref[i]);
}

static void test_last_error_views(void) {
  const merit_error *e;
  CHECK_FAILS(merit_model_load("/nonexistent.json", NULL), MERIT_E_INVALID_ARGUMENT, "");
  e = merit_last_error();
  CHECK(e == merit_last_error());
  CHECK(e->code == merit_last_error_code());
  CHECK(e->message == merit_last_error_message());
  CHECK(e->location == merit_last_error_location());
}

/* ---- merit_score_file: a pool file streamed, scored and written ------------- */

static int count_calls(size_t rows, size_t bytes, size_t total, void *user) {
  (void)bytes;
  (void)total;
  *(size_t *)user = rows;
  return 1;
}

static int cancel(size_t rows, size_t bytes, size_t total, void *user) {
  (void)rows;
  (void)bytes;
  (void)total;
  (void)user;
  return 0;
}

static int same_file(const char *a, const char *b) {
  size_t na = 0, nb = 0;
  char *x = read_file(a, &na), *y = read_file(b, &nb);
  int same = x && y && na == nb && memcmp(x, y, na) == 0;
  free(x);
  free(y);
  return same;
}

static void test_score_file(const merit_model *m) {
  const char *out = "/tmp/merit_capi_ranked.csv";
  const char *bad = "/tmp/merit_capi_bad_pool.csv";
  const char *rejects = "/tmp/merit_capi_rejects.csv";
  char *summary = NULL;
  size_t rows = 0;
  const char *cli = getenv("MERIT_CLI");
  remove(out);
  CHECK(merit_score_file(m, POOL_PATH, out, "{\"threads\": 2, \"explain\": true, \"reliability\": 0.8}", count_calls,
                         &rows, &summary) == 0);
  CHECK(rows == 31);
  CHECK(summary && json_has(summary, "\"rows_read\":31,\"scored\":31,\"rejected\":0,\"rejected_by_kind\":{}"));
  CHECK(summary && json_has(summary, "\"bands\":{\"sd\":"));
  merit_string_free(summary);
  if (cli) { /* the same bytes as merit score */
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' score --model '%s' --candidates '%s' --threads 1 --explain --reliability 0.8 --quiet "
             "--out /tmp/merit_capi_cli.csv 2>/dev/null",
             cli, MODEL_PATH, POOL_PATH);
    CHECK(system(cmd) == 0);
    CHECK(same_file(out, "/tmp/merit_capi_cli.csv"));
    remove("/tmp/merit_capi_cli.csv");
  }
  remove(out);

  /* A bad option: its JSON pointer is the location, and nothing is written. */
  CHECK_FAILS(merit_score_file(m, POOL_PATH, out, "{\"threads\": 0}", NULL, NULL, &summary), MERIT_E_VALUE, "/threads");
  CHECK(strcmp(merit_last_error_message(), "must be a whole number from 1 to 1024") == 0);
  CHECK(summary == NULL);
  CHECK_FAILS(merit_score_file(m, POOL_PATH, out, "{\"top\": \"5\"}", NULL, NULL, NULL), MERIT_E_SCHEMA, "/top");
  CHECK(strcmp(merit_last_error_message(), "must be a whole number from 1 to 1000000000000") == 0);
  CHECK_FAILS(merit_score_file(m, POOL_PATH, out, "{\"output_format\": \"tsv\"}", NULL, NULL, NULL), MERIT_E_VALUE,
              "/output_format");
  CHECK(strcmp(merit_last_error_message(), "--output-format takes csv or jsonl, got 'tsv'") == 0);
  CHECK_FAILS(merit_score_file(m, POOL_PATH, out, "{\"thread\": 2}", NULL, NULL, NULL), MERIT_E_SCHEMA, "/thread");
  CHECK_FAILS(merit_score_file(m, POOL_PATH, out, "[1]", NULL, NULL, NULL), MERIT_E_SCHEMA, "");
  CHECK(strcmp(merit_last_error_message(), "options must be a JSON object") == 0);
  CHECK_FAILS(merit_score_file(m, POOL_PATH, out, "{", NULL, NULL, NULL), MERIT_E_PARSE, "");
  CHECK_FAILS(merit_score_file(NULL, POOL_PATH, out, NULL, NULL, NULL, NULL), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(strcmp(merit_last_error_message(), "model must not be NULL") == 0);
  CHECK(read_file(out, NULL) == NULL);

  /* A bad input row: fatal without rejects (its place is the location), set aside with them. */
  CHECK(write_file(bad, "candidate_id,alpha,beta,gamma\nC1,4,3,5\nC2,4,x,5\nC3,1,1,1\n") == 0);
  {
    merit_model *mini = NULL;
    CHECK(merit_model_load(MINI_PATH, &mini) == 0);
    CHECK_FAILS(merit_score_file(mini, bad, out, NULL, NULL, NULL, NULL), MERIT_E_VALUE, "/tmp/merit_capi_bad_pool.csv:3:6");
    CHECK(strcmp(merit_last_error_message(), "non-numeric value 'x' for competency 'beta'") == 0);
    CHECK(read_file(out, NULL) == NULL);
    /* An output that is the input is refused before any work, naming both; the input is untouched. */
    CHECK_FAILS(merit_score_file(mini, bad, bad, NULL, NULL, NULL, NULL), MERIT_E_INVALID_ARGUMENT, "");
    CHECK(strcmp(merit_last_error_message(),
                 "output '/tmp/merit_capi_bad_pool.csv' is the same file as input '/tmp/merit_capi_bad_pool.csv': "
                 "writing it would destroy the input; choose another path") == 0);
    {
      char *text = read_file(bad, NULL);
      CHECK(text && strncmp(text, "candidate_id,alpha,beta,gamma\n", 30) == 0);
      free(text);
    }
    CHECK(merit_score_file(mini, bad, out, "{\"rejects\": \"/tmp/merit_capi_rejects.csv\"}", NULL, NULL, &summary) == 0);
    CHECK(summary && json_has(summary, "\"rejected\":1,\"rejected_by_kind\":{\"cast_error\":1}"));
    merit_string_free(summary);
    summary = NULL;
    {
      char *text = read_file(rejects, NULL);
      CHECK(text && strcmp(text, "line,column,code,reason\n3,6,value,non-numeric value 'x' for competency 'beta'\n") == 0);
      free(text);
    }
    remove(out);
    /* Cancelled by the progress callback: MERIT_E_INTERRUPTED, nothing written. */
    CHECK_FAILS(merit_score_file(mini, bad, out, "{\"rejects\": \"/tmp/merit_capi_rejects2.csv\"}", cancel, NULL,
                                 &summary),
                MERIT_E_INTERRUPTED, "");
    CHECK(read_file(out, NULL) == NULL);
    CHECK(read_file("/tmp/merit_capi_rejects2.csv", NULL) == NULL);
    merit_model_destroy(mini);
  }
  remove(bad);
  remove(rejects);
}

/* ---- merit_match_title (MERIT_1.2) ----------------------------------------- */

static void test_match_title(const merit_model *m) {
  char *json = NULL;
  CHECK(merit_match_title(m, "VP, Sales Enablement (London)", &json) == 0);
  CHECK(json && strstr(json, "\"profile\":\"head_of_sales_enablement\"") != NULL);
  merit_string_free(json);
  json = NULL;
  CHECK(merit_match_title(m, "\xe9\x94\x80\xe5\x94\xae\xe8\xb5\x8b\xe6\x9d\x83", &json) == 0); /* 销售赋权 */
  CHECK(json && strstr(json, "\"profile\":null") != NULL);
  merit_string_free(json);
  json = (char *)1;
  CHECK_FAILS(merit_match_title(m, " (Remote) ", &json), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(json == NULL);
  CHECK(strcmp(merit_last_error_message(), "job title is empty; pass a title such as \"Sales Enablement Manager\"") == 0);
  CHECK_FAILS(merit_match_title(m, NULL, &json), MERIT_E_INVALID_ARGUMENT, "");
  CHECK(strcmp(merit_last_error_message(), "title must not be NULL") == 0);
}

int main(void) {
  merit_model *m = NULL;
  merit_scorer *sc = NULL;

  test_versions();
  test_error_names();
  test_model_load_errors();
  test_model_accessors();
  test_scorer_outlives_model();
  test_last_error_views();

  CHECK(merit_model_load(MODEL_PATH, &m) == 0);
  CHECK(m && read_pool(m, &the_pool) == 0 && the_pool.n == 31);
  CHECK(merit_scorer_create(m, "sales_enablement", &sc) == 0);
  if (!m || !sc || the_pool.n == 0) {
    fprintf(stderr, "cannot set up the example model and pool\n");
    return 1;
  }
  test_scorer_create(m);
  test_match_title(m);
  test_score_json_errors(sc);
  test_score_json(sc, m);
  test_evidence_errors(sc);
  test_greenhouse_not_measured();
  test_evidence(sc, m);
  test_batch(sc);
  test_threads(sc);
  test_score_file(m);
  merit_scorer_destroy(sc);
  merit_model_destroy(m);

  printf("%d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
