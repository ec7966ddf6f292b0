#pragma once
/// \file cut.hpp
/// Cut scores: the expectancy-based cut (the lowest score at which those at or
/// above it succeed at a target rate, in a sample with outcomes) and the cut
/// for a target selection ratio (the score at which the top share of an
/// applicant pool passes), and who a cut selects. Plain vectors in, numbers
/// out; no file format, and no demographic data: the adverse impact of a cut
/// is computed afterwards from the selection it gives (fairness.hpp), so no
/// group label can move a cut. docs/cut.md gives the definitions.

#include <merit/errors.hpp>
#include <merit/number.hpp>
#include <merit/validity.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace merit {

/// The expectancy-based cut for a target success rate.
struct expectancy_cut {
  double target = 0;             ///< the success rate asked for
  std::size_t sample_n = 0;      ///< cases with an outcome and a score
  std::size_t sample_successes = 0;
  bool found = false;            ///< some cut reaches the target
  double cut = std::numeric_limits<double>::quiet_NaN();
  std::size_t n = 0;             ///< cases with score >= cut
  std::size_t successes = 0;     ///< of those, successes
  double rate = std::numeric_limits<double>::quiet_NaN();   ///< successes / n
  double lower = std::numeric_limits<double>::quiet_NaN();  ///< Wilson 95% interval of rate
  double upper = std::numeric_limits<double>::quiet_NaN();
};

/// The lowest predictor value c, among the sample's own scores, such that the
/// success rate of the cases with score >= c reaches `target`
/// (successes / n >= target); with its n and the Wilson 95% interval of that
/// rate. `score` and `success` (1 = success, 0 = not) are one a case. `found`
/// is false when no c reaches the target (then the cut is NaN). Throws
/// argument_error for a target outside (0, 1], fewer than `min_n` cases, a
/// non-finite score or a success other than 0/1.
inline expectancy_cut expectancy_based_cut(const std::vector<double>& score, const std::vector<double>& success,
                                           double target, std::size_t min_n = validity_min_n) {
  if (!(target > 0 && target <= 1)) throw argument_error("the target success rate must lie in (0, 1], got " + format_number(target));
  if (score.size() != success.size()) throw argument_error("scores and outcomes differ in length");
  for (std::size_t i = 0; i < score.size(); ++i) {
    if (!std::isfinite(score[i])) throw argument_error("a score is not a finite number");
    if (success[i] != 0 && success[i] != 1) throw argument_error("a success criterion takes only the values 0 and 1");
  }
  if (score.size() < min_n)
    throw argument_error("too few cases with an outcome: " + std::to_string(score.size()) +
                         " matched, an expectancy cut needs at least " + std::to_string(min_n));
  expectancy_cut e;
  e.target = target;
  e.sample_n = score.size();
  std::vector<std::size_t> o(score.size());
  std::iota(o.begin(), o.end(), 0);
  std::sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  std::size_t n = 0, k = 0;
  for (std::size_t i = 0; i < o.size();) {
    std::size_t j = i;
    while (j < o.size() && score[o[j]] == score[o[i]]) {  // everyone at this score passes together
      ++n;
      k += success[o[j]] == 1;
      ++j;
    }
    if (double(k) / double(n) >= target) {  // a lower cut that still reaches the target wins
      e.found = true;
      e.cut = score[o[i]];
      e.n = n;
      e.successes = k;
    }
    i = j;
  }
  e.sample_successes = k;
  if (e.found) {
    e.rate = double(e.successes) / double(e.n);
    std::tie(e.lower, e.upper) = wilson_interval(e.successes, e.n);
  }
  return e;
}

/// The cut for a target selection ratio.
struct ratio_cut {
  double selection_ratio = 0;
  std::size_t applicants = 0;    ///< the whole pool, eligible or not
  std::size_t eligible = 0;      ///< applicants who can pass (a score, and qualified)
  std::size_t target_count = 0;  ///< the smallest count whose share of the pool reaches the ratio
  bool reached = false;          ///< enough eligible applicants to reach the ratio
  double cut = std::numeric_limits<double>::quiet_NaN();
};

/// The highest score c such that the applicants passing (eligible and score
/// >= c) are at least `selection_ratio` of the pool: with m = the smallest
/// whole number with m / applicants >= ratio, c is the m-th highest eligible
/// score. Ties at c all pass, so the share passing can exceed the ratio; a
/// cut never splits equal scores. When fewer than m applicants are eligible,
/// `reached` is false and c is the lowest eligible score (all of them pass).
/// `score`: one an applicant, NaN = no score; `eligible`: empty (every scored
/// applicant is eligible) or one an applicant. Throws argument_error for a
/// ratio outside (0, 1], an empty pool, or a pool with no eligible applicant.
inline ratio_cut selection_ratio_cut(const std::vector<double>& score, const std::vector<bool>& eligible,
                                     double selection_ratio) {
  if (!(selection_ratio > 0 && selection_ratio <= 1))
    throw argument_error("the selection ratio must lie in (0, 1], got " + format_number(selection_ratio));
  if (!eligible.empty() && eligible.size() != score.size())
    throw argument_error("scores and eligibility differ in length");
  if (score.empty()) throw argument_error("the applicant pool is empty");
  ratio_cut r;
  r.selection_ratio = selection_ratio;
  r.applicants = score.size();
  std::vector<double> s;
  for (std::size_t i = 0; i < score.size(); ++i) {
    if (std::isinf(score[i])) throw argument_error("a score is infinite");
    if (!std::isnan(score[i]) && (eligible.empty() || eligible[i])) s.push_back(score[i]);
  }
  r.eligible = s.size();
  if (s.empty()) throw argument_error("no applicant of the pool is eligible (none has a score and is qualified)");
  const double want = selection_ratio * double(r.applicants);
  // The smallest m with m / applicants >= ratio, robust to 0.2 x 30 = 6.000000000000001.
  auto m = static_cast<std::size_t>(std::floor(want + 1e-9));
  if (double(m) < want - 1e-9) ++m;
  r.target_count = std::max<std::size_t>(m, 1);
  std::sort(s.begin(), s.end(), std::greater<double>());
  r.reached = r.target_count <= s.size();
  r.cut = s[std::min(r.target_count, s.size()) - 1];
  return r;
}

/// Whom a cut selects: eligible and score >= cut (a NaN score never passes).
/// `eligible` as in selection_ratio_cut.
inline std::vector<bool> select_at_cut(const std::vector<double>& score, const std::vector<bool>& eligible,
                                       double cut) {
  if (!eligible.empty() && eligible.size() != score.size())
    throw argument_error("scores and eligibility differ in length");
  std::vector<bool> out(score.size());
  for (std::size_t i = 0; i < score.size(); ++i)
    out[i] = (eligible.empty() || eligible[i]) && score[i] >= cut;
  return out;
}

}  // namespace merit
