// merit report as library calls (include/merit/pool/report.hpp): read, score,
// summarise, then draw with io/report_html.hpp.
#include <merit/pool/report.hpp>

#include <merit/bands.hpp>
#include <merit/explain.hpp>
#include <merit/fairness.hpp>
#include <merit/fit.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/io/file.hpp>
#include <merit/io/groups.hpp>
#include <merit/io/report_html.hpp>
#include <merit/panel.hpp>
#include <merit/pool_summary.hpp>
#include <merit/rank.hpp>

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <string>
#include <vector>

namespace merit::pool {
namespace {

/// What both reports read: the plan and the scored pool.
struct scored_pool {
  scoring_plan plan;
  pool_input input;
  Vector fit, coverage;
  std::vector<std::int8_t> status;
};

scored_pool read_and_score(const competency_model& model, const pool_source& source, const report_options& opt) {
  scored_pool s;
  s.plan = compile(model, opt.profile.empty() ? model.profiles.front().id : opt.profile);
  s.input = read_pool(model, source);
  const auto n = static_cast<Eigen::Index>(s.input.table.ids.size());
  s.fit.resize(n);
  s.coverage.resize(n);
  s.status.resize(static_cast<std::size_t>(n));
  score(s.plan, s.input.table.scores, s.fit, s.coverage, s.status.data());
  return s;
}

}  // namespace

std::string candidate_report(const competency_model& model, const pool_source& source,
                             const std::string& candidate_id, const report_options& opt) {
  const scored_pool s = read_and_score(model, source, opt);
  const auto& ids = s.input.table.ids;
  const auto it = std::find(ids.begin(), ids.end(), candidate_id);
  if (it == ids.end())
    throw input_error(errc::not_found, s.input.path,
                      "no candidate '" + candidate_id + "' (the file has " + std::to_string(ids.size()) + " candidates)");
  const auto i = static_cast<Eigen::Index>(it - ids.begin());

  io::candidate_report_input in;
  in.model = &model;
  in.plan = &s.plan;
  in.candidate_id = candidate_id;
  in.scores = s.input.table.scores.row(i).data();
  if (s.input.evidence) {
    const competency_scores& ev = *s.input.evidence;
    in.se = ev.se.row(i).data();
    in.ratings = ev.ratings.row(i).data();
    in.methods = ev.methods.row(i).data();
    in.raters = raters_of(s.input.observations, candidate_id, model.competencies.size());
  }
  const std::vector<std::size_t> order = rank_order(ids, s.fit, s.status);
  for (std::size_t r = 0; r < order.size(); ++r)
    if (order[r] == static_cast<std::size_t>(i)) in.rank = r + 1;
  in.pool_size = ids.size();
  if (s.plan.reliability()) {
    const pool_summary sum = summarise_pool(s.plan, s.input.table.scores, s.fit, s.status, s.plan.reliability());
    if (sum.band_width) {
      const Eigen::VectorXi bands = fixed_bands(qualified_fits(s.fit, s.status), *sum.band_width);
      if (bands[i] > 0) in.band = bands[i];
      in.band_width = sum.band_width;
    }
  }
  in.source = s.input.path;
  if (opt.decision_log) {
    const std::string& log = *opt.decision_log;
    const decision_record_ref r = find_decision_record(read_text_file<input_error>(log), candidate_id, log);
    check_decision_record(r, log, s.plan.model_hash(), s.plan.profile_id(),
                          fit_result{s.fit[i], s.coverage[i], static_cast<status>(s.status[static_cast<std::size_t>(i)])});
    const std::string line = std::to_string(r.line);
    in.decision_record = r.id + (opt.lang == io::kit_lang::zh ? "(" + log + ",第 " + line + " 行)"
                                                              : " (" + log + ", line " + line + ")");
  }
  return io::candidate_report_html(in, opt.lang);
}

std::string pool_report(const competency_model& model, const pool_source& source, const report_options& opt) {
  if (opt.groups && opt.by.empty())
    throw argument_error("groups need by: the columns of the groups file to audit by");
  if (!opt.groups && !opt.by.empty()) throw argument_error("by needs groups: the file with those columns");
  const bool zh = opt.lang == io::kit_lang::zh;
  const scored_pool s = read_and_score(model, source, opt);
  const pool_summary sum = summarise_pool(s.plan, s.input.table.scores, s.fit, s.status, s.plan.reliability());

  io::pool_report_input in;
  in.model = &model;
  in.plan = &s.plan;
  in.summary = &sum;
  in.source = s.input.path;
  const std::size_t n = s.status.size();
  std::vector<std::uint8_t> selected(n, 0);
  if (opt.top) {
    const std::vector<std::size_t> order = top_k(s.input.table.ids, s.fit, s.status, static_cast<std::size_t>(*opt.top));
    std::vector<double> rank(n, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<double>(r + 1);
    in.selected = select_top_k(rank.data(), s.status.data(), n, *opt.top, selected.data()).selected;
    in.cut = 100;
    for (std::size_t i = 0; i < n; ++i)
      if (selected[i]) in.cut = std::min(in.cut, s.fit[static_cast<Eigen::Index>(i)]);
    in.cut_label = zh ? "入围名单:排名前 " + std::to_string(*opt.top) + " 名中的合格候选人(--top)。"
                      : "Shortlist: the qualified candidates among the first " + std::to_string(*opt.top) +
                            " of the ranking (--top).";
  } else {
    in.cut = model.roles.fit_cut;
    in.selected = select_threshold(s.fit.data(), s.status.data(), n, in.cut, selected.data());
    const label& basis = model.roles.fit_cut_basis;
    in.cut_label = std::string(zh ? "入围名单:匹配度不低于模型匹配线的合格候选人。"
                                  : "Shortlist: qualified candidates with a fit at or above the model's fit cut. ") +
                   (zh && !basis.zh.empty() ? basis.zh : basis.en);
  }
  if (s.input.evidence) {
    aggregate_options lenient;
    lenient.calibration = calibration::leniency;
    in.raters = aggregate(model, s.input.observations, lenient).raters;
    const std::size_t method = most_used_method(s.input.observations, model.methods.size());
    in.panel = panel_reliability(model, s.input.observations, method);
    in.panel_method = zh && !model.methods[method].name.zh.empty() ? model.methods[method].name.zh
                                                                    : model.methods[method].name.en;
  }
  if (opt.groups) {
    auto reader = io::csv_reader::open(*opt.groups);
    const io::group_labels g = io::read_groups(reader, opt.by);
    std::unordered_map<std::string, std::size_t> row;
    for (std::size_t k = 0; k < g.ids.size(); ++k) row.emplace(g.ids[k], k);
    audit_data d;
    d.dimensions = opt.by;
    d.fits.assign(s.fit.data(), s.fit.data() + n);
    std::vector<bool> in_pool(g.ids.size(), false);
    for (std::size_t i = 0; i < n; ++i) {
      d.selected.push_back(selected[i] != 0);
      const auto it = row.find(s.input.table.ids[i]);
      if (it == row.end()) {
        d.labels.emplace_back(opt.by.size());  // not in the groups file: unknown
      } else {
        d.labels.push_back(g.labels[it->second]);
        in_pool[it->second] = true;
      }
    }
    for (std::size_t k = 0; k < g.ids.size(); ++k)
      if (!in_pool[k]) d.absent_labels.push_back(g.labels[k]);
    in.impact = audit(d);
  }
  return io::pool_report_html(in, opt.lang);
}

}  // namespace merit::pool
