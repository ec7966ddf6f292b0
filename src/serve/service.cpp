#include "service.hpp"

#include "openapi_json.hpp"

#include <merit.h>
#include <merit/errors.hpp>
#include <merit/fairness.hpp>
#include <merit/fit.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/io/file.hpp>
#include <merit/io/json.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>
#include <merit/protected.hpp>
#include <merit/rank.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace merit::serve {

// ---- the models a server answers with ------------------------------------------

struct c_deleter {
  void operator()(merit_model* m) const { merit_model_destroy(m); }
  void operator()(merit_scorer* s) const { merit_scorer_destroy(s); }
};

struct loaded_profile {
  std::unique_ptr<merit_scorer, c_deleter> scorer;
  scoring_plan plan;
};

struct loaded_model {
  competency_model model;
  std::unique_ptr<merit_model, c_deleter> handle;
  std::map<std::string, loaded_profile> profiles;
};

/// The models loaded from the files given, replaced as a whole on reload.
class model_set {
 public:
  std::vector<std::unique_ptr<loaded_model>> models;  ///< in the order given

  const loaded_model* find(const std::string& id) const {
    for (const auto& m : models)
      if (m->model.id == id) return m.get();
    return nullptr;
  }
  std::string ids() const {
    std::string s;
    for (const auto& m : models) s += (s.empty() ? "" : ", ") + m->model.id;
    return s;
  }

  static std::shared_ptr<const model_set> load(const std::vector<std::string>& paths) {
    auto set = std::make_shared<model_set>();
    for (const std::string& path : paths) {
      const std::string text = read_text_file<model_error>(path);
      auto m = std::make_unique<loaded_model>();
      m->model = parse_model_text(text, path);
      if (set->find(m->model.id))
        throw input_error(errc::duplicate, path, "model '" + m->model.id + "' is given twice; each --model needs its own id");
      merit_model* h = nullptr;
      if (merit_model_load_buffer(text.data(), text.size(), path.c_str(), &h) != MERIT_OK)
        throw input_error(errc::schema, path, merit_last_error_message());
      m->handle.reset(h);
      for (const profile& p : m->model.profiles) {
        merit_scorer* s = nullptr;
        if (merit_scorer_create(h, p.id.c_str(), &s) != MERIT_OK)
          throw input_error(errc::schema, path, merit_last_error_message());
        m->profiles.emplace(p.id, loaded_profile{std::unique_ptr<merit_scorer, c_deleter>(s), scoring_plan(m->model, p)});
      }
      set->models.push_back(std::move(m));
    }
    return set;
  }
};

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using clock = std::chrono::steady_clock;

/// A refusal with its HTTP status, raised inside a handler.
struct http_error {
  int status;
  std::string code, message, pointer;
};

response json_response(int status, std::string body) {
  response r;
  r.status = status;
  r.body = std::move(body);
  r.body += '\n';
  return r;
}

response error_response(const http_error& e) {
  ojson err = {{"code", e.code}, {"message", e.message}};
  if (!e.pointer.empty()) err["pointer"] = e.pointer;
  // A message may quote the request's bytes (a parse error's "last read"),
  // which need not be UTF-8: invalid bytes become U+FFFD, so the answer is
  // always JSON (dump would throw, and the answer would be lost).
  response r = json_response(e.status, ojson{{"error", err}}.dump(-1, ' ', false, ojson::error_handler_t::replace));
  if (e.status == 503) r.headers.emplace_back("Retry-After", "1");
  if (e.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

/// The status an input error of the library answers with: 400 when the body
/// is not JSON, 422 when it is JSON of the wrong shape or values.
int status_of(errc c) { return c == errc::parse ? 400 : 422; }

json parse_body(const request& req, const serve::limits& lim) {
  if (auto at = depth_exceeded(req.body, lim.max_depth))
    throw http_error{400, "too_deep",
                     "the body nests arrays and objects deeper than " + std::to_string(lim.max_depth) +
                         " levels (at byte " + std::to_string(*at) + ")",
                     ""};
  try {
    json doc = io::parse_json<input_error>(req.body, "");
    if (!doc.is_object()) throw http_error{422, "schema", "the body must be a JSON object", ""};
    return doc;
  } catch (const input_error& e) {
    const std::string at = e.place().empty() ? "" : " (at " + e.place() + ")";
    throw http_error{status_of(e.code()), to_string(e.code()), "the body: " + e.detail() + at, ""};
  }
}

/// Refuses keys of the body other than `allowed`, protected ones first (as the
/// CLI refuses them: the library's check and message).
void check_keys(const json& body, std::initializer_list<const char*> allowed) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string ptr = "/" + io::pointer_token(it.key());
    try {
      check_not_protected<input_error>("key", it.key(), ptr);
    } catch (const input_error& e) {
      throw http_error{422, to_string(e.code()), e.detail(), ptr};
    }
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return it.key() == k; })) {
      std::string names;
      for (const char* k : allowed) names += (names.empty() ? "'" : ", '") + std::string(k) + "'";
      throw http_error{422, "schema", "unknown key '" + it.key() + "' (expected " + names + ")", ptr};
    }
  }
}

std::string string_member(const json& body, const char* key) {
  const json& v = body.at(key);
  if (!v.is_string()) throw http_error{422, "schema", std::string(key) + " must be a string", std::string("/") + key};
  return v.get<std::string>();
}

const loaded_model& pick_model(const model_set& set, const json& body) {
  if (!body.contains("model")) {
    if (set.models.size() == 1) return *set.models.front();
    throw http_error{422, "schema", "missing required key 'model' (this server has models " + set.ids() + ")", ""};
  }
  const std::string id = string_member(body, "model");
  if (const loaded_model* m = set.find(id)) return *m;
  throw http_error{422, "not_found", "unknown model '" + id + "' (this server has " + set.ids() + ")", "/model"};
}

const loaded_profile& pick_profile(const loaded_model& m, const json& body) {
  const std::string id = body.contains("profile") ? string_member(body, "profile") : m.model.profiles.front().id;
  auto it = m.profiles.find(id);
  if (it != m.profiles.end()) return it->second;
  std::string ids;
  for (const profile& p : m.model.profiles) ids += (ids.empty() ? "" : ", ") + p.id;
  throw http_error{422, "not_found", "unknown profile '" + id + "' in model '" + m.model.id + "' (it has " + ids + ")",
                   "/profile"};
}

const json& candidates_of(const json& body, const serve::limits& lim) {
  auto it = body.find("candidates");
  if (it == body.end()) throw http_error{422, "schema", "missing required key 'candidates'", ""};
  if (!it->is_array())
    throw http_error{422, "schema", "candidates must be an array of candidate documents", "/candidates"};
  if (it->size() > lim.max_candidates)
    throw http_error{413, "too_many_candidates",
                     "the body has " + std::to_string(it->size()) + " candidates; send at most " +
                         std::to_string(lim.max_candidates) + " per request",
                     "/candidates"};
  return *it;
}

/// merit_scorer_score_json on candidate `i`: its result object, or the C ABI's
/// error placed under /candidates/<i>.
std::string score_document(const merit_scorer* scorer, const json& doc, std::size_t i) {
  const std::string text = doc.dump();
  char* out = nullptr;
  const int rc = merit_scorer_score_json(scorer, text.data(), text.size(), &out);
  if (rc == MERIT_OK) {
    std::string result(out);
    merit_string_free(out);
    return result;
  }
  const std::string base = "/candidates/" + std::to_string(i);
  if (rc == MERIT_E_NOMEM || rc == MERIT_E_INTERNAL || rc == MERIT_E_UNSUPPORTED)
    throw http_error{500, "internal", "the server could not score candidate " + std::to_string(i), base};
  const std::string loc = merit_last_error_location();
  throw http_error{422, merit_error_name(rc), merit_last_error_message(), loc.empty() || loc[0] != '/' ? base : base + loc};
}

/// The decision-log block of one request: a header naming the model's content
/// hash and the body's SHA-256, then the records in ranking order, so each
/// block checks like a log of `merit score --audit-log`.
std::string decision_block(const loaded_profile& lp, const std::vector<std::string>& results, const std::string& body,
                           std::uint64_t seq, const char* endpoint) {
  const scoring_plan& plan = lp.plan;
  struct entry {
    std::int64_t key;
    std::string id;
    ojson rec;
  };
  std::vector<entry> entries;
  std::vector<double> contrib(static_cast<std::size_t>(plan.size()));
  for (const std::string& text : results) {
    const json r = json::parse(text);
    fit_result f;
    f.fit = r["fit"].is_null() ? std::numeric_limits<double>::quiet_NaN() : r["fit"].get<double>();
    f.coverage = r["coverage"].get<double>();
    f.status = parse_result_status(r["status"].get<std::string>()).value_or(status::incomplete);
    for (std::size_t k = 0; k < contrib.size(); ++k) contrib[k] = r["contributions"][plan.competency_ids()[k]].get<double>();
    const std::string id = r["candidate_id"].get<std::string>();
    entries.push_back({rank_key(f.status, f.fit), id, decision_log_record(plan, id, f, contrib.data())});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const entry& a, const entry& b) { return ranks_before(a.key, a.id, b.key, b.id); });
  std::string block = decision_log_header(plan, "request:" + std::to_string(seq), sha256_hex(body),
                                          std::string("merit serve POST ") + endpoint)
                          .dump();
  block += '\n';
  for (const entry& e : entries) {
    block += e.rec.dump();
    block += '\n';
  }
  return block;
}

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

}  // namespace

std::optional<std::size_t> depth_exceeded(const std::string& text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

// ---- metrics -------------------------------------------------------------------

constexpr double metrics::bounds[];

void metrics::observe(const std::string& endpoint, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{endpoint, status}];
  histogram& h = latency_[endpoint];
  std::size_t b = 0;
  while (b < std::size(bounds) && seconds > bounds[b]) ++b;
  ++h.counts[b];
  h.sum += seconds;
  ++h.count;
}

void metrics::error(const std::string& kind) {
  std::lock_guard<std::mutex> lock(mu_);
  ++errors_[kind];
}

std::string metrics::text(std::size_t in_flight, std::size_t reloads) const {
  std::ostringstream o;
  o.imbue(std::locale::classic());
  std::lock_guard<std::mutex> lock(mu_);
  o << "# HELP merit_http_requests_total Requests answered, by endpoint and HTTP status.\n"
       "# TYPE merit_http_requests_total counter\n";
  for (const auto& [k, n] : requests_)
    o << "merit_http_requests_total{endpoint=\"" << k.first << "\",status=\"" << k.second << "\"} " << n << '\n';
  o << "# HELP merit_http_request_duration_seconds Time from a whole request read to its response ready.\n"
       "# TYPE merit_http_request_duration_seconds histogram\n";
  for (const auto& [ep, h] : latency_) {
    std::uint64_t cum = 0;
    for (std::size_t b = 0; b < std::size(bounds); ++b) {
      cum += h.counts[b];
      o << "merit_http_request_duration_seconds_bucket{endpoint=\"" << ep << "\",le=\"" << bounds[b] << "\"} " << cum
        << '\n';
    }
    o << "merit_http_request_duration_seconds_bucket{endpoint=\"" << ep << "\",le=\"+Inf\"} " << h.count << '\n'
      << "merit_http_request_duration_seconds_sum{endpoint=\"" << ep << "\"} " << h.sum << '\n'
      << "merit_http_request_duration_seconds_count{endpoint=\"" << ep << "\"} " << h.count << '\n';
  }
  o << "# HELP merit_http_errors_total Refused or failed requests, by error code.\n"
       "# TYPE merit_http_errors_total counter\n";
  for (const auto& [kind, n] : errors_) o << "merit_http_errors_total{kind=\"" << kind << "\"} " << n << '\n';
  o << "# HELP merit_candidates_scored_total Candidates scored and answered.\n"
       "# TYPE merit_candidates_scored_total counter\n"
       "merit_candidates_scored_total "
    << candidates_.load() << '\n'
    << "# HELP merit_http_requests_in_flight Requests being handled now.\n"
       "# TYPE merit_http_requests_in_flight gauge\n"
       "merit_http_requests_in_flight "
    << in_flight << '\n'
    << "# HELP merit_model_reloads_total Successful model reloads (SIGHUP).\n"
       "# TYPE merit_model_reloads_total counter\n"
       "merit_model_reloads_total "
    << reloads << '\n';
  return o.str();
}

// ---- the service ----------------------------------------------------------------

service::service(options opt)
    : opt_(std::move(opt)), keys_(std::make_shared<const key_set>(key_set::load(opt_.api_keys_path))) {
  if (opt_.model_paths.empty()) throw input_error(errc::invalid_argument, "", "give at least one --model");
  models_ = model_set::load(opt_.model_paths);
  if (!opt_.audit_log_path.empty()) {
    log_ = std::fopen(opt_.audit_log_path.c_str(), "ab");
    if (!log_) throw input_error(errc::io, opt_.audit_log_path, "cannot open the decision log for appending");
  }
}

service::~service() {
  if (log_) std::fclose(log_);
}

std::shared_ptr<const model_set> service::current() const {
  std::lock_guard<std::mutex> lock(models_mu_);
  return models_;
}

std::shared_ptr<const key_set> service::current_keys() const {
  std::lock_guard<std::mutex> lock(models_mu_);
  return keys_;
}

std::optional<std::string> service::reload() {
  try {
    auto fresh = model_set::load(opt_.model_paths);
    auto fresh_keys = std::make_shared<const key_set>(key_set::load(opt_.api_keys_path));
    std::lock_guard<std::mutex> lock(models_mu_);
    models_ = std::move(fresh);
    keys_ = std::move(fresh_keys);
    ++reloads_;
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

bool service::authorized(const request& req) const {
  const std::string* h = req.header("authorization");
  constexpr std::string_view scheme = "Bearer ";
  if (!h || std::string_view(*h).substr(0, scheme.size()) != scheme) return false;
  return current_keys()->accepts(std::string_view(*h).substr(scheme.size()));
}

response service::refuse(int status, const std::string& code, const std::string& message) {
  metrics_.error(code);
  metrics_.observe("other", status, 0);
  return error_response({status, code, message, ""});
}

response service::handle(const request& req) {
  const auto start = clock::now();
  const std::string path = path_of(req.target);
  std::string endpoint = "other";
  for (const char* ep : {"/healthz", "/metrics", "/openapi.json", "/v1/models", "/v1/score", "/v1/evidence", "/v1/roles",
                         "/v1/webhooks/greenhouse"})
    if (path == ep) endpoint = ep;
  if (path.rfind("/v1/models/", 0) == 0) endpoint = "/v1/models/{id}/profiles";

  response res;
  const std::size_t running = ++in_flight_;
  try {
    if (running > opt_.limits.max_in_flight)
      throw http_error{503, "overloaded",
                       "the server is answering " + std::to_string(opt_.limits.max_in_flight) +
                           " requests already; retry after the time in Retry-After",
                       ""};
    res = route(req, endpoint);
  } catch (const http_error& e) {
    res = error_response(e);
    metrics_.error(e.code);
  } catch (const std::bad_alloc&) {
    res = error_response({503, "overloaded", "the server is out of memory for this request; retry later", ""});
    metrics_.error("overloaded");
  } catch (...) {
    // No exception text leaves the server: it may name files or internals.
    res = error_response({500, "internal", "the server failed on this request", ""});
    metrics_.error("internal");
  }
  --in_flight_;
  metrics_.observe(endpoint, res.status,
                   std::chrono::duration<double>(clock::now() - start).count());
  return res;
}

response service::route(const request& req, const std::string& endpoint) {
  const bool get = req.method == "GET", post = req.method == "POST";
  auto only = [&](bool ok, const char* allow) {
    if (!ok) throw http_error{405, "method_not_allowed", "use " + std::string(allow) + " on " + endpoint, ""};
  };
  if (endpoint == "/healthz") {
    only(get, "GET");
    return json_response(200, ojson{{"status", "ok"}, {"models", current()->models.size()}}.dump());
  }
  if (endpoint == "/openapi.json") {
    only(get, "GET");
    return json_response(200, openapi_json);
  }
  if (endpoint == "/v1/webhooks/greenhouse") {
    only(post, "POST");
    return webhook(req);
  }
  if (endpoint == "other") throw http_error{404, "not_found", "no endpoint " + path_of(req.target) + " (see /openapi.json)", ""};
  if (req.body.size() > opt_.limits.max_body_bytes)
    throw http_error{413, "body_too_large", "the body is larger than " + std::to_string(opt_.limits.max_body_bytes) + " bytes", ""};
  if (!authorized(req))
    throw http_error{401, "unauthorized", "send 'Authorization: Bearer <key>' with a key from the server's key file", ""};
  if (endpoint == "/metrics") {
    only(get, "GET");
    response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics_.text(in_flight_.load(), reloads_.load());
    return r;
  }
  if (endpoint == "/v1/models") {
    only(get, "GET");
    return models();
  }
  if (endpoint == "/v1/models/{id}/profiles") {
    only(get, "GET");
    const std::string rest = path_of(req.target).substr(std::string("/v1/models/").size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos || rest.substr(slash) != "/profiles")
      throw http_error{404, "not_found", "no endpoint " + path_of(req.target) + " (see /openapi.json)", ""};
    return profiles(rest.substr(0, slash));
  }
  only(post, "POST");
  if (endpoint == "/v1/score") return score(req, false, "/v1/score");
  if (endpoint == "/v1/evidence") return score(req, true, "/v1/evidence");
  return roles(req);
}

response service::models() const {
  const auto set = current();
  ojson ms = ojson::array();
  for (const auto& lm : set->models) {
    const competency_model& m = lm->model;
    ojson ps = ojson::array();
    for (const profile& p : m.profiles) ps.push_back(p.id);
    ms.push_back({{"id", m.id}, {"version", m.version}, {"content_hash", m.content_hash},
                  {"name", {{"en", m.name.en}, {"zh-CN", m.name.zh}}}, {"profiles", ps}});
  }
  return json_response(200, ojson{{"models", ms}}.dump());
}

response service::profiles(const std::string& model_id) const {
  const auto set = current();
  const loaded_model* lm = set->find(model_id);
  if (!lm) throw http_error{404, "not_found", "unknown model '" + model_id + "' (this server has " + set->ids() + ")", ""};
  const competency_model& m = lm->model;
  ojson ps = ojson::array();
  for (const profile& p : m.profiles) {
    const scoring_plan& plan = lm->profiles.at(p.id).plan;
    std::size_t hurdles = 0;
    for (Eigen::Index k = 0; k < plan.size(); ++k) hurdles += std::isnan(plan.minimums()[k]) ? 0 : 1;
    ps.push_back({{"id", p.id},
                  {"name", {{"en", p.name.en}, {"zh-CN", p.name.zh}}},
                  {"fit_model", to_string(p.fit_model)},
                  {"min_coverage", p.min_coverage},
                  {"targets", plan.size()},
                  {"hurdles", hurdles},
                  {"title_aliases", p.title_aliases}});
  }
  return json_response(200, ojson{{"model", {{"id", m.id}, {"version", m.version}, {"content_hash", m.content_hash}}},
                                  {"profiles", ps}}
                                .dump());
}

response service::score(const request& req, bool evidence_only, const char* endpoint) {
  const json body = parse_body(req, opt_.limits);
  check_keys(body, {"model", "profile", "candidates"});
  const auto set = current();  // this request's models, whatever a reload does meanwhile
  const loaded_model& lm = pick_model(*set, body);
  const loaded_profile& lp = pick_profile(lm, body);
  const json& docs = candidates_of(body, opt_.limits);
  std::vector<std::string> results;
  results.reserve(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (evidence_only && docs[i].is_object() && docs[i].contains("scores"))
      throw http_error{422, "schema",
                       "POST /v1/evidence takes 'evidence' or 'greenhouse_scorecards'; send competency scores to "
                       "/v1/score",
                       "/candidates/" + std::to_string(i) + "/scores"};
    results.push_back(score_document(lp.scorer.get(), docs[i], i));
  }
  if (log_) log_decisions(decision_block(lp, results, req.body, ++request_seq_, endpoint));
  metrics_.scored(results.size());
  std::string out = "{\"results\":[";
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i) out += ',';
    out += results[i];
  }
  out += "]}";
  return json_response(200, std::move(out));
}

response service::roles(const request& req) {
  const json body = parse_body(req, opt_.limits);
  check_keys(body, {"model", "candidates"});
  const auto set = current();
  const loaded_model& lm = pick_model(*set, body);
  // Every scorer carries the role answer over all profiles; the first one's is used.
  const loaded_profile& lp = lm.profiles.at(lm.model.profiles.front().id);
  const json& docs = candidates_of(body, opt_.limits);
  ojson results = ojson::array();
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const ojson r = ojson::parse(score_document(lp.scorer.get(), docs[i], i));
    ojson a;
    for (const char* k : {"candidate_id", "best_profile", "margin", "fits", "profiles", "reason"}) a[k] = r.at(k);
    results.push_back(std::move(a));
  }
  return json_response(200, ojson{{"results", results}}.dump());
}

bool service::remember_signature(const std::string& sig) {
  std::lock_guard<std::mutex> lock(replay_mu_);
  const auto now = clock::now();
  for (auto it = seen_.begin(); it != seen_.end();)
    it = now - it->second > opt_.limits.replay_window ? seen_.erase(it) : std::next(it);
  if (seen_.count(sig)) throw http_error{409, "replayed", "this signature was already received within the replay window", ""};
  if (seen_.size() >= opt_.limits.max_replay_entries)
    throw http_error{503, "overloaded", "too many webhook deliveries within the replay window; retry later", ""};
  seen_.emplace(sig, now);
  return true;
}

void service::forget_signature(const std::string& sig) {
  std::lock_guard<std::mutex> lock(replay_mu_);
  seen_.erase(sig);
}

response service::webhook(const request& req) {
  if (opt_.webhook_secret.empty())
    throw http_error{404, "not_found", "webhooks are off: start the server with --webhook-secret FILE", ""};
  if (req.body.size() > opt_.limits.max_body_bytes)
    throw http_error{413, "body_too_large", "the body is larger than " + std::to_string(opt_.limits.max_body_bytes) + " bytes", ""};
  const std::string* sig = req.header("signature");
  if (!sig || !valid_signature(opt_.webhook_secret, req.body, *sig))
    throw http_error{401, "bad_signature",
                     "the Signature header must be 'sha256 <hex HMAC-SHA256 of the body with the shared secret>'", ""};
  remember_signature(*sig);
  try {
    response r = score(req, true, "/v1/webhooks/greenhouse");
    return r;
  } catch (...) {
    // A delivery that failed may be retried by the sender with the same signature.
    forget_signature(*sig);
    throw;
  }
}

void service::log_decisions(const std::string& text) {
  std::lock_guard<std::mutex> lock(log_mu_);
  if (std::fwrite(text.data(), 1, text.size(), log_) != text.size() || std::fflush(log_) != 0)
    throw http_error{500, "audit_log", "the decision could not be logged, so it is not answered; retry later", ""};
}

}  // namespace merit::serve
