#pragma once
/// \file bands.hpp
/// Score bands: candidates whose fits cannot be told apart given the
/// measurement error of the fit (Cascio, Outtz, Zedeck & Goldstein, 1991,
/// "Statistical implications of six methods of test score use in personnel
/// selection", Human Performance 4(4), 233-264).
///
/// SEM = SD sqrt(1 - r_xx), SED = SEM sqrt(2), band width = C SED. C = 1.96
/// is the two-sided 95% point of the standard normal: two fits closer than
/// the width do not differ significantly at the 5% level.

#include <merit/errors.hpp>
#include <merit/fit.hpp>
#include <merit/fwd.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace merit {

/// Default multiplier of the standard error of the difference: z(0.975).
inline constexpr double band_c_95 = 1.96;

/// Standard error of measurement: sd sqrt(1 - rxx). sd >= 0, rxx in [0, 1].
inline double sem(double sd, double rxx) {
  MERIT_EXPECTS(std::isfinite(sd) && sd >= 0, "sem: sd must be a finite number >= 0");
  MERIT_EXPECTS(rxx >= 0 && rxx <= 1, "sem: reliability rxx must be in [0, 1]");
  return sd * std::sqrt(1 - rxx);
}

/// Standard error of the difference between two candidates' scores: SEM sqrt(2).
inline double sed(double sd, double rxx) { return sem(sd, rxx) * std::sqrt(2.0); }

/// Width of a band: c SED (c = 1.96 by default; c > 0).
inline double band_width(double sd, double rxx, double c = band_c_95) {
  MERIT_EXPECTS(std::isfinite(c) && c > 0, "band_width: c must be a finite number > 0");
  return c * sed(sd, rxx);
}

/// Fixed bands from the top (Cascio et al. 1991): band 1 holds every fit
/// within `width` of the highest fit (top - fit <= width); band 2 starts at
/// the highest fit outside band 1 and holds every fit within `width` of it;
/// and so on. Bands do not slide: a band is fixed until it is exhausted.
///
/// fits: #candidates, any order; NaN = no fit. Returns #candidates band
/// numbers (1 = top), 0 for a candidate with no fit. width >= 0.
inline Eigen::VectorXi fixed_bands(const VectorCRef& fits, double width) {
  MERIT_EXPECTS(std::isfinite(width) && width >= 0, "fixed_bands: width must be a finite number >= 0");
  const Eigen::Index n = fits.size();
  Eigen::VectorXi band = Eigen::VectorXi::Zero(n);
  std::vector<Eigen::Index> order;
  order.reserve(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i)
    if (std::isfinite(fits[i])) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return fits[a] > fits[b]; });
  int current = 0;
  double top = 0;
  for (Eigen::Index i : order) {
    // The highest fit outside the open band opens the next one.
    if (current == 0 || top - fits[i] > width) {
      ++current;
      top = fits[i];
    }
    band[i] = current;
  }
  return band;
}

/// The fits that take part in bands: those of qualified candidates, NaN for
/// every other. A band is a set of candidates treated as equal for selection,
/// so bands are formed among qualified candidates only (docs/design.md);
/// fixed_bands over this vector gives every other candidate band 0 (none).
/// `st[i]` converts to status (a std::int8_t of the enum will do).
template <class Statuses>
Vector qualified_fits(const VectorCRef& fits, const Statuses& st) {
  Vector q(fits.size());
  for (Eigen::Index i = 0; i < fits.size(); ++i)
    q[i] = static_cast<status>(st[static_cast<std::size_t>(i)]) == status::qualified
               ? fits[i] : std::numeric_limits<double>::quiet_NaN();
  return q;
}

}  // namespace merit
