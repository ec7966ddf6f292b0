#pragma once
/// \file utility.hpp
/// What a selection procedure is worth: the Taylor-Russell (1939) success
/// ratio, computed exactly from the bivariate normal with Owen's T function
/// (no table lookup), and the Brogden (1949) / Cronbach & Gleser (1965)
/// utility. docs/validity.md gives the formulas.

#include <merit/errors.hpp>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/owens_t.hpp>

#include <cmath>
#include <optional>

namespace merit {

/// P(X > h, Y > k) for standard bivariate normal X, Y with correlation rho
/// (|rho| < 1), from Owen (1956): Phi2(h, k) = Phi(h)/2 + Phi(k)/2
/// - T(h, (k - rho h) / (h s)) - T(k, (h - rho k) / (k s)) - beta, with
/// s = sqrt(1 - rho^2), beta = 1/2 when h k < 0 (or h k = 0 and h + k < 0)
/// and 0 otherwise; the upper orthant is Phi2(-h, -k).
inline double bivariate_normal_upper(double h, double k, double rho) {
  if (!(rho > -1 && rho < 1)) throw argument_error("the correlation must lie strictly between -1 and 1");
  using boost::math::owens_t;
  const double pi = boost::math::constants::pi<double>();
  const boost::math::normal N;
  const double a = -h, b = -k, s = std::sqrt(1 - rho * rho);
  if (a == 0 && b == 0) return 0.25 + std::asin(rho) / (2 * pi);
  if (a == 0) return 0.5 * boost::math::cdf(N, b) - owens_t(b, -rho / s);
  if (b == 0) return 0.5 * boost::math::cdf(N, a) - owens_t(a, -rho / s);
  const double beta = (a * b < 0) ? 0.5 : 0.0;
  return 0.5 * boost::math::cdf(N, a) + 0.5 * boost::math::cdf(N, b) - owens_t(a, (b - rho * a) / (a * s)) -
         owens_t(b, (a - rho * b) / (b * s)) - beta;
}

struct utility_result {
  double success_ratio = 0;    ///< Taylor-Russell: P(success | selected)
  double mean_z_selected = 0;  ///< phi(z_c) / SR: mean standard predictor score of those selected
  double z_cut = 0;            ///< predictor cut in z units: Phi^-1(1 - SR)
  /// Brogden-Cronbach-Gleser gain: N r SD_y phi(z_c)/SR - C N / SR; present
  /// only when SD_y, N and C were given.
  std::optional<double> utility;
  std::optional<double> applicants;  ///< N / SR: applicants assessed for N hires
};

/// Validity r in (-1, 1), selection ratio and base rate in (0, 1).
inline utility_result selection_utility(double validity, double selection_ratio, double base_rate) {
  if (!(validity > -1 && validity < 1)) throw argument_error("the validity must lie strictly between -1 and 1");
  if (!(selection_ratio > 0 && selection_ratio < 1))
    throw argument_error("the selection ratio must lie strictly between 0 and 1");
  if (!(base_rate > 0 && base_rate < 1)) throw argument_error("the base rate must lie strictly between 0 and 1");
  const boost::math::normal N;
  utility_result u;
  u.z_cut = boost::math::quantile(boost::math::complement(N, selection_ratio));
  const double y_cut = boost::math::quantile(boost::math::complement(N, base_rate));
  u.success_ratio = bivariate_normal_upper(u.z_cut, y_cut, validity) / selection_ratio;
  u.mean_z_selected = boost::math::pdf(N, u.z_cut) / selection_ratio;
  return u;
}

/// As above, with the Brogden-Cronbach-Gleser utility of `hires` hires:
/// SD_y > 0 (the SD of performance in money), hires > 0, cost >= 0.
inline utility_result selection_utility(double validity, double selection_ratio, double base_rate,
                                        double sd_performance, double hires, double cost_per_applicant) {
  if (!(sd_performance > 0)) throw argument_error("the SD of performance must be > 0");
  if (!(hires > 0)) throw argument_error("the number of hires must be > 0");
  if (!(cost_per_applicant >= 0) || !std::isfinite(cost_per_applicant))
    throw argument_error("the cost per applicant must be >= 0");
  utility_result u = selection_utility(validity, selection_ratio, base_rate);
  u.applicants = hires / selection_ratio;
  u.utility = hires * validity * sd_performance * u.mean_z_selected - cost_per_applicant * *u.applicants;
  return u;
}

}  // namespace merit
