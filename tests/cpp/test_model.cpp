#include <merit/io/model.hpp>
#include <merit/model.hpp>

#include "shipped_models.hpp"

#include <catch2/catch.hpp>


#include <string>
#include <vector>

using namespace merit;

TEST_CASE("model: every file in competency_models/ loads and validates", "[model]") {
  const std::string dir = MERIT_SOURCE_DIR "/competency_models/";
  const std::vector<std::string> files = merit::test::shipped_model_files();
  REQUIRE(!files.empty());
  for (const auto& f : files) {
    INFO(f);
    auto doc = nlohmann::json::parse(read_text_file(dir + f));
    CHECK(check_model(doc).empty());
    auto m = load_model(dir + f);
    // A shipped model says how every scale maps (check_models.py holds it to the same).
    for (const auto& w : m.warnings) FAIL_CHECK(w.pointer + ": warning: " + w.message);
    for (const auto& c : m.competencies) {
      INFO(c.id);
      CHECK(!c.name.zh.empty());
      CHECK(!c.definition.en.empty());
      CHECK(!c.definition.zh.empty());
      CHECK(!c.source_quote.empty());
      CHECK(c.levels.size() == static_cast<std::size_t>(m.levels));
      for (const auto& l : c.levels) CHECK((!l.en.empty() && !l.zh.empty()));
    }
    for (const auto& p : m.profiles) {
      double sum = 0;
      for (const auto& t : p.targets) sum += t.weight;
      CHECK(sum == Approx(1.0).epsilon(1e-12));
    }
  }
}

TEST_CASE("model: weights default from ownership and normalise to 1", "[model]") {
  auto m = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  const auto& q = m.get_profile("q");  // no weights given: primary 3, supporting 2, participant 1
  REQUIRE(q.targets.size() == 3);
  CHECK(q.targets[0].weight == Approx(0.5));
  CHECK(q.targets[1].weight == Approx(1.0 / 3));
  CHECK(q.targets[2].weight == Approx(1.0 / 6));
  CHECK(m.evidence(1, 0) == 2.0);  // work_sample -> alpha
  CHECK(m.methods[2].scale.kind == method_scale::levels);
  CHECK(m.content_hash.size() == 64);
  CHECK_THROWS_WITH(m.get_profile("zzz"), "unknown profile 'zzz' (the model has: p, q, r)");
}

TEST_CASE("model: the content hash ignores formatting but not content", "[model]") {
  auto text = read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  auto doc = nlohmann::json::parse(text);
  auto a = parse_model_text(text), b = parse_model_text(doc.dump());
  CHECK(a.content_hash == b.content_hash);
  doc["version"] = "0.1.1";
  CHECK(parse_model(doc).content_hash != a.content_hash);
  CHECK(detail::sha256::of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}


namespace {
nlohmann::json mini_doc() { return nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json")); }
const nlohmann::json basis = {{"en", "provisional: equal fifths of the rubric's points"}};
std::vector<std::string> texts(const std::vector<problem>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.pointer + ": " + p.message);
  return out;
}
}  // namespace

TEST_CASE("model: a first-format model loads, with a warning for each scale that does not say how it maps",
          "[model][scales]") {
  auto doc = mini_doc();  // work_sample 0..100 mapped linearly, no basis
  doc["methods"][2]["scale"]["levels"] = {{"strong_no", 1}, {"no", 2}, {"yes", 3}, {"strong_yes", 4}};
  doc["sources"] = {{"lever", {{"scale", {{"type", "numeric"}, {"min", 1}, {"max", 4}}}}}};
  std::vector<problem> problems;
  const auto m = build_model(doc, problems);
  CHECK(problems.empty());
  CHECK(texts(m.warnings) ==
        std::vector<std::string>{
            "/methods/1/scale: numeric scale 0..100 is mapped linearly onto 1..5 with no stated basis; give cut_points "
            "with a basis, or \"linear\": true with a basis",
            "/methods/2/scale/levels: level numbers run from 1 to 4, not 1..5: the worst level should map to 1 and the "
            "best to 5",
            "/sources/lever: unknown source 'lever' is not read (merit reads sources.greenhouse)"});
  CHECK(m.methods[1].scale.cut_points.empty());
  CHECK_FALSE(m.methods[1].scale.linear);
  CHECK(m.methods[2].scale.named_max == 4);  // loaded as given
  CHECK_NOTHROW(parse_model(doc));           // warnings never stop a model from loading
}

TEST_CASE("model: cut points, linear with a basis, provisional and validity are read", "[model][scales]") {
  auto doc = mini_doc();
  doc["methods"][1]["scale"]["cut_points"] = {20, 40, 60, 80};
  doc["methods"][1]["scale"]["basis"] = basis;
  doc["methods"][1]["scale"]["provisional"] = true;
  doc["methods"][0]["validity"] = {{"value", 0.42}, {"source", "Sackett et al. (2022)"}};
  std::vector<problem> problems;
  auto m = build_model(doc, problems);
  CHECK(problems.empty());
  CHECK(m.warnings.empty());  // interview 1..5 is the identity, scorecard 1..5 the whole scale
  CHECK(m.methods[1].scale.cut_points == std::vector<double>{20, 40, 60, 80});
  CHECK(m.methods[1].scale.basis.en == "provisional: equal fifths of the rubric's points");
  CHECK(m.methods[1].scale.provisional);
  REQUIRE(m.methods[0].validity);
  CHECK(m.methods[0].validity->value == 0.42);
  CHECK(m.methods[0].validity->source == "Sackett et al. (2022)");
  CHECK_FALSE(m.methods[1].validity);

  doc["methods"][1]["scale"].erase("cut_points");
  doc["methods"][1]["scale"]["linear"] = true;
  m = build_model(doc, problems);
  CHECK(problems.empty());
  CHECK(m.warnings.empty());
  CHECK(m.methods[1].scale.linear);
}

TEST_CASE("model: bad scales and validities name their place", "[model][scales]") {
  auto first = [](const nlohmann::json& doc) {
    auto ps = check_model(doc);
    return ps.empty() ? std::string("no problem") : ps.front().pointer + ": " + ps.front().message;
  };
  auto doc = mini_doc();
  doc["methods"][1]["scale"]["cut_points"] = {20, 40, 60, 80};
  doc["methods"][1]["scale"]["basis"] = basis;
  doc["methods"][1]["scale"]["linear"] = true;
  CHECK(first(doc) == "/methods/1/scale/linear: a scale maps through cut_points or linearly, not both");
  doc["methods"][1]["scale"].erase("linear");
  doc["methods"][1]["scale"]["cut_points"] = {20, 40, 60, 120};
  CHECK(first(doc) == "/methods/1/scale/cut_points/3: cut point 120 must lie above min 0 and at most max 100, so that "
                      "min is level 1 and max level 5");
  doc["methods"][1]["scale"]["cut_points"] = {20, 40, "sixty", 80};
  CHECK(first(doc) == "/methods/1/scale/cut_points/2: must be a number, got a string");
  doc["methods"][1]["scale"]["cut_points"] = {20, 40, 60, 80};
  doc["methods"][1]["scale"]["provisional"] = "yes";
  CHECK(first(doc) == "/methods/1/scale/provisional: must be a boolean, got a string");
  doc["methods"][1]["scale"]["provisional"] = false;
  doc["methods"][1]["scale"]["basis"] = {{"zh-CN", "暂定"}};
  CHECK(first(doc) == "/methods/1/scale/basis: missing required key 'en'");
  doc["methods"][1]["scale"]["basis"] = basis;
  doc["methods"][0]["validity"] = {{"value", 0.42}};
  CHECK(first(doc) == "/methods/0/validity: missing required key 'source'");
  doc["methods"][0]["validity"] = {{"value", "high"}, {"source", "x"}};
  CHECK(first(doc) == "/methods/0/validity/value: must be a number, got a string");
}

TEST_CASE("model: sources.greenhouse maps interviews to methods", "[model][greenhouse]") {
  auto doc = mini_doc();
  doc["sources"] = nlohmann::json::parse(R"({"greenhouse": {
    "scale": {"type": "levels", "levels": {"definitely_not": 1, "no": 2, "mixed": 3, "yes": 4, "strong_yes": 5},
              "missing": ["no_decision"], "basis": {"en": "Greenhouse's five ratings, one per level"}},
    "interviews": {"Case Interview": "interview", "Take-home Review": "work_sample"},
    "rater": "employee_id"}})");
  auto m = parse_model(doc);
  REQUIRE(m.sources.greenhouse);
  const auto& gh = *m.sources.greenhouse;
  CHECK(gh.rater == greenhouse_rater::employee_id);
  CHECK(gh.scale.named.size() == 5);
  CHECK(gh.scale.missing == std::vector<std::string>{"no_decision"});
  CHECK(gh.method_for("Case Interview") == std::optional<std::size_t>(0));
  CHECK(gh.method_for("take-home review") == std::optional<std::size_t>(1));  // any case
  CHECK(gh.method_for("Phone Screen") == std::nullopt);
  CHECK_FALSE(parse_model(mini_doc()).sources.greenhouse);

  doc["sources"]["greenhouse"]["default_method"] = "scorecard";
  CHECK(parse_model(doc).sources.greenhouse->method_for("Phone Screen") == std::optional<std::size_t>(2));
  doc["sources"]["greenhouse"].erase("rater");
  CHECK(parse_model(doc).sources.greenhouse->rater == greenhouse_rater::id);  // the first format's rater

  auto problems_of = [](const nlohmann::json& d) { return texts(check_model(d)); };
  auto bad = doc;
  bad["sources"]["greenhouse"]["interviews"]["case interview"] = "work_sample";
  CHECK(problems_of(bad) == std::vector<std::string>{"/sources/greenhouse/interviews/case interview: interview 'case "
                                                     "interview' differs from 'Case Interview' only in case but maps to "
                                                     "another method ('work_sample', not 'interview')"});
  bad = doc;
  bad["sources"]["greenhouse"]["interviews"]["case interview"] = "interview";  // the same method: harmless
  CHECK(problems_of(bad).empty());
  bad = doc;
  bad["sources"]["greenhouse"]["default"] = "interview";
  CHECK(problems_of(bad) == std::vector<std::string>{"/sources/greenhouse/default: unknown key 'default' "
                                                     "(sources.greenhouse has scale, interviews, default_method, rater)"});
  bad = doc;
  bad["sources"]["greenhouse"]["default_method"] = 3;
  CHECK(problems_of(bad) == std::vector<std::string>{"/sources/greenhouse/default_method: must be a method id, got a "
                                                     "number"});
  bad = doc;
  bad["sources"]["greenhouse"].erase("scale");
  CHECK(problems_of(bad) == std::vector<std::string>{"/sources/greenhouse: missing required key 'scale'"});
  bad = doc;
  bad["sources"]["greenhouse"]["scale"]["levels"] = {{"no", 1}, {"yes", 4}};
  std::vector<problem> problems;
  CHECK(texts(build_model(bad, problems).warnings) ==
        std::vector<std::string>{"/methods/1/scale: numeric scale 0..100 is mapped linearly onto 1..5 with no stated "
                                 "basis; give cut_points with a basis, or \"linear\": true with a basis",
                                 "/sources/greenhouse/scale/levels: level numbers run from 1 to 4, not 1..5: the worst "
                                 "level should map to 1 and the best to 5"});
}
