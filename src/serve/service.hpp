#pragma once
// merit serve's request handling, without sockets: routing, authentication,
// limits, JSON in and out, metrics and the decision log. Scoring goes through
// merit_scorer_score_json, the C ABI's per-candidate document path, so a
// result is byte for byte what an ATS linking libmerit gets (docs/serve.md).

#include "crypto.hpp"
#include "http.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace merit::serve {

/// The service's limits; docs/serve.md gives the basis of each default.
struct limits {
  std::size_t max_body_bytes = 1 << 20;      ///< larger bodies: 413
  std::size_t max_candidates = 1000;         ///< per request; more: 413
  std::size_t max_depth = 32;                ///< JSON nesting; deeper: 400
  std::size_t max_in_flight = 256;           ///< concurrent requests; more: 503 + Retry-After
  std::chrono::seconds request_timeout{10};  ///< to read a request (and idle keep-alive)
  std::chrono::seconds replay_window{600};   ///< a webhook signature seen within it: 409
  std::size_t max_replay_entries = 100000;   ///< signatures remembered; full: 503
};

struct options {
  std::vector<std::string> model_paths;
  std::string api_keys_path;
  std::string webhook_secret;  ///< empty: the webhook endpoint answers 404
  std::string audit_log_path;  ///< empty: no decision log
  serve::limits limits;
};

class model_set;

/// Counters for /metrics (Prometheus text).
class metrics {
 public:
  void observe(const std::string& endpoint, int status, double seconds);
  void error(const std::string& kind);
  void scored(std::size_t n) { candidates_ += n; }
  std::string text(std::size_t in_flight, std::size_t reloads) const;

 private:
  static constexpr double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  struct histogram {
    std::vector<std::uint64_t> counts = std::vector<std::uint64_t>(std::size(bounds) + 1);
    double sum = 0;
    std::uint64_t count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, histogram> latency_;
  std::map<std::string, std::uint64_t> errors_;
  std::atomic<std::uint64_t> candidates_{0};
};

class service {
 public:
  /// Loads the models and the keys; throws merit::error on a bad file.
  explicit service(options opt);
  ~service();

  /// Answers one request. Thread-safe; never throws.
  response handle(const request& req);

  /// The answer for a failure the network layer detects itself (a body over
  /// the limit, a request that timed out), counted in /metrics like others.
  response refuse(int status, const std::string& code, const std::string& message);

  /// Reloads the model files and the API key file (SIGHUP), both or neither.
  /// Requests already running finish on the models they started with. On a
  /// bad file the old models and keys stay and the error is returned.
  std::optional<std::string> reload();

  const serve::limits& limits() const { return opt_.limits; }

 private:
  response route(const request& req, const std::string& endpoint);
  response score(const request& req, bool evidence_only, const char* endpoint);
  response roles(const request& req);
  response webhook(const request& req);
  response models() const;
  response profiles(const std::string& model_id) const;
  bool authorized(const request& req) const;
  std::shared_ptr<const model_set> current() const;
  std::shared_ptr<const key_set> current_keys() const;
  void log_decisions(const std::string& text);
  bool remember_signature(const std::string& sig);
  void forget_signature(const std::string& sig);

  options opt_;
  std::shared_ptr<const key_set> keys_;  ///< guarded by models_mu_, swapped on reload
  serve::metrics metrics_;
  mutable std::mutex models_mu_;
  std::shared_ptr<const model_set> models_;
  std::atomic<std::size_t> in_flight_{0}, reloads_{0};
  std::atomic<std::uint64_t> request_seq_{0};
  std::mutex log_mu_;
  std::FILE* log_ = nullptr;
  std::mutex replay_mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> seen_;
};

/// The depth of the deepest array or object in `text` (strings skipped), or
/// the offset where `limit` is first exceeded.
std::optional<std::size_t> depth_exceeded(const std::string& text, std::size_t limit);

}  // namespace merit::serve
