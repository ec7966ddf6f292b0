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
#include <merit/fit.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

/// The selection rules of an audit that derive "selected" from a scoring run.
/// Only a qualified candidate is ever selected: one screened out by a hurdle,
/// or incomplete, is not, whatever their rank or fit, because that is what
/// the decision would be. The CLI (`merit audit --top/--threshold`) and the
/// Python package (`merit.audit(top=, threshold=)`) both call these.
///
/// Top K: rank <= K and qualified. Under a ranking that puts qualified
/// candidates first this is the first min(K, #qualified) ranks; under one by
/// fit alone it is the qualified candidates among ranks 1..K. Either way
/// fewer than K are selected when fewer than K of ranks 1..K are qualified.
/// A rank that is NaN (no rank) or below 1 is never selected.
inline bool top_k_selects(double rank, bool qualified, std::uint64_t k) {
  return qualified && rank >= 1 && rank <= static_cast<double>(k);
}

/// The status a results file names (`merit::to_string(status)`: qualified,
/// screened_out, incomplete), or nullopt for any other text.
inline std::optional<status> parse_result_status(std::string_view text) {
  for (status s : {status::qualified, status::screened_out, status::incomplete})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

/// The message for a status that parse_result_status does not know.
inline std::string unknown_status_message(std::string_view text) {
  return "unknown status '" + std::string(text) + "' (expected one of qualified, screened_out, incomplete)";
}

/// Threshold F: fit >= F and qualified (a NaN fit is never selected).
inline bool threshold_selects(double fit, bool qualified, double threshold) {
  return qualified && fit >= threshold;
}

/// What a top-K selection gave, for the summary a report prints.
struct top_k_summary {
  std::uint64_t k = 0;
  std::uint64_t selected = 0;    ///< rank <= K and qualified
  std::uint64_t in_top_k = 0;    ///< rank in 1..K, qualified or not
  /// in_top_k - selected: candidates of ranks 1..K left out as not qualified.
  std::uint64_t not_qualified() const { return in_top_k - selected; }
  /// Counts one candidate; returns whether they are selected.
  bool add(double rank, bool qualified) {
    const bool in = rank >= 1 && rank <= static_cast<double>(k);
    in_top_k += in;
    const bool s = top_k_selects(rank, qualified, k);
    selected += s;
    return s;
  }
};

/// Top-K selection of a whole sample: `status` holds merit::status codes
/// (qualified = 0; any other value, -1 for unknown included, is not
/// qualified). Writes 1/0 to `out` and returns the summary.
inline top_k_summary select_top_k(const double* rank, const std::int8_t* status, std::size_t n, std::uint64_t k,
                                  std::uint8_t* out) {
  top_k_summary s;
  s.k = k;
  for (std::size_t i = 0; i < n; ++i) out[i] = s.add(rank[i], status[i] == 0);
  return s;
}

/// Threshold selection of a whole sample (status as in select_top_k);
/// returns the number selected.
inline std::uint64_t select_threshold(const double* fit, const std::int8_t* status, std::size_t n, double threshold,
                                      std::uint8_t* out) {
  std::uint64_t selected = 0;
  for (std::size_t i = 0; i < n; ++i) selected += (out[i] = threshold_selects(fit[i], status[i] == 0, threshold));
  return selected;
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

/// The same data with its labels coded, the form large samples take (no
/// string per cell): per dimension the distinct category names and a code
/// per applicant into them, -1 = unknown. `audit(audit_data)` codes its
/// labels and calls `audit(coded_audit_data)`.
struct coded_audit_data {
  std::vector<std::string> dimensions;               ///< #dimensions
  std::vector<std::vector<std::string>> names;       ///< per dimension, distinct non-empty names
  std::vector<std::vector<std::int32_t>> codes;      ///< per dimension, #applicants codes (-1 = unknown)
  std::vector<std::uint8_t> selected;                ///< #applicants, 1 = selected
  std::vector<double> fits;                          ///< as audit_data::fits
  std::vector<std::vector<std::int32_t>> absent_codes;  ///< per dimension, codes of the absent rows
};

struct audit_result {
  std::uint64_t n = 0;         ///< applicants
  std::uint64_t selected = 0;  ///< applicants selected (known category or not)
  std::uint64_t unknown = 0;   ///< applicants with an unknown label in any dimension
  /// Per dimension, then the intersection (when there are 2+ dimensions):
  /// (dimension name, applicants with an unknown category there).
  std::vector<std::pair<std::string, std::uint64_t>> unknown_by;
  double median_fit = detail::no_value;  ///< of every applicant with a fit; NaN when none
  /// Each dimension's categories in byte order of name, then the
  /// intersection's (values joined by `/` in dimension order).
  std::vector<category_impact> categories;
};

namespace detail {

inline double median_of_finite(const std::vector<double>& fits) {
  std::vector<double> finite;
  for (double f : fits)
    if (std::isfinite(f)) finite.push_back(f);
  if (finite.empty()) return no_value;
  const std::size_t h = finite.size() / 2;
  std::nth_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(h), finite.end());
  const double upper = finite[h];
  if (finite.size() % 2 == 1) return upper;
  const double lower = *std::max_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(h));
  return lower + (upper - lower) / 2;
}

/// A coded dimension: names and per-row codes (applicants, then absent rows).
struct coded_column {
  std::vector<std::string> names;
  std::vector<std::int32_t> codes, absent;
};

/// The intersection of two coded columns: a code per pair of codes that
/// occurs, named "a/b" (-1 when either side is unknown).
inline coded_column intersect(const coded_column& a, const coded_column& b) {
  coded_column out;
  const std::uint64_t width = b.names.size();
  const bool dense = static_cast<std::uint64_t>(a.names.size()) * width <= (std::uint64_t{1} << 22);
  std::vector<std::int32_t> table(dense ? a.names.size() * width : 0, -1);
  std::unordered_map<std::uint64_t, std::int32_t> sparse;
  auto code_of = [&](std::int32_t x, std::int32_t y) -> std::int32_t {
    if (x < 0 || y < 0) return -1;
    const std::uint64_t key = static_cast<std::uint64_t>(x) * width + static_cast<std::uint64_t>(y);
    std::int32_t& slot = dense ? table[key] : sparse.try_emplace(key, -1).first->second;
    if (slot < 0) {
      slot = static_cast<std::int32_t>(out.names.size());
      out.names.push_back(a.names[static_cast<std::size_t>(x)] + '/' + b.names[static_cast<std::size_t>(y)]);
    }
    return slot;
  };
  out.codes.resize(a.codes.size());
  for (std::size_t i = 0; i < a.codes.size(); ++i) out.codes[i] = code_of(a.codes[i], b.codes[i]);
  out.absent.resize(a.absent.size());
  for (std::size_t i = 0; i < a.absent.size(); ++i) out.absent[i] = code_of(a.absent[i], b.absent[i]);
  return out;
}

}  // namespace detail

/// Audits one selection: an impact table per dimension and one for the
/// intersection of all dimensions (when there are two or more).
inline audit_result audit(const coded_audit_data& data, const audit_options& opt = {}) {
  const std::size_t n = data.selected.size(), dims = data.dimensions.size();
  MERIT_EXPECTS(dims > 0, "audit: no dimension to audit by");
  MERIT_EXPECTS(data.names.size() == dims && data.codes.size() == dims &&
                    (data.absent_codes.empty() || data.absent_codes.size() == dims),
                "audit: names, codes and dimensions differ in number");
  MERIT_EXPECTS(data.fits.empty() || data.fits.size() == n, "audit: fits and labels differ in length");
  std::size_t absent_rows = data.absent_codes.empty() ? 0 : data.absent_codes[0].size();
  for (std::size_t d = 0; d < dims; ++d) {
    MERIT_EXPECTS(data.codes[d].size() == n, "audit: selected and labels differ in length");
    MERIT_EXPECTS(data.absent_codes.empty() || data.absent_codes[d].size() == absent_rows,
                  "audit: a row of absent labels has the wrong length");
    const auto size = static_cast<std::int32_t>(data.names[d].size());
    auto in_range = [size](std::int32_t c) { return c >= -1 && c < size; };
    MERIT_EXPECTS(std::all_of(data.codes[d].begin(), data.codes[d].end(), in_range) &&
                      (data.absent_codes.empty() ||
                       std::all_of(data.absent_codes[d].begin(), data.absent_codes[d].end(), in_range)),
                  "audit: a label code is outside its dimension's names");
  }

  audit_result res;
  res.n = n;
  for (std::uint8_t s : data.selected) res.selected += s != 0;
  res.median_fit = detail::median_of_finite(data.fits);

  // Tables: each dimension alone, then all of them together.
  std::vector<detail::coded_column> tables(dims);
  std::vector<std::string> table_names(data.dimensions);
  for (std::size_t d = 0; d < dims; ++d) {
    tables[d].names = data.names[d];
    tables[d].codes = data.codes[d];
    if (!data.absent_codes.empty()) tables[d].absent = data.absent_codes[d];
  }
  if (dims > 1) {
    detail::coded_column all = tables[0];
    std::string name = data.dimensions[0];
    for (std::size_t d = 1; d < dims; ++d) {
      all = detail::intersect(all, tables[d]);
      name += '/' + data.dimensions[d];
    }
    tables.push_back(std::move(all));
    table_names.push_back(std::move(name));
  }

  for (std::size_t t = 0; t < tables.size(); ++t) {
    const detail::coded_column& col = tables[t];
    std::vector<category_counts> counts(col.names.size());
    std::vector<bool> listed(col.names.size(), false);
    std::uint64_t unknown = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t code = col.codes[i];
      if (code < 0) {
        ++unknown;
        continue;
      }
      auto& c = counts[static_cast<std::size_t>(code)];
      ++c.applicants;
      c.selected += data.selected[i] != 0;
      if (!data.fits.empty() && std::isfinite(data.fits[i])) {
        ++c.scored;
        c.above_median += data.fits[i] > res.median_fit;
      }
    }
    for (std::size_t k = 0; k < counts.size(); ++k) listed[k] = counts[k].applicants > 0;
    for (std::int32_t code : col.absent)
      if (code >= 0) listed[static_cast<std::size_t>(code)] = true;
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < counts.size(); ++k)
      if (listed[k]) order.push_back(k);
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return col.names[x] < col.names[y]; });
    std::vector<category_counts> cats;
    cats.reserve(order.size());
    for (std::size_t k : order) {
      cats.push_back(counts[k]);
      cats.back().name = col.names[k];
    }
    auto rows = impact_table(cats, n, table_names[t], opt);
    res.categories.insert(res.categories.end(), std::make_move_iterator(rows.begin()),
                          std::make_move_iterator(rows.end()));
    res.unknown_by.emplace_back(table_names[t], unknown);
  }
  res.unknown = res.unknown_by.back().second;
  return res;
}

/// Audits one selection given string labels: codes them and calls the coded
/// form (the same tables, number for number).
inline audit_result audit(const audit_data& data, const audit_options& opt = {}) {
  const std::size_t n = data.labels.size(), dims = data.dimensions.size();
  MERIT_EXPECTS(dims > 0, "audit: no dimension to audit by");
  MERIT_EXPECTS(data.selected.size() == n, "audit: selected and labels differ in length");
  MERIT_EXPECTS(data.fits.empty() || data.fits.size() == n, "audit: fits and labels differ in length");
  for (const auto& row : data.labels) MERIT_EXPECTS(row.size() == dims, "audit: a row of labels has the wrong length");
  for (const auto& row : data.absent_labels)
    MERIT_EXPECTS(row.size() == dims, "audit: a row of absent labels has the wrong length");

  coded_audit_data coded;
  coded.dimensions = data.dimensions;
  coded.names.resize(dims);
  coded.codes.assign(dims, std::vector<std::int32_t>(n));
  coded.absent_codes.assign(dims, std::vector<std::int32_t>(data.absent_labels.size()));
  std::vector<std::unordered_map<std::string, std::int32_t>> index(dims);
  auto code = [&](std::size_t d, const std::string& label) -> std::int32_t {
    if (label.empty()) return -1;
    auto [it, fresh] = index[d].try_emplace(label, static_cast<std::int32_t>(coded.names[d].size()));
    if (fresh) coded.names[d].push_back(label);
    return it->second;
  };
  for (std::size_t d = 0; d < dims; ++d) {
    for (std::size_t i = 0; i < n; ++i) coded.codes[d][i] = code(d, data.labels[i][d]);
    for (std::size_t i = 0; i < data.absent_labels.size(); ++i)
      coded.absent_codes[d][i] = code(d, data.absent_labels[i][d]);
  }
  coded.selected.assign(data.selected.begin(), data.selected.end());
  coded.fits = data.fits;
  return audit(coded, opt);
}

}  // namespace merit
