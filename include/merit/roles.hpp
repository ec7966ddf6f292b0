#pragma once
/// \file roles.hpp
/// Role discrimination: one candidate scored against every profile of a
/// model, the best-fitting profile and the margin to the next. The seed's
/// central warning is that Sales Enablement and Sales Operations are
/// different jobs; this makes the difference visible per candidate.

#include <merit/fit.hpp>
#include <merit/rank.hpp>

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace merit {

struct role_report {
  std::vector<fit_result> fits;  ///< one per plan, in the plans' order
  std::optional<std::size_t> best;  ///< index of the best-fitting plan; none when no plan has a fit
  /// Best fit minus the second-best fit; NaN with fewer than two fits.
  double margin = std::numeric_limits<double>::quiet_NaN();
};

/// Compiles every profile of `m`, in file order.
inline std::vector<scoring_plan> compile_all(const competency_model& m) {
  std::vector<scoring_plan> plans;
  plans.reserve(m.profiles.size());
  for (const auto& p : m.profiles) plans.emplace_back(m, p);
  return plans;
}

/// Scores one candidate (model-order scores, `stride` apart) against every plan.
/// The best plan has the highest displayed fit among the profiles the
/// evidence covers well enough (status not incomplete); only when every
/// profile is incomplete does the highest fit overall win, since a fit from
/// a sliver of evidence says little. Ties go to the earlier plan. The margin
/// is measured against the next-best plan in the same group.
inline role_report discriminate(const std::vector<scoring_plan>& plans, const double* x, Eigen::Index stride = 1) {
  role_report r;
  for (const auto& p : plans) r.fits.push_back(score_one(p, x, stride));
  bool any_complete = false;
  for (const auto& f : r.fits) any_complete |= f.has_fit() && f.status != status::incomplete;
  std::int64_t best_key = INT64_MIN, second_key = INT64_MIN;
  double best_fit = 0, second_fit = 0;
  for (std::size_t p = 0; p < plans.size(); ++p) {
    const fit_result& f = r.fits[p];
    if (!f.has_fit() || (any_complete && f.status == status::incomplete)) continue;
    const std::int64_t k = display_key(f.fit);
    if (!r.best || k > best_key) {
      if (r.best) {
        second_key = best_key;
        second_fit = best_fit;
      }
      r.best = p;
      best_key = k;
      best_fit = f.fit;
    } else if (k > second_key) {
      second_key = k;
      second_fit = f.fit;
    }
  }
  if (second_key != INT64_MIN) r.margin = best_fit - second_fit;
  return r;
}

}  // namespace merit
