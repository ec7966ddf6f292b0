// libmerit: the C ABI of include/merit.h over the header-only core.
//
// Every entry point is a thin guard around the core: clear the thread's last
// error, check the arguments, call the core, and turn any exception into a
// negative code. Nothing here re-implements scoring.
#define MERIT_C_BUILDING
#include <merit.h>

#include <merit/errors.hpp>
#include <merit/evidence.hpp>
#include <merit/fit.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/evidence.hpp>
#include <merit/io/json.hpp>
#include <merit/io/json_text.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>
#include <merit/protected.hpp>
#include <merit/io/roles.hpp>
#include <merit/io/titles.hpp>
#include <merit/pool/options_json.hpp>
#include <merit/pool/score_file.hpp>
#include <merit/version.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct merit_model {
  std::shared_ptr<const merit::competency_model> model;
};

struct merit_scorer {
  std::shared_ptr<const merit::competency_model> model;
  std::optional<merit::role_rule> roles;   ///< every profile, in file order, with the role rule
  std::size_t index = 0;                   ///< the scorer's own profile in roles->plans()
  std::vector<std::string> quoted_ids;     ///< the profile's competency ids as JSON strings, for results
  const merit::scoring_plan& plan() const { return roles->plans()[index]; }
};

namespace {

// ---- the calling thread's last error -----------------------------------------

struct error_state {
  std::string message, location;
  merit_error view{0, "", ""};
};

thread_local error_state last_error;

void clear_error() noexcept {
  last_error.view = {0, "", ""};
}

void set_error(int code, const char* message, const char* location = "") noexcept {
  try {
    last_error.message = message;
    last_error.location = location;
    last_error.view = {code, last_error.message.c_str(), last_error.location.c_str()};
  } catch (...) {
    // No memory for the text: keep the code, point at static text.
    last_error.view = {code, "out of memory while reporting an error", ""};
  }
}

int fail(int code, const char* message, const char* location = "") noexcept {
  set_error(code, message, location);
  return code;
}

/// Runs `body` (which returns 0 or a negative code), mapping every exception
/// to a code, so that none crosses the C boundary.
template <class Body>
int guarded(Body&& body) noexcept {
  clear_error();
  try {
    return body();
  } catch (const merit::error& e) {
    const int code = e.code() == merit::errc::ok ? MERIT_E_INTERNAL : -static_cast<int>(e.code());
    return fail(code, e.detail().c_str(), e.place().c_str());
  } catch (const std::bad_alloc&) {
    return fail(MERIT_E_NOMEM, "out of memory");
  } catch (const nlohmann::json::exception& e) {
    return fail(MERIT_E_INTERNAL, e.what());
  } catch (const std::exception& e) {
    return fail(MERIT_E_INTERNAL, e.what());
  } catch (...) {
    return fail(MERIT_E_INTERNAL, "unknown exception");
  }
}

template <class T>
void reset_out(T** out) noexcept {
  if (out) *out = nullptr;
}

int null_argument(const char* name) noexcept {
  std::string msg;
  try {
    msg = std::string(name) + " must not be NULL";
  } catch (...) {
    return fail(MERIT_E_INVALID_ARGUMENT, "an argument must not be NULL");
  }
  return fail(MERIT_E_INVALID_ARGUMENT, msg.c_str());
}


using ojson = nlohmann::ordered_json;

ojson number_or_null(double v) { return std::isnan(v) ? ojson(nullptr) : ojson(v); }

/// The keys a candidate document may carry besides candidate_id.
constexpr const char* score_forms[] = {"scores", "evidence", "greenhouse_scorecards"};

/// What a document in an evidence form contributed: the aggregated scores of
/// its one candidate and the report of the reader.
struct evidence_summary {
  merit::competency_scores scores;  ///< zero or one row
  std::map<std::string, std::size_t> unmapped;
  std::size_t missing = 0;
};

/// The "evidence" member of a result: per competency (model order) the
/// aggregate and its uncertainty, then what the reader set aside.
ojson evidence_json(const merit::competency_model& m, const evidence_summary& e) {
  const merit::competency_scores& s = e.scores;
  const bool has_row = s.scores.rows() > 0;
  ojson out;
  ojson& cs = out["competencies"] = ojson::object();
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    const auto j = static_cast<Eigen::Index>(c);
    ojson methods = ojson::array();
    const std::uint32_t mask = has_row ? s.methods(0, j) : 0u;
    for (std::size_t k = 0; k < m.methods.size(); ++k)
      if (mask & (1u << k)) methods.push_back(m.methods[k].id);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    cs[m.competencies[c].id] = {{"score", number_or_null(has_row ? s.scores(0, j) : nan)},
                                {"ratings", has_row ? s.ratings(0, j) : 0},
                                {"rater_sd", number_or_null(has_row ? s.rater_sd(0, j) : nan)},
                                {"se", number_or_null(has_row ? s.se(0, j) : nan)},
                                {"methods", std::move(methods)}};
  }
  ojson& un = out["unmapped_attributes"] = ojson::object();
  for (const auto& [name, count] : e.unmapped) un[name] = count;
  out["observations"] = s.observations;
  out["missing"] = e.missing;
  out["duplicates"] = s.duplicates;
  out["calibration"] = merit::to_string(s.calibration);
  return out;
}

/// The ids a document carries besides its scores: views into the document
/// (or into strings the slow path keeps alive while the result is written).
struct document_ids {
  std::string_view candidate_id;
  std::optional<std::string_view> application_id, correlation_id;
};

/// What merit_scorer_score_json reuses from call to call on one thread, so
/// that a call on a plain document allocates only the result it returns.
struct score_workspace {
  std::vector<double> row, contrib, gap;
  merit::role_answer answer;
  merit::role_workspace roles;
  merit::io::plain_candidate plain;
  std::string text;
};

thread_local score_workspace workspace;

/// The result object of merit_scorer_score_json for one candidate's scores
/// `x` (model order, NaN = not observed), written into `ws.text` (returned:
/// a view of it); `evidence` when they were aggregated.
std::string_view result_json(const merit_scorer& s, const document_ids& ids, const double* x, score_workspace& ws,
                 const evidence_summary* evidence = nullptr) {
  const merit::scoring_plan& plan = s.plan();
  const auto n = static_cast<std::size_t>(plan.size());
  ws.contrib.resize(n);
  ws.gap.resize(n);
  const merit::fit_result r = merit::score_one(plan, x, 1, ws.contrib.data(), ws.gap.data());
  const double* se = evidence && evidence->scores.se.rows() > 0 ? evidence->scores.se.data() : nullptr;
  s.roles->answer(ws.answer, ws.roles, x, 1, se);

  merit::io::json_text out(ws.text);
  out.begin_object();
  out.key("candidate_id").string(ids.candidate_id);
  if (ids.application_id) out.key("application_id").string(*ids.application_id);
  if (ids.correlation_id) out.key("correlation_id").string(*ids.correlation_id);
  out.key("profile").string(plan.profile_id());
  out.key("fit").number(r.fit);
  out.key("status").string(merit::to_string(r.status));
  out.key("coverage").number(r.coverage);
  out.key("contributions").begin_object();
  for (std::size_t k = 0; k < n; ++k) out.key_quoted(s.quoted_ids[k]).number(ws.contrib[k]);
  out.end_object();
  out.key("gaps").begin_object();
  for (std::size_t k = 0; k < n; ++k) out.key_quoted(s.quoted_ids[k]).number(ws.gap[k]);
  out.end_object();
  merit::io::put_role_answer(out, *s.roles, ws.answer);
  if (evidence) out.key("evidence").raw(evidence_json(*s.model, *evidence).dump());
  out.key("model").begin_object();
  out.key("id").string(plan.model_id());
  out.key("version").string(plan.model_version());
  out.key("content_hash").string(plan.model_hash());
  out.end_object();
  out.key("merit_version").string(merit::version());
  out.end_object();
  return out.view();
}

/// A copy of `s` in malloc'ed memory, released by merit_string_free.
char* duplicate(std::string_view s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

/// The optional echoed ids of a parsed document: application_id a string or
/// an integer (its decimal text), correlation_id a string; null is absent.
/// Their texts go to `keep`, which must outlive the result's writing.
void echoed_ids(const nlohmann::json& doc, document_ids& ids, std::string (&keep)[2]) {
  if (auto a = doc.find("application_id"); a != doc.end() && !a->is_null()) {
    if (a->is_string()) keep[0] = a->get<std::string>();
    else if (a->is_number_integer()) keep[0] = a->dump();
    else throw merit::input_error(merit::errc::schema, "/application_id", "application_id must be a string or an integer");
    if (keep[0].empty()) throw merit::input_error(merit::errc::value, "/application_id", "empty application_id");
    ids.application_id = keep[0];
  }
  if (auto c = doc.find("correlation_id"); c != doc.end() && !c->is_null()) {
    if (!c->is_string()) throw merit::input_error(merit::errc::schema, "/correlation_id", "correlation_id must be a string");
    keep[1] = c->get<std::string>();
    ids.correlation_id = keep[1];
  }
}

/// A JSON pointer token (RFC 6901: ~ -> ~0, / -> ~1).
std::string pointer_token(const std::string& key) { return merit::io::pointer_token(key); }

/// Text of an id field (string or integer) of an evidence item; throws at `place` otherwise.
std::string id_text(const nlohmann::json& v, const std::string& place, const char* what) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  throw merit::input_error(merit::errc::schema, place, std::string(what) + " must be a string or an integer");
}

/// The document's optional "calibration": only "none" makes sense for one candidate.
void check_calibration(const nlohmann::json& doc) {
  auto it = doc.find("calibration");
  if (it == doc.end()) return;
  if (!it->is_string())
    throw merit::input_error(merit::errc::schema, "/calibration", "calibration must be a string (\"none\")");
  const std::string c = it->get<std::string>();
  if (c == "none") return;
  if (c == "leniency" || c == "zscore")
    throw merit::input_error(merit::errc::value, "/calibration",
                             "calibration '" + c + "' needs the ratings of many candidates; a document scores one "
                             "candidate, so only 'none' is accepted (calibrate a whole pool with merit::aggregate "
                             "or merit.aggregate in Python)");
  throw merit::input_error(merit::errc::value, "/calibration", "unknown calibration '" + c + "' (expected 'none')");
}

/// Observations of an "evidence" array: {"competency_id", "method", "rater",
/// "value"} objects for the document's candidate. Errors are placed at
/// /evidence/<i>/<key>.
merit::observation_table read_evidence_array(const nlohmann::json& ev, const merit::competency_model& m,
                                             const std::string& cid) {
  using merit::errc;
  using merit::input_error;
  if (!ev.is_array()) throw input_error(errc::schema, "/evidence", "evidence must be an array of observations");
  merit::observation_table t;
  merit::io::observation_builder b(m, t);
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const std::string p = "/evidence/" + std::to_string(i);
    const nlohmann::json& o = ev[i];
    if (!o.is_object())
      throw input_error(errc::schema, p,
                        "an observation must be an object {\"competency_id\", \"method\", \"rater\", \"value\"}");
    for (auto it = o.begin(); it != o.end(); ++it)
      merit::check_not_protected<input_error>("key", it.key(), p + "/" + pointer_token(it.key()));
    auto field = [&](const char* key) -> std::string {
      auto it = o.find(key);
      if (it == o.end()) throw input_error(errc::schema, p, std::string("missing required key '") + key + "'");
      return id_text(*it, p + "/" + key, key);
    };
    if (auto own = o.find("candidate_id"); own != o.end()) {
      const std::string other = id_text(*own, p + "/candidate_id", "candidate_id");
      if (other != cid)
        throw input_error(errc::reference, p + "/candidate_id",
                          "observation is for candidate '" + other + "', but the document is for candidate '" + cid +
                              "'");
    }
    const std::string comp = field("competency_id"), meth = field("method"), rater = field("rater");
    std::string value;
    if (auto v = o.find("value"); v != o.end() && !v->is_null()) {
      if (!v->is_number() && !v->is_string())
        throw input_error(errc::schema, p + "/value", "value must be a number, a level name or null");
      value = merit::io::json_field_text(*v);
      // A level name that happens to read as missing ("null", "NA", "") is missing, as in the other readers.
    }
    b.add(cid, comp, meth, rater, value, "/candidate_id", p + "/competency_id", p + "/method", p + "/rater",
          p + "/value", p);
  }
  return t;
}

/// Observations of a "greenhouse_scorecards" array, all for the document's
/// candidate. Errors are placed at /greenhouse_scorecards/<pointer>.
merit::observation_table read_scorecards(const nlohmann::json& sc, const merit::competency_model& m,
                                         const std::string& cid, merit::io::evidence_report& rep) {
  // The reader places errors and observations "#<pointer>"; here they live under base.
  const std::string base = "/greenhouse_scorecards";
  auto rebase = [&](const std::string& at) { return at.empty() || at[0] != '#' ? at : base + at.substr(1); };
  merit::observation_table t;
  try {
    t = merit::io::read_greenhouse(sc, "", m, &rep);
  } catch (const merit::input_error& e) {
    throw merit::input_error(e.code(), rebase(e.place()), e.detail());
  }
  // merit::aggregate places its errors (a method that does not measure the
  // competency) at the observation's source.
  for (std::string& at : t.source) at = rebase(at);
  for (std::size_t i = 0; i < sc.size(); ++i) {
    const std::string other = merit::io::json_field_text(sc[i]["candidate_id"]);
    if (other != cid)
      throw merit::input_error(merit::errc::reference, base + "/" + std::to_string(i) + "/candidate_id",
                               "scorecard is for candidate '" + other + "', but the document is for candidate '" +
                                   cid + "'");
  }
  return t;
}

/// Where merit_scorer_score_batch(_named) write: caller memory, any NULL.
struct batch_outputs {
  double* fit;
  double* coverage;
  int8_t* status;
  double* contributions;  ///< n_rows x the caller's columns
  double* gaps;
};

/// Scores `n_rows` rows of the caller's columns: model competency
/// `model_of[j]` in column j, or the model's order when `model_of` is empty.
/// Checks every value before writing anything.
int score_rows(const merit_scorer& s, const double* scores, std::size_t n_rows, const std::vector<std::size_t>& model_of,
               const batch_outputs& out) {
  const merit::competency_model& m = *s.model;
  const std::size_t C = m.competencies.size(), W = model_of.empty() ? C : model_of.size();
  auto model_column = [&](std::size_t j) { return model_of.empty() ? j : model_of[j]; };
  if (n_rows == 0) return MERIT_OK;
  if (!scores) return null_argument("scores");
  if (W == 0 || n_rows > std::numeric_limits<std::size_t>::max() / sizeof(double) / W)
    return W == 0 ? MERIT_OK : fail(MERIT_E_INVALID_ARGUMENT, "n_rows x n_cols overflows the address space");

  for (std::size_t i = 0; i < n_rows; ++i) {
    const double* x = scores + i * W;
    for (std::size_t j = 0; j < W; ++j) {
      const double v = x[j];
      if (std::isnan(v) || merit::on_model_scale(v, m.levels)) continue;
      return fail(MERIT_E_VALUE, merit::off_scale_message(v, m.competencies[model_column(j)].id, m.levels).c_str(),
                  ("/" + std::to_string(i) + "/" + std::to_string(j)).c_str());
    }
  }

  const merit::scoring_plan& plan = s.plan();
  const auto n = static_cast<std::size_t>(plan.size());
  const bool explain = out.contributions || out.gaps;
  std::vector<double> contrib(explain ? n : 0), gap(explain ? n : 0), row(model_of.empty() ? 0 : C);
  std::vector<std::size_t> column_of(model_of.empty() ? 0 : C);
  for (std::size_t j = 0; j < model_of.size(); ++j) column_of[model_of[j]] = j;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < n_rows; ++i) {
    const double* x = scores + i * W;
    if (!model_of.empty()) {  // into model order; competencies without a column are not observed
      std::fill(row.begin(), row.end(), nan);
      for (std::size_t j = 0; j < W; ++j) row[model_of[j]] = x[j];
      x = row.data();
    }
    const merit::fit_result r =
        merit::score_one(plan, x, 1, explain ? contrib.data() : nullptr, explain ? gap.data() : nullptr);
    if (out.fit) out.fit[i] = r.fit;
    if (out.coverage) out.coverage[i] = r.coverage;
    if (out.status) out.status[i] = static_cast<int8_t>(r.status);
    if (out.contributions) std::fill(out.contributions + i * W, out.contributions + (i + 1) * W, nan);
    if (out.gaps) std::fill(out.gaps + i * W, out.gaps + (i + 1) * W, nan);
    for (std::size_t k = 0; explain && k < n; ++k) {
      const auto c = static_cast<std::size_t>(plan.columns()[static_cast<Eigen::Index>(k)]);
      const std::size_t col = model_of.empty() ? c : column_of[c];
      if (out.contributions) out.contributions[i * W + col] = contrib[k];
      if (out.gaps) out.gaps[i * W + col] = gap[k];
    }
  }
  return MERIT_OK;
}

int model_from_text(std::string_view text, const std::string& source, merit_model** out) {
  auto m = std::make_shared<const merit::competency_model>(merit::parse_model_text(text, source));
  *out = new merit_model{std::move(m)};
  return MERIT_OK;
}

int borrowed(const std::string& s, const char** out) {
  *out = s.c_str();
  return MERIT_OK;
}

/// A borrowed string of a scorer's plan, `get(plan)`, through `out`.
template <class Get>
int scorer_text(const merit_scorer* scorer, const char** out, Get get) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!scorer) return null_argument("scorer");
    if (!out) return null_argument("out");
    return borrowed(get(scorer->plan()), out);
  });
}

}  // namespace

// ---- versions and errors -------------------------------------------------------

extern "C" {

const char* merit_version(void) noexcept { return merit::version(); }

int merit_abi_version(void) noexcept { return MERIT_ABI_VERSION; }

const merit_error* merit_last_error(void) noexcept { return &last_error.view; }
int merit_last_error_code(void) noexcept { return last_error.view.code; }
const char* merit_last_error_message(void) noexcept { return last_error.view.message; }
const char* merit_last_error_location(void) noexcept { return last_error.view.location; }

const char* merit_error_name(int code) noexcept {
  switch (code) {
    case MERIT_E_UNSUPPORTED: return "unsupported";
    case MERIT_E_NOMEM: return "nomem";
    case MERIT_E_INTERNAL: return "internal";
    default: break;
  }
  if (code > 0 || code < -63) return "unknown";
  const char* name = merit::to_string(static_cast<merit::errc>(-code));
  return name;
}

void merit_string_free(char* s) noexcept { std::free(s); }

int merit_score_file(const merit_model* model, const char* input_path, const char* output_path,
                     const char* options_json, merit_progress_fn progress, void* user, char** summary_json) noexcept {
  reset_out(summary_json);
  return guarded([&] {
    if (!model) return null_argument("model");
    if (!input_path) return null_argument("input_path");
    if (!output_path) return null_argument("output_path");
    const merit::pool::score_request req =
        merit::pool::parse_score_request(options_json ? options_json : "", input_path);
    merit::pool::progress_fn fn;
    if (progress)
      fn = [progress, user](const merit::pool::progress& p) {
        return progress(p.rows, p.bytes, p.total_bytes.value_or(0), user) != 0;
      };
    const merit::pool::summary s = merit::pool::score_file(*model->model, req.input, output_path, req.options, fn);
    if (summary_json) *summary_json = duplicate(merit::pool::to_json(s).dump());
    return static_cast<int>(MERIT_OK);
  });
}

int merit_match_title(const merit_model* model, const char* title, char** result_json) noexcept {
  reset_out(result_json);
  return guarded([&] {
    if (!model) return null_argument("model");
    if (!title) return null_argument("title");
    if (!result_json) return null_argument("result_json");
    *result_json = duplicate(merit::io::title_match_json(merit::match_title(*model->model, title)).dump());
    return static_cast<int>(MERIT_OK);
  });
}

// ---- models ----------------------------------------------------------------------

int merit_model_load(const char* path, merit_model** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!path) return null_argument("path");
    if (!out) return null_argument("out");
    return model_from_text(merit::read_text_file<merit::model_error>(path), path, out);
  });
}

int merit_model_load_buffer(const char* data, size_t size, const char* source, merit_model** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!data && size) return null_argument("data");
    if (!out) return null_argument("out");
    return model_from_text(std::string_view(data ? data : "", size), source ? source : "", out);
  });
}

void merit_model_destroy(merit_model* model) noexcept { delete model; }

int merit_model_id(const merit_model* model, const char** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!model) return null_argument("model");
    if (!out) return null_argument("out");
    return borrowed(model->model->id, out);
  });
}

int merit_model_version(const merit_model* model, const char** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!model) return null_argument("model");
    if (!out) return null_argument("out");
    return borrowed(model->model->version, out);
  });
}

int merit_model_content_hash(const merit_model* model, const char** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!model) return null_argument("model");
    if (!out) return null_argument("out");
    return borrowed(model->model->content_hash, out);
  });
}

int merit_model_competency_count(const merit_model* model, size_t* out) noexcept {
  if (out) *out = 0;
  return guarded([&]() -> int {
    if (!model) return null_argument("model");
    if (!out) return null_argument("out");
    *out = model->model->competencies.size();
    return MERIT_OK;
  });
}

int merit_model_competency_id(const merit_model* model, size_t index, const char** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!model) return null_argument("model");
    if (!out) return null_argument("out");
    const auto& cs = model->model->competencies;
    if (index >= cs.size())
      return fail(MERIT_E_INVALID_ARGUMENT, ("competency index " + std::to_string(index) + " is out of range (the model has " +
                                             std::to_string(cs.size()) + ")").c_str());
    return borrowed(cs[index].id, out);
  });
}

int merit_model_profile_count(const merit_model* model, size_t* out) noexcept {
  if (out) *out = 0;
  return guarded([&]() -> int {
    if (!model) return null_argument("model");
    if (!out) return null_argument("out");
    *out = model->model->profiles.size();
    return MERIT_OK;
  });
}

int merit_model_profile_id(const merit_model* model, size_t index, const char** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!model) return null_argument("model");
    if (!out) return null_argument("out");
    const auto& ps = model->model->profiles;
    if (index >= ps.size())
      return fail(MERIT_E_INVALID_ARGUMENT, ("profile index " + std::to_string(index) + " is out of range (the model has " +
                                             std::to_string(ps.size()) + ")").c_str());
    return borrowed(ps[index].id, out);
  });
}

// ---- scorers -------------------------------------------------------------------------

int merit_scorer_create(const merit_model* model, const char* profile_id, merit_scorer** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!model) return null_argument("model");
    if (!out) return null_argument("out");
    const merit::competency_model& m = *model->model;
    const std::string pid = profile_id ? profile_id : m.profiles.front().id;
    m.get_profile(pid);  // not_found, listing the model's profiles
    auto s = std::make_unique<merit_scorer>();
    s->model = model->model;
    s->roles.emplace(m);
    for (std::size_t p = 0; p < s->roles->plans().size(); ++p)
      if (s->roles->plans()[p].profile_id() == pid) s->index = p;
    for (const std::string& id : s->plan().competency_ids()) {
      std::string text;
      merit::io::json_text quoted(text);
      quoted.string(id);
      s->quoted_ids.emplace_back(quoted.view());
    }
    *out = s.release();
    return MERIT_OK;
  });
}

void merit_scorer_destroy(merit_scorer* scorer) noexcept { delete scorer; }

int merit_scorer_profile_id(const merit_scorer* scorer, const char** out) noexcept {
  reset_out(out);
  return guarded([&]() -> int {
    if (!scorer) return null_argument("scorer");
    if (!out) return null_argument("out");
    return borrowed(scorer->plan().profile_id(), out);
  });
}

int merit_scorer_score_json(const merit_scorer* scorer, const char* json, size_t size, char** result) noexcept {
  reset_out(result);
  return guarded([&]() -> int {
    if (!scorer) return null_argument("scorer");
    if (!json && size) return null_argument("json");
    if (!result) return null_argument("result");
    const merit::competency_model& m = *scorer->model;
    const std::string_view text(json ? json : "", size);
    score_workspace& ws = workspace;
    ws.row.assign(m.competencies.size(), std::numeric_limits<double>::quiet_NaN());

    // A plain document is read straight into the row; anything else (other
    // forms, escapes, errors) the full way below, which words every error.
    if (merit::io::read_plain_candidate(text, m, ws.row.data(), ws.plain)) {
      const document_ids ids{ws.plain.candidate_id, ws.plain.application_id, ws.plain.correlation_id};
      *result = duplicate(result_json(*scorer, ids, ws.row.data(), ws));
      return MERIT_OK;
    }
    std::fill(ws.row.begin(), ws.row.end(), std::numeric_limits<double>::quiet_NaN());
    const nlohmann::json doc = merit::io::parse_json<merit::input_error>(text, "");
    if (!doc.is_object()) return fail(MERIT_E_SCHEMA, "a candidate document must be a JSON object", "");

    const char* form = nullptr;
    for (const char* key : score_forms) {
      if (!doc.contains(key)) continue;
      if (form)
        return fail(MERIT_E_SCHEMA,
                    (std::string("a candidate carries one of 'scores', 'evidence', 'greenhouse_scorecards'; got both '") +
                     form + "' and '" + key + "'").c_str(),
                    (std::string("/") + key).c_str());
      form = key;
    }
    if (!form)
      return fail(MERIT_E_SCHEMA, "missing required key 'scores' (or 'evidence', 'greenhouse_scorecards')", "");
    check_calibration(doc);
    merit::io::check_candidate_keys(doc, "", "");

    std::string keep[2];
    document_ids ids;
    if (std::strcmp(form, "scores") == 0) {
      const std::string cid = merit::io::read_candidate_json(doc, m, "", "", ws.row.data());
      ids.candidate_id = cid;
      echoed_ids(doc, ids, keep);
      *result = duplicate(result_json(*scorer, ids, ws.row.data(), ws));
      return MERIT_OK;
    }

    // Evidence forms: the candidate id as for "scores" (same checks and messages),
    // then observations -> merit::aggregate -> the aggregated row is scored.
    nlohmann::json id_only = {{"scores", nlohmann::json::object()}};
    if (auto id = doc.find("candidate_id"); id != doc.end()) id_only["candidate_id"] = *id;
    const std::string cid = merit::io::read_candidate_json(id_only, m, "", "", ws.row.data());
    ids.candidate_id = cid;
    echoed_ids(doc, ids, keep);
    merit::io::evidence_report rep;
    const merit::observation_table obs = std::strcmp(form, "evidence") == 0
                                             ? read_evidence_array(doc["evidence"], m, cid)
                                             : read_scorecards(doc["greenhouse_scorecards"], m, cid, rep);
    evidence_summary ev{merit::aggregate(m, obs), std::move(rep.unmapped), obs.missing};
    // Every observation is this candidate's: zero rows (nothing observed) or one.
    if (ev.scores.scores.rows() > 0)
      for (std::size_t c = 0; c < ws.row.size(); ++c) ws.row[c] = ev.scores.scores(0, static_cast<Eigen::Index>(c));
    *result = duplicate(result_json(*scorer, ids, ws.row.data(), ws, &ev));
    return MERIT_OK;
  });
}

int merit_scorer_score_batch(const merit_scorer* scorer, const double* scores, size_t n_rows, size_t n_cols,
                             double* fit_out, double* coverage_out, int8_t* status_out, double* contributions_out,
                             double* gaps_out) noexcept {
  return guarded([&]() -> int {
    if (!scorer) return null_argument("scorer");
    const std::size_t C = scorer->model->competencies.size();
    if (n_cols != C)
      return fail(MERIT_E_INVALID_ARGUMENT, ("n_cols is " + std::to_string(n_cols) + ", but the model has " +
                                             std::to_string(C) + " competencies (merit_model_competency_count)").c_str());
    return score_rows(*scorer, scores, n_rows, {}, {fit_out, coverage_out, status_out, contributions_out, gaps_out});
  });
}

// ---- identity and named columns (MERIT_1.3) ----------------------------------------

int merit_scorer_model_id(const merit_scorer* scorer, const char** out) noexcept {
  return scorer_text(scorer, out, [](const merit::scoring_plan& p) -> const std::string& { return p.model_id(); });
}

int merit_scorer_model_version(const merit_scorer* scorer, const char** out) noexcept {
  return scorer_text(scorer, out, [](const merit::scoring_plan& p) -> const std::string& { return p.model_version(); });
}

int merit_scorer_model_content_hash(const merit_scorer* scorer, const char** out) noexcept {
  return scorer_text(scorer, out, [](const merit::scoring_plan& p) -> const std::string& { return p.model_hash(); });
}

int merit_scorer_score_batch_named(const merit_scorer* scorer, const char* const* column_ids, size_t n_cols,
                                   const double* scores, size_t n_rows, double* fit_out, double* coverage_out,
                                   int8_t* status_out, double* contributions_out, double* gaps_out) noexcept {
  return guarded([&]() -> int {
    if (!scorer) return null_argument("scorer");
    if (!column_ids && n_cols) return null_argument("column_ids");
    const merit::competency_model& m = *scorer->model;
    std::vector<std::size_t> model_of(n_cols);
    std::vector<std::size_t> column_of(m.competencies.size(), n_cols);  // n_cols: not given
    for (std::size_t j = 0; j < n_cols; ++j) {
      const std::string at = "/columns/" + std::to_string(j);
      if (!column_ids[j]) return fail(MERIT_E_INVALID_ARGUMENT, ("column_ids[" + std::to_string(j) + "] must not be NULL").c_str(), at.c_str());
      const std::string id = column_ids[j];
      const auto c = m.find_competency(id);
      if (!c) {
        if (auto problem = merit::protected_name_problem("column", id))
          return fail(MERIT_E_PROTECTED_ATTRIBUTE, problem->c_str(), at.c_str());
        return fail(MERIT_E_REFERENCE, ("column '" + id + "' names no competency of model '" + m.id + "'").c_str(), at.c_str());
      }
      if (column_of[*c] != n_cols)
        return fail(MERIT_E_DUPLICATE, ("duplicate column '" + id + "' (first at column " + std::to_string(column_of[*c]) + ")").c_str(),
                    at.c_str());
      column_of[*c] = j;
      model_of[j] = *c;
    }
    const merit::scoring_plan& plan = scorer->plan();
    for (Eigen::Index k = 0; k < plan.size(); ++k) {
      const auto c = static_cast<std::size_t>(plan.columns()[k]);
      if (column_of[c] == n_cols)
        return fail(MERIT_E_SCHEMA, ("no column for competency '" + m.competencies[c].id + "', which profile '" +
                                     plan.profile_id() + "' targets (pass NaN where it was not observed)").c_str(),
                    "/columns");
    }
    return score_rows(*scorer, scores, n_rows, model_of, {fit_out, coverage_out, status_out, contributions_out, gaps_out});
  });
}

}  // extern "C"
