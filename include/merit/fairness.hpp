#pragma once
/// \file fairness.hpp
/// Adverse-impact audit of a selection: per category (and per intersection of
/// categories) the selection rate, the scoring rate, their impact ratios, the
/// four-fifths flag, Fisher's exact test and the pooled two-proportion z-test.
///
/// Conventions (see docs/fairness.md for the legal sources):
/// - an undefined number is NaN (null in JSON): a rate of a category with no
///   applicants, a ratio whose reference rate is 0, a scoring figure when no
///   applicant has a fit;
/// - the reference category of a table is the category with the highest rate
///   among those with applicants that are not small; ties go to the category
///   with more applicants, then to the name first in byte order. When every
///   category is small, all of them are eligible. Selection and scoring have
///   their own reference categories;
/// - the reference category itself gets ratio 1, Fisher p 1, odds ratio 1,
///   z 0 and z p 1;
/// - four-fifths flag: selection impact ratio < 0.8, decided in exact integer
///   arithmetic (48/60 is exactly 0.8 and is not flagged);
/// - the tests compare a category's selections with the reference category's
///   (2 x 2 table: rows category, reference; columns selected, not selected).
///
/// Demographic labels enter only here: nothing in this header feeds a score.

#include <merit/errors.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace merit {

/// Fisher's exact test on a 2 x 2 table [[a, b], [c, d]].
struct fisher_result {
  double p;           ///< two-sided p, as R's fisher.test computes it
  double odds_ratio;  ///< conditional maximum-likelihood estimate (R's `estimate`)
};

/// The pooled two-proportion z-test.
struct z_test_result {
  double z;  ///< (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)), p pooled
  double p;  ///< two-sided p under the standard normal
};

namespace detail {

inline constexpr double no_value = std::numeric_limits<double>::quiet_NaN();

/// log of sum(exp(v[i])) over the i for which keep(i) holds; -inf when none.
template <class Keep>
double log_sum_exp_where(const std::vector<double>& v, Keep keep) {
  double m = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < v.size(); ++i)
    if (keep(i)) m = std::max(m, v[i]);
  if (!std::isfinite(m)) return m;
  double s = 0;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (keep(i)) s += std::exp(v[i] - m);
  return m + std::log(s);
}

/// The hypergeometric distribution of the top-left cell given the margins,
/// as unnormalised log probabilities over its support lo..hi. Built from the
/// ratio of successive probabilities, which stays accurate for large tables
/// (no lgamma of big numbers is subtracted).
struct hypergeometric_support {
  std::uint64_t lo = 0, hi = 0;
  std::vector<double> logd;  ///< #support, logd[i] for x = lo + i

  /// m = first column total, n = second column total, k = first row total.
  hypergeometric_support(std::uint64_t m, std::uint64_t n, std::uint64_t k) {
    lo = k > n ? k - n : 0;
    hi = std::min(k, m);
    logd.resize(static_cast<std::size_t>(hi - lo + 1));
    logd[0] = 0;
    for (std::uint64_t x = lo; x < hi; ++x) {
      // P(x+1) / P(x) = (m - x)(k - x) / ((x + 1)(n - k + x + 1))
      double num = static_cast<double>(m - x) * static_cast<double>(k - x);
      double den = static_cast<double>(x + 1) * static_cast<double>(n - k + x + 1);
      logd[x - lo + 1] = logd[x - lo] + std::log(num) - std::log(den);
    }
  }

  /// Mean of the noncentral distribution with log odds ratio theta.
  double mean(double theta) const {
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < logd.size(); ++i) m = std::max(m, logd[i] + theta * static_cast<double>(i));
    double s = 0, sx = 0;
    for (std::size_t i = 0; i < logd.size(); ++i) {
      double w = std::exp(logd[i] + theta * static_cast<double>(i) - m);
      s += w;
      sx += w * static_cast<double>(i);
    }
    return static_cast<double>(lo) + sx / s;
  }
};

/// a * b < c * d for counts, exactly.
inline bool product_less(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
  __extension__ using u128 = unsigned __int128;
  return static_cast<u128>(a) * b < static_cast<u128>(c) * d;
}

}  // namespace detail

/// Fisher's exact test on the 2 x 2 table [[a, b], [c, d]] (rows: category,
/// reference; columns: selected, not selected).
///
/// p: the sum of the probabilities of all tables with the same margins whose
/// probability is at most the observed table's times 1 + 1e-7 (R's relative
/// tolerance), computed in log space. Odds ratio: the conditional MLE, the
/// odds ratio at which the noncentral hypergeometric mean equals `a`, found by
/// TOMS 748 in log odds; 0 when `a` is the smallest possible value, +inf when
/// it is the largest, NaN when the margins allow one table only (R reports 0
/// there; no odds ratio is estimable).
inline fisher_result fisher_exact(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
  const std::uint64_t m = a + c, n = b + d, k = a + b;
  detail::hypergeometric_support h(m, n, k);
  const std::size_t obs = static_cast<std::size_t>(a - h.lo);
  if (h.lo == h.hi) return {1.0, detail::no_value};

  const double limit = h.logd[obs] + std::log1p(1e-7);
  const double log_total = detail::log_sum_exp_where(h.logd, [](std::size_t) { return true; });
  const double log_tail = detail::log_sum_exp_where(h.logd, [&](std::size_t i) { return h.logd[i] <= limit; });
  const double p = std::min(1.0, std::exp(log_tail - log_total));

  double estimate;
  if (a == h.lo) {
    estimate = 0;
  } else if (a == h.hi) {
    estimate = std::numeric_limits<double>::infinity();
  } else {
    const double target = static_cast<double>(a);
    auto f = [&](double theta) { return h.mean(theta) - target; };
    double lo = -1, hi = 1;
    while (f(lo) > 0) lo *= 2;  // mean is increasing in theta; lo < a < hi, so this ends
    while (f(hi) < 0) hi *= 2;
    std::uintmax_t iterations = 300;
    auto root = boost::math::tools::toms748_solve(f, lo, hi, boost::math::tools::eps_tolerance<double>(52),
                                                  iterations);
    estimate = std::exp(0.5 * (root.first + root.second));
  }
  return {p, estimate};
}

/// Pooled two-proportion z-test of x1/n1 against x2/n2 (two-sided). When the
/// pooled rate is 0 or 1 both rates are equal: z = 0, p = 1. NaN when a
/// group is empty.
inline z_test_result two_proportion_z_test(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2, std::uint64_t n2) {
  MERIT_EXPECTS(x1 <= n1 && x2 <= n2, "two_proportion_z_test: successes exceed trials");
  if (n1 == 0 || n2 == 0) return {detail::no_value, detail::no_value};
  const double N1 = static_cast<double>(n1), N2 = static_cast<double>(n2);
  const double pooled = static_cast<double>(x1 + x2) / (N1 + N2);
  if (pooled <= 0 || pooled >= 1) return {0.0, 1.0};
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / N1 + 1 / N2));
  const double z = (static_cast<double>(x1) / N1 - static_cast<double>(x2) / N2) / se;
  boost::math::normal_distribution<double> normal;
  const double p = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(normal, std::fabs(z))));
  return {z, p};
}

/// Counts of one category, the input of `impact_table`.
struct category_counts {
  std::string name;           ///< the value (`female`), or values joined by `/` (`female/afam`)
  std::uint64_t applicants = 0;
  std::uint64_t selected = 0;
  std::uint64_t scored = 0;        ///< applicants with a fit
  std::uint64_t above_median = 0;  ///< of those, fit strictly above the whole sample's median
};

/// One row of an impact table. NaN marks an undefined number.
struct category_impact {
  std::string dimension;  ///< the column (`sex`) or columns joined by `/` (`sex/race`)
  std::string name;
  std::uint64_t applicants = 0, selected = 0, scored = 0, above_median = 0;
  double selection_rate = detail::no_value;
  double impact_ratio = detail::no_value;
  double scoring_rate = detail::no_value;
  double scoring_impact_ratio = detail::no_value;
  bool four_fifths_flag = false;  ///< impact_ratio < 0.8
  double fisher_p = detail::no_value;
  double odds_ratio = detail::no_value;
  double z = detail::no_value;
  double z_p = detail::no_value;
  bool small_category = false;  ///< applicants < small_share * n
  bool reference = false;       ///< the highest-selection-rate category of its table
};

struct audit_options {
  /// Categories with fewer than this share of the whole sample are small:
  /// marked, and not eligible as the reference category (NYC DCWP rule).
  double small_share = 0.02;
};

namespace detail {
// Index of the reference category for rate num/den, or npos when none has a
// positive denominator.
template <class Num, class Den>
std::size_t reference_index(const std::vector<category_counts>& cats, const std::vector<bool>& small, Num num,
                            Den den) {
  const std::size_t npos = static_cast<std::size_t>(-1);
  bool all_small = true;
  for (std::size_t i = 0; i < cats.size(); ++i)
    if (den(cats[i]) > 0 && !small[i]) all_small = false;
  std::size_t best = npos;
  for (std::size_t i = 0; i < cats.size(); ++i) {
    const auto& c = cats[i];
    if (den(c) == 0 || (small[i] && !all_small)) continue;
    if (best == npos) {
      best = i;
      continue;
    }
    const auto& b = cats[best];
    // c's rate > b's rate  <=>  num(c) den(b) > num(b) den(c)
    if (product_less(num(b), den(c), num(c), den(b)) ||
        (!product_less(num(c), den(b), num(b), den(c)) &&
         (den(c) > den(b) || (den(c) == den(b) && c.name < b.name))))
      best = i;
  }
  return best;
}
}  // namespace detail

/// Impact table of one dimension (or one intersection): every category is
/// compared with the table's reference category. `n` is the whole sample's
/// size, for the small-category mark. Categories keep their order.
inline std::vector<category_impact> impact_table(const std::vector<category_counts>& cats, std::uint64_t n,
                                                 const std::string& dimension = {},
                                                 const audit_options& opt = {}) {
  MERIT_EXPECTS(opt.small_share >= 0 && opt.small_share <= 1, "impact_table: small_share must be in [0, 1]");
  std::vector<bool> small(cats.size());
  for (std::size_t i = 0; i < cats.size(); ++i) {
    const auto& c = cats[i];
    MERIT_EXPECTS(c.selected <= c.applicants && c.scored <= c.applicants && c.above_median <= c.scored,
                  "impact_table: a category's counts are inconsistent (selected or scored above applicants)");
    small[i] = static_cast<double>(c.applicants) < opt.small_share * static_cast<double>(n);
  }
  const std::size_t npos = static_cast<std::size_t>(-1);
  const std::size_t sel_ref = detail::reference_index(
      cats, small, [](const category_counts& c) { return c.selected; },
      [](const category_counts& c) { return c.applicants; });
  const std::size_t score_ref = detail::reference_index(
      cats, small, [](const category_counts& c) { return c.above_median; },
      [](const category_counts& c) { return c.scored; });

  auto ratio = [](std::uint64_t x1, std::uint64_t n1, std::uint64_t x2, std::uint64_t n2) {
    if (n1 == 0 || x2 == 0) return detail::no_value;
    return static_cast<double>(x1) * static_cast<double>(n2) / (static_cast<double>(n1) * static_cast<double>(x2));
  };

  std::vector<category_impact> out;
  out.reserve(cats.size());
  for (std::size_t i = 0; i < cats.size(); ++i) {
    const auto& c = cats[i];
    category_impact r;
    r.dimension = dimension;
    r.name = c.name;
    r.applicants = c.applicants;
    r.selected = c.selected;
    r.scored = c.scored;
    r.above_median = c.above_median;
    r.small_category = small[i];
    r.reference = i == sel_ref;
    if (c.applicants > 0) r.selection_rate = static_cast<double>(c.selected) / static_cast<double>(c.applicants);
    if (c.scored > 0) r.scoring_rate = static_cast<double>(c.above_median) / static_cast<double>(c.scored);
    if (sel_ref != npos && c.applicants > 0) {
      const auto& ref = cats[sel_ref];
      if (i == sel_ref) {
        r.impact_ratio = ref.selected > 0 ? 1.0 : detail::no_value;
        r.fisher_p = 1;
        r.odds_ratio = 1;
        r.z = 0;
        r.z_p = 1;
      } else {
        r.impact_ratio = ratio(c.selected, c.applicants, ref.selected, ref.applicants);
        r.four_fifths_flag = ref.selected > 0 &&
                             detail::product_less(5 * c.selected, ref.applicants, 4 * ref.selected, c.applicants);
        auto f = fisher_exact(c.selected, c.applicants - c.selected, ref.selected, ref.applicants - ref.selected);
        r.fisher_p = f.p;
        r.odds_ratio = f.odds_ratio;
        auto z = two_proportion_z_test(c.selected, c.applicants, ref.selected, ref.applicants);
        r.z = z.z;
        r.z_p = z.p;
      }
    }
    if (score_ref != npos && c.scored > 0) {
      const auto& ref = cats[score_ref];
      r.scoring_impact_ratio =
          i == score_ref ? (ref.above_median > 0 ? 1.0 : detail::no_value)
                         : ratio(c.above_median, c.scored, ref.above_median, ref.scored);
    }
    out.push_back(std::move(r));
  }
  return out;
}

/// The applicants of one audit. Rows are applicants.
struct audit_data {
  std::vector<std::string> dimensions;           ///< #dimensions names (the `--by` columns)
  std::vector<std::vector<std::string>> labels;  ///< #applicants by #dimensions; "" = unknown
  std::vector<bool> selected;                    ///< #applicants
  std::vector<double> fits;                      ///< #applicants, NaN = no fit; empty when there are no fits
  /// Labels (#rows by #dimensions) of people in the groups file with no
  /// result: their categories are listed, with no applicants, and count
  /// nowhere else.
  std::vector<std::vector<std::string>> absent_labels;
};

struct audit_result {
  std::uint64_t n = 0;        ///< applicants
  std::uint64_t unknown = 0;  ///< applicants with an unknown label in any dimension
  /// Per dimension, then the intersection (when there are 2+ dimensions):
  /// (dimension name, applicants with an unknown category there).
  std::vector<std::pair<std::string, std::uint64_t>> unknown_by;
  double median_fit = detail::no_value;  ///< of every applicant with a fit; NaN when none
  /// Each dimension's categories in byte order of name, then the
  /// intersection's (values joined by `/` in dimension order).
  std::vector<category_impact> categories;
};

/// Audits one selection: an impact table per dimension and one for the
/// intersection of all dimensions (when there are two or more).
inline audit_result audit(const audit_data& data, const audit_options& opt = {}) {
  const std::size_t n = data.labels.size(), dims = data.dimensions.size();
  MERIT_EXPECTS(dims > 0, "audit: no dimension to audit by");
  MERIT_EXPECTS(data.selected.size() == n, "audit: selected and labels differ in length");
  MERIT_EXPECTS(data.fits.empty() || data.fits.size() == n, "audit: fits and labels differ in length");
  for (const auto& row : data.labels) MERIT_EXPECTS(row.size() == dims, "audit: a row of labels has the wrong length");
  for (const auto& row : data.absent_labels)
    MERIT_EXPECTS(row.size() == dims, "audit: a row of absent labels has the wrong length");

  audit_result res;
  res.n = n;

  std::vector<double> finite;
  for (double f : data.fits)
    if (std::isfinite(f)) finite.push_back(f);
  if (!finite.empty()) {
    const std::size_t h = finite.size() / 2;
    std::nth_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(h), finite.end());
    const double upper = finite[h];
    if (finite.size() % 2 == 1) {
      res.median_fit = upper;
    } else {
      const double lower = *std::max_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(h));
      res.median_fit = lower + (upper - lower) / 2;
    }
  }

  // Tables: each dimension alone, then all of them together.
  std::vector<std::vector<std::size_t>> tables;
  for (std::size_t d = 0; d < dims; ++d) tables.push_back({d});
  if (dims > 1) {
    tables.emplace_back();
    for (std::size_t d = 0; d < dims; ++d) tables.back().push_back(d);
  }
  auto key_of = [](const std::vector<std::string>& row, const std::vector<std::size_t>& cols, std::string& key) {
    key.clear();
    for (std::size_t j = 0; j < cols.size(); ++j) {
      const std::string& v = row[cols[j]];
      if (v.empty()) return false;
      if (j) key += '/';
      key += v;
    }
    return true;
  };

  std::string key;
  for (const auto& cols : tables) {
    std::string dimension;
    for (std::size_t j = 0; j < cols.size(); ++j) dimension += (j ? "/" : "") + data.dimensions[cols[j]];
    std::map<std::string, category_counts> by_name;  // byte order of names
    std::uint64_t unknown = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!key_of(data.labels[i], cols, key)) {
        ++unknown;
        continue;
      }
      auto& c = by_name[key];
      ++c.applicants;
      if (data.selected[i]) ++c.selected;
      if (!data.fits.empty() && std::isfinite(data.fits[i])) {
        ++c.scored;
        if (data.fits[i] > res.median_fit) ++c.above_median;
      }
    }
    for (const auto& row : data.absent_labels)
      if (key_of(row, cols, key)) by_name.emplace(key, category_counts{});
    std::vector<category_counts> cats;
    for (auto& [name, c] : by_name) {
      c.name = name;
      cats.push_back(std::move(c));
    }
    auto rows = impact_table(cats, n, dimension, opt);
    res.categories.insert(res.categories.end(), std::make_move_iterator(rows.begin()),
                          std::make_move_iterator(rows.end()));
    res.unknown_by.emplace_back(dimension, unknown);
  }
  res.unknown = res.unknown_by.back().second;
  return res;
}

}  // namespace merit
