#pragma once
/// \file pool/options_json.hpp
/// The options of score_file as one JSON object, parsed in one place for the
/// C ABI (merit_score_file) and any other caller that speaks JSON. Errors name
/// the JSON pointer of the bad value: "/threads: must be a whole number from 1 to 1024".

#include <merit/pool/read.hpp>
#include <merit/pool/score_file.hpp>

#include <string>
#include <string_view>

namespace merit::pool {

/// A parsed request: where the pool comes from and how to score it.
struct score_request {
  pool_source input;
  score_options options;
};

/// Parses `json` (empty or NULL-like "": every default) into a request for
/// the pool in `input_path`. Keys (all optional):
///   "profile": string; "evidence": bool (the input is evidence, default false);
///   "format": "wide", "long", "jsonl", "json", "greenhouse" (default: by extension);
///   "calibrate": "none", "leniency", "zscore"; "duplicates": "mean", "error";
///   "threads": 1..1024 (default 1); "top": integer >= 1; "explain": bool;
///   "output_format": "csv", "jsonl"; "rejects": path; "reliability": 0..1;
///   "band_c": number > 0; "no_band": bool; "audit_log": path.
/// Throws merit::input_error with the key's JSON pointer as its place: code
/// parse for text that is not JSON, schema for a value of the wrong type or an
/// unknown key, value for a value out of range or an unknown name.
score_request parse_score_request(std::string_view json, const std::string& input_path);

}  // namespace merit::pool
