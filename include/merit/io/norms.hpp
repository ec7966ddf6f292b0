#pragma once
/// \file io/norms.hpp
/// The norms file (`merit.norms/1`, docs/norms.md): what `merit norms build`
/// writes and `merit norms apply`, `merit score --norms` and Python read.
///
///     {"format": "merit.norms/1",
///      "model": {"id", "version", "scoring_hash"}, "profile", "column",
///      "by": "<grouping column>" | null, "built": "<UTC ISO 8601>",
///      "rule": "...", "min_n": 100,
///      "groups": [{"group", "n", "values": [...], "counts": [...]}, ...]}
///
/// `values` are a group's distinct scores (6 decimals) ascending, `counts`
/// how many of its n scores have each. Reading checks every field and places
/// each problem by JSON pointer.

#include <merit/errors.hpp>
#include <merit/io/file.hpp>
#include <merit/io/json.hpp>
#include <merit/norms.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace merit::io {

inline constexpr const char* norms_format = "merit.norms/1";

/// The rule as the file states it, for its reader.
inline constexpr const char* norms_rule =
    "percentile = 100 (below + equal / 2) / n, scores compared at 6 decimals";

inline nlohmann::ordered_json to_json(const norm_table& t) {
  using oj = nlohmann::ordered_json;
  oj j;
  j["format"] = norms_format;
  j["model"] = {{"id", t.model_id}, {"version", t.model_version}, {"scoring_hash", t.scoring_hash}};
  j["profile"] = t.profile;
  j["column"] = t.column;
  j["by"] = t.by ? oj(*t.by) : oj(nullptr);
  j["built"] = t.built;
  j["rule"] = norms_rule;
  j["min_n"] = t.min_n;
  oj& groups = j["groups"] = oj::array();
  for (const auto& g : t.groups) {
    oj values = oj::array();
    for (std::int64_t v : g.values()) values.push_back(static_cast<double>(v) / 1e6);
    groups.push_back({{"group", g.name()}, {"n", g.n()}, {"values", std::move(values)}, {"counts", g.counts()}});
  }
  return j;
}

/// Reads a norms document; throws input_error (errc::schema, value or
/// inconsistent) placed `source#<pointer>`.
inline norm_table parse_norms(const nlohmann::json& doc, const std::string& source) {
  using json = nlohmann::json;
  auto fail = [&](errc code, const std::string& ptr, const std::string& what) -> void {
    throw input_error(code, source + "#" + ptr, what);
  };
  auto member = [&](const json& obj, const std::string& ptr, const char* key) -> const json& {
    if (!obj.is_object()) fail(errc::schema, ptr, "must be an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(errc::schema, ptr, std::string("missing '") + key + "'");
    return *it;
  };
  auto text = [&](const json& obj, const std::string& ptr, const char* key) {
    const json& v = member(obj, ptr, key);
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
      fail(errc::schema, ptr + "/" + key, "must be a non-empty string");
    return v.get<std::string>();
  };
  auto count = [&](const json& v, const std::string& ptr) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1) fail(errc::value, ptr, "must be an integer >= 1");
    return static_cast<std::size_t>(v.get<std::int64_t>());
  };
  if (!doc.is_object()) fail(errc::schema, "", "expected a norms object (merit norms build writes one)");
  if (!doc.contains("format") || doc["format"] != norms_format)
    fail(errc::schema, "/format", std::string("expected \"") + norms_format + "\" (a file written by merit norms build)");
  norm_table t;
  t.model_id = text(member(doc, "", "model"), "/model", "id");
  t.model_version = text(doc["model"], "/model", "version");
  t.scoring_hash = text(doc["model"], "/model", "scoring_hash");
  t.profile = text(doc, "", "profile");
  t.column = text(doc, "", "column");
  const json& by = member(doc, "", "by");
  if (by.is_string() && !by.get_ref<const std::string&>().empty()) t.by = by.get<std::string>();
  else if (!by.is_null()) fail(errc::schema, "/by", "must be a column name or null");
  t.built = text(doc, "", "built");
  t.min_n = count(member(doc, "", "min_n"), "/min_n");
  const json& groups = member(doc, "", "groups");
  if (!groups.is_array() || groups.empty()) fail(errc::schema, "/groups", "must be a non-empty array");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string p = "/groups/" + std::to_string(i);
    const std::string name = text(groups[i], p, "group");
    if (!seen.insert(name).second) fail(errc::duplicate, p + "/group", "group '" + name + "' appears twice");
    const std::size_t n = count(member(groups[i], p, "n"), p + "/n");
    const json& values = member(groups[i], p, "values");
    const json& counts = member(groups[i], p, "counts");
    if (!values.is_array() || !counts.is_array() || values.size() != counts.size())
      fail(errc::schema, p, "'values' and 'counts' must be arrays of the same length");
    std::vector<std::int64_t> vs;
    std::vector<std::size_t> cs;
    std::size_t total = 0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      const std::string vp = p + "/values/" + std::to_string(k);
      if (!values[k].is_number() || !std::isfinite(values[k].get<double>())) fail(errc::value, vp, "must be a finite number");
      const std::int64_t key = display_key(values[k].get<double>());
      if (!vs.empty() && key <= vs.back()) fail(errc::value, vp, "values must be ascending and distinct at 6 decimals");
      vs.push_back(key);
      cs.push_back(count(counts[k], p + "/counts/" + std::to_string(k)));
      total += cs.back();
    }
    if (total != n)
      fail(errc::inconsistent, p + "/n", "n is " + std::to_string(n) + " but the counts sum to " + std::to_string(total));
    if (n < t.min_n)
      fail(errc::value, p + "/n", "group '" + name + "' has " + std::to_string(n) + " scores, fewer than min_n " +
                                      std::to_string(t.min_n));
    t.groups.emplace_back(name, std::move(vs), std::move(cs));
  }
  if (!t.by && (t.groups.size() != 1 || t.groups.front().name() != norm_table::all))
    fail(errc::inconsistent, "/groups", std::string("norms without 'by' have one group, '") + norm_table::all + "'");
  if (t.min_n < norms_min_n)
    fail(errc::value, "/min_n", "min_n " + std::to_string(t.min_n) + " is below merit's minimum of " +
                                    std::to_string(norms_min_n) + " (docs/norms.md)");
  return t;
}

/// Reads and checks a norms file.
inline norm_table load_norms(const std::string& path) {
  return parse_norms(parse_json<input_error>(read_text_file<input_error>(path), path), path);
}

}  // namespace merit::io
