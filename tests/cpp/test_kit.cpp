// The question bank (parsing, coverage checks) and the interview-kit planner.
#include <merit/io/file.hpp>
#include <merit/io/kit.hpp>
#include <merit/io/model.hpp>
#include <merit/kit.hpp>

#include "shipped_models.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace merit;

namespace {

std::vector<std::string> kit_texts(const std::vector<problem>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.pointer + ": " + p.message);
  return out;
}

nlohmann::json question(const std::string& id, const char* kind) {
  return {{"id", id},
          {"kind", kind},
          {"text", {{"en", "Tell me about a time ..."}, {"zh-CN", "请讲一次……"}}},
          {"probes", {{{"en", "What did you do?"}, {"zh-CN", "您做了什么?"}}}},
          {"separates", {2, 4}},
          {"basis", "anchor 4"}};
}

/// mini.json with a complete question bank: 3 behavioural and 2 situational per competency.
nlohmann::json mini_with_bank() {
  auto doc = nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json"));
  for (auto& c : doc["competencies"]) {
    const std::string id = c["id"];
    c["questions"] = nlohmann::json::array();
    for (int k = 1; k <= 3; ++k) c["questions"].push_back(question(id + "_b" + std::to_string(k), "behavioural"));
    for (int k = 1; k <= 2; ++k) c["questions"].push_back(question(id + "_s" + std::to_string(k), "situational"));
  }
  return doc;
}

// mini.json's own warning (a first-format scale), present in every variant.
const std::string mini_scale_warning =
    "/methods/1/scale: numeric scale 0..100 is mapped linearly onto 1..5 with no stated basis; give cut_points with "
    "a basis, or \"linear\": true with a basis";

std::vector<std::string> bank_warnings(const nlohmann::json& doc) {
  std::vector<problem> problems;
  auto w = kit_texts(build_model(doc, problems).warnings);
  w.erase(std::remove(w.begin(), w.end(), mini_scale_warning), w.end());
  return w;
}

}  // namespace

TEST_CASE("question bank: a complete bank loads into the competencies", "[kit][questions]") {
  const auto doc = mini_with_bank();
  CHECK(check_model(doc).empty());
  CHECK(bank_warnings(doc).empty());
  const auto m = parse_model(doc);
  REQUIRE(m.competencies[0].questions.size() == 5);
  const auto& q = m.competencies[0].questions[3];
  CHECK(q.id == "alpha_s1");
  CHECK(q.kind == question_kind::situational);
  CHECK(q.text.zh == "请讲一次……");
  REQUIRE(q.probes.size() == 1);
  CHECK(q.probes[0].en == "What did you do?");
  CHECK(q.separates == std::vector<int>{2, 4});
  CHECK(q.basis == "anchor 4");
}

TEST_CASE("question bank: a model without questions loads with no warning about them", "[kit][questions]") {
  auto doc = nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json"));
  CHECK(check_model(doc).empty());
  CHECK(bank_warnings(doc).empty());
}

TEST_CASE("question bank: structural faults are errors with their pointer", "[kit][questions]") {
  const auto good = mini_with_bank();
  auto errors = [&](auto edit) {
    auto d = good;
    edit(d["competencies"][0]["questions"][0]);
    return kit_texts(check_model(d));
  };
  const std::string q0 = "/competencies/0/questions/0";
  CHECK(errors([](auto& q) { q["kind"] = "hypothetical"; }) ==
        std::vector<std::string>{q0 + "/kind: unknown question kind 'hypothetical' (expected behavioural or situational)"});
  CHECK(errors([](auto& q) { q["separates"] = {2, 7}; }) ==
        std::vector<std::string>{q0 + "/separates/1: level 7 is not an anchor level of this competency (1..5)"});
  CHECK(errors([](auto& q) { q["separates"] = {3, 3}; }) ==
        std::vector<std::string>{q0 + "/separates/1: level 3 is named twice"});
  CHECK(errors([](auto& q) { q["separates"] = {2.5, 3}; }) ==
        std::vector<std::string>{q0 + "/separates/0: must be a whole anchor level, got 2.5"});
  CHECK(errors([](auto& q) { q["separates"] = {2}; }) ==
        std::vector<std::string>{q0 + "/separates: a question separates at least two anchor levels, got 1"});
  CHECK(errors([](auto& q) { q["basis"] = ""; }) ==
        std::vector<std::string>{q0 + "/basis: must not be empty: name the anchor or the seed sentence the question "
                                      "comes from"});
  CHECK(errors([](auto& q) { q.erase("basis"); }) == std::vector<std::string>{q0 + ": missing required key 'basis'"});
  CHECK(errors([](auto& q) { q["notes"] = "x"; }) ==
        std::vector<std::string>{q0 + "/notes: unknown key 'notes' (a question has id, kind, text, probes, separates, "
                                      "basis)"});
  CHECK(errors([](auto& q) { q["text"]["en"] = ""; }) == std::vector<std::string>{q0 + "/text/en: must not be empty"});
  CHECK(errors([](auto& q) { q["id"] = "Alpha-1"; }) ==
        std::vector<std::string>{q0 + "/id: id 'Alpha-1' must match ^[a-z][a-z0-9_]*$"});
  auto dup = good;
  dup["competencies"][1]["questions"][0]["id"] = "alpha_b1";
  CHECK(kit_texts(check_model(dup)) ==
        std::vector<std::string>{"/competencies/1/questions/0/id: duplicate question id 'alpha_b1' (first at "
                                 "/competencies/0/questions/0/id)"});
}

TEST_CASE("question bank: thin coverage is a warning with its pointer", "[kit][questions]") {
  const auto good = mini_with_bank();
  auto d = good;
  d["competencies"][0]["questions"].erase(0);  // 2 behavioural left
  CHECK(check_model(d).empty());
  CHECK(bank_warnings(d) ==
        std::vector<std::string>{"/competencies/0/questions: 2 behavioural questions, fewer than 3: add past-behaviour "
                                 "questions (\"Tell me about a time...\") so that each interviewer asks their own"});
  d = good;
  d["competencies"][1]["questions"].erase(4);  // 1 situational left
  CHECK(bank_warnings(d) == std::vector<std::string>{"/competencies/1/questions: 1 situational question, fewer than 2: "
                                                     "add situational questions (\"What would you do if...\")"});
  d = good;
  d["competencies"][0]["questions"][0]["text"].erase("zh-CN");
  d["competencies"][0]["questions"][1]["probes"][0].erase("zh-CN");
  CHECK(bank_warnings(d) ==
        std::vector<std::string>{
            "/competencies/0/questions/0/text: no zh-CN text: every question and probe is asked in English and Chinese",
            "/competencies/0/questions/1/probes/0: no zh-CN text: every question and probe is asked in English and "
            "Chinese"});
  d = good;
  d["competencies"][2]["questions"][0]["probes"] = nlohmann::json::array();
  CHECK(bank_warnings(d) == std::vector<std::string>{"/competencies/2/questions/0: no follow-up probes: give at least "
                                                     "one probe that asks for what the candidate did, said or decided"});
  d = good;
  d["competencies"][2].erase("questions");
  CHECK(bank_warnings(d) ==
        std::vector<std::string>{"/competencies/2: no interview questions, while other competencies have them: give at "
                                 "least 3 behavioural and 2 situational questions"});
}

TEST_CASE("question bank: every shipped competency has a full bilingual bank", "[kit][questions]") {
  const std::string dir = MERIT_SOURCE_DIR "/competency_models/";
  for (const auto& f : merit::test::shipped_model_files()) {
    INFO(f);
    const auto m = load_model(dir + f);
    CHECK(m.warnings.empty());
    for (const auto& c : m.competencies) {
      INFO(c.id);
      std::size_t b = 0, s = 0;
      for (const auto& q : c.questions) {
        INFO(q.id);
        (q.kind == question_kind::behavioural ? b : s) += 1;
        CHECK((!q.text.en.empty() && !q.text.zh.empty()));
        CHECK(!q.probes.empty());
        for (const auto& p : q.probes) CHECK((!p.en.empty() && !p.zh.empty()));
        CHECK(q.separates.size() >= 2);
        for (int l : q.separates) CHECK((l >= 1 && l <= m.levels));
        CHECK(!q.basis.empty());
      }
      CHECK(b >= min_behavioural_questions);
      CHECK(s >= min_situational_questions);
    }
  }
}

namespace {

/// Checks every rule of docs/interview-kit.md on a plan, from the stages
/// themselves (not from the planner's own bookkeeping).
void check_rules(const competency_model& m, const profile& p, const interview_kit& kit, const kit_options& opt) {
  const auto interview = *m.find_method(opt.interview_method);
  const auto ws = m.find_method(opt.work_sample_method);
  const auto test = m.find_method(opt.test_method);
  auto measures = [&](std::size_t method, std::size_t c) {
    return m.evidence(static_cast<Eigen::Index>(method), static_cast<Eigen::Index>(c)) > 0;
  };
  double top = 0;
  for (const auto& t : p.targets) top = std::max(top, t.weight);
  std::set<std::string> raters, ids, asked;
  for (const auto& s : kit.stages) {
    INFO(s.id);
    CHECK(ids.insert(s.id).second);
    if (!s.rater.empty()) CHECK(raters.insert(s.rater).second);  // every rated stage has its own rater
    std::set<std::size_t> here(s.competencies.begin(), s.competencies.end());
    CHECK(here.size() == s.competencies.size());
    for (std::size_t c : s.competencies) CHECK(measures(s.method, c));
    if (s.kind == stage_kind::interview) {
      CHECK(s.method == interview);
      CHECK(!s.competencies.empty());
      CHECK(s.competencies.size() <= 6);
      int minutes = opt.opening_minutes + opt.closing_minutes;
      for (std::size_t c : s.competencies) {
        bool behavioural = false;
        for (const auto& q : s.questions)
          if (q.competency == c && m.competencies[c].questions[q.question].kind == question_kind::behavioural)
            behavioural = true;
        CHECK(behavioural);
      }
      for (const auto& q : s.questions) {
        CHECK(here.count(q.competency) == 1);
        const auto& iq = m.competencies[q.competency].questions[q.question];
        CHECK(asked.insert(iq.id).second);  // no question is asked in two interviews
        minutes += iq.kind == question_kind::behavioural ? opt.behavioural_minutes : opt.situational_minutes;
      }
      CHECK(s.minutes == minutes);
    } else {
      // The work sample and the test assess exactly what the evidence matrix says they measure.
      const std::size_t method = s.kind == stage_kind::work_sample ? *ws : *test;
      CHECK(s.method == method);
      std::vector<std::size_t> want;
      for (const auto& t : p.targets)
        if (measures(method, t.competency)) want.push_back(t.competency);
      CHECK(s.competencies == want);
      CHECK(s.questions.empty());
    }
  }
  REQUIRE(kit.coverage.size() == p.targets.size());
  for (std::size_t i = 0; i < p.targets.size(); ++i) {
    const auto& t = p.targets[i];
    INFO(m.competencies[t.competency].id);
    int sources = 0, people = 0, interviews = 0;
    for (const auto& s : kit.stages)
      if (std::count(s.competencies.begin(), s.competencies.end(), t.competency)) {
        ++sources;
        people += s.rater.empty() ? 0 : 1;
        interviews += s.kind == stage_kind::interview ? 1 : 0;
      }
    CHECK(kit.coverage[i].first == t.competency);
    CHECK(kit.coverage[i].second == sources);
    CHECK(sources >= 1);
    if (t.minimum) CHECK((sources >= 2 && interviews >= 1));  // a hurdle: two independent sources, one an interview
    if (t.weight >= top * (1 - 1e-9)) CHECK(people >= 2);  // the highest weight: two raters
  }
}

}  // namespace

TEST_CASE("kit: the rules hold for every profile and 2..6 stages, or the stages are too few", "[kit]") {
  const auto m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  for (const auto& p : m.profiles) {
    INFO(p.id);
    const kit_options automatic;
    const auto fewest_kit = plan_kit(m, p.id, automatic);
    const int fewest = static_cast<int>(fewest_kit.stages.size());
    check_rules(m, p, fewest_kit, automatic);
    for (int n = 2; n <= 6; ++n) {
      INFO("stages " << n);
      kit_options opt;
      opt.stages = n;
      if (n < fewest) {
        CHECK_THROWS_AS(plan_kit(m, p.id, opt), kit_infeasible);
        try {
          plan_kit(m, p.id, opt);
        } catch (const kit_infeasible& e) {
          const std::string tail = "; the fewest stages that can is " + std::to_string(fewest);
          const std::string what = e.what();
          CHECK(what.size() > tail.size());
          CHECK(what.substr(what.size() - tail.size()) == tail);
        }
        continue;
      }
      const auto kit = plan_kit(m, p.id, opt);
      CHECK(kit.stages.size() == static_cast<std::size_t>(n));
      check_rules(m, p, kit, opt);
      // Deterministic: the same model and options give the same plan.
      CHECK(io::kit_json(kit).dump() == io::kit_json(plan_kit(m, p.id, opt)).dump());
    }
  }
}

TEST_CASE("kit: too few stages give the exact reason and the fewest that can", "[kit]") {
  const auto m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  auto message = [&](const char* profile, int n) {
    kit_options opt;
    opt.stages = n;
    try {
      plan_kit(m, profile, opt);
    } catch (const kit_infeasible& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("sales_enablement", 1) ==
        "1 stage cannot meet the rules for profile 'sales_enablement': competency 'cross_department_communication' (a "
        "hurdle with the highest weight) needs 2 interviews with different interviewers, and the stages leave room for "
        "1; the fewest stages that can is 3");
  CHECK(message("sales_enablement", 2) ==
        "2 stages cannot meet the rules for profile 'sales_enablement': the profile needs 18 competency assessments in "
        "interviews, and 2 interviews of at most 6 competencies hold 12; the fewest stages that can is 3");
  CHECK(message("sales_operations", 1) ==
        "1 stage cannot meet the rules for profile 'sales_operations': competency 'territory_and_team_design' (the "
        "highest weight) needs 2 interviews with different interviewers, and the stages leave room for 1; the fewest "
        "stages that can is 3");
  CHECK(message("vp_sales_enablement_and_operations", 4) ==
        "4 stages cannot meet the rules for profile 'vp_sales_enablement_and_operations': the profile needs 30 "
        "competency assessments in interviews, and 4 interviews of at most 6 competencies hold 24; the fewest stages "
        "that can is 5");
}

TEST_CASE("kit: a model that cannot give a kit says what is missing", "[kit]") {
  const auto mini = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  auto error_of = [&](const kit_options& opt) {
    try {
      plan_kit(mini, "p", opt);
    } catch (const model_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  kit_options opt;
  opt.interview_method = "interview";  // mini.json's interview method
  CHECK(error_of(opt) == MERIT_SOURCE_DIR "/tests/data/models/mini.json#/competencies/0/questions: competency 'alpha' "
                                          "has no interview questions: the model needs a question bank "
                                          "(docs/model-format.md, \"Question bank\")");
  opt.interview_method = "panel";
  CHECK(error_of(opt) == MERIT_SOURCE_DIR "/tests/data/models/mini.json#/methods: the model has no method 'panel' to "
                                          "plan interviews with");
  CHECK_THROWS_WITH(plan_kit(mini, "nope"), "unknown profile 'nope' (the model has: p, q, r)");
}

TEST_CASE("kit: interviews share out the competencies evenly and never repeat a question", "[kit]") {
  const auto m = parse_model(mini_with_bank());
  kit_options opt;
  opt.interview_method = "interview";
  opt.stages = 3;  // p: alpha is a hurdle with the highest weight; work sample measures alpha
  const auto kit = plan_kit(m, "p", opt);
  REQUIRE(kit.stages.size() == 3);
  CHECK(kit.stages[0].kind == stage_kind::interview);
  CHECK(kit.stages[1].kind == stage_kind::interview);
  CHECK(kit.stages[2].id == "work_sample");
  check_rules(m, m.get_profile("p"), kit, opt);
  // alpha: one interview and the work sample (two sources, two raters); beta and gamma one interview each.
  CHECK(kit.coverage == std::vector<std::pair<std::size_t, int>>{{0, 2}, {1, 1}, {2, 1}});
}

TEST_CASE("kit: a hurdle that the work sample and the test both measure is still asked in an interview", "[kit]") {
  auto doc = mini_with_bank();
  doc["profiles"][0]["targets"]["alpha"]["weight"] = 1;  // alpha: a hurdle, no longer the highest weight
  doc["profiles"][0]["targets"]["beta"]["weight"] = 2;
  const auto m = parse_model(doc);
  kit_options opt;
  opt.interview_method = "interview";
  opt.test_method = "scorecard";  // measures alpha, beta and gamma, as the work sample measures alpha
  opt.stages = 4;                 // two interviews (beta needs two raters), the work sample and the test
  const auto kit = plan_kit(m, "p", opt);
  check_rules(m, m.get_profile("p"), kit, opt);
  int alpha_interviews = 0;
  for (const auto& s : kit.stages)
    if (s.kind == stage_kind::interview)
      alpha_interviews += static_cast<int>(std::count(s.competencies.begin(), s.competencies.end(), 0u));
  CHECK(alpha_interviews == 1);
  CHECK(kit.coverage[0] == std::pair<std::size_t, int>{0, 3});  // interview, work sample, test
}

TEST_CASE("kit: rules no number of stages can meet, and no stage at all", "[kit]") {
  auto doc = mini_with_bank();
  // alpha, profile r's highest weight, measured only by a test: no two people can rate it.
  doc["evidence_matrix"]["interview"].erase("alpha");
  doc["evidence_matrix"].erase("work_sample");
  const auto m = parse_model(doc);
  kit_options opt;
  opt.interview_method = "interview";
  opt.test_method = "scorecard";
  CHECK_THROWS_WITH(plan_kit(m, "r", opt),
                    "no interview plan for profile 'r' meets the rules with up to 64 stages");
  opt.stages = 3;
  CHECK_THROWS_WITH(plan_kit(m, "r", opt),
                    "3 stages cannot meet the rules for profile 'r': competency 'alpha' needs 2 interviews beyond the "
                    "other stages, and the evidence matrix does not let the interview measure it; no number of stages "
                    "can");
  const auto mini = parse_model(mini_with_bank());
  opt = kit_options{};
  opt.interview_method = "interview";
  opt.stages = 0;
  CHECK_THROWS_WITH(plan_kit(mini, "p", opt), "0 stages cannot meet the rules for profile 'p': a kit needs at least "
                                              "one stage; the fewest stages that can is 2");
}

TEST_CASE("kit: Greenhouse attributes are named so that they map back, or the writer says why not", "[kit]") {
  auto doc = mini_with_bank();
  doc["sources"] = {{"greenhouse",
                     {{"scale",
                       {{"type", "levels"},
                        {"levels", {{"definitely_not", 1}, {"no", 2}, {"mixed", 3}, {"yes", 4}, {"strong_yes", 5}}},
                        {"missing", {"no_decision"}}}},
                      {"default_method", "interview"}}}};
  kit_options opt;
  opt.interview_method = "interview";
  {
    const auto m = parse_model(doc);
    const auto kit = plan_kit(m, "p", opt);
    const auto gh = io::kit_greenhouse(kit, io::kit_lang::en);
    const auto names = io::greenhouse_attributes(m);
    std::size_t attributes = 0;
    for (const auto& iv : gh["interviews"]) {
      CHECK(m.sources.greenhouse->method_for(iv["name"].get<std::string>()) == m.find_method("interview"));
      for (const auto& a : iv["attributes"]) {
        ++attributes;
        std::string key = a["name"].get<std::string>();
        for (char& ch : key)
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');  // the reader's table is in lower case
        const auto hit = names.find(key);
        REQUIRE(hit != names.end());
        CHECK(m.competencies[hit->second].id == a["competency"].get<std::string>());
      }
    }
    std::size_t planned = 0;
    for (const auto& s : kit.stages)
      if (s.kind == stage_kind::interview) planned += s.competencies.size();
    CHECK(attributes == planned);
  }
  // Another competency claims beta's name as an ATS alias first: beta's attribute would be read as alpha.
  const std::string beta = doc["competencies"][1]["name"]["en"];
  doc["competencies"][0]["ats_aliases"] = {beta};
  const auto m = parse_model(doc, "mini.json");
  const auto kit = plan_kit(m, "p", opt);
  CHECK_THROWS_WITH(io::kit_greenhouse(kit, io::kit_lang::en),
                    "mini.json#/competencies/1/name: the attribute name '" + beta +
                        "' of competency 'beta' would be read back as another competency; give the competencies "
                        "distinct names");
}
