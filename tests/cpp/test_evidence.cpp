#include <merit/evidence.hpp>
#include <merit/io/model.hpp>
#include <merit/io/evidence.hpp>

#include "shipped_models.hpp"

#include <catch2/catch.hpp>


#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <tuple>

using namespace merit;
using Catch::Matchers::WithinAbs;

namespace {
const std::string ev = MERIT_SOURCE_DIR "/tests/data/evidence/";
nlohmann::json mini_doc() { return nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json")); }
const competency_model& mini() {
  static const competency_model m = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  return m;
}
observation_table read_long(const std::string& file, const competency_model& m = mini()) {
  auto r = io::csv_reader::open(ev + file);
  return io::read_long_csv(r, m);
}
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const merit::error& e) {
    std::string w = e.what();
    for (auto p = w.find(ev); p != std::string::npos; p = w.find(ev)) w.erase(p, ev.size());
    return w;
  }
  return "no error";
}
// A model on 1..L with one numeric method on 1..L (identity mapping) measuring
// `C` competencies c0, c1, ...
competency_model identity_model(int L, int C) {
  auto doc = nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json"));
  doc["scale"]["levels"] = L;
  nlohmann::json base = doc["competencies"][0];
  base["levels"] = nlohmann::json::array();
  for (int l = 1; l <= L; ++l) base["levels"].push_back({{"level", l}, {"en", "anchor"}});
  doc["competencies"] = nlohmann::json::array();
  nlohmann::json measured = nlohmann::json::object(), targets = nlohmann::json::object();
  for (int c = 0; c < C; ++c) {
    base["id"] = "c" + std::to_string(c);
    base["name"] = {{"en", "Competency " + std::to_string(c)}};  // one ATS attribute name per competency
    base["ats_aliases"] = nlohmann::json::array();
    doc["competencies"].push_back(base);
    measured[base["id"].get<std::string>()] = 1;
    targets[base["id"].get<std::string>()] = {{"target", 2}};
  }
  doc["methods"] = {{{"id", "panel"}, {"name", {{"en", "Panel"}}}, {"scale", {{"type", "numeric"}, {"min", 1}, {"max", L}}}}};
  doc["evidence_matrix"] = {{"panel", measured}};
  doc["profiles"] = {{{"id", "p"}, {"name", {{"en", "P"}}}, {"targets", targets}}};
  return parse_model(doc);
}
}  // namespace

TEST_CASE("evidence: values map onto 1..L through the method's scale", "[evidence]") {
  const auto& m = mini();
  CHECK(*map_to_level(m.methods[1], 5, "75", "x") == 4.0);  // work sample 0..100
  CHECK(*map_to_level(m.methods[1], 5, "0", "x") == 1.0);
  CHECK(*map_to_level(m.methods[2], 5, "strong_yes", "x") == 5.0);
  CHECK_FALSE(map_to_level(m.methods[2], 5, "no_decision", "x"));
  CHECK_FALSE(map_to_level(m.methods[0], 5, "", "x"));
  CHECK_FALSE(map_to_level(m.methods[0], 5, "null", "x"));
  CHECK(message_of([&] { map_to_level(m.methods[1], 5, "101", "f:2:5"); }) ==
        "f:2:5: value 101 is outside the scale of method 'work_sample' (0..100)");
  CHECK(message_of([&] { map_to_level(m.methods[2], 5, "maybe", "f:2:5"); }) ==
        "f:2:5: unknown level 'maybe' for method 'scorecard' (expected one of: definitely_not, no, mixed, yes, "
        "strong_yes, no_decision)");
  CHECK(message_of([&] { map_to_level(m.methods[0], 5, "four", "f:2:5"); }) ==
        "f:2:5: non-numeric value 'four' for method 'interview' (numeric scale 1..5)");
}

TEST_CASE("evidence: aggregation by hand", "[evidence]") {
  auto obs = read_long("long_good.csv");
  CHECK(obs.missing == 2);  // no_decision and a blank value are not observations
  auto s = aggregate(mini(), obs);
  REQUIRE(s.ids == std::vector<std::string>{"A1", "B2"});
  // alpha: interview raters 4 and 5 -> 4.5 (weight 1); work sample 75 -> 4 (weight 2).
  CHECK_THAT(s.scores(0, 0), WithinAbs((4.5 + 2 * 4.0) / 3, 1e-12));
  CHECK(s.ratings(0, 0) == 3);
  CHECK(s.methods(0, 0) == 0b011u);
  CHECK_THAT(s.rater_sd(0, 0), WithinAbs(std::sqrt(1.0 / 3), 1e-12));  // SD of 4, 5, 4
  CHECK_THAT(s.se(0, 0), WithinAbs(std::sqrt(1.0 / 3) / std::sqrt(3.0), 1e-12));
  CHECK(std::isnan(s.scores(0, 1)));  // beta: only missing values
  CHECK(s.scores(0, 2) == 4.0);       // gamma: "yes" on the scorecard
  CHECK(std::isnan(s.se(0, 2)));      // one rating: no standard error
  CHECK(s.scores(1, 0) == 3.0);
}

TEST_CASE("evidence: JSON Lines give the same scores as long CSV", "[evidence]") {
  const std::string text = read_text_file<input_error>(ev + "good.jsonl");
  auto a = aggregate(mini(), io::read_jsonl(text, "good.jsonl", mini()));
  auto b = aggregate(mini(), read_long("long_good.csv"));
  CHECK(a.ids == b.ids);
  CHECK((a.scores.array().isNaN() == b.scores.array().isNaN()).all());
  CHECK(a.scores.array().isNaN().select(0.0, a.scores).isApprox(b.scores.array().isNaN().select(0.0, b.scores)));
}

TEST_CASE("evidence: duplicate observations are averaged per rater, or rejected on request", "[evidence]") {
  auto obs = read_long("long_duplicate.csv");
  auto s = aggregate(mini(), obs);
  // r1 rated 4 and 2 -> one rating of 3; r2 rated 5 -> (3 + 5) / 2.
  CHECK(s.scores(0, 0) == 4.0);
  CHECK(s.duplicates == 1);
  aggregate_options strict;
  strict.duplicates = duplicate_policy::error;
  CHECK(message_of([&] { aggregate(mini(), obs, strict); }) ==
        "long_duplicate.csv:4: duplicate observation: candidate 'A1', competency 'alpha', method 'interview', rater "
        "'r1' (first at long_duplicate.csv:2)");
}

TEST_CASE("evidence: methods that agree give exactly their level, whatever their weights", "[evidence]") {
  // (0.42 * 3 + 0.40 * 3) / (0.42 + 0.40) rounds to 2.9999999999999996, which would
  // fail a hurdle of 3: the weighted mean is kept between its terms.
  auto doc = mini_doc();
  doc["evidence_matrix"]["interview"]["alpha"] = 0.42;
  doc["evidence_matrix"]["scorecard"]["alpha"] = 0.40;
  const auto m = parse_model(doc);
  REQUIRE((0.42 * 3 + 0.40 * 3) / (0.42 + 0.40) != 3.0);
  for (const auto& [number, name] : std::vector<std::pair<std::string, std::string>>{
           {"1", "definitely_not"}, {"2", "no"}, {"3", "mixed"}, {"4", "yes"}, {"5", "strong_yes"}}) {
    const std::string text = "candidate_id,competency_id,method,rater,value\nA,alpha,interview,r1," + number +
                             "\nA,alpha,scorecard,r2," + name + "\n";
    io::csv_reader r(text, "x.csv");
    CHECK(aggregate(m, io::read_long_csv(r, m)).scores(0, 0) == std::stod(number));
  }
}

TEST_CASE("evidence: a cell's ratings are summed in rater-id order, however the raters were interned",
          "[evidence]") {
  // Levels 1 + k/7 on a 1..8 scale: (a + b) + c and (c + b) + a differ in the
  // last bit, so summing in interning order would make the score depend on
  // which rater an export happened to list first.
  const auto m = identity_model(8, 1);
  const double a = 1 + 1 / 7.0, b = 1 + 2 / 7.0, c = 1 + 3 / 7.0;
  REQUIRE((a + b) + c != (c + b) + a);
  auto table = [&](const std::vector<std::string>& order) {
    observation_table obs;
    const auto cand = obs.candidate_index("A");
    for (const auto& r : order) obs.rater_index(r);
    const std::map<std::string, double> level{{"ra", a}, {"rb", b}, {"rc", c}};
    for (const auto& r : std::vector<std::string>{"rc", "ra", "rb"}) obs.add(cand, 0, 0, obs.rater_index(r), level.at(r));
    return obs;
  };
  const double forward = aggregate(m, table({"ra", "rb", "rc"})).scores(0, 0);
  const double backward = aggregate(m, table({"rc", "rb", "ra"})).scores(0, 0);
  CHECK(forward == backward);
  CHECK(forward == ((a + b) + c) / 3);  // ra, rb, rc: byte order of the ids
}

TEST_CASE("evidence: the row resolver maps values exactly as map_to_level does", "[evidence]") {
  // Whole numbers come from a table it fills with map_to_level; everything
  // else goes to map_to_level itself. Both must give map_to_level's doubles.
  const auto& m = mini();
  io::detail::row_resolver resolve(m, true);
  auto place = [](int k) { return "f:2:" + std::to_string(k + 1); };
  struct {
    std::uint32_t competency, method;
    double level;
  } row{};
  for (const char* meth : {"interview", "work_sample"}) {
    const auto& method = m.methods[*m.find_method(meth)];
    for (int v = 0; v <= 100; ++v)
      for (const std::string& raw : {std::to_string(v), std::to_string(v) + ".5", "0" + std::to_string(v)}) {
        const bool in_scale = std::stod(raw) >= method.scale.min && std::stod(raw) <= method.scale.max;
        if (!in_scale) continue;
        INFO(meth << " " << raw);
        REQUIRE(resolve("A1", "alpha", meth, "r1", raw, place, row));
        REQUIRE(row.level == *map_to_level(method, m.levels, raw, ""));
        REQUIRE(row.method == *m.find_method(meth));
        REQUIRE(row.competency == 0);
      }
  }
  CHECK(resolve("A1", "gamma", "scorecard", "r1", "yes", place, row));
  CHECK(row.level == 4.0);
  CHECK(row.competency == 2);
  CHECK_FALSE(resolve("A1", "alpha", "scorecard", "r1", "no_decision", place, row));
  CHECK_FALSE(resolve("A1", "alpha", "interview", "r1", "", place, row));
  CHECK(message_of([&] { resolve("A1", "alpha", "interview", "r1", "6", place, row); }) ==
        "f:2:5: value 6 is outside the scale of method 'interview' (1..5)");
  CHECK(message_of([&] { resolve("A1", "delta", "interview", "r1", "4", place, row); }) ==
        "f:2:2: unknown competency 'delta'");
  CHECK(message_of([&] { resolve("A1", "gmama", "interview", "r1", "4", place, row); }) ==
        "f:2:2: unknown competency 'gmama' (did you mean 'gamma'?)");
  CHECK(message_of([&] { resolve("", "alpha", "interview", "r1", "4", place, row); }) == "f:2:1: empty candidate_id");
  CHECK(message_of([&] { resolve("A1", "alpha", "interview", "", "4", place, row); }) ==
        "f:2:4: missing rater: every rating needs its rater");
  CHECK(message_of([&] { resolve("A1", "beta", "work_sample", "r1", "50", place, row); }) ==
        "f:2:3: method 'work_sample' does not measure competency 'beta' in the model's evidence matrix");
  io::detail::row_resolver lenient(m, false);  // the reading path: aggregate checks the evidence matrix
  CHECK(lenient("A1", "beta", "work_sample", "r1", "50", place, row));
}

TEST_CASE("evidence: bad long input names its place", "[evidence]") {
  CHECK(message_of([] { read_long("long_unknown_method.csv"); }) ==
        "long_unknown_method.csv:3:10: unknown method 'astrology' (the model has: interview, work_sample, scorecard)");
  CHECK(message_of([] { read_long("long_value_outside.csv"); }) ==
        "long_value_outside.csv:3:25: value 120 is outside the scale of method 'work_sample' (0..100)");
  CHECK(message_of([] { read_long("long_unknown_level.csv"); }) ==
        "long_unknown_level.csv:3:22: unknown level 'maybe' for method 'scorecard' (expected one of: definitely_not, "
        "no, mixed, yes, strong_yes, no_decision)");
  CHECK(message_of([] { read_long("long_missing_rater.csv"); }) ==
        "long_missing_rater.csv:3:19: missing rater: every rating needs its rater");
  CHECK(message_of([] { aggregate(mini(), read_long("long_not_measured.csv")); }) ==
        "long_not_measured.csv:3: method 'work_sample' does not measure competency 'beta' in the model's evidence matrix");
}

TEST_CASE("evidence: Greenhouse scorecards", "[evidence][greenhouse]") {
  const auto model = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  auto load = [&](const std::string& file) {
    auto text = read_text_file<input_error>(ev + file);
    io::evidence_report rep;
    auto obs = io::read_greenhouse(io::parse_json<input_error>(text, ev + file), ev + file, model, &rep);
    return std::make_pair(obs, rep);
  };
  auto [obs, rep] = load("greenhouse_scorecards.json");
  CHECK(rep.scorecards == 5);
  // Unmapped attributes are reported with their counts, never dropped silently.
  CHECK(rep.unmapped == std::map<std::string, std::size_t>{{"Culture Add", 1}, {"Excel Modelling", 1}});
  CHECK(obs.missing == 1);  // one no_decision
  // Both interviews are structured interviews (sources.greenhouse); raters by employee id.
  const auto interview = *model.find_method("structured_interview");
  for (std::size_t i = 0; i < obs.size(); ++i) CHECK(obs.method[i] == interview);
  CHECK(obs.rater_ids == std::vector<std::string>{"E0011", "E0012", "E0013"});
  auto s = aggregate(model, obs);
  REQUIRE(s.ids == std::vector<std::string>{"36987001", "36987002"});
  const auto clarity = static_cast<Eigen::Index>(*model.find_competency("content_clarity"));
  const auto training = static_cast<Eigen::Index>(*model.find_competency("sales_training"));
  CHECK(s.scores(0, clarity) == Approx((5 + 4 + 4) / 3.0));  // strong_yes, yes, "content clarity" yes
  CHECK(s.scores(0, training) == Approx((4 + 5 + 4) / 3.0));  // incl. the Chinese alias 销售培训
  CHECK(s.ratings(0, clarity) == 3);
  CHECK(s.scores(1, clarity) == Approx(1.5));  // no, definitely_not

  CHECK(message_of([&] { load("gh_no_candidate.json"); }) ==
        "gh_no_candidate.json#/1: scorecard names no candidate (candidate_id is missing or null)");
  CHECK(message_of([&] { load("gh_no_attributes.json"); }) == "gh_no_attributes.json#/1/attributes: scorecard has no attributes");
  CHECK(message_of([&] { load("gh_unknown_level.json"); }) ==
        "gh_unknown_level.json#/0/attributes/1/rating: unknown level 'maybe' for source 'greenhouse' "
        "(expected one of: definitely_not, no, mixed, yes, strong_yes, no_decision)");
}

TEST_CASE("evidence: a model without sources.greenhouse reads Greenhouse with its greenhouse_scorecard method",
          "[evidence][greenhouse]") {
  auto doc = mini_doc();
  doc["methods"][2]["id"] = "greenhouse_scorecard";
  doc["evidence_matrix"]["greenhouse_scorecard"] = doc["evidence_matrix"]["scorecard"];
  doc["evidence_matrix"].erase("scorecard");
  const auto m = parse_model(doc);
  auto cards = nlohmann::json::parse(R"([{"candidate_id": 7, "interview": "Anything",
    "interviewer": {"id": 4080011, "employee_id": "E0011"}, "attributes": [{"name": "Alpha", "rating": "yes"}]}])");
  auto t = io::read_greenhouse(cards, "gh.json", m);
  REQUIRE(t.size() == 1);
  CHECK(m.methods[t.method[0]].id == "greenhouse_scorecard");
  CHECK(t.level[0] == 4.0);
  CHECK(t.rater_ids == std::vector<std::string>{"4080011"});
  CHECK(message_of([&] { io::read_greenhouse(cards, "gh.json", mini()); }) ==
        "gh.json#: the model has no sources.greenhouse and no method 'greenhouse_scorecard' to read Greenhouse ratings "
        "with");
  CHECK(message_of([&] {
          cards[0]["attributes"][0]["rating"] = "maybe";
          io::read_greenhouse(cards, "gh.json", m);
        }) == "gh.json#/0/attributes/0/rating: unknown level 'maybe' for method 'greenhouse_scorecard' (expected one of: "
              "definitely_not, no, mixed, yes, strong_yes, no_decision)");
}

TEST_CASE("evidence: leniency on the Shrout & Fleiss data (REFERENCE_VALUES.md)", "[evidence][calibration]") {
  const auto m = identity_model(10, 1);
  const double data[6][4] = {{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}};
  observation_table obs;
  for (int t = 0; t < 6; ++t)
    for (int j = 0; j < 4; ++j)
      obs.add(obs.candidate_index("S" + std::to_string(t + 1)), 0, 0, obs.rater_index("J" + std::to_string(j + 1)),
              data[t][j]);
  aggregate_options opt;
  opt.calibration = calibration::leniency;
  auto s = aggregate(m, obs, opt);
  const double judge_means[4] = {7.666667, 2.5, 4.333333, 6.666667}, grand = 5.291667;
  for (int j = 0; j < 4; ++j) {
    CHECK_THAT(s.raters[static_cast<std::size_t>(j)].mean, WithinAbs(judge_means[j], 1e-6));
    CHECK_THAT(s.raters[static_cast<std::size_t>(j)].leniency, WithinAbs(judge_means[j] - grand, 1e-6));
    CHECK(s.raters[static_cast<std::size_t>(j)].ratings == 6);
  }
  const double target_means[6] = {6, 3, 6.5, 4, 7.5, 4.75};
  for (Eigen::Index t = 0; t < 6; ++t) CHECK_THAT(s.scores(t, 0), WithinAbs(target_means[t], 1e-9));
}

TEST_CASE("evidence: calibration recovers known rater leniency in a simulated panel", "[evidence][calibration]") {
  // 300 candidates x 6 competencies, each cell rated by 3 of 20 raters drawn
  // at random (an incomplete design, as real interview loops are), ratings =
  // truth + leniency + N(0, sigma). The least-squares offset of a rater with
  // n ratings has a standard error of about sigma * sqrt(k / ((k - 1) n))
  // (k = 3 raters per cell): we require every estimate within 5 of those.
  const int N = 300, C = 6, R = 20, k = 3;
  const double sigma = 0.3;
  const auto m = identity_model(9, C);
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, sigma);
  std::uniform_real_distribution<double> truth(3, 7), len(-0.8, 0.8);
  std::vector<double> lenience(R);
  double mean_len = 0;
  for (auto& l : lenience) mean_len += (l = len(rng)) / R;
  observation_table obs;
  std::vector<int> raters(R);
  std::iota(raters.begin(), raters.end(), 0);
  for (int i = 0; i < N; ++i) {
    std::shuffle(raters.begin(), raters.end(), rng);
    for (int c = 0; c < C; ++c) {
      const double t = truth(rng);
      for (int r = 0; r < k; ++r) {
        const int who = raters[static_cast<std::size_t>(r)];
        obs.add(obs.candidate_index("c" + std::to_string(i)), static_cast<std::uint32_t>(c), 0,
                obs.rater_index("r" + std::to_string(who)), t + lenience[static_cast<std::size_t>(who)] + noise(rng));
      }
    }
  }
  aggregate_options opt;
  opt.calibration = calibration::leniency;
  auto s = aggregate(m, obs, opt);
  for (const auto& rep : s.raters) {
    const int who = std::stoi(rep.id.substr(1));
    const double expected = lenience[static_cast<std::size_t>(who)] - mean_len;
    const double tol = 5 * sigma * std::sqrt(double(k) / ((k - 1) * double(rep.ratings)));
    INFO(rep.id << " n=" << rep.ratings << " estimated " << rep.leniency << " true " << expected);
    CHECK(std::fabs(rep.leniency - expected) < tol);
  }
  // Without calibration the offsets are not estimated (it costs passes).
  auto raw = aggregate(m, obs);
  CHECK(std::isnan(raw.raters[0].leniency));
}

TEST_CASE("evidence: z-scoring within rater", "[evidence][calibration]") {
  const auto m = identity_model(10, 1);
  observation_table obs;
  // Rater a uses 2..4, rater b uses 6..10 for the same three candidates.
  const double a[3] = {2, 3, 4}, b[3] = {6, 8, 10};
  for (int t = 0; t < 3; ++t) {
    obs.add(obs.candidate_index("t" + std::to_string(t)), 0, 0, obs.rater_index("a"), a[t]);
    obs.add(obs.candidate_index("t" + std::to_string(t)), 0, 0, obs.rater_index("b"), b[t]);
  }
  aggregate_options opt;
  opt.calibration = calibration::zscore;
  auto s = aggregate(m, obs, opt);
  // Both raters give z = -1, 0, 1: candidates differ by equal steps around the grand mean 5.5.
  CHECK_THAT(s.scores(1, 0), WithinAbs(5.5, 1e-12));
  CHECK_THAT(s.scores(2, 0) - s.scores(1, 0), WithinAbs(s.scores(1, 0) - s.scores(0, 0), 1e-12));
  CHECK_THAT(s.rater_sd(0, 0), WithinAbs(0.0, 1e-12));  // after z-scoring the raters agree
}

namespace {
// The mini model with its work sample mapped through uneven cut points.
competency_model cut_model(const std::vector<double>& cuts) {
  auto doc = mini_doc();
  doc["methods"][1]["scale"]["cut_points"] = cuts;
  doc["methods"][1]["scale"]["basis"] = {{"en", "the rubric's level definitions"}};
  return parse_model(doc);
}
std::string text_of(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

TEST_CASE("evidence: numeric values map through the model's cut points", "[evidence][scales]") {
  const std::vector<double> cuts{15, 35, 49.5, 90};
  const auto m = cut_model(cuts);
  const method& ws = m.methods[1];
  auto level = [&](const std::string& raw) { return *map_to_level(ws, 5, raw, "x"); };
  CHECK(level("0") == 1.0);
  CHECK(level("100") == 5.0);
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    const double c = cuts[k], at = 2.0 + static_cast<double>(k);  // c_{k+2} opens level k + 2
    INFO("cut " << c);
    CHECK(level(text_of(c)) == at);
    CHECK(level(text_of(std::nextafter(c, 0.0))) == at - 1);
    CHECK(level(text_of(c - 0.5)) == at - 1);
    CHECK(level(text_of(std::nextafter(c, 100.0))) == at);
    CHECK(level(text_of(c + 0.5)) == at);
  }
  CHECK(level("49") == 3.0);  // not the 2.96 of a linear mapping, and no hurdle falls on an unset pass mark
  CHECK(message_of([&] { map_to_level(ws, 5, "100.5", "f:2:5"); }) ==
        "f:2:5: value 100.5 is outside the scale of method 'work_sample' (0..100)");
  // Without cut points the first format's linear mapping is kept.
  CHECK(*map_to_level(mini().methods[1], 5, "49", "x") == Approx(2.96));
}

TEST_CASE("evidence: the row resolver's whole-number table agrees with map_to_level under cut points",
          "[evidence][scales]") {
  const auto m = cut_model({15, 35, 49.5, 90});
  const method& ws = m.methods[1];
  io::detail::row_resolver resolve(m, true);
  auto place = [](int k) { return "f:2:" + std::to_string(k + 1); };
  struct {
    std::uint32_t competency, method;
    double level;
  } row{};
  for (int v = 0; v <= 100; ++v)
    for (const std::string& raw : {std::to_string(v), std::to_string(v) + ".5", "0" + std::to_string(v)}) {
      if (std::stod(raw) > 100) continue;
      INFO(raw);
      REQUIRE(resolve("A1", "alpha", "work_sample", "r1", raw, place, row));
      REQUIRE(row.level == *map_to_level(ws, m.levels, raw, ""));
    }
}

TEST_CASE("evidence: every scale of every model in competency_models/ maps its worst value to 1 and its best to L",
          "[evidence][scales]") {
  const std::string dir = MERIT_SOURCE_DIR "/competency_models/";
  const std::vector<std::string> files = merit::test::shipped_model_files();
  REQUIRE(!files.empty());
  for (const auto& f : files) {
    const auto m = load_model(dir + f);
    std::vector<std::pair<std::string, const method_scale*>> scales;
    for (const auto& k : m.methods) scales.emplace_back("method '" + k.id + "'", &k.scale);
    if (m.sources.greenhouse) scales.emplace_back("source 'greenhouse'", &m.sources.greenhouse->scale);
    for (const auto& [whose, s] : scales) {
      INFO(f << " " << whose);
      std::string worst, best;
      if (s->kind == method_scale::numeric) {
        worst = detail::number_text(s->min);
        best = detail::number_text(s->max);
      } else {
        REQUIRE(s->named.size() >= 2);
        worst = s->named.front().first;
        best = s->named.back().first;
      }
      CHECK(*map_to_level(*s, m.levels, worst, "x", whose) == 1.0);
      CHECK(*map_to_level(*s, m.levels, best, "x", whose) == static_cast<double>(m.levels));
    }
  }
}

namespace {
// The mini model reading Greenhouse through sources.greenhouse: the case
// interview and the panel are interviews, the take-home a work sample.
competency_model greenhouse_model(const std::string& rater, bool with_default) {
  auto doc = mini_doc();
  doc["sources"] = {{"greenhouse",
                     {{"scale",
                       {{"type", "levels"},
                        {"levels", {{"definitely_not", 1}, {"no", 2}, {"mixed", 3}, {"yes", 4}, {"strong_yes", 5}}},
                        {"missing", {"no_decision"}}}},
                      {"interviews", {{"Case Interview", "interview"}, {"Panel", "interview"}, {"Take-home", "work_sample"}}},
                      {"rater", rater}}}};
  if (with_default) doc["sources"]["greenhouse"]["default_method"] = "scorecard";
  return parse_model(doc);
}
nlohmann::json scorecard(const std::string& interview_key, const std::string& interview, const std::string& rating) {
  auto sc = nlohmann::json::parse(R"({"candidate_id": 7, "interviewer": {"id": 4080011, "employee_id": "E0011"},
                                      "attributes": [{"name": "Alpha", "rating": "yes"}]})");
  if (interview_key == "interview") sc["interview"] = interview;
  if (interview_key == "interview_step") sc["interview_step"] = {{"id", 1}, {"name", interview}};
  sc["attributes"][0]["rating"] = rating;
  return sc;
}
}  // namespace

TEST_CASE("evidence: Greenhouse interviews map to the model's methods through sources.greenhouse",
          "[evidence][greenhouse]") {
  const auto m = greenhouse_model("employee_id", false);
  auto read = [&](const nlohmann::json& cards) { return io::read_greenhouse(cards, "gh.json", m); };
  // The interview's name, exactly or in another case, or its step's name.
  for (const auto& [key, name, method] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"interview", "Case Interview", "interview"},
           {"interview", "case interview", "interview"},
           {"interview_step", "Take-home", "work_sample"}}) {
    INFO(key << " " << name);
    auto t = read(nlohmann::json::array({scorecard(key, name, "strong_yes")}));
    REQUIRE(t.size() == 1);
    CHECK(m.methods[t.method[0]].id == method);
    CHECK(t.level[0] == 5.0);  // through the source's scale, whatever the method's scale is
    CHECK(t.rater_ids == std::vector<std::string>{"E0011"});
  }
  // `interview` wins over the step's name.
  auto both = scorecard("interview", "Panel", "no");
  both["interview_step"] = {{"name", "Take-home"}};
  CHECK(m.methods[read(nlohmann::json::array({both})).method[0]].id == "interview");
  auto t = read(nlohmann::json::array({scorecard("interview", "Panel", "no_decision")}));
  CHECK(t.size() == 0);
  CHECK(t.missing == 1);

  CHECK(message_of([&] { read(nlohmann::json::array({scorecard("interview", "Panel", "maybe")})); }) ==
        "gh.json#/0/attributes/0/rating: unknown level 'maybe' for source 'greenhouse' (expected one of: "
        "definitely_not, no, mixed, yes, strong_yes, no_decision)");
  CHECK(message_of([&] { read(nlohmann::json::array({scorecard("interview", "Phone Screen", "yes")})); }) ==
        "gh.json#/0/interview: interview 'Phone Screen' maps to no method (sources.greenhouse.interviews has: Case "
        "Interview, Panel, Take-home; no default_method)");
  CHECK(message_of([&] { read(nlohmann::json::array({scorecard("interview_step", "Phone Screen", "yes")})); }) ==
        "gh.json#/0/interview_step/name: interview 'Phone Screen' maps to no method (sources.greenhouse.interviews "
        "has: Case Interview, Panel, Take-home; no default_method)");
  CHECK(message_of([&] { read(nlohmann::json::array({scorecard("", "", "yes")})); }) ==
        "gh.json#/0: scorecard names no interview (interview and interview_step.name are missing) to map to a method "
        "(sources.greenhouse.interviews has: Case Interview, Panel, Take-home; no default_method)");
  auto no_employee_id = scorecard("interview", "Panel", "yes");
  no_employee_id["interviewer"].erase("employee_id");
  CHECK(message_of([&] { read(nlohmann::json::array({no_employee_id})); }) ==
        "gh.json#/0: scorecard names no interviewer (interviewer.employee_id and submitted_by.employee_id are missing)");
  no_employee_id["submitted_by"] = {{"id", 1}, {"employee_id", "E0099"}};
  CHECK(read(nlohmann::json::array({no_employee_id})).rater_ids == std::vector<std::string>{"E0099"});

  // With a default method, an unlisted or unnamed interview goes there.
  const auto with_default = greenhouse_model("id", true);
  for (const auto& card : {scorecard("interview", "Phone Screen", "mixed"), scorecard("", "", "mixed")}) {
    auto d = io::read_greenhouse(nlohmann::json::array({card}), "gh.json", with_default);
    REQUIRE(d.size() == 1);
    CHECK(with_default.methods[d.method[0]].id == "scorecard");
    CHECK(d.level[0] == 3.0);                                  // mixed: strengths and concerns both seen
    CHECK(d.rater_ids == std::vector<std::string>{"4080011"});  // "rater": "id"
  }
}

TEST_CASE("evidence: an interview read from Greenhouse and from long CSV is one rating arriving twice",
          "[evidence][greenhouse]") {
  const auto m = greenhouse_model("employee_id", false);
  auto cards = nlohmann::json::array({scorecard("interview", "Case Interview", "strong_yes")});
  cards[0]["attributes"].push_back({{"name", "Gamma"}, {"rating", "no"}});
  const auto gh = io::read_greenhouse(cards, "gh.json", m);
  io::csv_reader r(std::string_view("candidate_id,competency_id,method,rater,value\n"
                                    "7,alpha,interview,E0011,5\n"
                                    "7,gamma,interview,E0011,2\n"),
                   "long.csv");
  const auto long_csv = io::read_long_csv(r, m);
  observation_table both = gh;
  both.append(long_csv);
  REQUIRE(both.size() == 4);
  CHECK(both.candidate_ids == std::vector<std::string>{"7"});
  CHECK(both.rater_ids == std::vector<std::string>{"E0011"});
  const auto a = aggregate(m, gh), b = aggregate(m, long_csv), s = aggregate(m, both);
  for (Eigen::Index c : {0, 2}) {
    INFO("competency " << c);
    CHECK(a.scores(0, c) == b.scores(0, c));
    CHECK(s.scores(0, c) == a.scores(0, c));
    CHECK(s.ratings(0, c) == 1);
    CHECK(a.ratings(0, c) == 1);
    CHECK(s.methods(0, c) == 1u);  // one method: the interview, not a second "Greenhouse" method
  }
  CHECK(s.scores(0, 0) == 5.0);
  CHECK(s.duplicates == 2);  // merged as the rater's repeats
  aggregate_options strict;
  strict.duplicates = duplicate_policy::error;
  CHECK(message_of([&] { aggregate(m, both, strict); }) ==
        "long.csv:2: duplicate observation: candidate '7', competency 'alpha', method 'interview', rater 'E0011' (first "
        "at gh.json#/0/attributes/0)");
}

TEST_CASE("evidence: the shipped model's best interview and best reference give the top level exactly",
          "[evidence][scales]") {
  // Before every scale reached 1..L, reference_check's strong_yes was 4 on a
  // five-level scale: interview 5 + reference strong_yes gave 4.67.
  const auto model = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  const std::string text =
      "candidate_id,competency_id,method,rater,value\n"
      "A,influence_without_authority,structured_interview,E0011,5\n"
      "A,influence_without_authority,reference_check,ref1,strong_yes\n"
      "B,influence_without_authority,structured_interview,E0011,1\n"
      "B,influence_without_authority,reference_check,ref1,strong_no\n";
  io::csv_reader r(text, "refs.csv");
  const auto s = aggregate(model, io::read_long_csv(r, model));
  const auto c = static_cast<Eigen::Index>(*model.find_competency("influence_without_authority"));
  CHECK(s.methods(0, c) == 0b1001u);  // both methods count
  CHECK(s.scores(0, c) == 5.0);
  CHECK(s.scores(1, c) == 1.0);
}

TEST_CASE("evidence: the example's case interview read from Greenhouse and from long CSV counts once",
          "[evidence][greenhouse]") {
  const auto model = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  const std::string path = MERIT_SOURCE_DIR "/examples/greenhouse_scorecards.json";
  const auto gh = io::read_greenhouse(io::parse_json<input_error>(read_text_file<input_error>(path), path), path, model);
  // Mei Lin's (employee E0011) Enablement Case Interview of candidate 36987001, as long CSV rows.
  const std::string text =
      "candidate_id,competency_id,method,rater,value\n"
      "36987001,content_clarity,structured_interview,E0011,5\n"
      "36987001,sales_training,structured_interview,E0011,4\n"
      "36987001,cross_department_communication,structured_interview,E0011,4\n"
      "36987001,influence_without_authority,structured_interview,E0011,3\n";
  io::csv_reader r(text, "case_interview.csv");
  const auto long_csv = io::read_long_csv(r, model);
  observation_table both = gh;
  both.append(long_csv);
  const auto alone = aggregate(model, gh), together = aggregate(model, both);
  CHECK(together.duplicates == 4);
  REQUIRE(together.ids == alone.ids);
  CHECK((together.ratings.array() == alone.ratings.array()).all());
  CHECK((together.methods.array() == alone.methods.array()).all());
  CHECK((alone.scores.array().isNaN() == together.scores.array().isNaN()).all());
  CHECK((alone.scores.array().isNaN() || alone.scores.array() == together.scores.array()).all());
  const auto clarity = static_cast<Eigen::Index>(*model.find_competency("content_clarity"));
  CHECK(together.ratings(0, clarity) == 3);
  CHECK(together.scores(0, clarity) == (5 + 4 + 4) / 3.0);
}

TEST_CASE("evidence: a JSON Lines number too large for a double is an input error, not a crash", "[evidence][fuzz]") {
  // Found by fuzz_jsonl_seed1: nlohmann's out_of_range 406 escaped the reader and terminated merit.
  const std::string text =
      "{\"candidate_id\":\"A1\",\"competency_id\":\"alpha\",\"method\":\"interview\",\"rater\":\"r1\",\"value\":1e3084}\n";
  CHECK(message_of([&] { io::read_jsonl(text, "big.jsonl", mini()); }) ==
        "big.jsonl:1:1: invalid JSON: number overflow parsing '1e3084'");
}
