#pragma once
/// \file reliability.hpp
/// Reliability of ratings and scales: the intraclass correlation in Shrout &
/// Fleiss's (1979) six forms with F-based confidence intervals, and Cronbach's
/// alpha with Feldt's interval. The numbers follow R psych 2.2.9 (`ICC`,
/// `alpha`, `alpha.ci`) and pingouin (`intraclass_corr`, `cronbach_alpha`);
/// docs/reliability.md gives the formulas and says where they differ.
///
/// Missing values are NaN. Infinite values are an error.

#include <merit/detail/format.hpp>
#include <merit/errors.hpp>
#include <merit/fwd.hpp>

#include <boost/math/distributions/fisher_f.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace merit {

/// A point estimate with a two-sided confidence interval.
struct interval_estimate {
  double value = 0;
  double lower = 0;
  double upper = 0;
};

/// An F test of the ICC's null hypothesis (no variance between targets):
/// F = MS_targets / MS_error with df1 = n - 1 and the error's df2, and its
/// upper-tail p-value, as R psych::ICC and pingouin.intraclass_corr report.
struct icc_f_test {
  double f = 0;
  double df1 = 0;
  double df2 = 0;
  double p = 0;
};

/// The six intraclass correlations of Shrout & Fleiss (1979), named as in
/// R psych: `icc1` = ICC(1,1) one-way random, `icc2` = ICC(2,1) two-way random
/// absolute agreement, `icc3` = ICC(3,1) two-way mixed consistency; the `k`
/// forms are the reliabilities of the mean of the k judges.
struct icc_result {
  interval_estimate icc1, icc2, icc3, icc1k, icc2k, icc3k;
  /// Mean squares of the two-way ANOVA (targets x judges, one rating a cell):
  /// between targets, between judges, residual, and within targets (one-way).
  double msb = 0, msj = 0, mse = 0, msw = 0;
  /// F statistics: MSB / MSW (one-way, ICC1) and MSB / MSE (two-way, ICC2/3).
  double f_one_way = 0, f_two_way = 0;
  /// The F tests with their degrees of freedom and p-values: one-way
  /// (F = MSB / MSW, df n - 1 and n (k - 1)) for ICC1 and ICC1k; two-way
  /// (F = MSB / MSE, df n - 1 and (n - 1)(k - 1)) for ICC2, ICC3, ICC2k, ICC3k.
  icc_f_test one_way, two_way;
  /// Targets used (those rated by every judge), judges, and targets left out
  /// because at least one of their ratings was missing.
  Eigen::Index n_targets = 0, n_judges = 0, n_dropped = 0;
  double confidence = 0.95;
};

/// One ICC form by the names every interface gives it.
struct icc_form {
  const char* name;          ///< JSON key: icc1 ... icc3k
  const char* type;          ///< table label, as psych and pingouin: ICC1 ... ICC3k
  const char* shrout_fleiss; ///< ICC(1,1) ... ICC(3,k)
  const char* mcgraw_wong;   ///< McGraw & Wong (1996): ICC(1) ... ICC(C,k)
  const char* model;         ///< the ANOVA model and what agreement means
  const char* model_zh;      ///< the same in Simplified Chinese (zh-CN)
  bool average;              ///< the reliability of the mean of the k judges
  const interval_estimate* estimate;
  const icc_f_test* test;
};

/// The six forms of `r`, in Shrout & Fleiss order: what the CLI's --json and
/// table and Python's `merit.icc` list, so all name them alike.
inline std::array<icc_form, 6> icc_forms(const icc_result& r) {
  const char* one = "one-way random";
  const char* agreement = "two-way random, absolute agreement";
  const char* consistency = "two-way mixed, consistency";
  const char* one_zh = "单向随机";
  const char* agreement_zh = "双向随机，绝对一致性";
  const char* consistency_zh = "双向混合，一致性";
  return {{{"icc1", "ICC1", "ICC(1,1)", "ICC(1)", one, one_zh, false, &r.icc1, &r.one_way},
           {"icc2", "ICC2", "ICC(2,1)", "ICC(A,1)", agreement, agreement_zh, false, &r.icc2, &r.two_way},
           {"icc3", "ICC3", "ICC(3,1)", "ICC(C,1)", consistency, consistency_zh, false, &r.icc3, &r.two_way},
           {"icc1k", "ICC1k", "ICC(1,k)", "ICC(k)", one, one_zh, true, &r.icc1k, &r.one_way},
           {"icc2k", "ICC2k", "ICC(2,k)", "ICC(A,k)", agreement, agreement_zh, true, &r.icc2k, &r.two_way},
           {"icc3k", "ICC3k", "ICC(3,k)", "ICC(C,k)", consistency, consistency_zh, true, &r.icc3k, &r.two_way}}};
}

/// "ICC(2,1) = ICC(A,1): two-way random, absolute agreement, single judge"
/// (or "..., mean of 4 judges"): the description the CLI table and Python
/// show. `zh_cn` gives it in Simplified Chinese:
/// "ICC(2,1) = ICC(A,1)：双向随机，绝对一致性，单个评分者".
inline std::string icc_description(const icc_form& f, Eigen::Index judges, bool zh_cn = false) {
  const std::string names = std::string(f.shrout_fleiss) + " = " + f.mcgraw_wong;
  if (zh_cn)
    return names + "：" + f.model_zh + "，" +
           (f.average ? std::to_string(judges) + " 名评分者的平均" : std::string("单个评分者"));
  return names + ": " + f.model + ", " +
         (f.average ? "mean of " + std::to_string(judges) + " judges" : std::string("single judge"));
}

/// How to treat missing values when several items are combined.
enum class missing_policy {
  pairwise,  ///< each covariance from the rows where both items are present (R's "pairwise.complete.obs")
  listwise,  ///< only rows where every item is present
};

/// Cronbach's alpha with Feldt's confidence interval for the raw alpha.
struct alpha_result {
  double alpha = 0;      ///< raw alpha, from the item covariances
  double std_alpha = 0;  ///< standardised alpha, from the item correlations
  double lower = 0, upper = 0;  ///< Feldt interval of `alpha`
  Eigen::Index n = 0;        ///< respondents used in the interval (pairwise: every row, as psych)
  Eigen::Index n_items = 0;
  double confidence = 0.95;
};

namespace detail {

/// P(F > f) of an F(d1, d2) distribution.
inline double f_upper_tail(double f, double d1, double d2) {
  boost::math::fisher_f_distribution<double> dist(d1, d2);
  return f <= 0 ? 1.0 : boost::math::cdf(boost::math::complement(dist, f));
}

/// Upper quantile q with P(F > q) = p of an F(d1, d2) distribution.
inline double f_upper_quantile(double p, double d1, double d2) {
  boost::math::fisher_f_distribution<double> f(d1, d2);
  return boost::math::quantile(boost::math::complement(f, p));
}

inline void check_confidence(double confidence, const char* fn) {
  if (!(confidence > 0 && confidence < 1))
    throw argument_error(std::string(fn) + ": confidence must lie strictly between 0 and 1");
}


inline std::string item_label(const std::vector<std::string>& names, Eigen::Index j) {
  if (j < static_cast<Eigen::Index>(names.size())) return "item '" + names[static_cast<std::size_t>(j)] + "'";
  return "column " + std::to_string(j);
}

}  // namespace detail

/// Intraclass correlations of `ratings`, #targets by #judges (one rating per
/// cell; NaN = missing). Targets with any missing rating are left out, as
/// psych's ANOVA path (`ICC(na.omit(x), lmer = FALSE)`) and pingouin
/// (`nan_policy = "omit"`) do; `n_dropped` counts them. The intervals are
/// psych's: F-based for ICC(1) and ICC(3), and for ICC(2) the
/// Satterthwaite-type approximation of McGraw & Wong (1996) with psych's
/// degrees of freedom. `confidence` is two-sided (0.95: quantiles at .975).
///
/// Throws argument_error when fewer than 2 judges or 2 complete targets
/// remain, a rating is infinite, the ratings do not vary at all, or the
/// residual mean square is zero (the intervals would not exist). The ICC(2)
/// limits are NaN in the degenerate case where its approximate degrees of
/// freedom are not positive.
inline icc_result icc(RowMatrixCRef ratings, double confidence = 0.95) {
  detail::check_confidence(confidence, "icc");
  const Eigen::Index rows = ratings.rows(), k = ratings.cols();
  if (k < 2) throw argument_error("icc: needs at least 2 judges (columns), got " + std::to_string(k));
  std::vector<Eigen::Index> complete;
  complete.reserve(static_cast<std::size_t>(rows));
  for (Eigen::Index i = 0; i < rows; ++i) {
    bool ok = true;
    for (Eigen::Index j = 0; j < k; ++j) {
      const double x = ratings(i, j);
      if (std::isinf(x)) throw argument_error("icc: rating at row " + std::to_string(i) + ", column " +
                                              std::to_string(j) + " is infinite");
      if (std::isnan(x)) ok = false;
    }
    if (ok) complete.push_back(i);
  }
  const auto n = static_cast<Eigen::Index>(complete.size());
  if (n < 2)
    throw argument_error("icc: needs at least 2 targets rated by every judge, got " + std::to_string(n) +
                         " (" + std::to_string(rows - n) + " left out for missing ratings)");

  RowMatrix x(n, k);
  for (Eigen::Index r = 0; r < n; ++r) x.row(r) = ratings.row(complete[static_cast<std::size_t>(r)]);
  const double grand = x.mean();
  const Vector target_mean = x.rowwise().mean();
  const Eigen::RowVectorXd judge_mean = x.colwise().mean();
  const double ss_total = (x.array() - grand).square().sum();
  const double ss_targets = double(k) * (target_mean.array() - grand).square().sum();
  const double ss_judges = double(n) * (judge_mean.array() - grand).square().sum();
  // The residual directly, not as a difference of sums, to keep its precision.
  const double ss_error =
      (((x.colwise() - target_mean).rowwise() - judge_mean).array() + grand).square().sum();

  const double dn = double(n), dk = double(k);
  const double df_b = dn - 1, df_j = dk - 1, df_e = (dn - 1) * (dk - 1), df_w = dn * (dk - 1);
  icc_result out;
  out.n_targets = n;
  out.n_judges = k;
  out.n_dropped = rows - n;
  out.confidence = confidence;
  out.msb = ss_targets / df_b;
  out.msj = ss_judges / df_j;
  out.mse = ss_error / df_e;
  out.msw = (ss_judges + ss_error) / df_w;
  if (!(ss_total > 0)) throw argument_error("icc: the ratings do not vary (every mean square is zero)");
  if (!(out.mse > 1e-13 * ss_total / (dn * dk - 1)))
    throw argument_error("icc: the residual mean square is zero (ratings are exactly additive in target "
                         "and judge), so the F-based intervals do not exist");
  const double msb = out.msb, msj = out.msj, mse = out.mse, msw = out.msw;

  out.icc1.value = (msb - msw) / (msb + (dk - 1) * msw);
  out.icc2.value = (msb - mse) / (msb + (dk - 1) * mse + dk * (msj - mse) / dn);
  out.icc3.value = (msb - mse) / (msb + (dk - 1) * mse);
  out.icc1k.value = (msb - msw) / msb;
  out.icc2k.value = (msb - mse) / (msb + (msj - mse) / dn);
  out.icc3k.value = (msb - mse) / msb;

  const double tail = (1 - confidence) / 2;
  const double f1 = msb / msw, f3 = msb / mse;
  out.f_one_way = f1;
  out.f_two_way = f3;
  out.one_way = {f1, df_b, df_w, detail::f_upper_tail(f1, df_b, df_w)};
  out.two_way = {f3, df_b, df_e, detail::f_upper_tail(f3, df_b, df_e)};
  // ICC(1) and ICC(3): exact F intervals (Shrout & Fleiss 1979, table 4).
  const double f1l = f1 / detail::f_upper_quantile(tail, df_b, df_w);
  const double f1u = f1 * detail::f_upper_quantile(tail, df_w, df_b);
  const double f3l = f3 / detail::f_upper_quantile(tail, df_b, df_e);
  const double f3u = f3 * detail::f_upper_quantile(tail, df_e, df_b);
  out.icc1.lower = (f1l - 1) / (f1l + dk - 1);
  out.icc1.upper = (f1u - 1) / (f1u + dk - 1);
  out.icc3.lower = (f3l - 1) / (f3l + dk - 1);
  out.icc3.upper = (f3u - 1) / (f3u + dk - 1);
  out.icc1k.lower = 1 - 1 / f1l;
  out.icc1k.upper = 1 - 1 / f1u;
  out.icc3k.lower = 1 - 1 / f3l;
  out.icc3k.upper = 1 - 1 / f3u;

  // ICC(2): approximate degrees of freedom v (Satterthwaite), as psych and pingouin.
  const double r = out.icc2.value, fj = msj / mse;
  const double a = dk * r * fj + dn * (1 + (dk - 1) * r) - dk * r;
  const double b = dn * (1 + (dk - 1) * r) - dk * r;
  const double v = (dk - 1) * (dn - 1) * a * a / ((dn - 1) * dk * dk * r * r * fj * fj + b * b);
  if (!(v > 0 && std::isfinite(v))) {
    // v is zero only for a strongly negative ICC(2,1); no F quantile exists then.
    out.icc2.lower = out.icc2.upper = out.icc2k.lower = out.icc2k.upper = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  const double f2u = detail::f_upper_quantile(tail, dn - 1, v);
  const double f2l = detail::f_upper_quantile(tail, v, dn - 1);
  const double c = dk * msj + (dk * dn - dk - dn) * mse;
  out.icc2.lower = dn * (msb - f2u * mse) / (f2u * c + dn * msb);
  out.icc2.upper = dn * (f2l * msb - mse) / (c + dn * f2l * msb);
  // The average-rater limits by Spearman-Brown from the single-rater ones.
  out.icc2k.lower = out.icc2.lower * dk / (1 + out.icc2.lower * (dk - 1));
  out.icc2k.upper = out.icc2.upper * dk / (1 + out.icc2.upper * (dk - 1));
  return out;
}

/// Cronbach's alpha of `items`, #respondents by #items (NaN = missing).
///
/// raw alpha = k/(k-1) (1 - tr(C) / sum(C)) with C the item covariances;
/// standardised alpha = k/(k-1) (1 - k / sum(R)) with R = cov2cor(C), as psych.
/// `pairwise` (psych's default) takes each covariance from the rows where both
/// items are present and, like psych, uses every row as n in the interval;
/// `listwise` keeps only the rows where every item is present. Feldt's
/// interval: 1 - (1 - alpha) F_{1-p/2}(n-1, (n-1)(k-1)) .. 1 - (1 - alpha) F_{p/2}(...),
/// p = 1 - confidence (psych `alpha.ci`, pingouin).
///
/// `item_names` (optional, one per column) name the items in error messages.
/// Throws argument_error for fewer than 2 items, fewer than 2 (complete) rows,
/// infinite values, an item with zero variance, a pair of items with fewer
/// than 2 rows in common, or a non-positive total variance.
inline alpha_result cronbach_alpha(RowMatrixCRef items, missing_policy policy = missing_policy::pairwise,
                                   double confidence = 0.95, const std::vector<std::string>& item_names = {}) {
  detail::check_confidence(confidence, "cronbach_alpha");
  const Eigen::Index rows = items.rows(), k = items.cols();
  if (k < 2) throw argument_error("cronbach_alpha: needs at least 2 items (columns), got " + std::to_string(k));
  std::vector<Eigen::Index> used;
  used.reserve(static_cast<std::size_t>(rows));
  for (Eigen::Index i = 0; i < rows; ++i) {
    bool complete = true;
    for (Eigen::Index j = 0; j < k; ++j) {
      const double x = items(i, j);
      if (std::isinf(x))
        throw argument_error("cronbach_alpha: value at row " + std::to_string(i) + ", " +
                             detail::item_label(item_names, j) + " is infinite");
      if (std::isnan(x)) complete = false;
    }
    if (complete || policy == missing_policy::pairwise) used.push_back(i);
  }
  const auto n = static_cast<Eigen::Index>(used.size());
  if (n < 2)
    throw argument_error(policy == missing_policy::listwise
                             ? "cronbach_alpha: needs at least 2 rows with every item present, got " + std::to_string(n)
                             : "cronbach_alpha: needs at least 2 rows, got " + std::to_string(n));

  // Covariances: for each pair, means and sums over the rows where both are present.
  RowMatrix cov(k, k);
  for (Eigen::Index a = 0; a < k; ++a) {
    for (Eigen::Index b = a; b < k; ++b) {
      double m = 0, sa = 0, sb = 0;
      for (Eigen::Index i : used) {
        const double xa = items(i, a), xb = items(i, b);
        if (std::isnan(xa) || std::isnan(xb)) continue;
        m += 1;
        sa += xa;
        sb += xb;
      }
      if (m < 2)
        throw argument_error("cronbach_alpha: " + detail::item_label(item_names, a) +
                             (a == b ? " has" : " and " + detail::item_label(item_names, b) + " have") +
                             " fewer than 2 rows " + (a == b ? "present" : "in common"));
      const double ma = sa / m, mb = sb / m;
      double s = 0;
      for (Eigen::Index i : used) {
        const double xa = items(i, a), xb = items(i, b);
        if (std::isnan(xa) || std::isnan(xb)) continue;
        s += (xa - ma) * (xb - mb);
      }
      cov(a, b) = cov(b, a) = s / (m - 1);
    }
    if (!(cov(a, a) > 0))
      throw argument_error("cronbach_alpha: " + detail::item_label(item_names, a) + " has zero variance");
  }
  const double dk = double(k);
  const double total = cov.sum();
  if (!(total > 0))
    throw argument_error("cronbach_alpha: the total score has no positive variance (sum of the item covariances <= 0)");
  const Vector sd = cov.diagonal().cwiseSqrt();
  const double sum_r = (cov.array() / (sd * sd.transpose()).array()).sum();

  alpha_result out;
  out.n = n;
  out.n_items = k;
  out.confidence = confidence;
  out.alpha = dk / (dk - 1) * (1 - cov.trace() / total);
  out.std_alpha = dk / (dk - 1) * (1 - dk / sum_r);
  const double tail = (1 - confidence) / 2, df1 = double(n) - 1, df2 = df1 * (dk - 1);
  out.lower = 1 - (1 - out.alpha) * detail::f_upper_quantile(tail, df1, df2);
  out.upper = 1 - (1 - out.alpha) * detail::f_upper_quantile(1 - tail, df1, df2);
  return out;
}

/// Reverse-keys column `column` of `items` (#respondents by #items) in place
/// on a scale lo..hi: x -> lo + hi - x (a 1..6 item becomes 7 - x). NaN stays
/// NaN. Throws argument_error when lo >= hi or a value lies outside lo..hi.
inline void reverse_key(RowMatrixRef items, Eigen::Index column, double lo, double hi) {
  MERIT_EXPECTS(lo < hi, "reverse_key: the scale minimum must be below its maximum");
  MERIT_EXPECTS(column >= 0 && column < items.cols(), "reverse_key: column out of range");
  for (Eigen::Index i = 0; i < items.rows(); ++i) {
    double& x = items(i, column);
    if (std::isnan(x)) continue;
    if (x < lo || x > hi)
      throw argument_error("reverse_key: value " + detail::format_number(x) + " at row " + std::to_string(i) +
                           " lies outside the scale " + detail::format_number(lo) + ".." +
                           detail::format_number(hi));
    x = lo + hi - x;
  }
}

}  // namespace merit
