#include "shortlist.hpp"

#include <merit/explain.hpp>
#include <merit/rank.hpp>
#include <merit/roles.hpp>
#include <merit/version.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace merit::cli {
namespace {

std::string clip(const std::string& s, std::size_t width) {
  if (s.size() <= width) return s;
  return s.substr(0, width - 1) + "~";
}

std::string fmt(const char* f, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

}  // namespace

void print_shortlist(std::FILE* out, const shortlist_view& v) {
  const profile& prof = v.model.get_profile(v.plan.profile_id());
  const auto& comps = v.model.competencies;
  const auto& cols = v.plan.columns();
  const role_rule roles(v.model);

  std::size_t counts[3] = {0, 0, 0};
  for (auto s : v.status) ++counts[static_cast<std::size_t>(s)];
  std::fprintf(out, "%s%s%s  -  model %s %s (sha256 %.12s), merit %s\n", prof.name.en.c_str(),
               prof.name.zh.empty() ? "" : " / ", prof.name.zh.c_str(), v.model.id.c_str(), v.model.version.c_str(),
               v.model.content_hash.c_str(), version());
  std::fprintf(out, "%zu candidates scored with the %s fit: %zu qualified, %zu screened out, %zu incomplete",
               v.status.size(), to_string(v.plan.fit_model()), counts[0], counts[1], counts[2]);
  if (v.order.size() < v.status.size()) std::fprintf(out, "; showing the top %zu", v.order.size());
  std::fprintf(out, "\n\n");
  std::fprintf(out, "%4s  %-10s %6s  %-12s %5s  %-40s %-36s %s\n", "rank", "candidate", "fit", "status", "cover",
               "role shown (SE apart)", "strengths", "gaps (fit points lost)");

  // Rank order: the ranking rule puts the qualified candidates (the
  // shortlist) first, then those who need attention under a header of their own.
  bool attention_header = false;
  for (std::size_t r = 0; r < v.order.size(); ++r) {
    const std::size_t i = v.order[r];
    if (!attention_header && v.status[i] != static_cast<std::int8_t>(status::qualified)) {
      std::fprintf(out, "\nnot shortlisted - a hurdle failed or the evidence is incomplete:\n");
      attention_header = true;
    }
    const auto ii = static_cast<Eigen::Index>(i);
    const double* x = v.pool.scores.row(ii).data();
    const auto st = static_cast<status>(v.status[i]);

    const double* se = v.se ? v.se->row(ii).data() : nullptr;
    const role_answer ra = roles.answer(x, 1, se);
    std::string role = "none";
    if (ra.best) role = roles.plans()[*ra.best].profile_id() + fmt(" (%.1f)", ra.margin);

    // Strengths: met targets with the largest contributions; gaps: largest losses.
    std::string strengths;
    for (auto k : merit::strengths(v.plan, x, v.contributions.row(ii).data(), 2))
      strengths += (strengths.empty() ? "" : ", ") + comps[static_cast<std::size_t>(cols[k])].name.en;
    std::string gaps;
    for (auto k : merit::gaps(v.plan, v.gaps.row(ii).data(), 2))
      gaps += (gaps.empty() ? "" : ", ") + comps[static_cast<std::size_t>(cols[k])].name.en + fmt(" -%.1f", v.gaps(ii, k));
    std::string fit_txt = std::isnan(v.fit[ii]) ? "-" : fmt("%.1f", v.fit[ii]);
    std::fprintf(out, "%4zu  %-10s %6s  %-12s %4.0f%%  %-40s %-36s %s\n", r + 1, clip(v.pool.ids[i], 10).c_str(),
                 fit_txt.c_str(), to_string(st), 100.0 * v.coverage[ii], clip(role, 40).c_str(),
                 clip(strengths.empty() ? "-" : strengths, 36).c_str(), gaps.empty() ? "-" : gaps.c_str());

    // Why a candidate is not qualified, in words.
    if (st != status::qualified) {
      std::string why;
      for (Eigen::Index k = 0; k < v.plan.size(); ++k) {
        const double m = v.plan.minimums()[k];
        const double xv = x[cols[k]];
        const std::string& nm = comps[static_cast<std::size_t>(cols[k])].name.en;
        if (!std::isnan(m) && std::isnan(xv)) why += "; hurdle " + nm + " not assessed";
        else if (!std::isnan(m) && xv < m) why += "; " + nm + fmt(" %g", xv) + fmt(" is below the minimum %g", m);
      }
      if (v.coverage[ii] < v.plan.min_coverage() - coverage_tolerance) {
        std::string missing;
        int listed = 0, more = 0;
        for (Eigen::Index k = 0; k < v.plan.size(); ++k) {
          if (!std::isnan(x[cols[k]])) continue;
          if (listed < 3) missing += (listed ? ", " : "") + comps[static_cast<std::size_t>(cols[k])].name.en;
          else ++more;
          ++listed;
        }
        if (more) missing += " and " + std::to_string(more) + " more";
        why += "; evidence covers " + fmt("%.0f%%", 100 * v.coverage[ii]) + " of the profile (needs " +
               fmt("%.0f%%", 100 * v.plan.min_coverage()) + "): not assessed " + missing;
      }
      if (!why.empty()) std::fprintf(out, "      -> %s\n", why.substr(2).c_str());
    }
  }
  std::fprintf(out,
               "\nfit: 0-100, share of the profile's weighted targets the candidate reaches (surplus above a target\n"
               "earns nothing). cover: share of the profile the evidence covers. role shown: the profile whose\n"
               "pattern of targets the candidate's own pattern of strengths shows, more than %.2f standard errors\n"
               "clearer than the next (none: no distinct role; 'merit roles' explains each answer). Use\n"
               "--explain --csv for every competency's contribution and gap.\n",
               roles.settings().z);
}

}  // namespace merit::cli
