#include <merit/io/model.hpp>
#include <merit/model_diff.hpp>

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace merit;
using nlohmann::json;

namespace {

// Two clusters (one unused), three competencies, three methods, two profiles;
// 'spare' is measured by nothing and targeted by no profile, so that editing
// it changes nothing else.
const char* const base_text = R"({
  "format": "merit.competency-model/1", "id": "toy", "version": "1.0.0",
  "name": {"en": "Toy", "zh-CN": "玩具"},
  "scale": {"levels": 3, "labels": [{"en": "low"}, {"en": "mid"}, {"en": "high"}]},
  "clusters": [{"id": "core", "name": {"en": "Core"}}, {"id": "unused", "name": {"en": "Unused"}}],
  "competencies": [
    {"id": "alpha", "cluster": "core", "name": {"en": "Alpha", "zh-CN": "甲"}, "definition": {"en": "def a"},
     "ownership": "primary", "source": {"quote": "q a"},
     "levels": [{"level": 1, "en": "a1"}, {"level": 2, "en": "a2"}, {"level": 3, "en": "a3"}],
     "ats_aliases": ["ALPHA"]},
    {"id": "beta", "cluster": "core", "name": {"en": "Beta"}, "definition": {"en": "def b"},
     "ownership": "supporting", "source": {"quote": "q b"},
     "levels": [{"level": 1, "en": "b1"}, {"level": 2, "en": "b2"}, {"level": 3, "en": "b3"}]},
    {"id": "spare", "name": {"en": "Spare"}, "definition": {"en": "def s"},
     "ownership": "participant", "source": {"quote": "q s"},
     "levels": [{"level": 1, "en": "s1"}, {"level": 2, "en": "s2"}, {"level": 3, "en": "s3"}]}
  ],
  "methods": [
    {"id": "interview", "name": {"en": "Interview"}, "scale": {"type": "numeric", "min": 1, "max": 5}},
    {"id": "scorecard", "name": {"en": "Scorecard"},
     "scale": {"type": "levels", "levels": {"no": 1, "mixed": 2, "yes": 3}, "missing": ["no_decision"]}},
    {"id": "unused_method", "name": {"en": "Unused"}, "scale": {"type": "numeric", "min": 0, "max": 10}}
  ],
  "evidence_matrix": {"interview": {"alpha": 1, "beta": 1}, "scorecard": {"alpha": 2}},
  "profiles": [
    {"id": "p", "name": {"en": "P"}, "title_aliases": ["Pee"], "fit_model": "attainment", "min_coverage": 0.8,
     "targets": {"alpha": {"target": 3, "weight": 2, "minimum": 2}, "beta": {"target": 2, "weight": 1}}},
    {"id": "q", "name": {"en": "Q"}, "targets": {"alpha": {"target": 2}}}
  ]
})";

json base_doc() { return json::parse(base_text); }

// One change as one line: "kind what ids field: before -> after (note)".
std::string line(const model_change& c) {
  std::string ids;
  for (const std::string* id : {&c.profile, &c.method, &c.competency, &c.cluster})
    if (!id->empty()) ids += (ids.empty() ? "" : "/") + *id;
  std::string s = std::string(to_string(c.kind)) + " " + to_string(c.what);
  if (!ids.empty()) s += " " + ids;
  if (!c.field.empty()) s += " " + c.field;
  s += ": " + c.before.value_or("-") + " -> " + c.after.value_or("-");
  if (!c.note.empty()) s += " (" + c.note + ")";
  return s;
}

std::vector<std::string> lines(const json& before, const json& after) {
  std::vector<std::string> out;
  for (const auto& c : diff_models(parse_model(before), parse_model(after))) out.push_back(line(c));
  return out;
}

bool is_hash(const std::string& l) { return l.rfind("changed model hash: ", 0) == 0; }

// The changes an edit of the base model makes, but the content hash's (which
// every edit changes).
std::vector<std::string> changes_of(const std::function<void(json&)>& edit) {
  json doc = base_doc();
  edit(doc);
  std::vector<std::string> out;
  int hashes = 0;
  for (auto& l : lines(base_doc(), doc)) {
    if (is_hash(l)) ++hashes;
    else out.push_back(std::move(l));
  }
  CHECK(hashes == 1);
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("model diff: identical models differ in nothing", "[model_diff]") {
  CHECK(lines(base_doc(), base_doc()).empty());
  // Formatting is not content: the same document re-spelled.
  auto m = parse_model_text(base_doc().dump(2));
  CHECK(diff_models(parse_model(base_doc()), m).empty());
  auto shipped = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  CHECK(diff_models(shipped, shipped).empty());
}

TEST_CASE("model diff: each kind of change is found exactly once", "[model_diff]") {
  struct edit_case {
    const char* name;
    std::function<void(json&)> edit;
    std::string expected;
  };
  const std::vector<edit_case> cases = {
      {"model name", [](json& d) { d["name"]["zh-CN"] = "玩具2"; }, "changed model name.zh-CN: 玩具 -> 玩具2"},
      {"scale label", [](json& d) { d["scale"]["labels"][1]["en"] = "middle"; },
       "changed scale labels.2.en: mid -> middle"},
      {"cluster added", [](json& d) { d["clusters"].push_back({{"id", "extra"}, {"name", {{"en", "Extra"}}}}); },
       "added cluster extra: - -> Extra"},
      {"cluster removed", [](json& d) { d["clusters"].erase(1); }, "removed cluster unused: Unused -> -"},
      {"cluster name", [](json& d) { d["clusters"][0]["name"]["en"] = "Centre"; },
       "changed cluster core name.en: Core -> Centre"},
      {"competency added",
       [](json& d) {
         json c = d["competencies"][2];
         c["id"] = "gamma";
         c["name"]["en"] = "Gamma";
         d["competencies"].push_back(c);
       },
       "added competency gamma: - -> Gamma"},
      {"competency removed", [](json& d) { d["competencies"].erase(2); }, "removed competency spare: Spare -> -"},
      {"name.en", [](json& d) { d["competencies"][0]["name"]["en"] = "Alpha!"; },
       "changed competency alpha name.en: Alpha -> Alpha!"},
      {"name.zh-CN added", [](json& d) { d["competencies"][1]["name"]["zh-CN"] = "乙"; },
       "added competency beta name.zh-CN: - -> 乙"},
      {"definition", [](json& d) { d["competencies"][1]["definition"]["en"] = "def B"; },
       "changed competency beta definition.en: def b -> def B"},
      {"cluster of a competency", [](json& d) { d["competencies"][2]["cluster"] = "unused"; },
       "added competency spare cluster: - -> unused"},
      {"ownership", [](json& d) { d["competencies"][2]["ownership"] = "primary"; },
       "changed competency spare ownership: participant -> primary"},
      {"source quote", [](json& d) { d["competencies"][0]["source"]["quote"] = "q A"; },
       "changed competency alpha source.quote: q a -> q A"},
      {"level anchor", [](json& d) { d["competencies"][0]["levels"][2]["en"] = "a3!"; },
       "changed competency alpha levels.3.en: a3 -> a3!"},
      {"ats alias added", [](json& d) { d["competencies"][0]["ats_aliases"].push_back("Alpha skill"); },
       "added competency alpha ats_aliases: - -> Alpha skill"},
      {"ats alias removed", [](json& d) { d["competencies"][0]["ats_aliases"] = json::array(); },
       "removed competency alpha ats_aliases: ALPHA -> -"},
      {"method added",
       [](json& d) {
         d["methods"].push_back({{"id", "test"}, {"name", {{"en", "Test"}}},
                                 {"scale", {{"type", "numeric"}, {"min", 0}, {"max", 1}}}});
       },
       "added method test: - -> Test"},
      {"method removed", [](json& d) { d["methods"].erase(2); }, "removed method unused_method: Unused -> -"},
      {"method name", [](json& d) { d["methods"][0]["name"]["en"] = "Structured interview"; },
       "changed method interview name.en: Interview -> Structured interview"},
      {"scale max", [](json& d) { d["methods"][0]["scale"]["max"] = 7; },
       "changed method interview scale.max: 5 -> 7"},
      {"named level number", [](json& d) { d["methods"][1]["scale"]["levels"]["mixed"] = 2.5; },
       "changed method scorecard scale.levels.mixed: 2 -> 2.5"},
      {"named level added", [](json& d) { d["methods"][1]["scale"]["levels"]["strong_yes"] = 3; },
       "added method scorecard scale.levels.strong_yes: - -> 3"},
      {"missing name added", [](json& d) { d["methods"][1]["scale"]["missing"].push_back("n_a"); },
       "added method scorecard scale.missing: - -> n_a"},
      {"evidence changed", [](json& d) { d["evidence_matrix"]["scorecard"]["alpha"] = 1.5; },
       "changed evidence scorecard/alpha weight: 2 -> 1.5"},
      {"evidence added", [](json& d) { d["evidence_matrix"]["scorecard"]["beta"] = 1; },
       "added evidence scorecard/beta weight: - -> 1"},
      {"evidence removed", [](json& d) { d["evidence_matrix"]["interview"].erase("beta"); },
       "removed evidence interview/beta weight: 1 -> -"},
      {"profile added",
       [](json& d) {
         json p = d["profiles"][1];
         p["id"] = "r";
         p["name"]["en"] = "R";
         d["profiles"].push_back(p);
       },
       "added profile r: - -> R"},
      {"profile removed", [](json& d) { d["profiles"].erase(1); }, "removed profile q: Q -> -"},
      {"profile name", [](json& d) { d["profiles"][0]["name"]["zh-CN"] = "皮"; },
       "added profile p name.zh-CN: - -> 皮"},
      {"fit model", [](json& d) { d["profiles"][0]["fit_model"] = "profile_match"; },
       "changed profile p fit_model: attainment -> profile_match"},
      {"min coverage", [](json& d) { d["profiles"][0]["min_coverage"] = 0.9; },
       "changed profile p min_coverage: 0.8 -> 0.9"},
      {"reliability", [](json& d) { d["profiles"][1]["reliability"] = {{"value", 0.85}}; },
       "added profile q reliability.value: - -> 0.85"},
      {"title alias", [](json& d) { d["profiles"][0]["title_aliases"].push_back("Pea"); },
       "added profile p title_aliases: - -> Pea"},
      {"target added (weight 0)",
       [](json& d) { d["profiles"][1]["targets"]["spare"] = {{"target", 2}, {"weight", 0}}; },
       "added target q/spare: - -> target 2, weight 0 (raw weight 0)"},
      {"target level", [](json& d) { d["profiles"][0]["targets"]["beta"]["target"] = 3; },
       "changed target p/beta target: 2 -> 3"},
      {"hurdle added", [](json& d) { d["profiles"][0]["targets"]["beta"]["minimum"] = 2; },
       "added target p/beta minimum: - -> 2"},
      {"hurdle removed", [](json& d) { d["profiles"][0]["targets"]["alpha"].erase("minimum"); },
       "removed target p/alpha minimum: 2 -> -"},
      {"hurdle changed", [](json& d) { d["profiles"][0]["targets"]["alpha"]["minimum"] = 3; },
       "changed target p/alpha minimum: 2 -> 3"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(changes_of(c.edit) == strings{c.expected});
  }
}

TEST_CASE("model diff: the model's id and version", "[model_diff]") {
  json doc = base_doc();
  doc["version"] = "1.1.0";
  auto got = lines(base_doc(), doc);
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "changed model version: 1.0.0 -> 1.1.0");
  CHECK(is_hash(got[1]));
}

TEST_CASE("model diff: weights are compared normalised", "[model_diff]") {
  // Rescaling every raw weight of a profile changes no weight.
  CHECK(changes_of([](json& d) {
          d["profiles"][0]["targets"]["alpha"]["weight"] = 4;
          d["profiles"][0]["targets"]["beta"]["weight"] = 2;
        }).empty());
  // A raw weight of 2 -> 3 moves both normalised weights: 2/3 -> 3/4, 1/3 -> 1/4.
  CHECK(changes_of([](json& d) { d["profiles"][0]["targets"]["alpha"]["weight"] = 3; }) ==
        strings{"changed target p/alpha weight: 0.666667 -> 0.75 (raw weight 2 -> 3)",
                "changed target p/beta weight: 0.333333 -> 0.25 (raw weight 1 in both)"});
  // A weight given that equals the one derived from ownership changes nothing.
  CHECK(changes_of([](json& d) { d["profiles"][1]["targets"]["alpha"]["weight"] = 3; }).empty());
  // Below the tolerance is no change.
  auto a = parse_model(base_doc()), b = a;
  b.profiles[0].targets[0].weight += 1e-13;
  CHECK(diff_models(a, b).empty());
  b.profiles[0].targets[0].weight += 1e-11;
  CHECK(diff_models(a, b).size() == 1);
}

TEST_CASE("model diff: items in the new order, removed ones after in the old order", "[model_diff]") {
  json doc = base_doc();
  // New order: spare, alpha (beta removed), then a new competency; beta's
  // evidence and target go with it.
  json alpha = doc["competencies"][0], spare = doc["competencies"][2], delta = spare;
  delta["id"] = "delta";
  doc["competencies"] = json::array({spare, alpha, delta});
  doc["competencies"][1]["definition"]["en"] = "def A";
  doc["competencies"][0]["definition"]["en"] = "def S";
  doc["evidence_matrix"]["interview"].erase("beta");
  doc["profiles"][0]["targets"].erase("beta");
  doc["profiles"][0]["targets"]["spare"] = {{"target", 1}, {"weight", 1}};
  doc["profiles"][0]["targets"]["alpha"]["target"] = 2;
  // Profiles: q first, p's title alias removed, a new profile last.
  json p = doc["profiles"][0], q = doc["profiles"][1], s = q;
  s["id"] = "s";
  p["title_aliases"] = json::array();
  doc["profiles"] = json::array({q, p, s});

  const strings expected = {
      "changed competency spare definition.en: def s -> def S",
      "changed competency alpha definition.en: def a -> def A",
      "added competency delta: - -> Spare",
      "removed competency beta: Beta -> -",
      "removed evidence interview/beta weight: 1 -> -",
      "removed profile p title_aliases: Pee -> -",
      "added target p/spare: - -> target 1, weight 0.333333 (raw weight 1)",
      "changed target p/alpha target: 3 -> 2",
      "removed target p/beta: target 2, weight 0.333333 -> - (raw weight 1)",
      "added profile s: - -> Q",
  };
  auto got = lines(base_doc(), doc);
  REQUIRE(got.size() == expected.size() + 1);
  CHECK(is_hash(got.front()));
  CHECK(strings(got.begin() + 1, got.end()) == expected);
  // The same inputs give the same list.
  CHECK(lines(base_doc(), doc) == got);
}

TEST_CASE("model diff: a method's scale changing type", "[model_diff]") {
  auto got = changes_of([](json& d) {
    d["methods"][0]["scale"] = {{"type", "levels"}, {"levels", {{"no", 1}, {"yes", 5}}}};
  });
  CHECK(got == strings{"changed method interview scale.type: numeric -> levels",
                       "added method interview scale.levels.no: - -> 1",
                       "added method interview scale.levels.yes: - -> 5",
                       "removed method interview scale.min: 1 -> -",
                       "removed method interview scale.max: 5 -> -"});
}

TEST_CASE("model diff: names of kinds and subjects", "[model_diff]") {
  CHECK(std::string(to_string(change_kind::removed)) == "removed");
  CHECK(std::string(to_string(change_subject::evidence)) == "evidence");
  CHECK(std::string(to_string(change_subject::target)) == "target");
}

TEST_CASE("model diff: the kept 1.0.0 sales_enablement model", "[model_diff]") {
  auto kept = load_model(MERIT_SOURCE_DIR "/tests/data/models/sales_enablement-1.0.0.json");
  auto mini = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  CHECK(kept.version == "1.0.0");
  auto changes = diff_models(kept, mini);
  REQUIRE(changes.size() > 3);
  CHECK(line(changes[0]) == "changed model id: sales_enablement -> mini");
  CHECK(line(changes[1]) == "changed model version: 1.0.0 -> 0.1.0");
}
