#pragma once
/// \file explain.hpp
/// Why a candidate's fit is what it is, in the terms a hiring manager reads:
/// strengths (targets met that carry the most fit points), gaps (the targets
/// whose shortfall costs the most fit points) and, for a gap, the questions of
/// the model's question bank that tell the candidate's level from the target.
/// The terminal shortlist of `merit score` and the HTML reports (merit report)
/// both call these, so they name the same strengths and gaps.

#include <merit/evidence.hpp>
#include <merit/fit.hpp>
#include <merit/model.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace merit {

/// Gaps smaller than this are not listed. Recorded judgment: fit points are
/// shown with one decimal, so a gap under 0.05 prints as "0.0" and would name a
/// competency that costs nothing visible.
inline constexpr double gap_display_floor = 0.05;

/// The strengths of one candidate: targets met (x >= target) with a positive
/// contribution, largest contribution first (ties by target order), at most
/// `max`. `x`: the candidate's scores in model order; `contrib`: #targets
/// contributions from score_one. Returns target indices of `plan`.
inline std::vector<Eigen::Index> strengths(const scoring_plan& plan, const double* x, const double* contrib,
                                           std::size_t max) {
  std::vector<Eigen::Index> ks(static_cast<std::size_t>(plan.size()));
  std::iota(ks.begin(), ks.end(), Eigen::Index(0));
  std::stable_sort(ks.begin(), ks.end(), [&](Eigen::Index a, Eigen::Index b) { return contrib[a] > contrib[b]; });
  std::vector<Eigen::Index> out;
  for (auto k : ks) {
    const double v = x[plan.columns()[k]];
    if (out.size() == max) break;
    if (std::isnan(v) || v < plan.targets()[k] || contrib[k] <= 0) continue;
    out.push_back(k);
  }
  return out;
}

/// The gaps of one candidate: targets whose gap (fit points lost below
/// target, from score_one) is at least gap_display_floor, largest first (ties
/// by target order), at most `max`. Returns target indices of `plan`.
inline std::vector<Eigen::Index> gaps(const scoring_plan& plan, const double* gap, std::size_t max) {
  std::vector<Eigen::Index> ks(static_cast<std::size_t>(plan.size()));
  std::iota(ks.begin(), ks.end(), Eigen::Index(0));
  std::stable_sort(ks.begin(), ks.end(), [&](Eigen::Index a, Eigen::Index b) { return gap[a] > gap[b]; });
  std::vector<Eigen::Index> out;
  for (auto k : ks) {
    if (out.size() == max) break;
    if (gap[k] < gap_display_floor) continue;
    out.push_back(k);
  }
  return out;
}

/// The questions of competency `c`'s bank that probe a gap from `level` up to
/// `target`: first those whose `separates` levels all fall within
/// [floor(level), ceil(target)] (the answers they tell apart are the ones
/// between where the candidate was rated and where the role needs them), then
/// those that separate at least one level above floor(level) up to the target;
/// within each, behavioural (past behaviour) before situational, then bank
/// order; at most `max`. Indices into `m.competencies[c].questions`; empty when
/// the model has no question bank.
inline std::vector<std::size_t> gap_questions(const competency_model& m, std::size_t c, double level, double target,
                                              std::size_t max) {
  const auto& qs = m.competencies[c].questions;
  const int lo = static_cast<int>(std::floor(level)), hi = static_cast<int>(std::ceil(target));
  auto rank = [&](const interview_question& q) {  // 0 inside, 1 overlapping, 2 neither
    bool inside = !q.separates.empty(), touches = false;
    for (int s : q.separates) {
      inside &= s >= lo && s <= hi;
      touches |= s > lo && s <= hi;
    }
    return inside ? 0 : touches ? 1 : 2;
  };
  std::vector<std::size_t> out;
  for (int tier = 0; tier < 4; ++tier)
    for (std::size_t q = 0; q < qs.size() && out.size() < max; ++q)
      if (rank(qs[q]) == tier / 2 && (qs[q].kind == question_kind::behavioural) == (tier % 2 == 0)) out.push_back(q);
  return out;
}

/// The raters behind one candidate's scores: per model competency
/// (#competencies entries), the distinct rater ids in byte order; all empty
/// when the candidate has no observation.
inline std::vector<std::vector<std::string>> raters_of(const observation_table& obs, std::string_view candidate,
                                                       std::size_t competencies) {
  std::vector<std::set<std::string>> sets(competencies);
  for (std::size_t i = 0; i < obs.size(); ++i)
    if (obs.candidate_ids[obs.candidate[i]] == candidate) sets[obs.competency[i]].insert(obs.rater_ids[obs.rater[i]]);
  std::vector<std::vector<std::string>> out(competencies);
  for (std::size_t c = 0; c < competencies; ++c) out[c].assign(sets[c].begin(), sets[c].end());
  return out;
}

}  // namespace merit
