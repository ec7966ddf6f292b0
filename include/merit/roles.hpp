#pragma once
/// \file roles.hpp
/// Which role a candidate shows. Fits say how well a candidate meets each
/// profile; the role answer says which profile the candidate's own pattern
/// of strengths indicates, and on which profiles the candidate is qualified.
/// The seed's central warning is that Sales Enablement and Sales Operations
/// are different jobs; this keeps a profile's higher or lower targets from
/// deciding the answer.
///
/// The rule (docs/roles.md):
/// - Comparable competencies U: those some profile targets; of them, those
///   the candidate was observed on (at least 3, else no answer).
/// - A profile's shape over U: its targets, with 1 (the floor) where it sets
///   none, minus their mean. A profile whose shape spans less than
///   `role_settings::min_shape` levels over all of U has no shape and is
///   never a distinct role (it still appears in `fits`).
/// - The candidate's pattern score on profile p: the candidate's levels less
///   their own mean, projected on p's unit shape,
///   a_p = sum_c (x_c - mean) u_pc. Rating everything the same gives a_p = 0
///   for every p. a_p is |d| times the Pearson correlation r_p of the
///   candidate's levels with p's targets, reported as `pattern`.
/// - Each level's standard error: the evidence's, floored at the model's
///   standard error of measurement. The best pattern is distinct when it is
///   more than z standard errors above zero and above the next profile's:
///   margin = (a_best - a_next) / SE(a_best - a_next), in standard errors.
///   Equal scores give margin 0, so no tie is ever broken by file order. No
///   pool statistic enters, so one candidate gets the same answer alone.
/// - `fits`: the profiles on which the candidate is qualified with a fit at
///   or above `role_settings::fit_cut` (compared as displayed, 6 decimals).

#include <merit/fit.hpp>
#include <merit/rank.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace merit {

/// Compiles every profile of `m`, in file order.
inline std::vector<scoring_plan> compile_all(const competency_model& m) {
  std::vector<scoring_plan> plans;
  plans.reserve(m.profiles.size());
  for (const auto& p : m.profiles) plans.emplace_back(m, p);
  return plans;
}

/// The role answer for one candidate.
struct role_answer {
  std::vector<fit_result> fits;  ///< one per profile, in the model's order
  /// Pearson r of the candidate's levels with each profile's targets over the
  /// comparable competencies; NaN where the profile has no shape there.
  std::vector<double> pattern;
  std::optional<std::size_t> best;  ///< the profile the pattern shows distinctly; none otherwise
  /// Standard errors between the best pattern score and the next profile's
  /// (or zero, with one comparable profile); NaN when nothing was compared.
  double margin = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::size_t> fitting;  ///< qualified with fit >= fit_cut, in model order
  std::string reason;                ///< one sentence: why this answer
};

/// Scratch space of role_rule::answer, kept by a caller that answers often.
struct role_workspace {
  std::vector<std::size_t> observed, compared;
  std::vector<double> levels, errors, score;
  std::vector<std::vector<double>> unit;
};

/// Every profile of a model compiled once, with its shape; shared by threads.
class role_rule {
 public:
  explicit role_rule(const competency_model& m) : settings_(m.roles), plans_(compile_all(m)) {
    const std::size_t C = m.competencies.size();
    std::vector<bool> targeted(C, false);
    for (const auto& p : m.profiles)
      for (const auto& t : p.targets) targeted[t.competency] = true;
    for (std::size_t c = 0; c < C; ++c)
      if (targeted[c]) comparable_.push_back(c);
    for (const auto& p : m.profiles) {
      std::vector<double> level(comparable_.size(), 1.0);
      for (const auto& t : p.targets)
        for (std::size_t k = 0; k < comparable_.size(); ++k)
          if (comparable_[k] == t.competency) level[k] = t.target;
      double lo = INFINITY, hi = -INFINITY;
      for (double v : level) lo = std::min(lo, v), hi = std::max(hi, v);
      shaped_.push_back(!level.empty() && hi - lo >= settings_.min_shape - 1e-12);
      targets_.push_back(std::move(level));
    }
  }

  const std::vector<scoring_plan>& plans() const { return plans_; }
  const role_settings& settings() const { return settings_; }
  /// False for a profile whose targets span less than min_shape levels.
  bool has_shape(std::size_t p) const { return shaped_[p]; }

  /// Fewest comparable competencies a candidate must be observed on.
  static constexpr std::size_t min_observed = 3;

  /// The answer for one candidate: `x` holds the model-order scores (NaN =
  /// not observed), `stride` apart; `se` their standard errors (NaN or
  /// nullptr: none beyond the model's floor), `se_stride` apart.
  role_answer answer(const double* x, Eigen::Index stride = 1, const double* se = nullptr,
                     Eigen::Index se_stride = 1) const {
    role_answer r;
    role_workspace w;
    answer(r, w, x, stride, se, se_stride);
    return r;
  }

  /// The same into `r`, with `w` as scratch: both keep their buffers from
  /// call to call, so a caller that keeps one of each per thread answers
  /// without allocating once they have grown.
  void answer(role_answer& r, role_workspace& w, const double* x, Eigen::Index stride = 1,
              const double* se = nullptr, Eigen::Index se_stride = 1) const {
    const std::size_t P = plans_.size();
    r.fits.clear();
    for (const auto& p : plans_) r.fits.push_back(score_one(p, x, stride));
    r.pattern.assign(P, std::numeric_limits<double>::quiet_NaN());
    r.best.reset();
    r.margin = std::numeric_limits<double>::quiet_NaN();
    r.fitting.clear();
    r.reason.clear();
    for (std::size_t p = 0; p < P; ++p)
      if (r.fits[p].status == status::qualified && display_key(r.fits[p].fit) >= display_key(settings_.fit_cut))
        r.fitting.push_back(p);

    // The observed comparable competencies, their levels and errors.
    std::vector<std::size_t>& obs = w.observed;
    std::vector<double>&lv = w.levels, &err = w.errors;
    obs.clear();
    lv.clear();
    err.clear();
    for (std::size_t k = 0; k < comparable_.size(); ++k) {
      const auto c = static_cast<Eigen::Index>(comparable_[k]);
      const double v = x[c * stride];
      if (std::isnan(v)) continue;
      obs.push_back(k);
      lv.push_back(v);
      const double e = se ? se[c * se_stride] : std::numeric_limits<double>::quiet_NaN();
      err.push_back(std::isfinite(e) && e > settings_.sem ? e : settings_.sem);
    }
    const std::size_t n = obs.size();
    if (n < min_observed) {
      r.reason.append("no distinct role: observed on ")
          .append(std::to_string(n))
          .append(" of the ")
          .append(std::to_string(comparable_.size()))
          .append(" competencies the profiles target (needs ")
          .append(std::to_string(min_observed))
          .append(")");
      return finish(r);
    }
    double mean = 0;
    for (double v : lv) mean += v;
    mean /= static_cast<double>(n);
    double spread = 0;
    for (double& v : lv) {  // centred: a flat candidate's pattern scores are exactly 0
      v -= mean;
      spread += v * v;
    }

    // Unit shapes over the observed competencies, and pattern scores.
    std::vector<std::vector<double>>& unit = w.unit;
    std::vector<double>& score = w.score;
    std::vector<std::size_t>& compared = w.compared;
    unit.resize(P);
    score.assign(P, -INFINITY);
    compared.clear();
    for (std::size_t p = 0; p < P; ++p) {
      if (!shaped_[p]) continue;
      std::vector<double>& u = unit[p];
      u.resize(n);
      double m = 0;
      for (std::size_t i = 0; i < n; ++i) m += u[i] = targets_[p][obs[i]];
      m /= static_cast<double>(n);
      double norm = 0;
      for (double& v : u) {
        v -= m;
        norm += v * v;
      }
      if (!(norm > 1e-18)) continue;  // flat on what was observed
      norm = std::sqrt(norm);
      double a = 0;
      for (std::size_t i = 0; i < n; ++i) a += lv[i] * (u[i] /= norm);
      score[p] = a;
      r.pattern[p] = spread > 0 ? a / std::sqrt(spread) : 0.0;
      compared.push_back(p);
    }
    if (compared.empty()) {
      r.reason.append("no distinct role: no profile's targets vary over the competencies observed");
      return finish(r);
    }
    std::size_t best = compared[0];
    for (std::size_t p : compared)
      if (score[p] > score[best]) best = p;
    std::optional<std::size_t> next;
    for (std::size_t p : compared)
      if (p != best && (!next || score[p] > score[*next])) next = p;

    auto se_of = [&](auto weight) {
      double v = 0;
      for (std::size_t i = 0; i < n; ++i) v += weight(i) * weight(i) * err[i] * err[i];
      return std::sqrt(v);
    };
    const std::vector<double>& ub = unit[best];
    const double z_zero = score[best] / se_of([&](std::size_t i) { return ub[i]; });
    double margin = z_zero;
    if (next) {
      const std::vector<double>& un = unit[*next];
      const double sd = se_of([&](std::size_t i) { return ub[i] - un[i]; });
      margin = sd > 0 ? (score[best] - score[*next]) / sd : 0.0;
    }
    r.margin = margin;
    const std::string& bid = plans_[best].profile_id();
    if (spread == 0) {
      r.reason.append("no distinct role: the candidate is rated the same on every competency observed");
    } else if (!(z_zero > settings_.z)) {
      r.reason.append("no distinct role: the pattern closest to the candidate's, ")
          .append(bid)
          .append(", is ")
          .append(fixed1(z_zero))
          .append(" standard errors from no pattern (needs more than ")
          .append(fixed2(settings_.z))
          .append(")");
    } else if (next && !(margin > settings_.z)) {
      r.reason.append("no distinct role: the pattern of ")
          .append(bid)
          .append(" is within measurement error of ")
          .append(plans_[*next].profile_id())
          .append(" (")
          .append(fixed1(margin))
          .append(" standard errors apart; needs more than ")
          .append(fixed2(settings_.z))
          .append(")");
    } else {
      r.best = best;
      r.reason.append("the candidate's pattern of strengths shows ").append(bid);
      if (next)
        r.reason.append(", ").append(fixed1(margin)).append(" standard errors clearer than ").append(plans_[*next].profile_id());
      else
        r.reason.append(", the only profile with a shape to compare");
    }
    finish(r);
  }

 private:
  static std::string fixed1(double v) { return fixed(v, "%.1f"); }
  static std::string fixed2(double v) { return fixed(v, "%.2f"); }
  static std::string fixed(double v, const char* f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
  }
  void finish(role_answer& r) const {
    r.reason.append("; qualified with a fit of at least ").append(fixed(settings_.fit_cut, "%g"));
    if (r.fitting.empty()) {
      r.reason.append(" on no profile");
      return;
    }
    r.reason.append(" on ");
    for (std::size_t i = 0; i < r.fitting.size(); ++i)
      r.reason.append(i ? ", " : "").append(plans_[r.fitting[i]].profile_id());
  }

  role_settings settings_;
  std::vector<scoring_plan> plans_;
  std::vector<std::size_t> comparable_;       ///< model indices of targeted competencies
  std::vector<std::vector<double>> targets_;  ///< per profile, over comparable_ (1 where untargeted)
  std::vector<bool> shaped_;
};

}  // namespace merit
