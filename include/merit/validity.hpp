#pragma once
/// \file validity.hpp
/// Criterion-related validity: how well a predictor (the fit score or one
/// competency) forecasts an outcome measured after the hire. Plain vectors in,
/// numbers out; no file format. docs/validity.md gives the formulas, the order
/// of the corrections and the reasons for each refusal.
///
/// Continuous criterion: Pearson r with its Fisher-z interval and p (as R
/// cor.test), Spearman's rho, the correction for criterion unreliability,
/// Thorndike's (1949) Case II correction for direct range restriction, and the
/// operational validity in Hunter & Schmidt's (2004) order. Binary criterion:
/// point-biserial r, logistic regression (IRLS), AUC, expectancy table.
/// Several predictors: cross-validated multiple R of least-squares weights.
///
/// Every function throws merit::argument_error with a message that says what
/// to fix; the edges add the file or option it came from.

#include <merit/errors.hpp>
#include <merit/fwd.hpp>

#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace merit {

/// The smallest number of cases a validity is computed from. Basis (a
/// recorded judgment, docs/validity.md): with n = 30 and r = .30 the 95%
/// Fisher-z interval already runs from -.07 to .60, so below 30 the
/// coefficient says almost nothing; Schmidt, Hunter & Urry (1976) show that
/// far larger samples are needed for adequate power, which the interval shows.
inline constexpr std::size_t validity_min_n = 30;

/// Cases per predictor that a regression on several predictors needs (the
/// common rule of ten events/cases per variable; Peduzzi et al. 1996).
inline constexpr std::size_t validity_cases_per_predictor = 10;

/// Folds of the cross-validation of the multiple R. Case i (0-based, in the
/// order given) is in fold i mod 10: fixed, so results are reproducible.
inline constexpr std::size_t validity_folds = 10;

struct correlation {
  std::size_t n = 0;
  double r = 0, lower = 0, upper = 0, p = 1;
};

namespace validity_detail {
inline void check_pairs(const std::vector<double>& x, const std::vector<double>& y, std::size_t min_n) {
  if (x.size() != y.size()) throw argument_error("predictor and criterion differ in length");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) throw argument_error("a value is not a finite number");
  if (x.size() < min_n)
    throw argument_error("too few cases: " + std::to_string(x.size()) + " matched, a validity needs at least " +
                         std::to_string(min_n));
}
inline double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }
/// Sample SD (n - 1).
inline double sd(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (double a : v) s += (a - m) * (a - m);
  return std::sqrt(s / (v.size() - 1));
}
inline double raw_r(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0) throw argument_error("the predictor does not vary: every case has the same value");
  if (syy == 0) throw argument_error("the criterion does not vary: every case has the same value");
  return sxy / std::sqrt(sxx * syy);
}
/// Mid-ranks (ties share the mean of their ranks), 1-based.
inline std::vector<double> midranks(const std::vector<double>& v) {
  std::vector<std::size_t> o(v.size());
  std::iota(o.begin(), o.end(), 0);
  std::stable_sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < o.size();) {
    std::size_t j = i;
    while (j + 1 < o.size() && v[o[j + 1]] == v[o[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) r[o[k]] = (i + j) / 2.0 + 1;
    i = j + 1;
  }
  return r;
}
inline double z_quantile(double confidence) {
  return boost::math::quantile(boost::math::normal(), (1 + confidence) / 2);
}
}  // namespace validity_detail

/// Fisher-z interval of a correlation r from n cases (as psychometric::CIr and
/// cor.test): tanh(atanh(r) -+ z_{(1+c)/2} / sqrt(n - 3)).
inline std::pair<double, double> fisher_interval(double r, std::size_t n, double confidence = 0.95) {
  if (n < 4) throw argument_error("a Fisher-z interval needs at least 4 cases");
  if (!(r > -1 && r < 1)) throw argument_error("a correlation must lie strictly between -1 and 1");
  const double z = std::atanh(r), h = validity_detail::z_quantile(confidence) / std::sqrt(n - 3.0);
  return {std::tanh(z - h), std::tanh(z + h)};
}

/// Pearson r with the Fisher-z interval and the two-sided p of the t test
/// t = r sqrt((n - 2) / (1 - r^2)) on n - 2 df (R cor.test).
inline correlation pearson(const std::vector<double>& x, const std::vector<double>& y,
                           std::size_t min_n = validity_min_n) {
  validity_detail::check_pairs(x, y, std::max<std::size_t>(min_n, 4));
  correlation c;
  c.n = x.size();
  c.r = validity_detail::raw_r(x, y);
  if (std::abs(c.r) >= 1) {
    c.lower = c.upper = c.r;
    c.p = 0;
    return c;
  }
  std::tie(c.lower, c.upper) = fisher_interval(c.r, c.n);
  const double df = c.n - 2.0, t = c.r * std::sqrt(df / (1 - c.r * c.r));
  c.p = 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(df), std::abs(t)));
  return c;
}

/// Spearman's rho: Pearson r of the mid-ranks.
inline double spearman(const std::vector<double>& x, const std::vector<double>& y,
                       std::size_t min_n = validity_min_n) {
  validity_detail::check_pairs(x, y, min_n);
  return validity_detail::raw_r(validity_detail::midranks(x), validity_detail::midranks(y));
}

/// r / sqrt(r_yy): the correlation with the criterion's true score.
/// r_yy must lie in (0, 1].
inline double correct_for_criterion(double r, double criterion_reliability) {
  if (!(criterion_reliability > 0 && criterion_reliability <= 1))
    throw argument_error("the criterion reliability must lie in (0, 1]");
  return r / std::sqrt(criterion_reliability);
}

/// Thorndike's (1949) Case II for direct range restriction on the predictor:
/// with U = SD_applicants / SD_hires, r_c = r U / sqrt(1 + r^2 (U^2 - 1))
/// (psychometric::cRRr). Both SDs must be positive; U below 1 (hires more
/// variable than applicants) is refused, since direct selection cannot widen
/// the range.
inline double correct_for_range_restriction(double r, double sd_hires, double sd_applicants) {
  if (!(sd_hires > 0)) throw argument_error("the SD of the predictor among the hires must be > 0");
  if (!(sd_applicants > 0)) throw argument_error("the applicant SD must be > 0");
  const double u = sd_applicants / sd_hires;
  if (u < 1)
    throw argument_error("the applicant SD is smaller than the hires' SD; direct range restriction cannot make "
                         "the hires more variable than the applicants, so Case II does not apply");
  return r * u / std::sqrt(1 + r * r * (u * u - 1));
}

/// Hunter & Schmidt's (2004) operational validity under direct range
/// restriction: first r / sqrt(r_yy) with r_yy the criterion reliability
/// measured among the hires (the restricted group), then Case II. The
/// predictor's unreliability is not corrected: selection uses observed scores.
inline double operational_validity(double r, double criterion_reliability_hires, double sd_hires,
                                   double sd_applicants) {
  const double rc = correct_for_criterion(r, criterion_reliability_hires);
  if (std::abs(rc) > 1)
    throw argument_error("r corrected for criterion unreliability exceeds 1; the criterion reliability is too low "
                         "for this r (is it the hires' reliability?)");
  return correct_for_range_restriction(rc, sd_hires, sd_applicants);
}

/// Continuous criterion: every statistic of `merit validity`. Corrections
/// are NaN when their input (criterion reliability, applicant SD) is absent
/// (pass NaN).
struct continuous_validity {
  correlation pearson;
  double spearman = 0;
  double r_corrected_criterion = std::nan("");
  double r_corrected_range = std::nan("");
  double r_operational = std::nan("");
  double sd_hires = 0;
};

inline continuous_validity validity_continuous(const std::vector<double>& x, const std::vector<double>& y,
                                               double criterion_reliability, double sd_applicants,
                                               std::size_t min_n = validity_min_n) {
  continuous_validity v;
  v.pearson = pearson(x, y, min_n);
  v.spearman = spearman(x, y, min_n);
  v.sd_hires = validity_detail::sd(x);
  if (!std::isnan(criterion_reliability)) v.r_corrected_criterion = correct_for_criterion(v.pearson.r, criterion_reliability);
  if (!std::isnan(sd_applicants)) v.r_corrected_range = correct_for_range_restriction(v.pearson.r, v.sd_hires, sd_applicants);
  if (!std::isnan(criterion_reliability) && !std::isnan(sd_applicants))
    v.r_operational = operational_validity(v.pearson.r, criterion_reliability, v.sd_hires, sd_applicants);
  return v;
}

/// Sample SD (n - 1) of applicant scores, for Case II.
inline double applicant_sd(const std::vector<double>& scores) {
  if (scores.size() < 2) throw argument_error("the applicant SD needs at least 2 applicants");
  return validity_detail::sd(scores);
}

/// True when every value is 0 or 1 (and both occur or not: callers check).
inline bool is_binary(const std::vector<double>& y) {
  return std::all_of(y.begin(), y.end(), [](double v) { return v == 0 || v == 1; });
}

/// Wilson score interval of k successes in n (R prop.test(correct = FALSE)).
inline std::pair<double, double> wilson_interval(std::size_t k, std::size_t n, double confidence = 0.95) {
  if (n == 0) throw argument_error("a Wilson interval needs at least one case");
  const double z = validity_detail::z_quantile(confidence), p = double(k) / n, z2 = z * z;
  const double centre = p + z2 / (2 * n), half = z * std::sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
  return {(centre - half) / (1 + z2 / n), (centre + half) / (1 + z2 / n)};
}

/// One band of an expectancy table.
struct expectancy_row {
  int band = 0;  ///< 1 = lowest predictor scores
  double score_min = 0, score_max = 0;
  std::size_t n = 0, successes = 0;
  double rate = 0, lower = 0, upper = 0;  ///< success rate and its Wilson 95% interval
};

/// Success rate (criterion = 1) by quintile of the predictor. A case's band is
/// 1 + floor(5 (number of cases with a strictly lower score) / n), so equal
/// scores share a band and bands can differ in size or be empty (then left out).
inline std::vector<expectancy_row> expectancy_table(const std::vector<double>& x, const std::vector<double>& y,
                                                    int bands = 5) {
  std::vector<double> sorted(x);
  std::sort(sorted.begin(), sorted.end());
  std::vector<expectancy_row> rows(bands);
  for (int b = 0; b < bands; ++b) rows[b].band = b + 1;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto below = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), x[i]) - sorted.begin());
    expectancy_row& r = rows[below * bands / x.size()];
    if (r.n == 0 || x[i] < r.score_min) r.score_min = x[i];
    if (r.n == 0 || x[i] > r.score_max) r.score_max = x[i];
    ++r.n;
    r.successes += y[i] == 1;
  }
  std::vector<expectancy_row> out;
  for (auto& r : rows) {
    if (r.n == 0) continue;
    r.rate = double(r.successes) / r.n;
    std::tie(r.lower, r.upper) = wilson_interval(r.successes, r.n);
    out.push_back(r);
  }
  return out;
}

/// Logistic regression of y (0/1) on x by Newton-Raphson (IRLS), as R glm.
struct logistic_fit {
  double intercept = 0, slope = 0, slope_se = 0;
  double odds_ratio_per_10 = 0;  ///< exp(10 slope): odds multiply by this per 10 predictor points
  int iterations = 0;
};

inline logistic_fit logistic_regression(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = static_cast<Eigen::Index>(x.size());
  Eigen::MatrixXd X(n, 2);
  Eigen::VectorXd Y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    X(i, 0) = 1;
    X(i, 1) = x[i];
    Y(i) = y[i];
  }
  Eigen::Vector2d beta = Eigen::Vector2d::Zero();
  Eigen::Matrix2d info;
  logistic_fit f;
  // Under (quasi-)separation the slope grows without bound and the relative
  // step never falls below the tolerance (or the weights underflow): refused.
  for (int it = 1; it <= 100; ++it) {
    const Eigen::VectorXd eta = X * beta;
    const Eigen::VectorXd mu = (1 + (-eta.array()).exp()).inverse().matrix();
    const Eigen::VectorXd w = (mu.array() * (1 - mu.array())).matrix();
    info = X.transpose() * w.asDiagonal() * X;
    const Eigen::Vector2d step = info.ldlt().solve(X.transpose() * (Y - mu));
    beta += step;
    f.iterations = it;
    if (!beta.allFinite()) break;
    if (step.cwiseAbs().maxCoeff() < 1e-12 * (1 + beta.cwiseAbs().maxCoeff())) {
      f.intercept = beta(0);
      f.slope = beta(1);
      f.slope_se = std::sqrt(info.inverse()(1, 1));
      f.odds_ratio_per_10 = std::exp(10 * f.slope);
      return f;
    }
  }
  throw argument_error("the logistic regression does not converge: the predictor separates the outcomes "
                       "(almost) perfectly, so no finite odds ratio exists");
}

/// Area under the ROC curve of x for y = 1: the Mann-Whitney probability that
/// a case with y = 1 scores above one with y = 0, ties counted half.
inline double auc(const std::vector<double>& x, const std::vector<double>& y) {
  const auto r = validity_detail::midranks(x);
  double n1 = 0, rank_sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (y[i] == 1) {
      ++n1;
      rank_sum += r[i];
    }
  const double n0 = x.size() - n1;
  return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0);
}

struct binary_validity {
  std::size_t n = 0, successes = 0;
  double point_biserial = 0;
  logistic_fit logistic;
  double auc = 0;
  std::vector<expectancy_row> expectancy;
};

/// Binary criterion (every value 0 or 1, both present).
inline binary_validity validity_binary(const std::vector<double>& x, const std::vector<double>& y,
                                       std::size_t min_n = validity_min_n) {
  validity_detail::check_pairs(x, y, min_n);
  if (!is_binary(y)) throw argument_error("a binary criterion takes only the values 0 and 1");
  binary_validity b;
  b.n = x.size();
  for (double v : y) b.successes += v == 1;
  if (b.successes == 0 || b.successes == b.n)
    throw argument_error("the criterion does not vary: every case has the same value");
  b.point_biserial = validity_detail::raw_r(x, y);
  b.logistic = logistic_regression(x, y);
  b.auc = auc(x, y);
  b.expectancy = expectancy_table(x, y);
  return b;
}

/// Several predictors (columns of X) against one criterion: the in-sample
/// multiple R of the least-squares weights (with intercept) and its k-fold
/// cross-validated value, the correlation of each case's out-of-fold
/// prediction with its criterion; case i is in fold i mod `folds`.
struct multiple_validity {
  std::size_t n = 0, predictors = 0, folds = 0;
  double multiple_r = 0, cross_validated_r = 0;
  std::vector<double> weights;  ///< least-squares weights, one a predictor (no intercept)
};

inline multiple_validity cross_validated_multiple_r(const Eigen::MatrixXd& X, const std::vector<double>& y,
                                                    std::size_t folds = validity_folds) {
  const auto n = static_cast<std::size_t>(X.rows()), p = static_cast<std::size_t>(X.cols());
  if (y.size() != n) throw argument_error("predictors and criterion differ in length");
  if (!X.allFinite()) throw argument_error("a value is not a finite number");
  if (n < validity_cases_per_predictor * p)
    throw argument_error("too few cases for " + std::to_string(p) + " predictors: " + std::to_string(n) +
                         " matched, a regression needs at least " + std::to_string(validity_cases_per_predictor) +
                         " per predictor (" + std::to_string(validity_cases_per_predictor * p) + ")");
  if (n < validity_min_n)
    throw argument_error("too few cases: " + std::to_string(n) + " matched, a validity needs at least " +
                         std::to_string(validity_min_n));
  auto design = [&](const std::vector<std::size_t>& rows) {
    Eigen::MatrixXd D(rows.size(), p + 1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      D(i, 0) = 1;
      D.row(i).tail(p) = X.row(rows[i]);
    }
    return D;
  };
  auto fit = [&](const std::vector<std::size_t>& rows) {
    Eigen::VectorXd Y(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) Y(i) = y[rows[i]];
    return Eigen::VectorXd(design(rows).colPivHouseholderQr().solve(Y));
  };
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  multiple_validity m;
  m.n = n;
  m.predictors = p;
  m.folds = folds;
  const Eigen::VectorXd b = fit(all);
  const Eigen::VectorXd in_sample = design(all) * b;
  m.multiple_r = validity_detail::raw_r(std::vector<double>(in_sample.data(), in_sample.data() + n), y);
  m.weights.assign(b.data() + 1, b.data() + b.size());
  std::vector<double> out_of_fold(n);
  for (std::size_t k = 0; k < folds; ++k) {
    std::vector<std::size_t> train, test;
    for (std::size_t i = 0; i < n; ++i) (i % folds == k ? test : train).push_back(i);
    if (test.empty()) continue;
    const Eigen::VectorXd bk = fit(train);
    const Eigen::VectorXd pred = design(test) * bk;
    for (std::size_t i = 0; i < test.size(); ++i) out_of_fold[test[i]] = pred(i);
  }
  m.cross_validated_r = validity_detail::raw_r(out_of_fold, y);
  return m;
}

}  // namespace merit
