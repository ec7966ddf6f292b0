/*
 * merit.h - the stable C ABI of merit (libmerit.so.1).
 *
 * Plain C99, usable from C, C++ and any FFI (JNA, ctypes, cgo, P/Invoke).
 * Documentation: docs/c-abi.md.
 *
 * Conventions (after libgit2):
 * - Every function that can fail returns 0 on success or a negative MERIT_E_*
 *   code. It first clears the calling thread's last error; on failure it sets
 *   it (merit_last_error) and sets its out-pointer, if any, to NULL.
 * - No C++ exception ever crosses this boundary and no input makes the library
 *   abort: bad input is a negative code with a message and a location.
 * - Opaque handles come in create/destroy pairs. Handles are immutable after
 *   creation and safe to share between threads without locking.
 * - Strings returned through `char **` are owned by the caller and released
 *   with merit_string_free. Strings returned through `const char **` (ids,
 *   hashes) are borrowed: they live as long as the handle they came from.
 *   Strings of merit_last_error live until the thread's next status-returning
 *   call into merit.
 * - Text is UTF-8. JSON input is parsed strictly: duplicate keys, invalid
 *   UTF-8 and nesting deeper than 256 levels are errors.
 */
#ifndef MERIT_H
#define MERIT_H

#include <stddef.h>
#include <stdint.h>

/* Version of this ABI: the SONAME's number (libmerit.so.1). It changes only
 * when a function disappears or changes its signature; additions keep it. */
#define MERIT_ABI_VERSION 1

#if defined(_WIN32)
#  if defined(MERIT_C_BUILDING)
#    define MERIT_API __declspec(dllexport)
#  else
#    define MERIT_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define MERIT_API __attribute__((visibility("default")))
#else
#  define MERIT_API
#endif

#if defined(__cplusplus)
#  define MERIT_NOEXCEPT noexcept
extern "C" {
#else
#  define MERIT_NOEXCEPT
#endif

/* ---- return codes -------------------------------------------------------
 * -1 .. -63 mirror merit::errc (MERIT_E_X == -(int)merit::errc::x); codes
 * below -63 belong to the C layer. Treat any negative value you do not know
 * as a failure: later versions may add codes. */
enum {
  MERIT_OK = 0,
  MERIT_E_INVALID_ARGUMENT = -1,     /* NULL handle, wrong size, index out of range */
  MERIT_E_IO = -2,                   /* a file could not be opened or read */
  MERIT_E_PARSE = -3,                /* not well-formed JSON / UTF-8, too deeply nested */
  MERIT_E_SCHEMA = -4,               /* well-formed, but not the required shape */
  MERIT_E_REFERENCE = -5,            /* an id names nothing that exists */
  MERIT_E_DUPLICATE = -6,            /* an id or key appears twice */
  MERIT_E_VALUE = -7,                /* a value outside its allowed range */
  MERIT_E_PROTECTED_ATTRIBUTE = -8,  /* demographic data where only evidence may go */
  MERIT_E_INCONSISTENT = -9,         /* numbers that contradict each other */
  MERIT_E_NOT_FOUND = -10,           /* a requested profile or item does not exist */
  MERIT_E_INTERRUPTED = -11,         /* the run was stopped */
  MERIT_E_UNSUPPORTED = -64,         /* valid request this build does not implement yet */
  MERIT_E_NOMEM = -65,               /* out of memory */
  MERIT_E_INTERNAL = -66             /* a bug in merit: please report it */
};

/* ---- candidate status (merit_scorer_score_batch's status_out) ---------- */
enum {
  MERIT_STATUS_QUALIFIED = 0,
  MERIT_STATUS_SCREENED_OUT = 1,  /* an observed competency is below its minimum (hurdle) */
  MERIT_STATUS_INCOMPLETE = 2     /* coverage below the profile's min_coverage, or a hurdle unobserved */
};

/* ---- opaque handles ------------------------------------------------------ */
typedef struct merit_model merit_model;    /* a validated competency model */
typedef struct merit_scorer merit_scorer;  /* a model's profile compiled for scoring */

/* ---- versions and errors ------------------------------------------------- */

/* The library version, e.g. "0.1.0" (static string). */
MERIT_API const char *merit_version(void) MERIT_NOEXCEPT;

/* The ABI version of the loaded library; compare with MERIT_ABI_VERSION. */
MERIT_API int merit_abi_version(void) MERIT_NOEXCEPT;

/* The calling thread's last error. Fields are never NULL; code is 0 and the
 * strings are empty when the thread's last status-returning call succeeded
 * (the destroy and free functions and these accessors leave it as it is). `location` is a
 * JSON pointer ("/scores/content_clarity"), "line:column" of a JSON text,
 * "file#/pointer" or "file:line:column" for files, "/row/column" for batch
 * arrays, or "" when the error has no place. This layout is part of the ABI. */
typedef struct merit_error {
  int code;              /* a MERIT_E_* value, or 0 */
  const char *message;   /* what went wrong, without the location */
  const char *location;  /* where, or "" */
} merit_error;

MERIT_API const merit_error *merit_last_error(void) MERIT_NOEXCEPT;

/* The same fields one by one, for FFIs that map structs awkwardly. */
MERIT_API int merit_last_error_code(void) MERIT_NOEXCEPT;
MERIT_API const char *merit_last_error_message(void) MERIT_NOEXCEPT;
MERIT_API const char *merit_last_error_location(void) MERIT_NOEXCEPT;

/* The stable name of a code: "ok", "invalid_argument", "parse", ...,
 * "unsupported", "nomem", "internal"; "unknown" for other values. */
MERIT_API const char *merit_error_name(int code) MERIT_NOEXCEPT;

/* Releases a string the library returned through `char **`. NULL is a no-op. */
MERIT_API void merit_string_free(char *s) MERIT_NOEXCEPT;

/* ---- models -------------------------------------------------------------- */

/* Loads and validates a competency model file (format merit.competency-model/1).
 * Errors are placed "path#/json/pointer" or "path:line:column". */
MERIT_API int merit_model_load(const char *path, merit_model **out) MERIT_NOEXCEPT;

/* The same from `size` bytes of JSON at `data` (need not be NUL-terminated).
 * `source` names the document in error locations ("source#/pointer"); NULL
 * gives bare pointers and "line:column". */
MERIT_API int merit_model_load_buffer(const char *data, size_t size, const char *source,
                                      merit_model **out) MERIT_NOEXCEPT;

/* Releases a model. Scorers created from it stay valid. NULL is a no-op. */
MERIT_API void merit_model_destroy(merit_model *model) MERIT_NOEXCEPT;

/* Borrowed strings: the model's id, version, and the SHA-256 (64 hex digits)
 * of its canonical JSON, which identifies the exact model in an audit trail. */
MERIT_API int merit_model_id(const merit_model *model, const char **out) MERIT_NOEXCEPT;
MERIT_API int merit_model_version(const merit_model *model, const char **out) MERIT_NOEXCEPT;
MERIT_API int merit_model_content_hash(const merit_model *model, const char **out) MERIT_NOEXCEPT;

/* Competencies in the model's order: the column order of every score array. */
MERIT_API int merit_model_competency_count(const merit_model *model, size_t *out) MERIT_NOEXCEPT;
MERIT_API int merit_model_competency_id(const merit_model *model, size_t index, const char **out) MERIT_NOEXCEPT;

/* Profiles (roles) in file order. */
MERIT_API int merit_model_profile_count(const merit_model *model, size_t *out) MERIT_NOEXCEPT;
MERIT_API int merit_model_profile_id(const merit_model *model, size_t index, const char **out) MERIT_NOEXCEPT;

/* ---- scorers ------------------------------------------------------------- */

/* Compiles profile `profile_id` of `model` (NULL: the model's first profile).
 * The scorer keeps what it needs of the model: it may outlive `model`. */
MERIT_API int merit_scorer_create(const merit_model *model, const char *profile_id,
                                  merit_scorer **out) MERIT_NOEXCEPT;

/* Releases a scorer. NULL is a no-op. */
MERIT_API void merit_scorer_destroy(merit_scorer *scorer) MERIT_NOEXCEPT;

/* The profile the scorer scores against (borrowed). */
MERIT_API int merit_scorer_profile_id(const merit_scorer *scorer, const char **out) MERIT_NOEXCEPT;

/* Scores one candidate described by a JSON document of `size` bytes:
 *
 *   {"candidate_id": "C001", "scores": {"content_clarity": 4, "sales_training": null, ...}}
 *
 * candidate_id is a string or an integer; scores are levels on the model's
 * scale 1..L, null or absent = not observed (never imputed). Instead of
 * "scores" a document may carry raw evidence, aggregated by the core into
 * competency scores that are then scored the same way: "evidence" (an array
 * of observations {"competency_id", "method", "rater", "value"}, values on
 * each method's own scale) or "greenhouse_scorecards" (Greenhouse Harvest
 * scorecard objects of this candidate). A document carries exactly one of
 * "scores", "evidence", "greenhouse_scorecards"; an optional "calibration"
 * must be "none" (one candidate cannot be calibrated). Optional
 * "application_id" (a string or an integer) and "correlation_id" (a string)
 * are echoed in the result as strings, unchanged; null is the same as
 * absent. A key that names a protected characteristic (e.g. "gender"),
 * anywhere but inside a form's own objects, is refused
 * (MERIT_E_PROTECTED_ATTRIBUTE). See docs/c-abi.md.
 *
 * On success *result receives a JSON object (free it with merit_string_free):
 *   {"candidate_id", ["application_id", "correlation_id",] "profile", "fit" (0..100, null when nothing weighted was
 *    observed), "status", "coverage", "contributions": {id: points},
 *    "gaps": {id: points}, "best_profile" (null when no profile has a fit),
 *    "margin" (null with fewer than two fits), "profiles": {id: {"fit",
 *    "status", "coverage"}}, "model": {"id", "version", "content_hash"},
 *    "merit_version"}; evidence documents add "evidence": {"competencies":
 *    {id: {"score", "ratings", "rater_sd", "se", "methods"}},
 *    "unmapped_attributes": {name: count}, "observations", "missing",
 *    "duplicates", "calibration"} before "model".
 * Contributions sum to the fit; gaps are the fit points lost below target. */
MERIT_API int merit_scorer_score_json(const merit_scorer *scorer, const char *json, size_t size,
                                      char **result) MERIT_NOEXCEPT;

/* Scores `n_rows` candidates from a row-major array `scores` of n_rows x n_cols
 * doubles, where n_cols must equal merit_model_competency_count and the
 * columns follow the model's competency order; NaN = not observed, other
 * values must lie in 1..L. Outputs are caller memory; any may be NULL to skip:
 *   fit_out, coverage_out: n_rows doubles (fit NaN = no fit);
 *   status_out: n_rows MERIT_STATUS_* values;
 *   contributions_out, gaps_out: n_rows x n_cols doubles, row-major, in the
 *     same column order; NaN for competencies the profile does not target.
 * Inputs are checked before anything is written: on failure no output changes. */
MERIT_API int merit_scorer_score_batch(const merit_scorer *scorer, const double *scores, size_t n_rows,
                                       size_t n_cols, double *fit_out, double *coverage_out,
                                       int8_t *status_out, double *contributions_out,
                                       double *gaps_out) MERIT_NOEXCEPT;

/* ---- streaming a pool file (MERIT_1.1) ------------------------------------ */

/* Progress of merit_score_file, called after each block of input: rows and
 * bytes read so far, and the input's size in bytes (0 when unknown, e.g. a
 * pipe). Return nonzero to go on, 0 to cancel the run. */
typedef int (*merit_progress_fn)(size_t rows, size_t bytes, size_t total_bytes, void *user);

/* Scores the pool in the file `input_path` against `model` and writes the
 * ranked results to `output_path`: the same bytes `merit score` writes (CSV
 * rank,candidate_id,fit,status,coverage[,band][,contrib_<id>...,gap_<id>...],
 * or JSON Lines), streamed block by block on `threads` threads. Each file
 * (results, rejects, decision log) appears only when the whole run succeeded.
 *
 * options_json: NULL, "" or a JSON object, all keys optional: "profile"
 *   (default: the model's first), "evidence" (true: the input is evidence),
 *   "format" ("wide", "long", "jsonl", "json", "greenhouse"; default by
 *   extension), "calibrate", "duplicates", "threads" (1..1024, default 1),
 *   "top", "explain", "output_format" ("csv"/"jsonl"; default by the
 *   output's extension), "rejects" (a path: bad rows are written there and
 *   the run goes on), "reliability" (0..1: adds the band column; default the
 *   profile's), "band_c", "no_band", "audit_log" (a path; refused when it
 *   exists), "overwrite_log" (true: replace an existing audit_log). A bad
 *   option fails with its JSON pointer as the location ("/threads"). An
 *   output that is the same file as the input or another output fails with
 *   MERIT_E_INVALID_ARGUMENT before any work.
 * progress: NULL, or called after each block (see merit_progress_fn); a 0
 *   return stops the run with MERIT_E_INTERRUPTED and nothing written.
 * summary_json: NULL, or receives (free with merit_string_free) {"rows_read",
 *   "scored", "rejected", "rejected_by_kind": {kind: count}, "missing_values",
 *   "written", "ungrouped", "profile", "output_format", "bands": null or
 *   {"sd", "width", "reliability", "c", "source"}}.
 * Without "rejects", the first bad row fails the call (its file:line:column
 * is the location). Returns 0 also when rows were rejected: see "rejected". */
MERIT_API int merit_score_file(const merit_model *model, const char *input_path, const char *output_path,
                               const char *options_json, merit_progress_fn progress, void *user,
                               char **summary_json) MERIT_NOEXCEPT;

/* ---- job titles to profiles (MERIT_1.2) ----------------------------------- */

/* Maps a job title (UTF-8, English or Chinese) to a profile of `model` by the
 * model's title_rules (docs/titles.md), as `merit match-title` does.
 * result_json receives (free with merit_string_free) {"title", "profile": id
 * or null, "score": 0..1, "alternatives": [{"profile", "score"}], "reason"}.
 * An empty title, or one that is not UTF-8, fails with MERIT_E_INVALID_ARGUMENT. */
MERIT_API int merit_match_title(const merit_model *model, const char *title, char **result_json) MERIT_NOEXCEPT;

/* ---- identity and named columns (MERIT_1.3) ------------------------------- */

/* The model a scorer was compiled from (borrowed, as long as the scorer
 * lives, even after merit_model_destroy): its id, version and content hash
 * (SHA-256 of its canonical JSON, 64 hex digits), the values of "model" in
 * every result. Record them with every answer you keep. */
MERIT_API int merit_scorer_model_id(const merit_scorer *scorer, const char **out) MERIT_NOEXCEPT;
MERIT_API int merit_scorer_model_version(const merit_scorer *scorer, const char **out) MERIT_NOEXCEPT;
MERIT_API int merit_scorer_model_content_hash(const merit_scorer *scorer, const char **out) MERIT_NOEXCEPT;

/* merit_scorer_score_batch with named columns: column j of `scores` (n_rows x
 * n_cols, row-major) holds competency `column_ids[j]`, in any order, so a
 * model that gains, loses or reorders competencies can never shift the
 * caller's columns. Refused before anything is written, at location
 * "/columns/<j>": an id that names no competency of the model
 * (MERIT_E_REFERENCE; MERIT_E_PROTECTED_ATTRIBUTE when it names a protected
 * characteristic), an id given twice (MERIT_E_DUPLICATE), a NULL id
 * (MERIT_E_INVALID_ARGUMENT); at "/columns": no column for a competency the
 * scorer's profile targets (MERIT_E_SCHEMA; pass NaN where it was not
 * observed). Competencies the profile does not target may be left out.
 * Outputs as in merit_scorer_score_batch; contributions_out and gaps_out are
 * n_rows x n_cols in the caller's column order. Value errors are placed
 * "/<row>/<column>" in the caller's columns. */
MERIT_API int merit_scorer_score_batch_named(const merit_scorer *scorer, const char *const *column_ids, size_t n_cols,
                                             const double *scores, size_t n_rows, double *fit_out,
                                             double *coverage_out, int8_t *status_out, double *contributions_out,
                                             double *gaps_out) MERIT_NOEXCEPT;

#if defined(__cplusplus)
}
#endif

#endif /* MERIT_H */
