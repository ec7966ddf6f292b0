#pragma once
/// \file fit.hpp
/// Compiling a profile into an immutable dense scoring plan, and the fit
/// arithmetic of docs/design.md: attainment (default), weighted_mean and
/// profile_match; coverage; hurdles; status; per-competency contributions
/// and gaps.
///
/// Competency scores come as a #candidates by #competencies matrix in the
/// MODEL's competency order (one matrix serves every profile of a model), on
/// the model scale 1..L, NaN where a competency was not observed.

#include <merit/errors.hpp>
#include <merit/fwd.hpp>
#include <merit/model.hpp>
#include <merit/number.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace merit {

/// The scale rule for a competency score, in one place for every reader
/// (wide CSV, candidates JSON, the C ABI, the Python binding): a score lies on
/// the model scale 1..L; NaN is not a score but "not observed".
inline bool on_model_scale(double v, int levels) { return v >= 1 && v <= levels; }

/// The one message for a score off the scale:
/// `value <v> for competency '<id>' is outside the scale 1..<L>`, `<v>` as
/// format_number spells it.
inline std::string off_scale_message(double v, std::string_view competency, int levels) {
  return "value " + format_number(v) + " for competency '" + std::string(competency) + "' is outside the scale 1.." +
         std::to_string(levels);
}

/// Throws input_error (errc::value) at `place` unless `v` is NaN (not
/// observed) or on the scale 1..`levels`; the message is off_scale_message's.
inline void check_score_on_scale(double v, std::string_view competency, int levels, const std::string& place) {
  if (!std::isnan(v) && !on_model_scale(v, levels))
    throw input_error(errc::value, place, off_scale_message(v, competency, levels));
}

enum class status : std::int8_t { qualified = 0, screened_out = 1, incomplete = 2 };

inline const char* to_string(status s) {
  switch (s) {
    case status::qualified: return "qualified";
    case status::screened_out: return "screened_out";
    case status::incomplete: return "incomplete";
  }
  return "?";
}

/// Tolerance of the coverage comparison (docs/design.md: coverage < min_coverage - 1e-12).
inline constexpr double coverage_tolerance = 1e-12;

/// A profile compiled for scoring: dense, immutable, shared by all threads.
/// Vectors have one entry per target of the profile (#targets), in the
/// model's competency order.
class scoring_plan {
 public:
  scoring_plan() = default;
  scoring_plan(const competency_model& m, const profile& p)
      : profile_id_(p.id), model_id_(m.id), model_version_(m.version), model_hash_(m.content_hash),
        fit_model_(p.fit_model), levels_(m.levels), n_model_competencies_(m.competencies.size()),
        min_coverage_(p.min_coverage), reliability_(p.reliability) {
    const auto n = static_cast<Eigen::Index>(p.targets.size());
    weight_.resize(n);
    target_.resize(n);
    target_norm_.resize(n);
    minimum_.resize(n);
    column_.resize(n);
    for (Eigen::Index k = 0; k < n; ++k) {
      const target& t = p.targets[static_cast<std::size_t>(k)];
      weight_[k] = t.weight;
      target_[k] = t.target;
      target_norm_[k] = normalise(t.target);
      minimum_[k] = t.minimum ? *t.minimum : std::numeric_limits<double>::quiet_NaN();
      column_[k] = static_cast<Eigen::Index>(t.competency);
      ids_.push_back(m.competencies[t.competency].id);
    }
    // Coverage denominators over all targets.
    full_wt_ = weight_.dot(target_norm_);
    full_w_ = weight_.sum();
  }

  /// x~ = (x - 1) / (L - 1).
  double normalise(double x) const { return (x - 1.0) / (levels_ - 1.0); }

  Eigen::Index size() const { return weight_.size(); }
  const Vector& weights() const { return weight_; }        ///< normalised, sum 1
  const Vector& targets() const { return target_; }        ///< on 1..L
  const Vector& targets_normalised() const { return target_norm_; }
  const Vector& minimums() const { return minimum_; }      ///< NaN where no hurdle
  const IndexVector& columns() const { return column_; }   ///< column in the model's competency order
  const std::vector<std::string>& competency_ids() const { return ids_; }
  const std::string& profile_id() const { return profile_id_; }
  const std::string& model_id() const { return model_id_; }
  const std::string& model_version() const { return model_version_; }
  const std::string& model_hash() const { return model_hash_; }
  merit::fit_model fit_model() const { return fit_model_; }
  int levels() const { return levels_; }
  std::size_t model_competencies() const { return n_model_competencies_; }
  double min_coverage() const { return min_coverage_; }
  const std::optional<double>& reliability() const { return reliability_; }
  bool coverage_by_target() const { return fit_model_ == fit_model::attainment && full_wt_ > 0; }
  double coverage_denominator() const { return coverage_by_target() ? full_wt_ : full_w_; }

 private:
  std::string profile_id_, model_id_, model_version_, model_hash_;
  merit::fit_model fit_model_ = fit_model::attainment;
  int levels_ = 5;
  std::size_t n_model_competencies_ = 0;
  double min_coverage_ = 1.0;
  std::optional<double> reliability_;
  Vector weight_, target_, target_norm_, minimum_;
  IndexVector column_;
  std::vector<std::string> ids_;
  double full_wt_ = 0, full_w_ = 0;
};

/// Compiles profile `profile_id` of `m` (throws merit::error not_found).
inline scoring_plan compile(const competency_model& m, std::string_view profile_id) {
  return scoring_plan(m, m.get_profile(profile_id));
}

/// One candidate's outcome. `fit` is NaN when no weighted competency was observed.
struct fit_result {
  double fit = std::numeric_limits<double>::quiet_NaN();
  double coverage = 0;
  merit::status status = status::incomplete;
  bool has_fit() const { return !std::isnan(fit); }
};

/// Scores one candidate. `x` points at the candidate's scores in model order,
/// `stride` apart (1 for a row of a row-major matrix). When non-null,
/// `contrib` and `gap` receive #targets values each (0 for unobserved
/// competencies); contributions sum to the fit.
///
/// attainment:    F = 100 sum_O w min(x~, t~) / sum_O w t~ (100 when every
///                observed target is at level 1, so sum_O w t~ = 0: all met).
/// weighted_mean: F = 100 sum_O w x~ / sum_O w.
/// profile_match: F = 100 (1 - sqrt(sum_O w (x~ - t~)^2 / sum_O w)); the
///                contribution of c is 100 w_c / sum_O w minus c's share of the
///                penalty (proportional to w_c (x~ - t~)^2), its gap that share.
inline fit_result score_one(const scoring_plan& plan, const double* x, Eigen::Index stride = 1,
                            double* contrib = nullptr, double* gap = nullptr) {
  const Eigen::Index n = plan.size();
  const double* w = plan.weights().data();
  const double* tn = plan.targets_normalised().data();
  const double* mins = plan.minimums().data();
  const Eigen::Index* col = plan.columns().data();
  const double inv_range = 1.0 / (plan.levels() - 1.0);

  double sum_w = 0, sum_wt = 0, num = 0;
  bool hurdle_failed = false, hurdle_missing = false;
  // Without branches on the data: a competency not observed (or of weight 0)
  // adds an exact +0 to every sum, so the sums are those of the observed ones.
  const auto accumulate = [&](auto term) {
    for (Eigen::Index k = 0; k < n; ++k) {
      const double v = x[col[k] * stride];
      const bool observed = v == v;
      hurdle_missing |= !observed & (mins[k] == mins[k]);
      hurdle_failed |= v < mins[k];  // false when either is NaN
      const double wk = (observed & (w[k] > 0)) ? w[k] : 0.0;
      const double xn = observed ? (v - 1.0) * inv_range : 0.0;
      sum_w += wk;
      sum_wt += wk * tn[k];
      num += term(wk, xn, tn[k]);
    }
  };
  switch (plan.fit_model()) {
    case fit_model::attainment: accumulate([](double w, double xn, double t) { return w * std::min(xn, t); }); break;
    case fit_model::weighted_mean: accumulate([](double w, double xn, double) { return w * xn; }); break;
    case fit_model::profile_match: accumulate([](double w, double xn, double t) { return w * (xn - t) * (xn - t); }); break;
  }

  fit_result r;
  const bool attain = plan.fit_model() == fit_model::attainment;
  const double den_all = plan.coverage_denominator();
  // Coverage: sum_O w t~ / sum_all w t~ for attainment (by weights when every
  // target sits at level 1), sum_O w / sum_all w for the other models.
  const bool by_target = attain && plan.coverage_by_target();
  r.coverage = den_all > 0 ? (by_target ? sum_wt : sum_w) / den_all : 0.0;

  double scale = 0;  // factor turning per-competency terms into fit points
  if (sum_w > 0) {
    switch (plan.fit_model()) {
      case fit_model::attainment:
        if (sum_wt > 0) {
          scale = 100.0 / sum_wt;
          r.fit = num * scale;
        } else {
          r.fit = 100.0;
        }
        break;
      case fit_model::weighted_mean:
        scale = 100.0 / sum_w;
        r.fit = num * scale;
        break;
      case fit_model::profile_match:
        r.fit = 100.0 * (1.0 - std::sqrt(num / sum_w));
        break;
    }
  }

  if (contrib || gap) {
    const double penalty = plan.fit_model() == fit_model::profile_match && sum_w > 0 ? 100.0 * std::sqrt(num / sum_w) : 0;
    for (Eigen::Index k = 0; k < n; ++k) {
      const double v = x[col[k] * stride];
      double c = 0, g = 0;
      if (!std::isnan(v) && w[k] > 0) {
        const double xn = (v - 1.0) * inv_range;
        switch (plan.fit_model()) {
          case fit_model::attainment:
            if (sum_wt > 0) {
              c = w[k] * std::min(xn, tn[k]) * scale;
              g = w[k] * std::max(0.0, tn[k] - xn) * scale;
            } else {
              c = 100.0 * w[k] / sum_w;
            }
            break;
          case fit_model::weighted_mean:
            c = w[k] * xn * scale;
            g = w[k] * std::max(0.0, tn[k] - xn) * scale;
            break;
          case fit_model::profile_match: {
            const double d2 = w[k] * (xn - tn[k]) * (xn - tn[k]);
            g = num > 0 ? penalty * d2 / num : 0;
            c = 100.0 * w[k] / sum_w - g;
            break;
          }
        }
      }
      if (contrib) contrib[k] = c;
      if (gap) gap[k] = g;
    }
  }

  if (hurdle_missing || r.coverage < plan.min_coverage() - coverage_tolerance || !r.has_fit())
    r.status = status::incomplete;
  else if (hurdle_failed)
    r.status = status::screened_out;
  else
    r.status = status::qualified;
  return r;
}

/// Scores a pool. `scores`: #candidates by #model-competencies (row-major,
/// any row stride). Outputs are caller memory of #candidates entries
/// (`contributions`/`gaps`: #candidates by #targets, or null to skip).
inline void score(const scoring_plan& plan, RowMatrixCRef scores, VectorRef fit, VectorRef coverage,
                  std::int8_t* status_out, RowMatrix* contributions = nullptr, RowMatrix* gaps = nullptr) {
  MERIT_EXPECTS(static_cast<std::size_t>(scores.cols()) == plan.model_competencies(),
                "scores must have one column per competency of the model");
  const Eigen::Index n = scores.rows();
  MERIT_EXPECTS(fit.size() == n && coverage.size() == n, "fit and coverage need one entry per candidate");
  if (contributions) contributions->resize(n, plan.size());
  if (gaps) gaps->resize(n, plan.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    fit_result r = score_one(plan, scores.row(i).data(), 1, contributions ? contributions->row(i).data() : nullptr,
                             gaps ? gaps->row(i).data() : nullptr);
    fit[i] = r.fit;
    coverage[i] = r.coverage;
    status_out[i] = static_cast<std::int8_t>(r.status);
  }
}

}  // namespace merit
