#pragma once
/// \file norms.hpp
/// Norms: where a score stands in a reference sample, as a percentile rank by
/// the mid-rank rule, `100 (below + equal / 2) / n` (docs/design.md, "Pool
/// analytics"; scipy's percentileofscore(kind='mean') computes the same).
/// No file format here: the norms file is merit/io/norms.hpp.
///
/// Values are compared as merit prints them, rounded to 6 decimals (the
/// ranking rule's display_key, rank.hpp): two scores that print the same get
/// the same percentile, and a score read back from a results file gets the
/// percentile its unrounded value got when it was scored. A norm group keeps
/// its distinct values with their counts, so a pool of a million fits with
/// six decimals stays a table of at most a million pairs, usually far fewer.
///
/// Norm groups are jobs, levels or regions, never a protected characteristic:
/// norming scores by race, color, religion, sex or national origin is
/// unlawful in the US (42 U.S.C. 2000e-2(l)); norms_group_column_problem
/// holds the rule and its message.

#include <merit/errors.hpp>
#include <merit/protected.hpp>
#include <merit/rank.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace merit {

/// The smallest norm group merit builds. Basis (a recorded judgment,
/// docs/norms.md): a percentile rank estimates a proportion, whose standard
/// error is sqrt(p (1 - p) / n); at n = 100 it is at most 5 percentile points
/// (p = .5), so a 95% interval spans about +-10 points. Below 100 a
/// percentile of 60 cannot be told from one of 40.
inline constexpr std::size_t norms_min_n = 100;

/// One norm group's distribution: its distinct values (in millionths, as
/// display_key gives them, ascending) with their counts.
class norm_group {
 public:
  norm_group() = default;
  /// `values` ascending and distinct, `counts` >= 1, one per value; throws
  /// argument_error otherwise.
  norm_group(std::string name, std::vector<std::int64_t> values, std::vector<std::size_t> counts)
      : name_(std::move(name)), values_(std::move(values)), counts_(std::move(counts)) {
    MERIT_EXPECTS(values_.size() == counts_.size(), "a norm group needs one count per value");
    below_.reserve(values_.size());
    for (std::size_t k = 0; k < values_.size(); ++k) {
      MERIT_EXPECTS(k == 0 || values_[k - 1] < values_[k], "a norm group's values must be ascending and distinct");
      MERIT_EXPECTS(counts_[k] >= 1, "a norm group's counts must be at least 1");
      below_.push_back(n_);
      n_ += counts_[k];
    }
  }

  const std::string& name() const { return name_; }
  std::size_t n() const { return n_; }
  const std::vector<std::int64_t>& values() const { return values_; }  ///< millionths, ascending
  const std::vector<std::size_t>& counts() const { return counts_; }
  double min() const { return values_.empty() ? std::nan("") : static_cast<double>(values_.front()) / 1e6; }
  double max() const { return values_.empty() ? std::nan("") : static_cast<double>(values_.back()) / 1e6; }

  /// Percentile rank of `v` (compared at 6 decimals): 100 (below + equal / 2) / n;
  /// NaN for NaN (no score, no percentile). Below the sample's minimum it is
  /// 0, above its maximum 100: the rule's own answer, which says "lower (or
  /// higher) than every score of the sample" and no more.
  double percentile(double v) const {
    if (std::isnan(v) || n_ == 0) return std::nan("");
    const std::int64_t key = display_key(v);
    const auto it = std::lower_bound(values_.begin(), values_.end(), key);
    const auto k = static_cast<std::size_t>(it - values_.begin());
    const double below = k < values_.size() ? static_cast<double>(below_[k]) : static_cast<double>(n_);
    const double equal = it != values_.end() && *it == key ? static_cast<double>(counts_[k]) : 0.0;
    return 100.0 * (below + equal / 2) / static_cast<double>(n_);
  }

  /// True when `v` lies outside [min, max] of the sample (at 6 decimals).
  bool outside(double v) const {
    if (std::isnan(v) || values_.empty()) return false;
    const std::int64_t key = display_key(v);
    return key < values_.front() || key > values_.back();
  }

 private:
  std::string name_;
  std::vector<std::int64_t> values_;
  std::vector<std::size_t> counts_, below_;
  std::size_t n_ = 0;
};

/// A set of norms: for which scores (model, profile, scoring hash, column)
/// and the groups, by name.
struct norm_table {
  std::string model_id, model_version, scoring_hash, profile, column;
  std::optional<std::string> by;  ///< the grouping column; none: one group, norm_table::all
  std::string built;              ///< UTC, ISO 8601
  std::size_t min_n = norms_min_n;
  std::vector<norm_group> groups;  ///< by name (byte order)

  /// The group of norms built without a grouping column.
  static constexpr const char* all = "all";

  const norm_group* find(std::string_view name) const {
    for (const auto& g : groups)
      if (g.name() == name) return &g;
    return nullptr;
  }
  /// The group names, comma-separated, for messages.
  std::string group_list() const {
    std::string s;
    for (const auto& g : groups) s += (s.empty() ? "" : ", ") + g.name();
    return s;
  }
};

/// The rule for a grouping column (`--by`, `by=`): when `column` names a
/// protected characteristic, the message
/// `norm groups by '<column>' would norm by a protected characteristic ('<term>'): norming scores by race, color, religion, sex or national origin is unlawful in the US (42 U.S.C. 2000e-2(l)); group by job, level or region`.
inline std::optional<std::string> norms_group_column_problem(std::string_view column) {
  const auto term = protected_term(column);
  if (!term) return std::nullopt;
  return "norm groups by '" + std::string(column) + "' would norm by a protected characteristic ('" + *term +
         "'): norming scores by race, color, religion, sex or national origin is unlawful in the US "
         "(42 U.S.C. 2000e-2(l)); group by job, level or region";
}

/// What building norms left out.
struct norms_build_report {
  std::size_t missing = 0;  ///< rows without a value (no score): not in any group
};

/// Builds the groups of a norm table from scores and, when `groups` is not
/// empty, each score's group (one per score). NaN scores are left out and
/// counted in `report`. Throws argument_error when the sizes differ, a group
/// name is empty, or a group has fewer than `min_n` scores:
/// `group '<g>' has <n> scores; norms need at least <min_n> per group (docs/norms.md)`
/// (`<g>` is `all` without groups).
inline std::vector<norm_group> build_norm_groups(const std::vector<double>& scores, const std::vector<std::string>& groups,
                                                 std::size_t min_n = norms_min_n, norms_build_report* report = nullptr) {
  MERIT_EXPECTS(groups.empty() || groups.size() == scores.size(), "norms need one group per score");
  std::map<std::string, std::map<std::int64_t, std::size_t>> counts;
  std::size_t missing = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const std::string& g = groups.empty() ? std::string(norm_table::all) : groups[i];
    MERIT_EXPECTS(!g.empty(), "a norm group's name must not be empty");
    if (std::isnan(scores[i])) {
      ++missing;
      continue;
    }
    ++counts[g][display_key(scores[i])];
  }
  if (groups.empty() && counts.empty()) counts[norm_table::all];
  std::vector<norm_group> out;
  for (const auto& [name, dist] : counts) {
    std::vector<std::int64_t> values;
    std::vector<std::size_t> ns;
    std::size_t n = 0;
    for (const auto& [v, c] : dist) {
      values.push_back(v);
      ns.push_back(c);
      n += c;
    }
    if (n < min_n)
      throw argument_error("group '" + name + "' has " + std::to_string(n) + " scores; norms need at least " +
                           std::to_string(min_n) + " per group (docs/norms.md)");
    out.emplace_back(name, std::move(values), std::move(ns));
  }
  if (report) report->missing = missing;
  return out;
}

/// Checks that norms `t` describe the scores in `column` of profile
/// `profile_id`, which scores with scoring hash `hash` (scoring_hash.hpp);
/// throws argument_error otherwise:
/// - `these norms are for profile '<a>', not '<b>'`;
/// - `these norms are for column '<a>', not '<b>'`;
/// - `these norms were built with scoring hash <12 hex> (model <id> <version>), but profile '<p>' now scores with <12 hex>: a target, weight, hurdle, scale mapping or evidence weight changed, so the norms no longer describe its scores; rebuild them with 'merit norms build'`.
inline void check_norms(const norm_table& t, std::string_view profile_id, std::string_view hash, std::string_view column) {
  if (t.profile != profile_id)
    throw argument_error("these norms are for profile '" + t.profile + "', not '" + std::string(profile_id) + "'");
  if (t.column != column)
    throw argument_error("these norms are for column '" + t.column + "', not '" + std::string(column) + "'");
  if (t.scoring_hash != hash)
    throw argument_error("these norms were built with scoring hash " + t.scoring_hash.substr(0, 12) + " (model " +
                         t.model_id + " " + t.model_version + "), but profile '" + std::string(profile_id) +
                         "' now scores with " + std::string(hash.substr(0, 12)) +
                         ": a target, weight, hurdle, scale mapping or evidence weight changed, so the norms no "
                         "longer describe its scores; rebuild them with 'merit norms build'");
}

/// The group named `name` of `t`; an empty name means the only group. Throws
/// argument_error `no norms for group '<g>' (the norms have: <groups>)`, or
/// for an empty name and several groups
/// `these norms have several groups (by '<by>': <groups>); name the candidates' group`.
inline const norm_group& norms_group(const norm_table& t, std::string_view name) {
  if (name.empty()) {
    if (t.groups.size() == 1) return t.groups.front();
    throw argument_error("these norms have several groups (by '" + t.by.value_or("") + "': " + t.group_list() +
                         "); name the candidates' group");
  }
  if (const norm_group* g = t.find(name)) return *g;
  throw argument_error("no norms for group '" + std::string(name) + "' (the norms have: " + t.group_list() + ")");
}

}  // namespace merit
