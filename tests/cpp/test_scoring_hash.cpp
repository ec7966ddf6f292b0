#include <merit/io/model.hpp>
#include <merit/scoring_hash.hpp>

#include <catch2/catch.hpp>

#include <functional>
#include <string>

using namespace merit;
using nlohmann::json;

namespace {

json shipped() {
  return json::parse(read_text_file<model_error>(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json"));
}

std::string hash_of(const json& doc, const std::string& profile = "sales_enablement") {
  return scoring_hash(parse_model(doc), profile);
}

/// The scoring hash after `edit`, next to the original.
std::pair<std::string, std::string> before_after(const std::function<void(json&)>& edit,
                                                 const std::string& profile = "sales_enablement") {
  json doc = shipped();
  const std::string before = hash_of(doc, profile);
  edit(doc);
  return {before, hash_of(doc, profile)};
}

json& target_of(json& doc, const std::string& competency, std::size_t profile = 0) {
  return doc["profiles"][profile]["targets"][competency];
}

}  // namespace

TEST_CASE("scoring hash: a small model's canonical text, and SHA-256 of it", "[scoring_hash]") {
  const competency_model m = parse_model_text(R"({
    "format": "merit.competency-model/1", "id": "toy", "version": "1.0.0", "name": {"en": "Toy"},
    "scale": {"levels": 3},
    "clusters": [{"id": "core", "name": {"en": "Core"}}],
    "competencies": [
      {"id": "alpha", "cluster": "core", "name": {"en": "Alpha"}, "definition": {"en": "a"}, "source": {"quote": "q"},
       "levels": [{"level": 1, "en": "1"}, {"level": 2, "en": "2"}, {"level": 3, "en": "3"}]},
      {"id": "beta", "cluster": "core", "name": {"en": "Beta"}, "definition": {"en": "b"}, "source": {"quote": "q"},
       "levels": [{"level": 1, "en": "1"}, {"level": 2, "en": "2"}, {"level": 3, "en": "3"}]}],
    "methods": [
      {"id": "interview", "name": {"en": "Interview"}, "scale": {"type": "numeric", "min": 1, "max": 3}},
      {"id": "card", "name": {"en": "Card"},
       "scale": {"type": "levels", "levels": {"no": 1, "yes": 3, "mixed": 2}, "missing": ["skip", "n/a"]}},
      {"id": "unused", "name": {"en": "Unused"}, "scale": {"type": "numeric", "min": 0, "max": 10, "cut_points": [3, 7], "basis": {"en": "test"}}}],
    "evidence_matrix": {"interview": {"alpha": 1, "beta": 0.5}, "card": {"beta": 2}},
    "profiles": [{"id": "p", "name": {"en": "P"}, "min_coverage": 0.75,
                  "targets": {"alpha": {"target": 3, "weight": 3, "minimum": 2}, "beta": {"target": 2, "weight": 1}}}]
  })");
  const std::string text = scoring_text(m, m.profiles[0]);
  CHECK(text ==
        "merit.scoring/1\n"
        "levels 3\n"
        "fit_model attainment\n"
        "min_coverage 0.75\n"
        "target 5:alpha 3 0.75 2\n"
        "target 4:beta 2 0.25 none\n"
        "method 9:interview numeric 1 3 cut named missing evidence 5:alpha=1 4:beta=0.5\n"
        "method 4:card levels 1 5 cut named 5:mixed=2 2:no=1 3:yes=3 missing 3:n/a 4:skip evidence 4:beta=2\n");
  // Independent: printf '%s' "$text" | sha256sum
  CHECK(scoring_hash(m, "p") == "59e0eb660ae1e4f41321e7710bae040912f56d1381e1797285b528374e79f4f0");
}

TEST_CASE("scoring hash: wording, labels, bases and other profiles keep it", "[scoring_hash]") {
  const std::vector<std::pair<const char*, std::function<void(json&)>>> keep = {
      {"question text", [](json& d) { d["competencies"][0]["questions"][0]["text"]["en"] = "Reworded question?"; }},
      {"question probes", [](json& d) { d["competencies"][0]["questions"][0]["probes"] = json::array(); }},
      {"competency name", [](json& d) { d["competencies"][0]["name"]["zh-CN"] = "新名称"; }},
      {"competency definition", [](json& d) { d["competencies"][0]["definition"]["en"] = "A new definition."; }},
      {"behavioural anchor", [](json& d) { d["competencies"][0]["levels"][2]["en"] = "A new anchor."; }},
      {"method name and basis", [](json& d) {
         d["methods"][1]["name"]["en"] = "Work sample (new name)";
         d["methods"][1]["scale"]["basis"]["en"] = "A new basis.";
       }},
      {"profile name and description", [](json& d) {
         d["profiles"][0]["name"]["en"] = "Renamed";
         d["profiles"][0]["description"]["en"] = "Described anew.";
       }},
      {"target basis", [](json& d) { target_of(d, "content_clarity")["basis"]["en"] = "A new basis."; }},
      {"title aliases", [](json& d) { d["profiles"][0]["title_aliases"].push_back("Sales Enablement Partner"); }},
      {"reliability (bands, not fits)", [](json& d) { d["profiles"][0]["reliability"]["value"] = 0.61; }},
      {"every raw weight doubled (same normalised weights)", [](json& d) {
         for (auto& [id, t] : d["profiles"][0]["targets"].items()) t["weight"] = 2 * t["weight"].get<double>();
       }},
      {"another profile's target", [](json& d) { target_of(d, "content_clarity", 1)["target"] = 5; }},
      {"version and changelog", [](json& d) { d["version"] = "9.9.9"; d.erase("changelog"); }},
  };
  for (const auto& [what, edit] : keep) {
    INFO(what);
    const auto [before, after] = before_after(edit);
    CHECK(before == after);
  }
}

TEST_CASE("scoring hash: targets, weights, hurdles, rules, scale mappings and evidence weights change it",
          "[scoring_hash]") {
  const std::vector<std::pair<const char*, std::function<void(json&)>>> change = {
      {"a target", [](json& d) { target_of(d, "content_clarity")["target"] = 5; }},
      {"a weight", [](json& d) { target_of(d, "content_clarity")["weight"] = 0.2; }},
      {"a hurdle raised", [](json& d) { target_of(d, "content_clarity")["minimum"] = 4; }},
      {"a hurdle removed", [](json& d) { target_of(d, "content_clarity").erase("minimum"); }},
      {"min_coverage", [](json& d) { d["profiles"][0]["min_coverage"] = 0.5; }},
      {"fit model", [](json& d) { d["profiles"][0]["fit_model"] = "weighted_mean"; }},
      {"a cut point", [](json& d) { d["methods"][1]["scale"]["cut_points"][0] = d["methods"][1]["scale"]["cut_points"][0].get<double>() + 1; }},
      {"a named level's number", [](json& d) { d["methods"][3]["scale"]["levels"]["no"] = 1; }},
      {"a missing name", [](json& d) { d["methods"][3]["scale"]["missing"] = json::array({"not_asked"}); }},
      {"an evidence weight", [](json& d) { d["evidence_matrix"]["structured_interview"]["content_clarity"] = 0.5; }},
      {"the Greenhouse scale", [](json& d) { d["sources"]["greenhouse"]["scale"]["levels"]["mixed"] = 2; }},
  };
  for (const auto& [what, edit] : change) {
    INFO(what);
    const auto [before, after] = before_after(edit);
    CHECK(before != after);
  }
}

TEST_CASE("scoring hash: each shipped profile has its own", "[scoring_hash]") {
  const competency_model m = parse_model(shipped());
  for (std::size_t i = 0; i < m.profiles.size(); ++i)
    for (std::size_t j = i + 1; j < m.profiles.size(); ++j)
      CHECK(scoring_hash(m, m.profiles[i]) != scoring_hash(m, m.profiles[j]));
  CHECK_THROWS_WITH(scoring_hash(m, "nope"), Catch::StartsWith("unknown profile 'nope'"));
}
