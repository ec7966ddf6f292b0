#pragma once
/// \file pool_summary.hpp
/// A scored pool in a few hundred numbers, whatever its size: what the pool
/// report (merit report pool) draws. The histogram of fits by status, the
/// status funnel with the hurdle that screened each candidate out, each
/// target competency's distribution against its target, and the fixed score
/// bands of bands.hpp. Aggregates only: a million candidates give the same
/// few numbers as a hundred.

#include <merit/bands.hpp>
#include <merit/fit.hpp>
#include <merit/fwd.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace merit {

/// Width of a fit histogram bin, in fit points. Recorded judgment: 20 bins of
/// 5 points over 0..100 show the shape of any pool on half a page, and 5 is
/// finer than a band at the planning reliability (.80 gives a width of about
/// 1.96 x sqrt(2 x .2) SD = 1.24 fit SDs).
inline constexpr double fit_bin_width = 5.0;
inline constexpr int fit_bins = 20;

/// Five numbers of one competency over the candidates observed on it.
struct level_distribution {
  std::uint64_t observed = 0;  ///< candidates with a score
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0, mean = 0;
  std::uint64_t meeting_target = 0;  ///< of the observed, level >= target
};

struct pool_summary {
  std::uint64_t candidates = 0;
  std::array<std::uint64_t, 3> by_status{};  ///< indexed by status
  std::uint64_t without_fit = 0;             ///< incomplete with no fit at all
  /// Per target of the plan: candidates below its minimum (0 where no hurdle).
  /// A candidate below several hurdles counts under each.
  std::vector<std::uint64_t> below_hurdle;
  /// Per target: candidates not observed on a hurdle competency (they are incomplete).
  std::vector<std::uint64_t> hurdle_unassessed;
  /// fit_bins x 3: candidates per fit bin [5b, 5b + 5) (the last bin holds 100) and status.
  std::vector<std::array<std::uint64_t, 3>> histogram;
  std::vector<level_distribution> levels;  ///< per target of the plan
  double fit_sd = std::numeric_limits<double>::quiet_NaN();  ///< sample SD of every fit
  /// Fixed bands among qualified candidates when a reliability is given.
  std::optional<double> band_width;
  double top_fit = std::numeric_limits<double>::quiet_NaN();  ///< highest qualified fit
  std::uint64_t band1 = 0;  ///< qualified candidates in the top band
};

namespace detail {
/// Quantile p of sorted-in-place values (type 7, linear between order statistics, as R's default).
inline double quantile7(std::vector<double>& v, double p) {
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  const double a = v[lo];
  if (lo + 1 >= v.size()) return a;
  const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return a + (h - static_cast<double>(lo)) * (b - a);
}
}  // namespace detail

/// Summarises a scored pool. `scores`: #candidates by #model competencies;
/// `fit`, `st`: what score() wrote. `reliability`: r_xx for bands (none: no
/// bands); `band_c`: the band multiplier.
inline pool_summary summarise_pool(const scoring_plan& plan, RowMatrixCRef scores, VectorCRef fit,
                                   const std::vector<std::int8_t>& st, std::optional<double> reliability,
                                   double band_c = band_c_95) {
  pool_summary s;
  const Eigen::Index n = scores.rows(), T = plan.size();
  s.candidates = static_cast<std::uint64_t>(n);
  s.histogram.assign(fit_bins, {0, 0, 0});
  s.below_hurdle.assign(static_cast<std::size_t>(T), 0);
  s.hurdle_unassessed.assign(static_cast<std::size_t>(T), 0);
  double mean = 0, m2 = 0, count = 0;  // Welford, in input order
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(st[static_cast<std::size_t>(i)]);
    ++s.by_status[k];
    const double f = fit[i];
    if (std::isnan(f)) {
      ++s.without_fit;
    } else {
      const int b = std::min(fit_bins - 1, std::max(0, static_cast<int>(std::floor(f / fit_bin_width))));
      ++s.histogram[static_cast<std::size_t>(b)][k];
      count += 1;
      const double d = f - mean;
      mean += d / count;
      m2 += d * (f - mean);
      if (k == 0 && !(f <= s.top_fit)) s.top_fit = f;
    }
    for (Eigen::Index t = 0; t < T; ++t) {
      const double mn = plan.minimums()[t];
      if (std::isnan(mn)) continue;
      const double x = scores(i, plan.columns()[t]);
      if (std::isnan(x)) ++s.hurdle_unassessed[static_cast<std::size_t>(t)];
      else if (x < mn) ++s.below_hurdle[static_cast<std::size_t>(t)];
    }
  }
  if (count > 1) s.fit_sd = std::sqrt(m2 / (count - 1));
  if (reliability && std::isfinite(s.fit_sd)) {
    s.band_width = band_width(s.fit_sd, *reliability, band_c);
    for (Eigen::Index i = 0; i < n; ++i)
      if (st[static_cast<std::size_t>(i)] == 0 && s.top_fit - fit[i] <= *s.band_width) ++s.band1;
  }
  std::vector<double> v;
  v.reserve(static_cast<std::size_t>(n));
  for (Eigen::Index t = 0; t < T; ++t) {
    v.clear();
    level_distribution d;
    double sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double x = scores(i, plan.columns()[t]);
      if (std::isnan(x)) continue;
      v.push_back(x);
      sum += x;
      d.meeting_target += x >= plan.targets()[t];
    }
    d.observed = v.size();
    if (!v.empty()) {
      d.mean = sum / static_cast<double>(v.size());
      d.min = *std::min_element(v.begin(), v.end());
      d.max = *std::max_element(v.begin(), v.end());
      d.q1 = detail::quantile7(v, 0.25);
      d.median = detail::quantile7(v, 0.5);
      d.q3 = detail::quantile7(v, 0.75);
    }
    s.levels.push_back(d);
  }
  return s;
}

}  // namespace merit
