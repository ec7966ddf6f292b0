#pragma once
/// \file kit.hpp
/// Interview kits: a structured-interview plan for one profile of a model -
/// which competencies each stage assesses with which method, the questions of
/// each interview, minutes per stage and how many independent sources assess
/// each competency. The algorithm, the rules it meets and what it optimises
/// are in docs/interview-kit.md; the formats that print a kit (JSON,
/// Markdown, HTML, Greenhouse) live in merit/io/kit.hpp.

#include <merit/errors.hpp>
#include <merit/model.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace merit {

/// Settings of the planner. Each default carries its basis in
/// docs/interview-kit.md ("Time budget", "Methods").
struct kit_options {
  /// Total number of stages (interviews, work sample, test); nullopt: the
  /// fewest that meet the rules.
  std::optional<int> stages;
  /// The methods the kit plans stages with, by id. A method the model lacks
  /// (or that measures none of the profile's competencies) is not used;
  /// the interview method is required.
  std::string interview_method = "structured_interview";
  std::string work_sample_method = "work_sample";
  std::string test_method = "knowledge_test";
  /// At most this many competencies per interview (the rule and the
  /// practitioners' four to six).
  std::size_t max_per_interview = 6;
  /// Minutes per question, with its probes, and for opening and close.
  int behavioural_minutes = 6;
  int situational_minutes = 4;
  int opening_minutes = 5;
  int closing_minutes = 5;
  /// Provisional budgets of the non-interview stages (docs/interview-kit.md).
  int work_sample_minutes = 60;
  int test_minutes = 30;
};

enum class stage_kind { interview, work_sample, test };

inline const char* to_string(stage_kind k) {
  switch (k) {
    case stage_kind::interview: return "interview";
    case stage_kind::work_sample: return "work_sample";
    case stage_kind::test: return "test";
  }
  return "?";
}

/// A question asked in a stage: indices into the model.
struct kit_question {
  std::size_t competency;  ///< index into competency_model::competencies
  std::size_t question;    ///< index into that competency's questions
};

struct kit_stage {
  std::string id;       ///< interview_1.., work_sample, knowledge_test
  stage_kind kind = stage_kind::interview;
  std::size_t method = 0;  ///< index into competency_model::methods
  /// Who rates: interviewer_1.. (each interview its own interviewer), the
  /// work sample's assessor; empty for a test scored by its key.
  std::string rater;
  std::vector<std::size_t> competencies;  ///< in the model's order
  std::vector<kit_question> questions;    ///< interviews only
  int minutes = 0;
};

/// Why a competency needs more than one source.
struct kit_need {
  std::size_t competency;
  bool hurdle = false;      ///< the profile sets a minimum
  bool top_weight = false;  ///< it carries the profile's highest weight
  int sources = 1;          ///< independent sources required
  int raters = 0;           ///< of which rated by people (interviewers, assessors)
};

struct interview_kit {
  const competency_model* model = nullptr;
  const profile* prof = nullptr;
  std::vector<kit_stage> stages;
  std::vector<kit_need> needs;  ///< one per target, in the model's competency order
  /// Sources per target competency, in the model's competency order.
  std::vector<std::pair<std::size_t, int>> coverage;
};

/// Raised when the asked number of stages cannot meet the rules; the message
/// says why and how many stages can. The CLI reports it as a usage error.
class kit_infeasible : public argument_error {
 public:
  using argument_error::argument_error;
};

namespace detail {

struct kit_config {
  bool work_sample = false, test = false;
  int interviews = 0;
};

/// Interview slots each target needs under a configuration, or a reason why
/// the configuration cannot meet the rules.
struct kit_demand {
  std::vector<int> interview;  ///< per need (same order as interview_kit::needs)
  std::string problem;         ///< empty: the configuration is feasible
};

inline std::string need_reason(const kit_need& n) {
  if (n.hurdle && n.top_weight) return "a hurdle with the highest weight";
  return n.hurdle ? "a hurdle" : "the highest weight";
}

inline kit_demand kit_interview_demand(const competency_model& m, const std::vector<kit_need>& needs,
                                       const kit_config& cfg, std::size_t interview, std::optional<std::size_t> ws,
                                       std::optional<std::size_t> test, std::size_t cap) {
  auto measures = [&](std::optional<std::size_t> method, std::size_t c) {
    return method && m.evidence(static_cast<Eigen::Index>(*method), static_cast<Eigen::Index>(c)) > 0;
  };
  kit_demand d;
  int total = 0;
  for (const auto& n : needs) {
    const bool w = cfg.work_sample && measures(ws, n.competency);
    const bool k = cfg.test && measures(test, n.competency);
    const bool i = measures(interview, n.competency);
    const int other = (w ? 1 : 0) + (k ? 1 : 0);
    int slots = std::max({0, n.sources - other, n.raters - (w ? 1 : 0)});
    // Every competency has a source; a hurdle's two sources include an
    // interview (two interviewers, or an interview and a work sample or test).
    if (other == 0 || (n.hurdle && i)) slots = std::max(slots, 1);
    const std::string& cid = m.competencies[n.competency].id;
    if (slots > 0 && !i) {
      if (d.problem.empty())
        d.problem = "competency '" + cid + "' needs " + std::to_string(slots) +
                    (slots == 1 ? " interview" : " interviews") +
                    " beyond the other stages, and the evidence matrix does not let the interview measure it";
    } else if (slots > cfg.interviews && d.problem.empty()) {
      d.problem = "competency '" + cid + "' (" + need_reason(n) + ") needs " + std::to_string(slots) +
                  " interviews with different interviewers, and the stages leave room for " +
                  std::to_string(cfg.interviews);
    }
    d.interview.push_back(slots);
    total += slots;
  }
  if (d.problem.empty() && static_cast<std::size_t>(total) > cap * static_cast<std::size_t>(cfg.interviews))
    d.problem = "the profile needs " + std::to_string(total) + " competency assessments in interviews, and " +
                std::to_string(cfg.interviews) + (cfg.interviews == 1 ? " interview" : " interviews") +
                " of at most " + std::to_string(cap) + " competencies hold " +
                std::to_string(cap * static_cast<std::size_t>(cfg.interviews));
  if (d.problem.empty() && cfg.interviews > 0) {
    // Every interview assesses something: extra sources go to the heaviest
    // competencies first (one more interviewer where the score matters most).
    while (total < cfg.interviews) {
      bool added = false;
      for (std::size_t a = 0; a < needs.size() && total < cfg.interviews; ++a)
        if (measures(interview, needs[a].competency) && d.interview[a] < cfg.interviews) {
          ++d.interview[a];
          ++total;
          added = true;
        }
      if (!added) {
        d.problem = std::to_string(cfg.interviews) + " interviews leave one with nothing to assess";
        break;
      }
    }
  }
  return d;
}

/// The configurations tried for `n` stages, most methods first.
inline std::vector<kit_config> kit_configs(int n, bool has_ws, bool has_test) {
  std::vector<kit_config> out;
  for (int mask : {3, 1, 2, 0}) {
    kit_config c;
    c.work_sample = (mask & 1) != 0;
    c.test = (mask & 2) != 0;
    if ((c.work_sample && !has_ws) || (c.test && !has_test)) continue;
    c.interviews = n - (c.work_sample ? 1 : 0) - (c.test ? 1 : 0);
    if (c.interviews < 0) continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace detail

/// The needs of a profile's targets: a hurdle (a minimum) needs two
/// independent sources; the competencies with the profile's highest weight
/// (all of them when tied, within 1e-9) need two sources rated by people.
inline std::vector<kit_need> kit_needs(const profile& p) {
  double top = 0;
  for (const auto& t : p.targets) top = std::max(top, t.weight);
  std::vector<kit_need> out;
  for (const auto& t : p.targets) {
    kit_need n{t.competency};
    n.hurdle = t.minimum.has_value();
    n.top_weight = top > 0 && t.weight >= top * (1 - 1e-9);
    n.sources = n.hurdle || n.top_weight ? 2 : 1;
    n.raters = n.top_weight ? 2 : 0;
    out.push_back(n);
  }
  return out;
}

/// Builds the interview plan of `profile_id`. Throws kit_infeasible when
/// `opt.stages` cannot meet the rules (the message names the rule, the
/// competency and the fewest stages that can), model_error when the model
/// cannot give a kit (no interview method, a competency no planned method
/// measures, an interview competency without questions), not_found for an
/// unknown profile.
inline interview_kit plan_kit(const competency_model& m, const std::string& profile_id, const kit_options& opt = {}) {
  const profile& p = m.get_profile(profile_id);
  const std::string where = m.source.empty() ? std::string() : m.source;
  const auto interview = m.find_method(opt.interview_method);
  if (!interview)
    throw model_error(errc::reference, where + "#/methods",
                      "the model has no method '" + opt.interview_method + "' to plan interviews with");
  MERIT_EXPECTS(opt.max_per_interview >= 1, "max_per_interview must be at least 1");
  const auto ws = m.find_method(opt.work_sample_method);
  const auto test = m.find_method(opt.test_method);
  interview_kit kit;
  kit.model = &m;
  kit.prof = &p;
  kit.needs = kit_needs(p);
  auto measures = [&](std::optional<std::size_t> method, std::size_t c) {
    return method && m.evidence(static_cast<Eigen::Index>(*method), static_cast<Eigen::Index>(c)) > 0;
  };
  bool has_ws = false, has_test = false;
  for (const auto& n : kit.needs) {
    has_ws = has_ws || measures(ws, n.competency);
    has_test = has_test || measures(test, n.competency);
    if (!measures(interview, n.competency) && !measures(ws, n.competency) && !measures(test, n.competency))
      throw model_error(errc::reference, where + "#/evidence_matrix",
                        "competency '" + m.competencies[n.competency].id + "' of profile '" + p.id +
                            "' is measured by none of the kit's methods (" + opt.interview_method + ", " +
                            opt.work_sample_method + ", " + opt.test_method + ")");
  }
  // The first configuration (most methods first) that meets the rules with n stages.
  auto solve = [&](int n, std::string* why) -> std::optional<std::pair<detail::kit_config, detail::kit_demand>> {
    std::string last_problem;
    for (const auto& cfg : detail::kit_configs(n, has_ws, has_test)) {
      auto d = detail::kit_interview_demand(m, kit.needs, cfg, *interview, ws, test, opt.max_per_interview);
      if (d.problem.empty()) return std::make_pair(cfg, d);
      // The reason reported is the one of the last configuration tried: the most interviews.
      last_problem = d.problem;
    }
    if (why) *why = last_problem.empty() ? "a kit needs at least one stage" : last_problem;
    return std::nullopt;
  };
  constexpr int max_stages = 64;
  std::optional<std::pair<detail::kit_config, detail::kit_demand>> plan;
  if (opt.stages) {
    std::string why;
    if (*opt.stages >= 1) plan = solve(*opt.stages, &why);
    if (!plan) {
      int fewest = 0;
      for (int n = 1; n <= max_stages && !fewest; ++n)
        if (solve(n, nullptr)) fewest = n;
      if (*opt.stages < 1) why = "a kit needs at least one stage";
      throw kit_infeasible(std::to_string(*opt.stages) + (*opt.stages == 1 ? " stage" : " stages") +
                           " cannot meet the rules for profile '" + p.id + "': " + why +
                           (fewest ? "; the fewest stages that can is " + std::to_string(fewest)
                                   : "; no number of stages can"));
    }
  } else {
    for (int n = 1; n <= max_stages && !plan; ++n) plan = solve(n, nullptr);
    if (!plan)
      throw model_error(errc::value, where, "no interview plan for profile '" + p.id + "' meets the rules with up to " +
                                                std::to_string(max_stages) + " stages");
  }
  // Named references, not a structured binding: a lambda below uses demand,
  // and C++17 does not let a lambda capture a structured binding (clang refuses).
  const auto& cfg = plan->first;
  const auto& demand = plan->second;

  // Interviews: slots in order of need (most first), then weight, then the
  // model's order, dealt round-robin, so a competency's slots land in
  // different interviews and interview sizes differ by at most one.
  std::vector<std::size_t> order(kit.needs.size());
  for (std::size_t a = 0; a < order.size(); ++a) order[a] = a;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (demand.interview[a] != demand.interview[b]) return demand.interview[a] > demand.interview[b];
    return p.targets[a].weight > p.targets[b].weight;
  });
  std::vector<kit_stage> interviews(static_cast<std::size_t>(cfg.interviews));
  std::size_t slot = 0;
  for (std::size_t a : order)
    for (int k = 0; k < demand.interview[a]; ++k, ++slot)
      interviews[slot % interviews.size()].competencies.push_back(kit.needs[a].competency);
  std::vector<int> asked(m.competencies.size(), 0);  // interviews so far per competency
  for (std::size_t s = 0; s < interviews.size(); ++s) {
    auto& st = interviews[s];
    st.id = "interview_" + std::to_string(s + 1);
    st.kind = stage_kind::interview;
    st.method = *interview;
    st.rater = "interviewer_" + std::to_string(s + 1);
    std::sort(st.competencies.begin(), st.competencies.end());
    st.minutes = opt.opening_minutes + opt.closing_minutes;
    for (std::size_t c : st.competencies) {
      const auto& qs = m.competencies[c].questions;
      if (qs.empty())
        throw model_error(errc::reference,
                          where + "#/competencies/" + std::to_string(c) + "/questions",
                          "competency '" + m.competencies[c].id +
                              "' has no interview questions: the model needs a question bank "
                              "(docs/model-format.md, \"Question bank\")");
      // The k-th interview of a competency asks its k-th behavioural and
      // k-th situational question, so two interviewers never ask the same one.
      const int k = asked[c]++;
      for (question_kind kind : {question_kind::behavioural, question_kind::situational}) {
        std::vector<std::size_t> of_kind;
        for (std::size_t q = 0; q < qs.size(); ++q)
          if (qs[q].kind == kind) of_kind.push_back(q);
        if (of_kind.empty()) continue;
        st.questions.push_back({c, of_kind[static_cast<std::size_t>(k) % of_kind.size()]});
        st.minutes += kind == question_kind::behavioural ? opt.behavioural_minutes : opt.situational_minutes;
      }
    }
    kit.stages.push_back(std::move(st));
  }
  auto other_stage = [&](std::size_t method, stage_kind kind, const char* id, const char* rater, int minutes) {
    kit_stage st;
    st.id = id;
    st.kind = kind;
    st.method = method;
    st.rater = rater;
    st.minutes = minutes;
    for (const auto& n : kit.needs)
      if (measures(method, n.competency)) st.competencies.push_back(n.competency);
    kit.stages.push_back(std::move(st));
  };
  if (cfg.work_sample) other_stage(*ws, stage_kind::work_sample, "work_sample", "assessor", opt.work_sample_minutes);
  if (cfg.test) other_stage(*test, stage_kind::test, "knowledge_test", "", opt.test_minutes);

  for (const auto& n : kit.needs) {
    int sources = 0;
    for (const auto& st : kit.stages)
      sources += std::count(st.competencies.begin(), st.competencies.end(), n.competency) > 0 ? 1 : 0;
    kit.coverage.emplace_back(n.competency, sources);
  }
  return kit;
}

}  // namespace merit
