#pragma once
/// \file io/kit.hpp
/// Printing an interview kit (merit/kit.hpp): JSON (the plan, both
/// languages), Markdown for people, a printable HTML interviewer guide (one
/// A4 page per stage, then the scoring guide) and the Greenhouse scorecard
/// attributes of each interview, named so that the scorecards that come back
/// map every attribute (docs/interview-kit.md).

#include <merit/errors.hpp>
#include <merit/io/evidence.hpp>
#include <merit/io/html.hpp>
#include <merit/kit.hpp>
#include <merit/model.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace merit::io {

namespace detail {

inline nlohmann::ordered_json label_json(const label& l) {
  nlohmann::ordered_json j;
  j["en"] = l.en;
  j["zh-CN"] = l.zh;
  return j;
}

/// What "no decision" means and when to use it; grounded in the model's rule
/// that a competency not assessed is missing, never a middle or lowest level.
inline std::string no_decision_text(kit_lang lang) {
  return tr(lang,
            "\"No decision\" means you gathered no evidence on a competency you were asked to assess: you did not "
            "reach its questions, or the candidate gave no example at all. It is recorded as missing - never as the "
            "middle level and never as level 1 - and the competency is then scored from the other sources. Use it "
            "only then. A weak, vague or counter-productive answer is evidence: rate it against the anchors (level 1 "
            "or 2). Never use \"no decision\" to avoid rating a candidate, and never rate a competency your stage "
            "does not assess.",
            "“未决定”(no decision)表示您被要求评估的某项胜任力没有收集到任何证据:没有来得及问到相关问题,或候选人完全"
            "给不出实例。它按缺失记录——绝不当作中间等级,也绝不当作1级——该胜任力随后由其他来源评分。只在这种情况下使用。"
            "薄弱、含糊或适得其反的回答本身就是证据:请对照行为锚定描述评分(1级或2级)。不要用“未决定”来回避评分,也不要"
            "给本轮不评估的胜任力打分。");
}

inline std::string stage_title(const competency_model& m, const kit_stage& s, kit_lang lang) {
  if (s.kind == stage_kind::interview)
    return tr(lang, "Interview ", "面试 ") + s.id.substr(s.id.rfind('_') + 1) + " - " + pick(m.methods[s.method].name, lang);
  return pick(m.methods[s.method].name, lang);
}

inline std::string rater_text(const kit_stage& s, kit_lang lang) {
  if (s.kind == stage_kind::interview)
    return tr(lang, "Interviewer ", "面试官 ") + s.id.substr(s.id.rfind('_') + 1) +
           tr(lang, " (a different person in each interview)", "(每场面试由不同的人担任)");
  if (s.kind == stage_kind::work_sample) return tr(lang, "An assessor who scores against the rubric", "依据评分细则评分的评估人");
  return tr(lang, "Scored by the test's key", "按测试答案评分");
}

}  // namespace detail

/// The plan as JSON: {"profile", "stages": [{"id", "method", "competencies",
/// "minutes", "questions": [{"id", "competency", "text", "probes"}]}],
/// "coverage": {"<competency id>": sources}}.
inline nlohmann::ordered_json kit_json(const interview_kit& kit) {
  const competency_model& m = *kit.model;
  nlohmann::ordered_json j;
  j["profile"] = kit.prof->id;
  j["stages"] = nlohmann::ordered_json::array();
  for (const auto& s : kit.stages) {
    nlohmann::ordered_json st;
    st["id"] = s.id;
    st["method"] = m.methods[s.method].id;
    st["competencies"] = nlohmann::ordered_json::array();
    for (std::size_t c : s.competencies) st["competencies"].push_back(m.competencies[c].id);
    st["minutes"] = s.minutes;
    st["questions"] = nlohmann::ordered_json::array();
    for (const auto& q : s.questions) {
      const auto& iq = m.competencies[q.competency].questions[q.question];
      nlohmann::ordered_json qj;
      qj["id"] = iq.id;
      qj["competency"] = m.competencies[q.competency].id;
      qj["text"] = detail::label_json(iq.text);
      qj["probes"] = nlohmann::ordered_json::array();
      for (const auto& p : iq.probes) qj["probes"].push_back(detail::label_json(p));
      st["questions"].push_back(std::move(qj));
    }
    j["stages"].push_back(std::move(st));
  }
  j["coverage"] = nlohmann::ordered_json::object();
  for (const auto& [c, n] : kit.coverage) j["coverage"][m.competencies[c].id] = n;
  return j;
}

/// The Greenhouse interview of a stage: its name in Greenhouse and its
/// scorecard attributes (one per competency), each named so that
/// read_greenhouse maps the scorecard to the stage's method and every
/// attribute to its competency. Stages whose method no Greenhouse interview
/// name reaches (a work sample or test the model does not map) are listed as
/// scored outside Greenhouse.
inline nlohmann::ordered_json kit_greenhouse(const interview_kit& kit, kit_lang lang) {
  const competency_model& m = *kit.model;
  const auto alias = greenhouse_attributes(m);
  nlohmann::ordered_json j;
  j["profile"] = kit.prof->id;
  j["interviews"] = nlohmann::ordered_json::array();
  j["outside_greenhouse"] = nlohmann::ordered_json::array();
  const greenhouse_source* gh = m.sources.greenhouse ? &*m.sources.greenhouse : nullptr;
  for (const auto& s : kit.stages) {
    const std::string name = detail::stage_title(m, s, kit_lang::en);
    // Without sources.greenhouse every scorecard is read as the method greenhouse_scorecard.
    const bool reaches = gh ? gh->method_for(name) == s.method : m.methods[s.method].id == greenhouse_method;
    if (!reaches) {
      nlohmann::ordered_json o;
      o["stage"] = s.id;
      o["method"] = m.methods[s.method].id;
      o["reason"] = "no Greenhouse interview name maps to method '" + m.methods[s.method].id +
                    "' in the model's sources.greenhouse: record this stage's results in the long evidence CSV "
                    "(docs/evidence.md)";
      j["outside_greenhouse"].push_back(std::move(o));
      continue;
    }
    nlohmann::ordered_json iv;
    iv["name"] = name;
    iv["stage"] = s.id;
    iv["method"] = m.methods[s.method].id;
    iv["minutes"] = s.minutes;
    iv["attributes"] = nlohmann::ordered_json::array();
    for (std::size_t c : s.competencies) {
      const std::string& attr = detail::pick(m.competencies[c].name, lang);
      auto hit = alias.find(merit::io::detail::lower_ascii(attr));
      if (hit == alias.end() || hit->second != c)
        throw model_error(errc::inconsistent, m.source + "#/competencies/" + std::to_string(c) + "/name",
                          "the attribute name '" + attr + "' of competency '" + m.competencies[c].id +
                              "' would be read back as another competency; give the competencies distinct names");
      nlohmann::ordered_json a;
      a["name"] = attr;
      a["type"] = "Skills";
      a["competency"] = m.competencies[c].id;
      iv["attributes"].push_back(std::move(a));
    }
    j["interviews"].push_back(std::move(iv));
  }
  if (gh) {
    j["ratings"] = nlohmann::ordered_json::array();
    for (const auto& [name, level] : gh->scale.named) j["ratings"].push_back(name);
    for (const auto& name : gh->scale.missing) j["ratings"].push_back(name);
  }
  return j;
}

/// The kit for people, in Markdown.
inline std::string kit_markdown(const interview_kit& kit, kit_lang lang) {
  using detail::pick;
  using detail::tr;
  const competency_model& m = *kit.model;
  std::string o;
  o += "# " + tr(lang, "Interview kit: ", "面试方案:") + pick(kit.prof->name, lang) + "\n\n";
  o += tr(lang, "Model ", "模型 ") + m.id + " " + m.version + " (sha256 " + m.content_hash.substr(0, 12) + "), " +
       tr(lang, "profile ", "画像 ") + kit.prof->id + ". ";
  int total = 0;
  for (const auto& s : kit.stages) total += s.minutes;
  o += std::to_string(kit.stages.size()) + tr(lang, " stages, ", " 个环节,共 ") + std::to_string(total) +
       tr(lang, " minutes in all.\n\n", " 分钟。\n\n");
  for (const auto& s : kit.stages) {
    o += "## " + detail::stage_title(m, s, lang) + " (" + std::to_string(s.minutes) + tr(lang, " min)\n\n", " 分钟)\n\n");
    o += "- " + tr(lang, "Rater: ", "评分人:") + detail::rater_text(s, lang) + "\n";
    o += "- " + tr(lang, "Assesses: ", "评估:");
    for (std::size_t i = 0; i < s.competencies.size(); ++i)
      o += (i ? "; " : "") + pick(m.competencies[s.competencies[i]].name, lang);
    o += "\n\n";
    std::size_t last = static_cast<std::size_t>(-1);
    int n = 0;
    for (const auto& q : s.questions) {
      const auto& comp = m.competencies[q.competency];
      const auto& iq = comp.questions[q.question];
      if (q.competency != last) {
        o += "### " + pick(comp.name, lang) + "\n\n";
        last = q.competency;
      }
      o += std::to_string(++n) + ". **" + pick(iq.text, lang) + "** _(" +
           (iq.kind == question_kind::behavioural ? tr(lang, "behavioural", "行为") : tr(lang, "situational", "情境")) +
           tr(lang, "; separates levels ", ";区分等级 ");
      for (std::size_t k = 0; k < iq.separates.size(); ++k) o += (k ? tr(lang, " and ", "与") : "") + std::to_string(iq.separates[k]);
      o += ")_\n";
      for (const auto& p : iq.probes) o += "   - " + pick(p, lang) + "\n";
      o += "\n";
    }
  }
  o += "## " + tr(lang, "Scoring guide", "评分指南") + "\n\n";
  o += tr(lang, "Rate each competency of your stage on 1-", "请依据行为锚定描述,对本轮评估的每项胜任力按1-") +
       std::to_string(m.levels) +
       tr(lang, " against its behavioural anchors, on your own, before any discussion with other interviewers.\n\n",
          "级独立评分,在与其他面试官讨论之前完成。\n\n");
  for (const auto& n : kit.needs) {
    const auto& comp = m.competencies[n.competency];
    o += "### " + pick(comp.name, lang) + "\n\n";
    for (std::size_t l = 0; l < comp.levels.size(); ++l) {
      o += "- **" + std::to_string(l + 1);
      if (l < m.level_labels.size()) o += " " + pick(m.level_labels[l], lang);
      o += "**: " + pick(comp.levels[l], lang) + "\n";
    }
    o += "\n";
  }
  o += "## " + tr(lang, "No decision", "未决定") + "\n\n" + detail::no_decision_text(lang) + "\n\n";
  o += "## " + tr(lang, "Coverage", "覆盖") + "\n\n| " + tr(lang, "competency", "胜任力") + " | " +
       tr(lang, "sources", "来源数") + " | " + tr(lang, "why", "原因") + " |\n|---|---|---|\n";
  for (std::size_t i = 0; i < kit.coverage.size(); ++i) {
    const auto& n = kit.needs[i];
    std::string why;
    if (n.hurdle) why += tr(lang, "hurdle: two independent sources", "门槛:两个独立来源");
    if (n.top_weight)
      why += (why.empty() ? "" : "; ") + tr(lang, "highest weight: two raters", "最高权重:两位评分人");
    o += "| " + pick(m.competencies[kit.coverage[i].first].name, lang) + " | " + std::to_string(kit.coverage[i].second) +
         " | " + (why.empty() ? "-" : why) + " |\n";
  }
  return o;
}

/// A printable interviewer guide: self-contained HTML with inline CSS, A4,
/// one page per stage, then the scoring guide and "no decision".
inline std::string kit_html(const interview_kit& kit, kit_lang lang) {
  using detail::html_escape;
  using detail::pick;
  using detail::tr;
  const competency_model& m = *kit.model;
  std::string o;
  o += detail::html_page_head(lang, tr(lang, "Interview kit: ", "面试方案:") + pick(kit.prof->name, lang),
       "section.stage { page-break-after: always; break-after: page; }\n"
       "h1 { font-size: 13pt; margin: 0 0 2mm; } h2 { font-size: 11pt; margin: 3mm 0 1mm; }\n"
       "h3 { font-size: 9.5pt; margin: 2mm 0 0.5mm; }\n"
       "p.meta { margin: 0 0 2mm; color: #333; }\n"
       "ol { margin: 0 0 0 5mm; padding: 0; } li { margin: 0 0 1mm; }\n"
       ".probes { color: #333; margin-left: 2mm; }\n"
       ".kind { color: #555; font-style: italic; }\n"
       ".rate { float: right; font-weight: normal; } .rate span { border: 1px solid #777; padding: 0 1.6mm; "
       "margin-left: 1mm; }\n"
       "table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #999; padding: 1mm; "
       "vertical-align: top; text-align: left; }\n"
       "@media screen { body { max-width: 190mm; margin: 10mm auto; } }\n");
  const std::string head = html_escape(tr(lang, "Interview kit: ", "面试方案:") + pick(kit.prof->name, lang));
  for (const auto& s : kit.stages) {
    o += "<section class=\"stage\" id=\"" + s.id + "\">\n<h1>" + head + "</h1>\n";
    o += "<h2>" + html_escape(detail::stage_title(m, s, lang)) + " - " + std::to_string(s.minutes) +
         tr(lang, " minutes", " 分钟") + "</h2>\n";
    o += "<p class=\"meta\">" + html_escape(tr(lang, "Rater: ", "评分人:") + detail::rater_text(s, lang)) + "<br>" +
         html_escape(tr(lang, "Assesses: ", "评估:"));
    for (std::size_t i = 0; i < s.competencies.size(); ++i)
      o += (i ? "; " : "") + html_escape(pick(m.competencies[s.competencies[i]].name, lang));
    o += "</p>\n";
    // Per competency: its name with the rating boxes, then its questions, each
    // with its probes on one line, so that an interview of six fits one page.
    std::string boxes = "<span class=\"rate\">";
    for (int l = 1; l <= m.levels; ++l) boxes += "<span>" + std::to_string(l) + "</span>";
    boxes += "<span>" + html_escape(tr(lang, "no decision", "未决定")) + "</span></span>";
    std::size_t last = static_cast<std::size_t>(-1);
    for (const auto& q : s.questions) {
      const auto& comp = m.competencies[q.competency];
      const auto& iq = comp.questions[q.question];
      if (q.competency != last) {
        if (last != static_cast<std::size_t>(-1)) o += "</ol>\n";
        o += "<h3>" + html_escape(pick(comp.name, lang)) + " " + boxes + "</h3>\n<ol>\n";
        last = q.competency;
      }
      o += "<li>" + html_escape(pick(iq.text, lang)) + " <span class=\"kind\">(" +
           (iq.kind == question_kind::behavioural ? tr(lang, "behavioural", "行为") : tr(lang, "situational", "情境")) +
           ")</span><div class=\"probes\">" + html_escape(tr(lang, "Probes: ", "追问:"));
      for (std::size_t k = 0; k < iq.probes.size(); ++k) o += (k ? " · " : "") + html_escape(pick(iq.probes[k], lang));
      o += "</div></li>\n";
    }
    if (last != static_cast<std::size_t>(-1)) o += "</ol>\n";
    if (s.kind != stage_kind::interview)
      o += "<p>" +
           html_escape(tr(lang, "Score the task against its rubric; each competency listed above is one source of "
                                "evidence for the kit's coverage.",
                          "依据评分细则为任务评分;上面列出的每项胜任力都计为本方案覆盖的一个证据来源。")) +
           "</p>\n";
    o += "</section>\n";
  }
  o += "<section class=\"guide\">\n<h1>" + html_escape(tr(lang, "Scoring guide", "评分指南")) + "</h1>\n<p>" +
       html_escape(tr(lang, "Rate on your own, against the anchors, before any discussion.",
                      "请对照行为锚定描述独立评分,在任何讨论之前完成。")) +
       "</p>\n";
  for (const auto& n : kit.needs) {
    const auto& comp = m.competencies[n.competency];
    o += "<h3>" + html_escape(pick(comp.name, lang)) + "</h3>\n<table>\n";
    for (std::size_t l = 0; l < comp.levels.size(); ++l) {
      o += "<tr><th>" + std::to_string(l + 1);
      if (l < m.level_labels.size()) o += " " + html_escape(pick(m.level_labels[l], lang));
      o += "</th><td>" + html_escape(pick(comp.levels[l], lang)) + "</td></tr>\n";
    }
    o += "</table>\n";
  }
  o += "<h2>" + html_escape(tr(lang, "No decision", "未决定")) + "</h2>\n<p>" +
       html_escape(detail::no_decision_text(lang)) + "</p>\n</section>\n</body>\n</html>\n";
  return o;
}

}  // namespace merit::io
