// The C ABI's JSON entry points (include/merit.h), compiled in from
// src/capi/merit_c.cpp. The first byte picks the entry point, the rest is its
// input: 0 merit_model_load_buffer (a model document), 1
// merit_scorer_score_json (a candidate: scores, evidence or Greenhouse
// scorecards), 2 merit_score_file's options_json over a small pool, 3
// merit_match_title. Every call must return 0 or a negative code with a
// message, and every string it returns is freed (leaks are findings).
#include "fuzz.hpp"

#include <merit.h>

#include <nlohmann/json.hpp>

#include <string>

namespace {

const char* const model_path = MERIT_SOURCE_DIR "/competency_models/sales_enablement.json";

struct loaded {
  merit_model* model = nullptr;
  merit_scorer* scorer = nullptr;
  std::string pool, out, scratch;
  loaded() {
    if (merit_model_load(model_path, &model) != 0 || merit_scorer_create(model, nullptr, &scorer) != 0) std::abort();
    pool = merit_fuzz::as_file("candidate_id,content_clarity,sales_training\nC1,4,3\nC2,,5\nC3,x,2\n", "-pool.csv");
    out = merit_fuzz::as_file("", "-out.csv");
    scratch = merit_fuzz::as_file("", "-scratch.csv");
  }
};

const loaded& state() {
  static const loaded s;
  return s;
}

void check(int rc) {
  merit_fuzz::require(rc == 0 || (rc < 0 && merit_last_error_message()[0] != '\0'),
                      "a C ABI call failed without a message or returned a positive code", std::to_string(rc));
}

/// merit_score_file's options, with every path the options name (rejects,
/// audit_log) pointed at a scratch file and threads at most 2: the fuzzer
/// must not write elsewhere, nor start a thousand threads per run.
std::string tame(std::string options, const std::string& scratch) {
  nlohmann::json j = nlohmann::json::parse(options, nullptr, false);
  if (!j.is_object()) return options;
  for (const char* key : {"rejects", "audit_log"})
    if (j.contains(key) && j[key].is_string()) j[key] = scratch;
  if (j.contains("threads") && j["threads"].is_number() && j["threads"].get<double>() > 2) j["threads"] = 2;
  return j.dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const loaded& s = state();
  const std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  char* result = nullptr;
  switch (data[0] % 4) {
    case 0: {
      merit_model* m = nullptr;
      check(merit_model_load_buffer(in.data(), in.size(), "fuzz.json", &m));
      merit_model_destroy(m);
      break;
    }
    case 1:
      check(merit_scorer_score_json(s.scorer, in.data(), in.size(), &result));
      break;
    case 2:
      check(merit_score_file(s.model, s.pool.c_str(), s.out.c_str(), tame(in, s.scratch).c_str(), nullptr, nullptr, &result));
      break;
    default:
      check(merit_match_title(s.model, in.c_str(), &result));
  }
  merit_string_free(result);
  return 0;
}
