#pragma once
/// \file io/groups.hpp
/// A demographic groups file for the adverse-impact chart of the pool report:
/// CSV with `candidate_id` and the columns to audit by (an empty cell is an
/// unknown category). These labels are read only to be joined to decisions
/// already made; they never reach a score (include/merit/protected.hpp).
/// Messages as `merit audit --groups` gives them.

#include <merit/errors.hpp>
#include <merit/io/csv.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace merit::io {

struct group_labels {
  std::vector<std::string> dimensions;  ///< the --by columns
  /// candidate id -> labels (one per dimension, "" = unknown), in file order.
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> labels;
};

namespace detail {
inline std::string trim_cell(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace detail

/// Reads the groups file `r` for the columns `by`. Throws input_error at
/// file:line:column for: an empty file, a duplicate column, no candidate_id
/// column, an unknown --by column (naming the columns there are), a row of
/// another width, an empty or repeated candidate_id.
inline group_labels read_groups(csv_reader& r, const std::vector<std::string>& by) {
  if (!r.next()) throw input_error(errc::schema, r.source(), "the file is empty (no header)");
  std::unordered_map<std::string, std::size_t> cols;
  std::string names;
  for (std::size_t i = 0; i < r.size(); ++i) {
    std::string name = detail::trim_cell(r[i]);
    names += (names.empty() ? "" : ", ") + name;
    if (!cols.emplace(name, i).second) throw input_error(errc::duplicate, r.place(i), "duplicate column '" + name + "'");
  }
  const std::size_t width = r.size();
  const auto id_at = cols.find("candidate_id");
  if (id_at == cols.end())
    throw input_error(errc::schema, r.place_at(1, 1), "missing column 'candidate_id' (the key that joins the results)");
  std::vector<std::size_t> by_cols;
  for (const auto& b : by) {
    auto it = cols.find(b);
    if (it == cols.end())
      throw input_error(errc::schema, r.place_at(1, 1), "unknown --by column '" + b + "'; columns are: " + names);
    by_cols.push_back(it->second);
  }
  group_labels g;
  g.dimensions = by;
  std::unordered_map<std::string, std::size_t> seen;
  while (r.next()) {
    if (r.size() != width)
      throw input_error(errc::schema, r.place_at(r.line(), 1),
                        "expected " + std::to_string(width) + " fields, got " + std::to_string(r.size()));
    std::string id = detail::trim_cell(r[id_at->second]);
    if (id.empty()) throw input_error(errc::value, r.place(id_at->second), "empty candidate_id");
    auto [it, fresh] = seen.emplace(id, r.line());
    if (!fresh)
      throw input_error(errc::duplicate, r.place(id_at->second),
                        "duplicate candidate_id '" + id + "' (first on line " + std::to_string(it->second) + ")");
    std::vector<std::string> labels(by.size());
    for (std::size_t j = 0; j < by.size(); ++j) labels[j] = detail::trim_cell(r[by_cols[j]]);
    g.ids.push_back(std::move(id));
    g.labels.push_back(std::move(labels));
  }
  return g;
}

}  // namespace merit::io
