#pragma once
/// \file panel.hpp
/// Inter-rater reliability of an interview panel, per competency: the
/// ratings one method collected are laid out as #candidates by #rater-slots
/// (candidates meet different interviewers, so slots, not named judges), and
/// judged by ICC(1,1) and ICC(1,k) (one-way random effects; Shrout & Fleiss
/// 1979). The flag rule is documented in docs/reliability.md: fewer than 5
/// complete candidates is insufficient data; ICC(1,1) < .40 (Cicchetti 1994)
/// is flagged; flagged and the upper 95% limit below .50 (Koo & Li 2016) is
/// confirmed.

#include <merit/evidence.hpp>
#include <merit/reliability.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace merit {

enum class panel_flag { ok, flagged, confirmed, insufficient_data };

inline const char* to_string(panel_flag f) {
  switch (f) {
    case panel_flag::ok: return "ok";
    case panel_flag::flagged: return "flagged";
    case panel_flag::confirmed: return "confirmed";
    case panel_flag::insufficient_data: return "insufficient_data";
  }
  return "?";
}

/// Thresholds of the flag rule.
inline constexpr double panel_flag_below = 0.40;      ///< Cicchetti (1994): poor below .40
inline constexpr double panel_confirm_upper = 0.50;   ///< Koo & Li (2016): poor below .50
inline constexpr Eigen::Index panel_min_candidates = 5;

struct panel_result {
  std::size_t competency = 0;        ///< index into the model's competencies
  Eigen::Index candidates = 0;       ///< candidates with k ratings used
  Eigen::Index raters_per_candidate = 0;  ///< k
  std::optional<icc_result> icc;     ///< none with insufficient data
  panel_flag flag = panel_flag::insufficient_data;
};

/// Ratings of `method` for competency `c` as #candidates by k: k is the most
/// common number of distinct raters per candidate; candidates with fewer are
/// left out, those with more use their first k raters (by rater id). A
/// rater's repeated ratings are averaged first, as in aggregate().
inline RowMatrix panel_matrix(const observation_table& obs, std::size_t c, std::size_t method) {
  std::map<std::uint32_t, std::map<std::string, std::pair<double, int>>> by_candidate;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    if (obs.competency[i] != c || obs.method[i] != method) continue;
    auto& cell = by_candidate[obs.candidate[i]][obs.rater_ids[obs.rater[i]]];
    cell.first += obs.level[i];
    cell.second += 1;
  }
  std::map<std::size_t, std::size_t> count_of_k;
  for (const auto& [cand, raters] : by_candidate) ++count_of_k[raters.size()];
  std::size_t k = 0, best = 0;
  for (const auto& [kk, n] : count_of_k)
    if (n > best || (n == best && kk > k)) {
      k = kk;
      best = n;
    }
  std::vector<std::vector<double>> rows;
  for (const auto& [cand, raters] : by_candidate) {
    if (raters.size() < k) continue;
    std::vector<double> row;
    for (const auto& [rid, cell] : raters) {
      if (row.size() == k) break;
      row.push_back(cell.first / cell.second);
    }
    rows.push_back(std::move(row));
  }
  RowMatrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(k));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < k; ++j) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
  return m;
}

/// The method with the most observations (the first of equals, in model
/// order): the panel whose reliability is judged when no method is named.
inline std::size_t most_used_method(const observation_table& obs, std::size_t methods) {
  std::vector<std::size_t> count(methods, 0);
  for (auto m : obs.method) ++count[m];
  return static_cast<std::size_t>(std::max_element(count.begin(), count.end()) - count.begin());
}

/// Panel reliability of every competency `method` rated.
inline std::vector<panel_result> panel_reliability(const competency_model& model, const observation_table& obs,
                                                   std::size_t method) {
  std::vector<panel_result> out;
  for (std::size_t c = 0; c < model.competencies.size(); ++c) {
    if (model.evidence(static_cast<Eigen::Index>(method), static_cast<Eigen::Index>(c)) <= 0) continue;
    RowMatrix m = panel_matrix(obs, c, method);
    if (m.rows() == 0) continue;
    panel_result r;
    r.competency = c;
    r.candidates = m.rows();
    r.raters_per_candidate = m.cols();
    if (m.rows() >= panel_min_candidates && m.cols() >= 2) {
      try {
        r.icc = icc(m);
      } catch (const argument_error&) {
        r.icc.reset();  // e.g. every rating identical: no variance to apportion
      }
    }
    if (r.icc) {
      const auto& i1 = r.icc->icc1;
      r.flag = i1.value >= panel_flag_below ? panel_flag::ok
               : i1.upper < panel_confirm_upper ? panel_flag::confirmed
                                                : panel_flag::flagged;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace merit
