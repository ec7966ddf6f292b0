#pragma once
/// \file io/report_html.hpp
/// Reports people look at (docs/reports.md): one candidate against a role,
/// and a pool with its adverse impact, each one self-contained HTML file with
/// inline SVG charts and CSS - no script, no network reference - printable on
/// A4 (a candidate on at most 2 pages, a pool on at most 3).
///
/// The numbers come from the core (score_one, role_rule, strengths, gaps,
/// gap_questions, summarise_pool, audit); this file only draws them. Every
/// chart carries an SVG <title> and <desc>; meaning is never carried by colour
/// alone (each mark has a text or a shape too); the palette is Okabe & Ito's
/// (2008) colour-blind-safe set. Each drawn mark carries its number in a
/// data- attribute (data-level, data-points, ...), so a test can check the
/// drawing against the numbers.

#include <merit/explain.hpp>
#include <merit/fairness.hpp>
#include <merit/fit.hpp>
#include <merit/io/html.hpp>
#include <merit/model.hpp>
#include <merit/panel.hpp>
#include <merit/pool_summary.hpp>
#include <merit/rank.hpp>
#include <merit/roles.hpp>
#include <merit/version.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace merit::io {

/// What the candidate report shows beyond the candidate's scores.
struct candidate_report_input {
  const competency_model* model = nullptr;
  const scoring_plan* plan = nullptr;
  std::string candidate_id;
  const double* scores = nullptr;       ///< #model competencies, model order, NaN = not observed
  const double* se = nullptr;           ///< standard errors (evidence), or null
  const std::int32_t* ratings = nullptr;   ///< ratings per competency (evidence), or null
  const std::uint32_t* methods = nullptr;  ///< method bits per competency (evidence), or null
  /// Distinct rater ids per model competency (evidence), or empty.
  std::vector<std::vector<std::string>> raters;
  std::size_t rank = 0, pool_size = 0;  ///< place in the pool's ranking (1 = top), 0 = unknown
  std::optional<int> band;              ///< 1 = top band; none: no bands (or not qualified)
  std::optional<double> band_width;
  std::string source;            ///< the input file
  std::string decision_record;   ///< "log.jsonl#line" of the decision record, when a log was written
};

/// What the pool report shows.
struct pool_report_input {
  const competency_model* model = nullptr;
  const scoring_plan* plan = nullptr;
  const pool_summary* summary = nullptr;
  /// The shortlist cut: the fit at or above which a qualified candidate is
  /// selected (the K-th qualified fit with --top K, else the model's fit_cut).
  double cut = 80;
  std::string cut_label;  ///< how the cut was set, in the report's language
  std::uint64_t selected = 0;
  std::string source;
  /// Evidence only: raters with leniency (calibration::leniency), and panel reliability.
  std::vector<rater_report> raters;
  std::vector<panel_result> panel;
  std::string panel_method;  ///< the method's name in the report's language
  /// Adverse impact, when groups were given.
  std::optional<audit_result> impact;
};

namespace detail {

/// Okabe & Ito (2008), "Color Universal Design": distinguishable with every
/// common form of colour blindness.
inline constexpr const char* oi_blue = "#0072B2";
inline constexpr const char* oi_orange = "#E69F00";
inline constexpr const char* oi_vermillion = "#D55E00";
inline constexpr const char* oi_green = "#009E73";
inline constexpr const char* oi_sky = "#56B4E9";
inline constexpr const char* oi_purple = "#CC79A7";
inline constexpr const char* oi_yellow = "#F0E442";

inline std::string num(double v, const char* f = "%.2f") {
  if (std::isnan(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}
/// An SVG coordinate: two decimals, enough for a 0.5 px check.
inline std::string px(double v) { return num(v, "%.2f"); }

/// Opens an SVG chart with its title and description (read by screen readers
/// and shown as a tooltip), and the hatch patterns marks use besides colour.
inline std::string svg_open(const std::string& id, double w, double h, const std::string& title,
                            const std::string& desc) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\" class=\"chart\" width=\"" + px(w) +
         "\" height=\"" + px(h) + "\" viewBox=\"0 0 " + px(w) + " " + px(h) + "\" role=\"img\" aria-labelledby=\"" +
         id + "-t " + id + "-d\">\n<title id=\"" + id + "-t\">" + html_escape(title) + "</title>\n<desc id=\"" + id +
         "-d\">" + html_escape(desc) +
         "</desc>\n<defs><pattern id=\"" + id + "-hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" "
         "x2=\"0\" y2=\"4\" stroke=\"#777\" stroke-width=\"1.5\"/></pattern>"
         "<pattern id=\"" + id + "-cross\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><rect width=\"5\" "
         "height=\"5\" fill=\"" + std::string(oi_vermillion) + "\"/><path d=\"M0 0L5 5M5 0L0 5\" stroke=\"#fff\" "
         "stroke-width=\"1\"/></pattern></defs>\n";
}

inline std::string svg_text(double x, double y, const std::string& text, const char* anchor = "start",
                            const char* cls = nullptr) {
  return "<text x=\"" + px(x) + "\" y=\"" + px(y) + "\" text-anchor=\"" + anchor + "\"" +
         (cls ? std::string(" class=\"") + cls + "\"" : std::string()) + ">" + html_escape(text) + "</text>\n";
}

inline std::string svg_line(double x1, double y1, double x2, double y2, const char* stroke, double width = 1,
                            const char* dash = nullptr, const std::string& extra = {}) {
  return "<line x1=\"" + px(x1) + "\" y1=\"" + px(y1) + "\" x2=\"" + px(x2) + "\" y2=\"" + px(y2) +
         "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width, "%g") + "\"" +
         (dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : std::string()) + extra + "/>\n";
}

inline std::string svg_rect(double x, double y, double w, double h, const std::string& fill,
                            const std::string& extra = {}) {
  return "<rect x=\"" + px(x) + "\" y=\"" + px(y) + "\" width=\"" + px(std::max(0.0, w)) + "\" height=\"" + px(h) +
         "\" fill=\"" + fill + "\"" + extra + "/>\n";
}

inline const char* status_text(status s, kit_lang lang) {
  switch (s) {
    case status::qualified: return lang == kit_lang::zh ? "✓ 合格" : "✓ qualified";
    case status::screened_out: return lang == kit_lang::zh ? "✗ 未通过门槛" : "✗ screened out";
    case status::incomplete: return lang == kit_lang::zh ? "? 证据不完整" : "? incomplete";
  }
  return "?";
}

/// The CSS of both reports (after html_page_head's base rules).
inline const char* report_css =
    "h1 { font-size: 14pt; margin: 0 0 1mm; } h2 { font-size: 10.5pt; margin: 3mm 0 1mm; "
    "border-bottom: 1px solid #bbb; }\n"
    "p { margin: 0 0 1.5mm; } .muted { color: #555; } .small { font-size: 7.5pt; }\n"
    ".head { display: flex; gap: 6mm; align-items: baseline; flex-wrap: wrap; margin: 1mm 0 2mm; }\n"
    ".big { font-size: 22pt; font-weight: bold; } .badge { font-weight: bold; padding: 0.5mm 2mm; "
    "border: 1.5px solid #333; border-radius: 2mm; }\n"
    ".cols { display: flex; gap: 5mm; } .cols > div { flex: 1; }\n"
    "ul { margin: 0 0 1mm 4mm; padding: 0; } li { margin: 0 0 0.8mm; }\n"
    "table { border-collapse: collapse; width: 100%; font-size: 7.5pt; } td, th { border: 1px solid #bbb; "
    "padding: 0.4mm 1mm; text-align: left; vertical-align: top; } td.n, th.n { text-align: right; }\n"
    "svg.chart { display: block; max-width: 100%; height: auto; font-size: 8px; }\n"
    "svg text { fill: #111; } svg .muted { fill: #555; }\n"
    ".avoid { break-inside: avoid; page-break-inside: avoid; }\n"
    "footer { margin-top: 2mm; border-top: 1px solid #bbb; padding-top: 1mm; }\n"
    "@media screen { body { max-width: 190mm; margin: 8mm auto; } }\n"
    "@media print { h2 { break-after: avoid; page-break-after: avoid; } }\n";

/// The page up to and including its <h1>, which is the page's title.
inline std::string report_open(kit_lang lang, const std::string& title) {
  return html_page_head(lang, title, report_css) + "<h1>" + html_escape(title) + "</h1>\n";
}

inline std::string model_footer(const competency_model& m, const scoring_plan& plan, kit_lang lang,
                                const std::string& source) {
  std::string o = "<footer class=\"small muted\">";
  o += html_escape(tr(lang, "Model ", "模型 ") + m.id + " " + m.version + " (sha256 " + m.content_hash + "), " +
                   tr(lang, "profile ", "画像 ") + plan.profile_id() + ", " + tr(lang, "fit model ", "匹配模型 ") +
                   to_string(plan.fit_model()) + ", " + tr(lang, "ranking rule ", "排序规则 ") +
                   to_string(current_ranking_rule) + ", merit " + version());
  if (!source.empty()) o += html_escape(tr(lang, "; input ", ";输入 ") + source);
  return o;
}

/// Levels of one candidate against targets and hurdles, with SE whiskers, and
/// beside each the waterfall of its contribution to the fit: the
/// contributions stack left to right and the last row, the fit, spans them all.
inline std::string candidate_levels_chart(const candidate_report_input& in, const double* contrib,
                                          const double* gap, double fit, kit_lang lang) {
  const competency_model& m = *in.model;
  const scoring_plan& plan = *in.plan;
  const int L = plan.levels();
  const Eigen::Index T = plan.size();
  const double row = 15, top = 30, name_w = 205, lx = 212, lw = 220, tx = 438, wx = 500, ww = 185;
  const double h = top + row * static_cast<double>(T + 1) + 24;
  const double width = wx + ww + 8;
  auto lx_of = [&](double level) { return lx + (level - 1) / (L - 1) * lw; };
  std::string o = svg_open(
      "levels", width, h, tr(lang, "Each competency against the role", "各项胜任力与岗位要求对比"),
      tr(lang,
         "Left: the candidate's level on each competency of the profile as a bar from level 1, the target as a black "
         "tick, a hurdle (minimum) as a dashed line, the standard error as a whisker. Right: each competency's "
         "contribution to the fit in fit points, stacked so that the contributions add up to the fit in the last "
         "row; hatched: the fit points lost below target.",
         "左:候选人在画像每项胜任力上的等级(自1级起的条形),目标为黑色刻度,门槛(最低要求)为虚线,标准误为误差线。"
         "右:每项胜任力对匹配度的贡献(匹配分),依次堆叠,最后一行为其总和即匹配度;斜线部分为低于目标而失去的分数。"));
  o += svg_text(lx, 10, tr(lang, "level (1-", "等级(1-") + std::to_string(L) + tr(lang, ")", ")"), "start", "muted");
  o += svg_text(wx, 10, tr(lang, "contribution to the fit (0-100)", "对匹配度的贡献(0-100)"), "start", "muted");
  for (int l = 1; l <= L; ++l) {
    o += svg_line(lx_of(l), top - 6, lx_of(l), top + row * static_cast<double>(T), "#ddd");
    o += svg_text(lx_of(l), top - 8, std::to_string(l), "middle", "muted");
  }
  for (int p = 0; p <= 100; p += 25) {
    const double x = wx + p / 100.0 * ww;
    o += svg_line(x, top - 6, x, top + row * static_cast<double>(T + 1), "#ddd");
    o += svg_text(x, top - 8, std::to_string(p), "middle", "muted");
  }
  o += "<g class=\"axis\" data-x0=\"" + px(lx) + "\" data-x-per-level=\"" + px(lw / (L - 1)) + "\" data-w0=\"" +
       px(wx) + "\" data-w-per-point=\"" + num(ww / 100, "%.6f") + "\"/>\n";
  double cum = 0;
  for (Eigen::Index k = 0; k < T; ++k) {
    const std::size_t c = static_cast<std::size_t>(plan.columns()[k]);
    const double y = top + row * static_cast<double>(k);
    const double x = in.scores[c], t = plan.targets()[k], mn = plan.minimums()[k];
    o += svg_text(name_w, y + 10.5, pick(m.competencies[c].name, lang), "end");
    std::string mark;
    if (std::isnan(x)) {
      o += svg_text(lx + 4, y + 10.5, tr(lang, "not assessed", "未评估"), "start", "muted");
    } else {
      const bool below_min = !std::isnan(mn) && x < mn;
      const std::string fill = below_min ? "url(#levels-cross)" : x >= t ? oi_blue : oi_orange;
      o += "<rect class=\"level\" data-competency=\"" + m.competencies[c].id + "\" data-level=\"" +
           num(x, "%.6g") + "\" x=\"" + px(lx) + "\" y=\"" + px(y + 3) + "\" width=\"" + px(lx_of(x) - lx) +
           "\" height=\"9\" fill=\"" + fill + "\"/>\n";
      const double e = in.se ? in.se[c] : NAN;
      if (std::isfinite(e) && e > 0) {
        const double a = lx_of(std::max(1.0, x - e)), b = lx_of(std::min<double>(L, x + e));
        o += svg_line(a, y + 7.5, b, y + 7.5, "#111", 1, nullptr, " class=\"whisker\"");
        o += svg_line(a, y + 5, a, y + 10, "#111") + svg_line(b, y + 5, b, y + 10, "#111");
      }
      mark = below_min ? tr(lang, "✗ below minimum", "✗ 低于门槛")
             : x >= t  ? tr(lang, "✓ met", "✓ 达标")
                       : "▼ " + num(x - t, "%.1f");
    }
    o += svg_line(lx_of(t), y + 1, lx_of(t), y + 14, "#111", 2, nullptr,
                  " class=\"target\" data-target=\"" + num(t, "%g") + "\"");
    if (!std::isnan(mn))
      o += svg_line(lx_of(mn), y + 1, lx_of(mn), y + 14, oi_vermillion, 1.5, "2,1.5",
                    " class=\"hurdle\" data-minimum=\"" + num(mn, "%g") + "\"");
    o += svg_text(tx, y + 10.5, (std::isnan(x) ? std::string("-") : num(x, "%g")) + "/" + num(t, "%g") + " " + mark);
    // The waterfall: this competency's contribution starts where the last ended.
    const double cx = wx + cum / 100 * ww, cw = contrib[k] / 100 * ww;
    o += "<rect class=\"contribution\" data-competency=\"" + m.competencies[c].id + "\" data-points=\"" +
         num(contrib[k], "%.6f") + "\" x=\"" + px(cx) + "\" y=\"" + px(y + 3) + "\" width=\"" + px(cw) +
         "\" height=\"9\" fill=\"" + (k % 2 ? oi_sky : oi_blue) + "\"/>\n";
    if (gap[k] > 0)
      o += "<rect class=\"lost\" data-points=\"" + num(gap[k], "%.6f") + "\" x=\"" + px(cx + cw) + "\" y=\"" +
           px(y + 3) + "\" width=\"" + px(gap[k] / 100 * ww) + "\" height=\"9\" fill=\"url(#levels-hatch)\" "
           "stroke=\"#777\" stroke-width=\"0.5\"/>\n";
    cum += contrib[k];
  }
  const double y = top + row * static_cast<double>(T);
  o += svg_text(name_w, y + 10.5, tr(lang, "Fit", "匹配度"), "end");
  o += "<rect class=\"fit\" data-points=\"" + num(fit, "%.6f") + "\" x=\"" + px(wx) + "\" y=\"" + px(y + 2) +
       "\" width=\"" + px(std::isnan(fit) ? 0 : fit / 100 * ww) + "\" height=\"11\" fill=\"#333\"/>\n";
  o += svg_text(wx - 4, y + 10.5, num(fit, "%.1f"), "end");
  // Legend: every colour also has a word and a shape.
  const double ly = h - 8;
  o += svg_rect(lx, ly - 7, 10, 7, oi_blue) + svg_text(lx + 13, ly, tr(lang, "at or above target", "达到目标"));
  o += svg_rect(lx + 90, ly - 7, 10, 7, oi_orange) + svg_text(lx + 103, ly, tr(lang, "below target", "低于目标"));
  o += svg_rect(lx + 165, ly - 7, 10, 7, "url(#levels-cross)") +
       svg_text(lx + 178, ly, tr(lang, "below the minimum", "低于门槛"));
  o += svg_line(lx + 255, ly - 8, lx + 255, ly + 1, "#111", 2) + svg_text(lx + 259, ly, tr(lang, "target", "目标"));
  o += svg_line(lx + 295, ly - 8, lx + 295, ly + 1, oi_vermillion, 1.5, "2,1.5") +
       svg_text(lx + 299, ly, tr(lang, "minimum", "门槛"));
  o += svg_rect(lx + 345, ly - 7, 10, 7, "url(#levels-hatch)") + svg_text(lx + 358, ly, tr(lang, "lost", "失分"));
  return o + "</svg>\n";
}

/// The fit on every profile of the model, with the model's fit cut.
inline std::string profiles_chart(const competency_model& m, const role_rule& roles, const role_answer& ra,
                                  const std::string& current, kit_lang lang) {
  const std::size_t P = roles.plans().size();
  const double row = 15, top = 16, name_w = 205, bx = 212, bw = 300;
  const double h = top + row * static_cast<double>(P) + 6;
  std::string o = svg_open("profiles", bx + bw + 180, h, tr(lang, "Fit on every profile", "在每个画像上的匹配度"),
                           tr(lang, "The candidate's fit on each profile of the model as a bar from 0 to 100, its status "
                                    "in words, and the model's fit cut as a dashed line.",
                              "候选人在模型每个画像上的匹配度(0-100的条形)、文字标明的状态,以及模型的匹配线(虚线)。"));
  const double cut = roles.settings().fit_cut;
  for (std::size_t p = 0; p < P; ++p) {
    const double y = top + row * static_cast<double>(p);
    const fit_result& f = ra.fits[p];
    const std::string& pid = roles.plans()[p].profile_id();
    const std::string name = pick(m.get_profile(pid).name, lang) + (pid == current ? " ◀" : "");
    o += svg_text(name_w, y + 10.5, name, "end");
    o += "<rect class=\"profile-fit\" data-profile=\"" + pid + "\" data-points=\"" + num(f.fit, "%.6f") +
         "\" x=\"" + px(bx) + "\" y=\"" + px(y + 3) + "\" width=\"" + px(f.has_fit() ? f.fit / 100 * bw : 0) +
         "\" height=\"9\" fill=\"" + (f.status == status::qualified ? oi_blue : "url(#profiles-hatch)") +
         "\" stroke=\"#555\" stroke-width=\"0.5\"/>\n";
    o += svg_text(bx + bw + 6, y + 10.5, num(f.fit, "%.1f") + "  " + status_text(f.status, lang));
  }
  o += svg_line(bx + cut / 100 * bw, top - 4, bx + cut / 100 * bw, h - 2, "#111", 1, "3,2");
  o += svg_text(bx + cut / 100 * bw, top - 6, tr(lang, "cut ", "匹配线 ") + num(cut, "%g"), "middle", "muted");
  return o + "</svg>\n";
}

}  // namespace detail

/// The candidate report (merit report candidate).
inline std::string candidate_report_html(const candidate_report_input& in, kit_lang lang) {
  using detail::html_escape;
  using detail::num;
  using detail::pick;
  using detail::tr;
  const competency_model& m = *in.model;
  const scoring_plan& plan = *in.plan;
  const profile& prof = m.get_profile(plan.profile_id());
  const Eigen::Index T = plan.size();
  std::vector<double> contrib(static_cast<std::size_t>(T)), gap(static_cast<std::size_t>(T));
  const fit_result r = score_one(plan, in.scores, 1, contrib.data(), gap.data());
  const role_rule roles(m);
  const role_answer ra = roles.answer(in.scores, 1, in.se);

  std::string o = detail::report_open(
      lang, tr(lang, "Candidate ", "候选人 ") + in.candidate_id + tr(lang, " for ", ",岗位:") + pick(prof.name, lang));
  o += "<div class=\"head\"><span><span class=\"big\" id=\"fit\" data-points=\"" + num(r.fit, "%.6f") + "\">" +
       num(r.fit, "%.1f") + "</span> " + html_escape(tr(lang, "fit of 100", "匹配度(满分100)")) + "</span>";
  o += "<span class=\"badge\" id=\"status\">" + html_escape(detail::status_text(r.status, lang)) + "</span>";
  if (in.band)
    o += "<span id=\"band\">" + html_escape(tr(lang, "band ", "分数带 ") + std::to_string(*in.band)) +
         (in.band_width ? html_escape(tr(lang, " (width ", "(宽度 ") + num(*in.band_width, "%.1f") +
                                      tr(lang, " fit points: fits within it cannot be told apart)",
                                         " 分:带内匹配度无法区分)"))
                        : "") +
         "</span>";
  else
    o += "<span id=\"band\">" + html_escape(tr(lang, "no band (only qualified candidates are banded)",
                                               "无分数带(仅合格候选人分带)")) + "</span>";
  if (in.rank)
    o += "<span>" + html_escape(tr(lang, "rank ", "排名 ") + std::to_string(in.rank) + tr(lang, " of ", " / ") +
                                std::to_string(in.pool_size)) + "</span>";
  o += "<span>" + html_escape(tr(lang, "evidence covers ", "证据覆盖 ") + num(100 * r.coverage, "%.0f") + "%") +
       "</span></div>\n";

  // Why not qualified, in words.
  std::string why;
  for (Eigen::Index k = 0; k < T; ++k) {
    const double mn = plan.minimums()[k], x = in.scores[plan.columns()[k]];
    const std::string& nm = pick(m.competencies[static_cast<std::size_t>(plan.columns()[k])].name, lang);
    if (!std::isnan(mn) && std::isnan(x)) why += "; " + nm + tr(lang, ": a hurdle, not assessed", ":门槛项,未评估");
    else if (!std::isnan(mn) && x < mn)
      why += "; " + nm + " " + num(x, "%g") + tr(lang, " is below the minimum ", " 低于门槛 ") + num(mn, "%g");
  }
  if (r.coverage < plan.min_coverage() - coverage_tolerance)
    why += tr(lang, "; the evidence covers less than the profile needs (", ";证据覆盖不足(需要 ") +
           num(100 * plan.min_coverage(), "%.0f") + "%)";
  if (!why.empty()) o += "<p><b>" + html_escape(why.substr(2)) + "</b></p>\n";

  o += "<h2>" + html_escape(tr(lang, "Where the candidate stands, and why the fit is what it is",
                               "候选人所处位置,以及匹配度的来由")) + "</h2>\n";
  o += detail::candidate_levels_chart(in, contrib.data(), gap.data(), r.fit, lang);

  // Strengths and gaps.
  o += "<div class=\"cols avoid\"><div><h2>" + html_escape(tr(lang, "Strengths", "优势")) + "</h2><ul id=\"strengths\">";
  const auto cols = plan.columns();
  const auto strong = strengths(plan, in.scores, contrib.data(), 3);
  for (auto k : strong) {
    const auto c = static_cast<std::size_t>(cols[k]);
    o += "<li>" + html_escape(pick(m.competencies[c].name, lang) + ": " + num(in.scores[c], "%g") + " / " +
                              num(plan.targets()[k], "%g") + ", +" + num(contrib[static_cast<std::size_t>(k)], "%.1f") +
                              tr(lang, " fit points", " 分")) + "</li>";
  }
  if (strong.empty()) o += "<li>" + html_escape(tr(lang, "no target met", "无达标项")) + "</li>";
  o += "</ul></div><div><h2>" + html_escape(tr(lang, "Gaps, and the questions that probe them", "差距及追问问题")) +
       "</h2><ul id=\"gaps\">";
  const auto weak = gaps(plan, gap.data(), 3);
  for (auto k : weak) {
    const auto c = static_cast<std::size_t>(cols[k]);
    o += "<li>" + html_escape(pick(m.competencies[c].name, lang) + ": " + num(in.scores[c], "%g") + " / " +
                              num(plan.targets()[k], "%g") + ", -" + num(gap[static_cast<std::size_t>(k)], "%.1f") +
                              tr(lang, " fit points", " 分"));
    const auto qs = gap_questions(m, c, in.scores[c], plan.targets()[k], 2);
    if (!qs.empty()) {
      o += "<ul class=\"small\">";
      for (auto q : qs) o += "<li>" + html_escape(pick(m.competencies[c].questions[q].text, lang)) + "</li>";
      o += "</ul>";
    }
    o += "</li>";
  }
  if (weak.empty()) o += "<li>" + html_escape(tr(lang, "no fit points lost", "无失分")) + "</li>";
  o += "</ul></div></div>\n";

  // Every profile and the role answer.
  o += "<div class=\"avoid\"><h2>" + html_escape(tr(lang, "Fit on every role, and the role the candidate shows",
                                                    "在各岗位上的匹配度,及候选人显示的岗位")) + "</h2>\n";
  o += detail::profiles_chart(m, roles, ra, plan.profile_id(), lang);
  std::string role;
  if (ra.best)
    role = tr(lang, "Role shown: ", "显示的岗位:") + pick(m.profiles[*ra.best].name, lang) + " (" +
           num(ra.margin, "%.1f") + tr(lang, " standard errors clearer than the next).", " 个标准误,领先于次优)。");
  else
    role = tr(lang, "No distinct role: the pattern of strengths does not single out one profile beyond measurement "
                    "error.",
              "无明确岗位:优势模式在测量误差范围内不能区分出单一画像。");
  o += "<p id=\"role\">" + html_escape(role) + (lang == kit_lang::en ? " <span class=\"muted small\">" +
                                                                           html_escape(ra.reason) + "</span>"
                                                                     : std::string()) +
       "</p></div>\n";

  // The evidence behind the scores.
  o += "<div class=\"avoid\"><h2>" + html_escape(tr(lang, "The evidence behind the scores", "分数背后的证据")) +
       "</h2>\n<table id=\"evidence\"><tr><th>" + html_escape(tr(lang, "competency", "胜任力")) + "</th><th class=\"n\">" +
       html_escape(tr(lang, "level", "等级")) + "</th><th>" + html_escape(tr(lang, "methods", "方法")) + "</th><th>" +
       html_escape(tr(lang, "raters", "评分人")) + "</th><th class=\"n\">" + html_escape(tr(lang, "ratings", "评分数")) +
       "</th><th class=\"n\">" + html_escape(tr(lang, "SE", "标准误")) + "</th></tr>\n";
  for (Eigen::Index k = 0; k < T; ++k) {
    const auto c = static_cast<std::size_t>(cols[k]);
    std::string methods, raters;
    if (in.methods)
      for (std::size_t me = 0; me < m.methods.size(); ++me)
        if (in.methods[c] >> me & 1u) methods += (methods.empty() ? "" : ", ") + pick(m.methods[me].name, lang);
    if (c < in.raters.size())
      for (const auto& rid : in.raters[c]) raters += (raters.empty() ? "" : ", ") + rid;
    o += "<tr><td>" + html_escape(pick(m.competencies[c].name, lang)) + "</td><td class=\"n\">" +
         num(in.scores[c], "%g") + "</td><td>" + html_escape(methods.empty() ? "-" : methods) + "</td><td>" +
         html_escape(raters.empty() ? "-" : raters) + "</td><td class=\"n\">" +
         (in.ratings ? std::to_string(in.ratings[c]) : std::string("-")) + "</td><td class=\"n\">" +
         num(in.se ? in.se[c] : NAN, "%.2f") + "</td></tr>\n";
  }
  o += "</table>\n";
  if (!in.ratings)
    o += "<p class=\"small muted\">" +
         html_escape(tr(lang, "Scores were given directly (a table of competency scores), so no ratings, raters or "
                              "standard errors are known.",
                        "分数为直接给出(胜任力分数表),因此没有评分、评分人或标准误信息。")) +
         "</p>\n";
  o += "</div>\n";
  o += detail::model_footer(m, plan, lang, in.source);
  if (!in.decision_record.empty())
    o += html_escape(tr(lang, "; decision record ", ";决策记录 ") + in.decision_record);
  o += "</footer>\n</body>\n</html>\n";
  return o;
}

namespace detail {

inline std::string count_pct(std::uint64_t k, std::uint64_t n) {
  return std::to_string(k) + " (" + num(n ? 100.0 * static_cast<double>(k) / static_cast<double>(n) : 0.0, "%.1f") + "%)";
}

/// The fits of the pool by status in bins of fit_bin_width, the top band and the shortlist cut.
inline std::string fit_histogram_chart(const pool_report_input& in, kit_lang lang) {
  const pool_summary& s = *in.summary;
  const double x0 = 50, w = 600, top = 26, ph = 130, h = top + ph + 44;
  std::uint64_t most = 1;
  for (const auto& b : s.histogram) most = std::max<std::uint64_t>(most, b[0] + b[1] + b[2]);
  auto xs = [&](double fit) { return x0 + fit / 100 * w; };
  auto ys = [&](double count) { return top + ph - count / static_cast<double>(most) * ph; };
  std::string o = svg_open(
      "fits", x0 + w + 40, h, tr(lang, "Distribution of fits", "匹配度分布"),
      tr(lang, "Candidates per 5 fit points, stacked by status: qualified (solid blue), incomplete (grey hatching), "
               "screened out (red cross-hatching). The shaded span is the top band; the dashed line is the "
               "shortlist cut.",
         "每5分匹配度的候选人数,按状态堆叠:合格(蓝色实心)、证据不完整(灰色斜线)、未通过门槛(红色交叉线)。"
         "阴影区为最高分数带;虚线为入围线。"));
  if (s.band_width && std::isfinite(s.top_fit)) {
    const double a = xs(std::max(0.0, s.top_fit - *s.band_width)), b = xs(s.top_fit);
    o += svg_rect(a, top, b - a, ph, "#F0E44266", " class=\"band\" data-width=\"" + num(*s.band_width, "%.6f") + "\"");
    o += svg_text((a + b) / 2, top - 4,
                  tr(lang, "top band: ", "最高分数带:") + std::to_string(s.band1), "middle");
  }
  for (int t = 0; t <= 4; ++t) {
    const double c = static_cast<double>(most) * t / 4;
    o += svg_line(x0, ys(c), x0 + w, ys(c), "#e5e5e5");
    o += svg_text(x0 - 4, ys(c) + 3, num(c, "%.0f"), "end", "muted");
  }
  static const status order[3] = {status::qualified, status::incomplete, status::screened_out};
  const std::string fills[3] = {oi_blue, "url(#fits-hatch)", "url(#fits-cross)"};
  for (std::size_t b = 0; b < s.histogram.size(); ++b) {
    double base = 0;
    for (int k = 0; k < 3; ++k) {
      const auto cnt = s.histogram[b][static_cast<std::size_t>(order[k])];
      if (!cnt) continue;
      const double y1 = ys(base), y2 = ys(base + static_cast<double>(cnt));
      o += svg_rect(xs(b * fit_bin_width) + 1, y2, w / fit_bins - 2, y1 - y2, fills[k],
                    std::string(" class=\"bin\" data-bin=\"") + std::to_string(b) + "\" data-status=\"" +
                        to_string(order[k]) + "\" data-count=\"" + std::to_string(cnt) + "\" stroke=\"#555\" stroke-width=\"0.4\"");
      base += static_cast<double>(cnt);
    }
  }
  o += svg_line(x0, top + ph, x0 + w, top + ph, "#111");
  for (int f = 0; f <= 100; f += 10) o += svg_text(xs(f), top + ph + 11, std::to_string(f), "middle", "muted");
  o += svg_text(x0 + w / 2, top + ph + 22, tr(lang, "fit", "匹配度"), "middle", "muted");
  o += svg_line(xs(in.cut), top - 2, xs(in.cut), top + ph, "#111", 1.5, "4,2",
                " class=\"cut\" data-fit=\"" + num(in.cut, "%.6f") + "\"");
  o += svg_text(xs(in.cut) - 3, top + 10, tr(lang, "shortlist cut ", "入围线 ") + num(in.cut, "%.1f") + " ▶", "end");
  const double ly = h - 6;
  o += svg_rect(x0, ly - 7, 10, 7, oi_blue) + svg_text(x0 + 13, ly, tr(lang, "qualified", "合格"));
  o += svg_rect(x0 + 90, ly - 7, 10, 7, "url(#fits-hatch)") + svg_text(x0 + 103, ly, tr(lang, "incomplete", "证据不完整"));
  o += svg_rect(x0 + 190, ly - 7, 10, 7, "url(#fits-cross)") + svg_text(x0 + 203, ly, tr(lang, "screened out", "未通过门槛"));
  return o + "</svg>\n";
}

/// The status funnel: every candidate, then qualified, screened out (by
/// which hurdle) and incomplete (hurdle not assessed, too little evidence).
inline std::string funnel_chart(const pool_report_input& in, kit_lang lang) {
  const pool_summary& s = *in.summary;
  const competency_model& m = *in.model;
  const scoring_plan& plan = *in.plan;
  struct bar {
    std::string label;
    std::uint64_t count;
    std::string fill;
    int indent;
  };
  std::vector<bar> bars;
  bars.push_back({tr(lang, "all candidates", "全部候选人"), s.candidates, "#555", 0});
  bars.push_back({tr(lang, "✓ qualified", "✓ 合格"), s.by_status[0], oi_blue, 0});
  bars.push_back({tr(lang, "✓ selected (shortlist)", "✓ 入围"), in.selected, oi_green, 1});
  bars.push_back({tr(lang, "✗ screened out", "✗ 未通过门槛"), s.by_status[1], "url(#funnel-cross)", 0});
  for (Eigen::Index k = 0; k < plan.size(); ++k)
    if (!std::isnan(plan.minimums()[k]))
      bars.push_back({tr(lang, "below the minimum of ", "低于门槛:") +
                          pick(m.competencies[static_cast<std::size_t>(plan.columns()[k])].name, lang),
                      s.below_hurdle[static_cast<std::size_t>(k)], "url(#funnel-cross)", 1});
  bars.push_back({tr(lang, "? incomplete", "? 证据不完整"), s.by_status[2], "url(#funnel-hatch)", 0});
  for (Eigen::Index k = 0; k < plan.size(); ++k)
    if (!std::isnan(plan.minimums()[k]) && s.hurdle_unassessed[static_cast<std::size_t>(k)])
      bars.push_back({tr(lang, "hurdle not assessed: ", "门槛未评估:") +
                          pick(m.competencies[static_cast<std::size_t>(plan.columns()[k])].name, lang),
                      s.hurdle_unassessed[static_cast<std::size_t>(k)], "url(#funnel-hatch)", 1});
  if (s.without_fit)
    bars.push_back({tr(lang, "no fit (nothing weighted observed)", "无匹配度(无加权证据)"), s.without_fit,
                    "url(#funnel-hatch)", 1});
  const double row = 15, top = 4, name_w = 230, bx = 240, bw = 330;
  const double h = top + row * static_cast<double>(bars.size()) + 4;
  std::string o = svg_open("funnel", bx + bw + 110, h, tr(lang, "Status funnel", "状态漏斗"),
                           tr(lang, "How many candidates are qualified, selected, screened out by each hurdle, or "
                                    "incomplete; bar length is the share of all candidates. A candidate below "
                                    "several minimums counts under each.",
                              "合格、入围、因各门槛未通过或证据不完整的候选人数;条形长度为占全部候选人的比例。"
                              "低于多个门槛的候选人在每项下都计数。"));
  for (std::size_t b = 0; b < bars.size(); ++b) {
    const double y = top + row * static_cast<double>(b);
    const double frac = s.candidates ? static_cast<double>(bars[b].count) / static_cast<double>(s.candidates) : 0;
    o += svg_text(name_w - 12.0 * bars[b].indent, y + 10.5, bars[b].label, "end");
    o += svg_rect(bx, y + 2, frac * bw, 10, bars[b].fill,
                  " class=\"funnel\" data-count=\"" + std::to_string(bars[b].count) + "\" stroke=\"#555\" stroke-width=\"0.4\"");
    o += svg_text(bx + frac * bw + 4, y + 10.5, count_pct(bars[b].count, s.candidates));
  }
  return o + "</svg>\n";
}

/// Each target competency's distribution over the pool (box: quartiles,
/// whiskers: min and max, line: median) against its target and minimum.
inline std::string distributions_chart(const pool_report_input& in, kit_lang lang) {
  const pool_summary& s = *in.summary;
  const competency_model& m = *in.model;
  const scoring_plan& plan = *in.plan;
  const int L = plan.levels();
  const Eigen::Index T = plan.size();
  const double row = 15, top = 20, name_w = 205, lx = 212, lw = 300;
  const double h = top + row * static_cast<double>(T) + 6;
  auto lx_of = [&](double level) { return lx + (level - 1) / (L - 1) * lw; };
  std::string o = svg_open(
      "levels", lx + lw + 170, h, tr(lang, "Each competency across the pool", "全体候选人在各项胜任力上的分布"),
      tr(lang, "Per competency of the profile: a box from the first to the third quartile of the observed levels, "
               "the median as a white line, whiskers to the lowest and highest level; the target as a black tick, a "
               "minimum as a dashed line; on the right, the share of observed candidates at or above the target.",
         "画像的每项胜任力:箱体为已评估等级的第一至第三四分位数,白线为中位数,须线至最低和最高等级;目标为黑色刻度,门槛为"
         "虚线;右侧为达到目标的候选人比例。"));
  for (int l = 1; l <= L; ++l) {
    o += svg_line(lx_of(l), top - 4, lx_of(l), top + row * static_cast<double>(T), "#ddd");
    o += svg_text(lx_of(l), top - 7, std::to_string(l), "middle", "muted");
  }
  o += svg_text(lx + lw + 8, top - 7, tr(lang, "at or above target", "达到目标"), "start", "muted");
  for (Eigen::Index k = 0; k < T; ++k) {
    const auto c = static_cast<std::size_t>(plan.columns()[k]);
    const level_distribution& d = s.levels[static_cast<std::size_t>(k)];
    const double y = top + row * static_cast<double>(k), t = plan.targets()[k], mn = plan.minimums()[k];
    o += svg_text(name_w, y + 10.5, pick(m.competencies[c].name, lang), "end");
    if (d.observed) {
      o += svg_line(lx_of(d.min), y + 7.5, lx_of(d.max), y + 7.5, "#111");
      const bool below = d.median < t;
      o += "<rect class=\"box\" data-competency=\"" + m.competencies[c].id + "\" data-q1=\"" + num(d.q1, "%.6g") +
           "\" data-median=\"" + num(d.median, "%.6g") + "\" data-q3=\"" + num(d.q3, "%.6g") + "\" x=\"" +
           px(lx_of(d.q1)) + "\" y=\"" + px(y + 2.5) + "\" width=\"" + px(lx_of(d.q3) - lx_of(d.q1)) +
           "\" height=\"10\" fill=\"" + (below ? oi_orange : oi_blue) + "\" stroke=\"#111\" stroke-width=\"0.5\"/>\n";
      o += svg_line(lx_of(d.median), y + 2.5, lx_of(d.median), y + 12.5, "#fff", 2);
    }
    o += svg_line(lx_of(t), y + 1, lx_of(t), y + 14, "#111", 2);
    if (!std::isnan(mn)) o += svg_line(lx_of(mn), y + 1, lx_of(mn), y + 14, oi_vermillion, 1.5, "2,1.5");
    o += svg_text(lx + lw + 8, y + 10.5,
                  d.observed ? count_pct(d.meeting_target, d.observed) + (d.median < t ? tr(lang, " ▼ median below", " ▼ 中位数低于目标") : "")
                             : tr(lang, "not assessed", "未评估"));
  }
  return o + "</svg>\n";
}

/// Rater leniency (offset in levels, + lenient, - severe), the raters with
/// the largest offsets first, at most `max_raters`.
inline std::string leniency_chart(const pool_report_input& in, kit_lang lang, std::size_t max_raters) {
  std::vector<const rater_report*> rs;
  for (const auto& r : in.raters)
    if (std::isfinite(r.leniency)) rs.push_back(&r);
  std::stable_sort(rs.begin(), rs.end(), [](const rater_report* a, const rater_report* b) {
    return std::fabs(a->leniency) > std::fabs(b->leniency);
  });
  if (rs.size() > max_raters) rs.resize(max_raters);
  double most = 0.25;
  for (auto* r : rs) most = std::max(most, std::fabs(r->leniency));
  const double row = 13, top = 16, name_w = 120, mid = 300, half = 160;
  const double h = top + row * static_cast<double>(rs.size()) + 6;
  std::string o = svg_open("raters", mid + half + 120, h, tr(lang, "Rater leniency", "评分人宽严度"),
                           tr(lang, "Each rater's offset in levels, fitted jointly with the candidates' levels: right of "
                                    "the centre line lenient, left severe.",
                              "每位评分人的偏移(等级),与候选人等级联合估计:中线右侧为宽松,左侧为严格。"));
  o += svg_line(mid, top - 4, mid, h - 2, "#111");
  o += svg_text(mid - half, top - 6, tr(lang, "◀ severe", "◀ 严格"), "start", "muted");
  o += svg_text(mid + half, top - 6, tr(lang, "lenient ▶", "宽松 ▶"), "end", "muted");
  for (std::size_t k = 0; k < rs.size(); ++k) {
    const double y = top + row * static_cast<double>(k), v = rs[k]->leniency, len = v / most * half;
    o += svg_text(name_w, y + 9.5, rs[k]->id, "end");
    o += svg_rect(len < 0 ? mid + len : mid, y + 2, std::fabs(len), 9, v < 0 ? oi_vermillion : oi_blue,
                  " class=\"leniency\" data-leniency=\"" + num(v, "%.6f") + "\"");
    o += svg_text(mid + half + 8, y + 9.5, (v >= 0 ? "+" : "") + num(v, "%.2f") + " (" + std::to_string(rs[k]->ratings) +
                                               tr(lang, " ratings)", " 次评分)"));
  }
  return o + "</svg>\n";
}

/// Impact ratios per category against the four-fifths line.
inline std::string impact_chart(const audit_result& a, kit_lang lang) {
  const double row = 14, top = 16, name_w = 180, bx = 190, bw = 330, scale = 1.25;
  const double h = top + row * static_cast<double>(a.categories.size()) + 6;
  std::string o = svg_open("impact", bx + bw + 150, h, tr(lang, "Adverse impact", "不利影响"),
                           tr(lang, "Each category's impact ratio (its selection rate over the highest category's) as a "
                                    "bar; the dashed line is four-fifths (0.8). A bar below it is flagged in words.",
                              "各类别的影响比(其入选率除以最高类别的入选率);虚线为五分之四(0.8)。低于该线的条形以文字标出。"));
  auto xs = [&](double r) { return bx + std::min(r, scale) / scale * bw; };
  for (std::size_t k = 0; k < a.categories.size(); ++k) {
    const category_impact& c = a.categories[k];
    const double y = top + row * static_cast<double>(k);
    o += svg_text(name_w, y + 10, c.dimension + ": " + c.name, "end");
    const double r = c.impact_ratio;
    if (std::isfinite(r))
      o += svg_rect(bx, y + 2, xs(r) - bx, 9, c.four_fifths_flag ? "url(#impact-cross)" : oi_blue,
                    " class=\"ratio\" data-ratio=\"" + num(r, "%.6f") + "\"");
    o += svg_text(xs(std::isfinite(r) ? r : 0) + 4, y + 10,
                  num(r, "%.2f") + (c.four_fifths_flag ? tr(lang, " ⚠ below four-fifths", " ⚠ 低于五分之四") : "") +
                      (c.small_category ? tr(lang, " (small)", "(样本小)") : ""));
  }
  o += svg_line(xs(0.8), top - 4, xs(0.8), h - 2, "#111", 1.5, "4,2");
  o += svg_text(xs(0.8), top - 6, tr(lang, "4/5", "五分之四"), "middle", "muted");
  o += svg_line(xs(1), top - 4, xs(1), h - 2, "#999");
  o += svg_text(xs(1), top - 6, "1.0", "middle", "muted");
  return o + "</svg>\n";
}

}  // namespace detail

/// The pool report (merit report pool).
inline std::string pool_report_html(const pool_report_input& in, kit_lang lang) {
  using detail::html_escape;
  using detail::num;
  using detail::pick;
  using detail::tr;
  const competency_model& m = *in.model;
  const scoring_plan& plan = *in.plan;
  const pool_summary& s = *in.summary;
  const profile& prof = m.get_profile(plan.profile_id());
  std::string o = detail::report_open(lang, tr(lang, "Pool report: ", "候选人池报告:") + pick(prof.name, lang));
  o += "<div class=\"head\"><span><span class=\"big\">" + std::to_string(s.candidates) + "</span> " +
       html_escape(tr(lang, "candidates", "名候选人")) + "</span><span class=\"badge\">" +
       html_escape(tr(lang, "✓ qualified ", "✓ 合格 ") + detail::count_pct(s.by_status[0], s.candidates)) +
       "</span><span>" + html_escape(tr(lang, "✗ screened out ", "✗ 未通过门槛 ") +
                                     detail::count_pct(s.by_status[1], s.candidates)) +
       "</span><span>" + html_escape(tr(lang, "? incomplete ", "? 证据不完整 ") +
                                     detail::count_pct(s.by_status[2], s.candidates)) +
       "</span><span>" + html_escape(tr(lang, "shortlist: ", "入围:") + std::to_string(in.selected)) + "</span></div>\n";
  o += "<p class=\"small muted\">" + html_escape(in.cut_label);
  if (s.band_width)
    o += html_escape(tr(lang, " Top band: fits within ", " 最高分数带:距最高合格匹配度 ") + num(*s.band_width, "%.1f") +
                     tr(lang, " points of the highest qualified fit cannot be told apart (fit SD ",
                        " 分以内无法区分(匹配度标准差 ") +
                     num(s.fit_sd, "%.1f") + tr(lang, ", reliability ", ",信度 ") + num(*plan.reliability(), "%.2f") +
                     ").");
  o += "</p>\n";
  o += "<h2>" + html_escape(tr(lang, "How the fits are distributed", "匹配度分布")) + "</h2>\n";
  o += detail::fit_histogram_chart(in, lang);
  o += "<div class=\"avoid\"><h2>" + html_escape(tr(lang, "Status funnel", "状态漏斗")) + "</h2>\n" +
       detail::funnel_chart(in, lang) + "</div>\n";
  o += "<div class=\"avoid\"><h2>" + html_escape(tr(lang, "The pool's strengths and gaps", "候选人池的优势与差距")) +
       "</h2>\n" + detail::distributions_chart(in, lang) + "</div>\n";
  if (!in.raters.empty() || !in.panel.empty()) {
    o += "<div class=\"avoid\"><h2>" + html_escape(tr(lang, "Raters and panel reliability", "评分人与评分小组信度")) +
         "</h2>\n";
    if (!in.raters.empty()) o += detail::leniency_chart(in, lang, 15);
    if (!in.panel.empty()) {
      o += "<p class=\"small\">" +
           html_escape(tr(lang, "Panel reliability of ", "评分小组信度:") + in.panel_method +
                       tr(lang, " ratings (one-way ICC(1,1) with 95% interval; flagged below .40, Cicchetti 1994)",
                          "(单向ICC(1,1)及95%区间;低于.40标记,Cicchetti 1994)")) +
           "</p>\n<table id=\"panel\"><tr><th>" + html_escape(tr(lang, "competency", "胜任力")) + "</th><th class=\"n\">" +
           html_escape(tr(lang, "candidates", "候选人")) + "</th><th class=\"n\">k</th><th class=\"n\">ICC(1,1)</th><th>" +
           html_escape(tr(lang, "flag", "标记")) + "</th></tr>\n";
      for (const auto& p : in.panel) {
        o += "<tr><td>" + html_escape(pick(m.competencies[p.competency].name, lang)) + "</td><td class=\"n\">" +
             std::to_string(p.candidates) + "</td><td class=\"n\">" + std::to_string(p.raters_per_candidate) +
             "</td><td class=\"n\">" +
             (p.icc ? num(p.icc->icc1.value, "%.2f") + " [" + num(p.icc->icc1.lower, "%.2f") + ", " +
                          num(p.icc->icc1.upper, "%.2f") + "]"
                    : std::string("-")) +
             "</td><td>" + (p.flag == panel_flag::ok ? "ok" : p.flag == panel_flag::insufficient_data
                                                                  ? html_escape(tr(lang, "too few candidates", "候选人过少"))
                                                                  : "⚠ " + std::string(to_string(p.flag))) +
             "</td></tr>\n";
      }
      o += "</table>\n";
    }
    o += "</div>\n";
  }
  if (in.impact) {
    const audit_result& a = *in.impact;
    o += "<div class=\"avoid\"><h2>" + html_escape(tr(lang, "Adverse impact of the shortlist", "入围名单的不利影响")) +
         "</h2>\n" + detail::impact_chart(a, lang);
    o += "<table id=\"impact\"><tr><th>" + html_escape(tr(lang, "category", "类别")) + "</th><th class=\"n\">" +
         html_escape(tr(lang, "applicants", "申请人")) + "</th><th class=\"n\">" + html_escape(tr(lang, "selected", "入选")) +
         "</th><th class=\"n\">" + html_escape(tr(lang, "selection rate", "入选率")) + "</th><th class=\"n\">" +
         html_escape(tr(lang, "impact ratio", "影响比")) + "</th><th class=\"n\">Fisher p</th><th>" +
         html_escape(tr(lang, "four-fifths", "五分之四")) + "</th></tr>\n";
    for (const auto& c : a.categories)
      o += "<tr><td>" + html_escape(c.dimension + ": " + c.name) + "</td><td class=\"n\">" + std::to_string(c.applicants) +
           "</td><td class=\"n\">" + std::to_string(c.selected) + "</td><td class=\"n\">" + num(c.selection_rate, "%.3f") +
           "</td><td class=\"n\">" + num(c.impact_ratio, "%.3f") + "</td><td class=\"n\">" + num(c.fisher_p, "%.3g") +
           "</td><td>" + (c.four_fifths_flag ? html_escape(tr(lang, "⚠ below", "⚠ 低于")) : std::string("ok")) +
           (c.reference ? html_escape(tr(lang, " (reference)", "(参照)")) : std::string()) + "</td></tr>\n";
    o += "</table>\n<p class=\"small muted\">" +
         html_escape(tr(lang, "Unknown category: ", "类别未知:") + std::to_string(a.unknown) +
                     tr(lang, " applicants. Demographic data entered no score: it is joined to the shortlist only here.",
                        " 人。人口统计数据未进入任何分数:仅在此处与入围名单关联。")) +
         "</p></div>\n";
  }
  o += detail::model_footer(m, plan, lang, in.source) + "</footer>\n</body>\n</html>\n";
  return o;
}

}  // namespace merit::io
