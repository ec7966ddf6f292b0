#pragma once
/// \file io/ratings_360.hpp
/// The files of `merit criterion 360` (docs/criterion.md):
/// - reading 360-degree ratings, a long CSV with the columns `candidate_id`
///   (the person rated), `rater_group`, `rater_id` and `rating`, one row a
///   rating, other columns ignored;
/// - writing the criterion, a CSV with one row a person:
///   `candidate_id,composite,<group>_mean,<group>_raters...,missing_groups`,
///   which `merit validity --outcomes F --criterion composite` reads;
/// - the JSON summary (`--json`): weights, each group's inter-rater
///   reliability and the composite's.

#include <merit/criterion.hpp>
#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/results.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace merit::io {

inline constexpr const char* criterion_360_format = "merit.criterion-360/1";

/// What read_ratings_360 read.
struct ratings_360_file {
  std::vector<rating_360> ratings;
  std::size_t missing = 0;   ///< rows with an empty or NA rating, left out
  std::size_t excluded = 0;  ///< rows of an excluded group, left out
};

/// Reads the long ratings CSV at `path`. `groups`: the groups with a weight;
/// `excluded`: groups whose rows are left out. A row of any other group, a
/// rating that is not a number, an empty id and a rater who rates the same
/// person twice within a group are errors at their file:line:column.
inline ratings_360_file read_ratings_360(const std::string& path, const std::vector<std::string>& groups,
                                         const std::vector<std::string>& excluded = {}) {
  auto reader = csv_reader::open(path);
  if (!reader.next()) throw input_error(errc::schema, reader.source(), "the file is empty; expected a header row");
  const std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  auto find = [&](const char* name) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (trim_field(header[i]) == name) return i;
    throw input_error(errc::schema, reader.place(0),
                      std::string("no column '") + name +
                          "' in the header (a 360 ratings file has candidate_id, rater_group, rater_id, rating)");
  };
  const std::size_t person_at = find("candidate_id"), group_at = find("rater_group"), rater_at = find("rater_id"),
                    rating_at = find("rating");
  std::string known;
  for (const auto& g : groups) known += (known.empty() ? "" : ", ") + g;
  ratings_360_file out;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> seen;
  while (reader.next()) {
    if (reader.size() != header.size())
      throw input_error(errc::schema, reader.place(std::min(reader.size(), header.size()) - 1),
                        "row has " + std::to_string(reader.size()) + " fields, the header has " +
                            std::to_string(header.size()));
    rating_360 r;
    r.person = std::string(trim_field(reader[person_at]));
    r.group = std::string(trim_field(reader[group_at]));
    r.rater = std::string(trim_field(reader[rater_at]));
    if (r.person.empty()) throw input_error(errc::value, reader.place(person_at), "empty candidate_id");
    if (r.group.empty()) throw input_error(errc::value, reader.place(group_at), "empty rater_group");
    if (r.rater.empty()) throw input_error(errc::value, reader.place(rater_at), "empty rater_id");
    if (std::find(excluded.begin(), excluded.end(), r.group) != excluded.end()) {
      ++out.excluded;
      continue;
    }
    if (std::find(groups.begin(), groups.end(), r.group) == groups.end())
      throw input_error(errc::value, reader.place(group_at),
                        "rater group '" + r.group + "' has no weight (--weights names " + known +
                            "); give it a weight or --exclude it");
    const std::string_view cell = reader[rating_at];
    if (is_missing_field(cell)) {
      ++out.missing;
      continue;
    }
    if (!parse_double(trim_field(cell), r.rating) || !std::isfinite(r.rating))
      throw input_error(errc::parse, reader.place(rating_at), "rating '" + std::string(cell) + "' is not a number");
    auto [it, fresh] = seen.emplace(std::make_tuple(r.person, r.group, r.rater), reader.line());
    if (!fresh)
      throw input_error(errc::duplicate, reader.place(rater_at),
                        "rater '" + r.rater + "' of group '" + r.group + "' rates '" + r.person +
                            "' again (first on line " + std::to_string(it->second) + "); give one rating per rater and person");
    out.ratings.push_back(std::move(r));
  }
  return out;
}

/// The criterion CSV: `candidate_id,composite`, then `<group>_mean` and
/// `<group>_raters` for each group in the weights' order, then
/// `missing_groups` (the groups that did not rate the person, joined by `;`;
/// empty when complete). Numbers with 6 decimals; a missing mean is empty.
inline std::string criterion_360_csv(const criterion_360_result& r) {
  std::string out = "candidate_id,composite";
  for (const auto& g : r.groups) out += "," + g + "_mean," + g + "_raters";
  out += ",missing_groups\n";
  for (const auto& p : r.persons) {
    out += p.person;
    out += ',';
    append_fixed6(out, p.composite);
    std::string missing;
    for (std::size_t j = 0; j < r.groups.size(); ++j) {
      out += ',';
      append_fixed6(out, p.group_mean[j]);
      out += ',' + std::to_string(p.group_raters[j]);
      if (p.group_raters[j] == 0) missing += (missing.empty() ? "" : ";") + r.groups[j];
    }
    out += ',' + missing + '\n';
  }
  return out;
}

namespace detail {
inline nlohmann::ordered_json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}
inline nlohmann::ordered_json interval_json(const interval_estimate& e) {
  return {{"value", number_or_null(e.value)}, {"lower", number_or_null(e.lower)}, {"upper", number_or_null(e.upper)}};
}
}  // namespace detail

/// The JSON summary of `merit criterion 360 --json`.
inline nlohmann::ordered_json criterion_360_json(const criterion_360_result& r, const std::string& missing_policy) {
  nlohmann::ordered_json j;
  j["format"] = criterion_360_format;
  j["persons"] = r.persons.size();
  j["incomplete"] = r.incomplete;
  j["dropped"] = r.dropped;
  j["missing_group"] = missing_policy;
  auto& w = j["weights"] = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < r.groups.size(); ++k) w[r.groups[k]] = r.weights[k];
  auto& groups = j["groups"] = nlohmann::ordered_json::array();
  for (const auto& g : r.reliability)
    groups.push_back({{"group", g.group},
                      {"weight", g.weight},
                      {"persons", g.persons},
                      {"ratings", g.ratings},
                      {"raters_min", g.raters_min},
                      {"raters_max", g.raters_max},
                      {"balanced", g.balanced},
                      {"model", "one-way random (raters nested in persons)"},
                      {"k", detail::number_or_null(g.k)},
                      {"icc1", detail::interval_json(g.icc1)},
                      {"icc1k", detail::interval_json(g.icc1k)},
                      {"f", detail::number_or_null(g.test.f)},
                      {"df1", detail::number_or_null(g.test.df1)},
                      {"df2", detail::number_or_null(g.test.df2)},
                      {"p", detail::number_or_null(g.test.p)},
                      {"reliability", detail::number_or_null(g.reliability)},
                      {"reliability_source", g.reliability_source.empty() ? nlohmann::ordered_json(nullptr)
                                                                          : nlohmann::ordered_json(g.reliability_source)},
                      {"note", g.note.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(g.note)}});
  j["composite"] = {{"n", r.composite.n},
                    {"variance", detail::number_or_null(r.composite.variance)},
                    {"reliability", detail::number_or_null(r.composite.reliability)},
                    {"method", "Mosier (1943)"},
                    {"note", r.composite.note.empty() ? nlohmann::ordered_json(nullptr)
                                                      : nlohmann::ordered_json(r.composite.note)}};
  return j;
}

}  // namespace merit::io
