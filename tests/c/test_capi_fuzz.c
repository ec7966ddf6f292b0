/* Fuzz run over the JSON entry points of the C ABI, compiled as C99: random
 * bytes, random JSON-ish token soup, and mutations of valid candidate and
 * model documents (byte flips, truncations, splices, deep nesting, huge
 * numbers, duplicate keys, invalid UTF-8), including "evidence" and
 * "greenhouse_scorecards" documents (half of them well-formed, so that
 * aggregation and its result are fuzzed too). Every call must return 0 or a
 * negative code with a message; every returned string is freed. Run it under
 * AddressSanitizer (MERIT_SANITIZE=address,undefined) to catch leaks and
 * memory errors. MERIT_FUZZ_N (default 12000) and MERIT_FUZZ_SEED override
 * the size and the seed. */
#define _POSIX_C_SOURCE 200809L
#include <merit.h>

#include "capi_check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_PATH MERIT_SOURCE_DIR "/competency_models/sales_enablement.json"
#define MINI_PATH MERIT_SOURCE_DIR "/tests/data/models/mini.json"

static uint64_t rng_state;

static uint64_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}
static size_t below(size_t n) { return n ? (size_t)(next_random() % n) : 0; }

/* A growable byte buffer. */
typedef struct buf {
  char *data;
  size_t size, cap;
} buf;

static void put(buf *b, const char *s, size_t n) {
  if (b->size + n + 1 > b->cap) {
    size_t cap = (b->cap ? b->cap * 2 : 256);
    while (cap < b->size + n + 1) cap *= 2;
    b->data = realloc(b->data, cap);
    if (!b->data) {
      fprintf(stderr, "out of memory\n");
      exit(2);
    }
    b->cap = cap;
  }
  memcpy(b->data + b->size, s, n);
  b->size += n;
  b->data[b->size] = '\0';
}
static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static const char *tokens[] = {
    "{", "}", "[", "]", ",", ":", " ", "\n", "null", "true", "false", "0", "-1", "3", "4.5", "1e308", "1e999",
    "-1e-999", "123456789012345678901234567890", "NaN", "Infinity", "\"candidate_id\"", "\"scores\"",
    "\"evidence\"", "\"greenhouse_scorecards\"", "\"competency_id\"", "\"method\"", "\"rater\"", "\"value\"",
    "\"work_sample\"", "\"attributes\"", "\"name\"", "\"rating\"", "\"no_decision\"", "\"content_clarity\"", "\"sales_training\"", "\"C001\"",
    "\"\\u0000\"", "\"\\ud800\"", "\"\\uDFFF\\uD800\"", "\"\xff\xfe\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
    "\"\xe4\xb8\"", "\"\\\"", "\"a/b~c\"", "\"format\"", "\"merit.competency-model/1\"", "\"profiles\"",
    "\"targets\"", "\"id\"", "\"levels\"", "\"weight\"", "\"minimum\"", "\"target\"", "-0", "0.0000001", "\"\"",
    "\x00", "\t", "/*", "//", "\xef\xbb\xbf"};
#define N_TOKENS (sizeof tokens / sizeof tokens[0])

static const char *valid_candidate =
    "{\"candidate_id\": \"C001\", \"scores\": {\"sales_content_management\": 4, \"sales_training\": 5, "
    "\"sales_coaching\": 4, \"methodology_distillation\": 4, \"sales_technology\": 2, \"cross_department_communication\": 4, "
    "\"content_clarity\": 4, \"influence_without_authority\": 4, \"mechanism_building\": 4, "
    "\"customer_solution_insight\": 4, \"sales_automation_thinking\": null, \"pipeline_management\": 3.5}}";

static const char *valid_evidence =
    "{\"candidate_id\": \"C002\", \"calibration\": \"none\", \"evidence\": ["
    "{\"competency_id\": \"content_clarity\", \"method\": \"structured_interview\", \"rater\": \"r1\", \"value\": 4}, "
    "{\"competency_id\": \"content_clarity\", \"method\": \"work_sample\", \"rater\": \"r2\", \"value\": 80}, "
    "{\"competency_id\": \"influence_without_authority\", \"method\": \"reference_check\", \"rater\": 7, \"value\": \"yes\"}, "
    "{\"competency_id\": \"mechanism_building\", \"method\": \"reference_check\", \"rater\": \"r3\", \"value\": null}]}";

static const char *valid_scorecards =
    "{\"candidate_id\": 17, \"greenhouse_scorecards\": [{\"candidate_id\": 17, \"interview\": \"Stakeholder Panel\", "
    "\"interviewer\": {\"id\": 5, \"employee_id\": \"E5\"}, "
    "\"attributes\": [{\"name\": \"Content Clarity\", \"rating\": \"strong_yes\"}, {\"name\": \"Culture Add\", "
    "\"rating\": \"yes\"}]}, {\"candidate_id\": \"17\", \"submitted_by\": {\"id\": 6, \"employee_id\": \"E6\"}, "
    "\"attributes\": "
    "[{\"name\": \"sales training\", \"rating\": \"no_decision\"}, {\"name\": \"Coaching\", \"rating\": \"mixed\"}]}]}";

/* One document of a random kind into b. */
static void generate(buf *b, const char *model_text, size_t model_size) {
  size_t i, n;
  b->size = 0;
  switch (below(11)) {
    case 0: /* random bytes */
      n = below(200);
      for (i = 0; i < n; ++i) {
        char c = (char)below(256);
        put(b, &c, 1);
      }
      break;
    case 1: /* token soup */
      n = 1 + below(60);
      for (i = 0; i < n; ++i) {
        const char *t = tokens[below(N_TOKENS)];
        put(b, t, t[0] ? strlen(t) : 1);
      }
      break;
    case 2: { /* deep nesting, sometimes past the limit */
      size_t depth = 1 + below(1200);
      const char *open = below(2) ? "[" : "{\"scores\":";
      for (i = 0; i < depth; ++i) puts_(b, open);
      puts_(b, "1");
      for (i = 0; i < depth && below(50); ++i) puts_(b, open[0] == '[' ? "]" : "}");
      break;
    }
    case 3: { /* a structurally valid candidate with random ids and values */
      static const char *ids[] = {"content_clarity", "sales_training", "nope", "", "content_clarity",
                                  "sales_coaching", "race", "a\\u00e9b", "pipeline_management"};
      static const char *values[] = {"1", "5", "3.5", "0", "6", "-1", "null", "\"4\"", "true", "1e400",
                                     "4.999999999", "[]", "{}", "1.0000000000000002"};
      /* Half of them draw only valid ids and values, so that the success
       * path (result building, every profile) is fuzzed as well. */
      static const char *valid_ids[] = {"content_clarity", "sales_training", "sales_coaching", "pipeline_management",
                                        "cross_department_communication", "influence_without_authority"};
      static const char *valid_values[] = {"1", "2", "3", "3.5", "4", "5", "null", "4.999999999"};
      const int valid = (int)below(2);
      puts_(b, below(4) ? "{\"candidate_id\": \"X\", \"scores\": {" : "{\"candidate_id\": 17, \"scores\": {");
      n = valid ? below(7) : below(8);
      for (i = 0; i < n; ++i) {
        if (i) puts_(b, ", ");
        puts_(b, "\"");
        puts_(b, valid ? valid_ids[i] : ids[below(sizeof ids / sizeof ids[0])]);
        puts_(b, "\": ");
        puts_(b, valid ? valid_values[below(sizeof valid_values / sizeof valid_values[0])]
                       : values[below(sizeof values / sizeof values[0])]);
      }
      puts_(b, "}");
      if (!valid && !below(5)) puts_(b, below(2) ? ", \"evidence\": []" : ", \"greenhouse_scorecards\": [{}]");
      puts_(b, "}");
      break;
    }
    case 4: { /* an "evidence" document: observations with random or valid parts */
      static const char *comps[] = {"content_clarity", "sales_training", "sales_coaching", "charisma", "",
                                    "mechanism_building", "a/b~c", "17"};
      static const char *methods[] = {"structured_interview", "work_sample", "knowledge_test", "reference_check",
                                      "greenhouse_scorecard", "astrology", "", "3"};
      /* valid: the interview (1..5) on these, the reference check (named levels) on those */
      static const char *interviewed[] = {"content_clarity", "sales_training", "sales_coaching"};
      static const char *referenced[] = {"cross_department_communication", "influence_without_authority",
                                         "mechanism_building"};
      static const char *raters[] = {"\"r1\"", "\"r2\"", "7", "\"\"", "null", "1.5", "[]", "\"r1\""};
      static const char *values[] = {"4", "1", "5", "75", "100", "101", "-3", "\"yes\"", "\"strong_no\"",
                                     "\"no_decision\"", "\"maybe\"", "null", "\"\"", "\"NA\"", "true", "{}",
                                     "1e400", "\"4.5\"", "0.000001"};
      static const char *extras[] = {"", "", "", ", \"candidate_id\": \"X\"", ", \"candidate_id\": \"Y\"",
                                     ", \"gender\": \"f\"", ", \"note\": \"n\"", ", \"rater\": \"r9\""};
      static const char *calibrations[] = {"", "", "", ", \"calibration\": \"none\"",
                                           ", \"calibration\": \"leniency\"", ", \"calibration\": 1"};
      const int valid = (int)below(2);
      puts_(b, "{\"candidate_id\": \"X\", \"evidence\": [");
      n = below(12);
      for (i = 0; i < n; ++i) {
        if (i) puts_(b, ", ");
        if (!valid && !below(20)) {
          puts_(b, below(2) ? "4" : "[]");
          continue;
        }
        puts_(b, "{\"competency_id\": \"");
        puts_(b, !valid ? comps[below(sizeof comps / sizeof comps[0])] : i % 2 ? referenced[below(3)] : interviewed[below(3)]);
        puts_(b, "\", \"method\": \"");
        puts_(b, valid ? (i % 2 ? "reference_check" : "structured_interview")
                       : methods[below(sizeof methods / sizeof methods[0])]);
        puts_(b, "\", \"rater\": ");
        puts_(b, raters[below(valid ? 3 : sizeof raters / sizeof raters[0])]);
        if (valid || below(8)) {
          static const char *valid_numbers[] = {"1", "2", "3.5", "4", "5", "null"};
          static const char *valid_levels[] = {"\"strong_no\"", "\"no\"", "\"yes\"", "\"strong_yes\"", "\"NA\"",
                                               "null"};
          puts_(b, ", \"value\": ");
          puts_(b, !valid ? values[below(sizeof values / sizeof values[0])]
                          : (i % 2 ? valid_levels[below(6)] : valid_numbers[below(6)]));
        }
        if (!valid) puts_(b, extras[below(sizeof extras / sizeof extras[0])]);
        puts_(b, "}");
      }
      puts_(b, "]");
      puts_(b, calibrations[below(valid ? 4 : sizeof calibrations / sizeof calibrations[0])]);
      puts_(b, "}");
      break;
    }
    case 5: { /* a "greenhouse_scorecards" document */
      static const char *names[] = {"Content Clarity", "content clarity", "Sales Training", "\u9500\u552e\u57f9\u8bad",
                                    "Culture Add", "Influence", "", "Coaching"};
      static const char *ratings[] = {"\"yes\"", "\"strong_yes\"", "\"no\"", "\"mixed\"", "\"definitely_not\"",
                                      "\"no_decision\"", "null", "\"maybe\"", "4", "true", "[]"};
      static const char *cands[] = {"17", "17", "17", "\"17\"", "18", "null", "1.5", "[]"};
      /* The shipped model names raters by employee_id: the last three name none. */
      static const char *who[] = {"\"interviewer\": {\"id\": 5, \"employee_id\": \"E5\"}",
                                  "\"submitted_by\": {\"id\": \"u\", \"employee_id\": 6}",
                                  "\"interviewer\": {\"id\": 5}", "\"interviewer\": {\"employee_id\": null}",
                                  "\"interviewer\": 5", ""};
      static const char *interviews[] = {"", "\"interview\": \"Enablement Case Interview\", ",
                                         "\"interview\": \"Phone Screen\", ",
                                         "\"interview_step\": {\"name\": \"stakeholder panel\"}, ",
                                         "\"interview\": 3, "};
      const int valid = (int)below(2);
      size_t k, na;
      puts_(b, "{\"candidate_id\": 17, \"greenhouse_scorecards\": [");
      n = below(5);
      for (i = 0; i < n; ++i) {
        if (i) puts_(b, ", ");
        puts_(b, "{\"candidate_id\": ");
        puts_(b, cands[below(valid ? 4 : sizeof cands / sizeof cands[0])]);
        puts_(b, ", ");
        puts_(b, interviews[below(sizeof interviews / sizeof interviews[0])]);
        puts_(b, who[below(valid ? 2 : sizeof who / sizeof who[0])]);
        if (!valid && !below(6)) {
          puts_(b, below(2) ? "}" : ", \"attributes\": []}");
          continue;
        }
        puts_(b, ", \"attributes\": [");
        na = 1 + below(5);
        for (k = 0; k < na; ++k) {
          if (k) puts_(b, ", ");
          puts_(b, "{\"name\": \"");
          puts_(b, names[below(valid ? 5 : sizeof names / sizeof names[0])]);
          puts_(b, "\", \"rating\": ");
          puts_(b, ratings[below(valid ? 7 : sizeof ratings / sizeof ratings[0])]);
          puts_(b, "}");
        }
        puts_(b, "]}");
      }
      puts_(b, "]}");
      break;
    }
    default: { /* mutations of a valid document (the model now and then) */
      const int model = below(8) == 0;
      const size_t pick = below(4);
      const char *src = model ? model_text : pick == 0 ? valid_evidence : pick == 1 ? valid_scorecards : valid_candidate;
      const size_t len = model ? model_size : strlen(src);
      size_t rounds = 1 + below(4);
      put(b, src, len);
      while (rounds--) {
        size_t at = below(b->size + 1);
        switch (below(7)) {
          case 0: /* byte flip */
            if (b->size) b->data[below(b->size)] ^= (char)(1u << below(8));
            break;
          case 1: /* truncation */
            b->size = at;
            b->data[b->size] = '\0';
            break;
          case 2: /* overwrite with a random byte (invalid UTF-8 often) */
            if (b->size) b->data[below(b->size)] = (char)(0x80 + below(128));
            break;
          case 3: { /* splice in a token */
            const char *t = tokens[below(N_TOKENS)];
            size_t tl = t[0] ? strlen(t) : 1;
            buf tmp = {0, 0, 0};
            put(&tmp, b->data, at);
            put(&tmp, t, tl);
            put(&tmp, b->data + at, b->size - at);
            free(b->data);
            *b = tmp;
            break;
          }
          case 4: { /* duplicate a span (duplicate keys, repeated members) */
            size_t from = below(b->size + 1), span = below(64);
            buf tmp = {0, 0, 0};
            if (from + span > b->size) span = b->size - from;
            put(&tmp, b->data, at);
            put(&tmp, b->data + from, span);
            put(&tmp, b->data + at, b->size - at);
            free(b->data);
            *b = tmp;
            break;
          }
          case 5: { /* a huge number */
            static const char *huge[] = {"1e999", "-1e999", "99999999999999999999999999999999999", "1e-999",
                                         "18446744073709551616", "-9223372036854775809", "0.1e+2147483648"};
            const char *t = huge[below(sizeof huge / sizeof huge[0])];
            buf tmp = {0, 0, 0};
            put(&tmp, b->data, at);
            puts_(&tmp, t);
            put(&tmp, b->data + at, b->size - at);
            free(b->data);
            *b = tmp;
            break;
          }
          default: /* delete a span */
            if (b->size) {
              size_t span = below(16);
              if (at + span > b->size) span = b->size - at;
              memmove(b->data + at, b->data + at + span, b->size - at - span + 1);
              b->size -= span;
            }
            break;
        }
      }
      break;
    }
  }
  if (!b->data) puts_(b, "");
}

static long calls = 0, successes = 0, bad = 0, evidence_successes = 0;

static void check(int rc, const char *what, const buf *doc) {
  const merit_error *e = merit_last_error();
  ++calls;
  if (rc == 0) {
    ++successes;
    if (e->code != 0) {
      ++bad;
      fprintf(stderr, "%s succeeded but left error %d\n", what, e->code);
    }
    return;
  }
  if (rc > 0 || e->code != rc || e->message[0] == '\0' || rc == MERIT_E_INTERNAL || rc == MERIT_E_INVALID_ARGUMENT) {
    ++bad;
    fprintf(stderr, "%s returned %d (%s), last error %d '%s' at '%s' for document of %lu bytes: %.*s\n", what, rc,
            merit_error_name(rc), e->code, e->message, e->location, (unsigned long)doc->size,
            doc->size > 300 ? 300 : (int)doc->size, doc->data);
  }
}

int main(void) {
  const char *env_n = getenv("MERIT_FUZZ_N"), *env_seed = getenv("MERIT_FUZZ_SEED");
  const long n = env_n ? atol(env_n) : 12000;
  size_t mini_size = 0, full_size = 0;
  char *mini = read_file(MINI_PATH, &mini_size), *full = read_file(MODEL_PATH, &full_size);
  merit_model *model = NULL;
  merit_scorer *scorer = NULL;
  buf doc = {0, 0, 0};
  long i;
  const char *tmp_path = "/tmp/merit_capi_fuzz_model.json";

  rng_state = env_seed ? strtoull(env_seed, NULL, 10) : 20240611ULL;
  if (!rng_state) rng_state = 1;
  if (!mini || !full || merit_model_load(MODEL_PATH, &model) != 0 ||
      merit_scorer_create(model, "sales_enablement", &scorer) != 0) {
    fprintf(stderr, "cannot set up the model\n");
    return 2;
  }
  printf("seed %llu, %ld documents\n", (unsigned long long)rng_state, n);

  for (i = 0; i < n; ++i) {
    char *result = (char *)&result;
    merit_model *m = (merit_model *)&m;
    int rc;
    /* Candidate documents and mutated mini models alternate with full-model
     * mutations now and then (the big model is slower to validate). */
    generate(&doc, (i % 16) ? mini : full, (i % 16) ? mini_size : full_size);

    rc = merit_scorer_score_json(scorer, doc.data, doc.size, &result);
    check(rc, "merit_scorer_score_json", &doc);
    if (rc == 0 && (!result || result[0] != '{')) ++bad;
    if (rc != 0 && result != NULL) ++bad;
    if (rc == 0 && strstr(result, "\"evidence\":{\"competencies\":")) ++evidence_successes;
    if (rc == 0) merit_string_free(result);

    rc = merit_model_load_buffer(doc.data, doc.size, (i & 1) ? "fuzz" : NULL, &m);
    check(rc, "merit_model_load_buffer", &doc);
    if (rc != 0 && m != NULL) ++bad;
    if (rc == 0) {
      /* A mutation that still validates: score with every profile. */
      size_t p, np = 0;
      merit_scorer *s = NULL;
      merit_model_profile_count(m, &np);
      for (p = 0; p < np; ++p) {
        const char *pid = NULL;
        merit_model_profile_id(m, p, &pid);
        if (merit_scorer_create(m, pid, &s) == 0) {
          const char *c = "{\"candidate_id\": \"F\", \"scores\": {\"alpha\": 4}}";
          if (merit_scorer_score_json(s, c, strlen(c), &result) == 0) merit_string_free(result);
          merit_scorer_destroy(s);
        }
      }
      merit_model_destroy(m);
    }

    /* The file entry point, now and then. */
    if (i % 50 == 0) {
      FILE *f = fopen(tmp_path, "wb");
      if (f) {
        fwrite(doc.data, 1, doc.size, f);
        fclose(f);
        rc = merit_model_load(tmp_path, &m);
        check(rc, "merit_model_load", &doc);
        if (rc == 0) merit_model_destroy(m);
      }
    }
  }
  remove(tmp_path);
  free(doc.data);
  free(mini);
  free(full);
  merit_scorer_destroy(scorer);
  merit_model_destroy(model);
  printf("%ld calls, %ld succeeded (%ld scored from evidence), %ld bad\n", calls, successes, evidence_successes, bad);
  return bad ? 1 : 0;
}
