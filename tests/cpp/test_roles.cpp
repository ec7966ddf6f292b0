#include <merit/io/json.hpp>
#include <merit/io/model.hpp>
#include <merit/roles.hpp>
#include <merit/io/judgments.hpp>
#include <merit/weights.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace merit;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;

namespace {

const double NaN = std::numeric_limits<double>::quiet_NaN();

const competency_model& shipped() {
  static const competency_model m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  return m;
}

/// A candidate at profile `pid`'s targets and 1 on every other competency.
std::vector<double> at_targets(const competency_model& m, const std::string& pid) {
  std::vector<double> x(m.competencies.size(), 1.0);
  for (const auto& t : m.get_profile(pid).targets) x[t.competency] = t.target;
  return x;
}

std::string best_id(const role_rule& rule, const role_answer& a) {
  return a.best ? rule.plans()[*a.best].profile_id() : std::string("none");
}

/// Two profiles with the same shape (targets 4, 4, 2, 2 and 3, 3, 1, 1: one
/// is the other one level lower) and one flat profile, in the given order.
competency_model twins(bool swapped) {
  std::string a = R"({"id": "low", "name": {"en": "Low"}, "targets": {"a": {"target": 3, "weight": 1}, "b": {"target": 3, "weight": 1}, "c": {"target": 1, "weight": 1}, "d": {"target": 1, "weight": 1}}})";
  std::string b = R"({"id": "high", "name": {"en": "High"}, "targets": {"a": {"target": 4, "weight": 1}, "b": {"target": 4, "weight": 1}, "c": {"target": 2, "weight": 1}, "d": {"target": 2, "weight": 1}}})";
  std::string flat = R"({"id": "flat", "name": {"en": "Flat"}, "targets": {"a": {"target": 3, "weight": 1}, "b": {"target": 3, "weight": 1}, "c": {"target": 3.4, "weight": 1}, "d": {"target": 3, "weight": 1}}})";
  std::string comps;
  for (const char* id : {"a", "b", "c", "d"}) {
    if (!comps.empty()) comps += ",";
    comps += std::string(R"({"id": ")") + id + R"(", "cluster": "k", "name": {"en": ")" + id +
             R"("}, "definition": {"en": "d"}, "source": {"quote": "q"}, "levels": [{"level": 1, "en": "1"}, {"level": 2, "en": "2"}, {"level": 3, "en": "3"}, {"level": 4, "en": "4"}, {"level": 5, "en": "5"}]})";
  }
  const std::string text = R"({"format": "merit.competency-model/1", "id": "twins", "version": "1", "name": {"en": "Twins"}, "scale": {"levels": 5}, "clusters": [{"id": "k", "name": {"en": "K"}}], "competencies": [)" +
                           comps + R"(], "methods": [{"id": "i", "name": {"en": "I"}, "scale": {"type": "numeric", "min": 1, "max": 5}}], "evidence_matrix": {"i": {"a": 1, "b": 1, "c": 1, "d": 1}}, "profiles": [)" +
                           (swapped ? b + "," + a : a + "," + b) + "," + flat + "]}";
  return parse_model_text(text);
}

}  // namespace

TEST_CASE("roles: a candidate rated the same on everything shows no role", "[roles]") {
  const role_rule rule(shipped());
  for (double level : {1.0, 3.0, 5.0}) {
    std::vector<double> x(shipped().competencies.size(), level);
    const role_answer a = rule.answer(x.data());
    INFO(level << ": " << a.reason);
    CHECK_FALSE(a.best);
    CHECK(a.margin == 0.0);
    CHECK_THAT(a.reason, Contains("no distinct role: the candidate is rated the same on every competency observed"));
  }
}

TEST_CASE("roles: a candidate at a profile's targets (1 elsewhere) shows that profile", "[roles]") {
  const role_rule rule(shipped());
  for (const char* pid : {"sales_enablement", "sales_operations", "head_of_sales_enablement",
                          "vp_sales_enablement_and_operations"}) {
    const auto x = at_targets(shipped(), pid);
    const role_answer a = rule.answer(x.data());
    INFO(pid << ": " << a.reason);
    CHECK(best_id(rule, a) == pid);
    CHECK(a.margin > rule.settings().z);
  }
}

TEST_CASE("roles: distinct means beyond the standard errors, floored at the model's SEM", "[roles]") {
  const competency_model& m = shipped();
  const role_rule rule(m);
  REQUIRE(m.roles.recorded);
  CHECK(rule.settings().sem == 0.45);
  CHECK(rule.settings().z == 1.96);
  // A close call: an enablement practitioner with some leadership
  // on the head's five leadership competencies at level 2).
  auto x = at_targets(m, "sales_enablement");
  for (const char* id : {"enablement_team_leadership", "enablement_budget_accountability", "executive_partnership",
                         "enablement_continuity", "sales_performance_participation"})
    x[*m.find_competency(id)] = 2;
  const role_answer floor = rule.answer(x.data());
  INFO(floor.reason);
  REQUIRE(best_id(rule, floor) == "sales_enablement");
  CHECK(floor.margin > 1.96);
  CHECK(floor.margin < 3 * 1.96);
  CHECK_THAT(floor.reason, Contains("than head_of_sales_enablement"));

  // Two agreeing raters give a standard error of 0: the floor still applies.
  const std::vector<double> zero(m.competencies.size(), 0.0);
  const role_answer agreeing = rule.answer(x.data(), 1, zero.data());
  CHECK(agreeing.margin == floor.margin);

  // Tripled errors turn the call into no distinct role, at a third of the margin.
  const std::vector<double> tripled(m.competencies.size(), 3 * 0.45);
  const role_answer wide = rule.answer(x.data(), 1, tripled.data());
  CHECK_FALSE(wide.best);
  CHECK_THAT(wide.margin, WithinAbs(floor.margin / 3, 1e-12));
  CHECK_THAT(wide.reason, StartsWith("no distinct role: the pattern of sales_enablement is within measurement error "
                                     "of head_of_sales_enablement ("));
}

TEST_CASE("roles: no tie is broken by file order; a profile without shape is never the role", "[roles]") {
  const competency_model m1 = twins(false), m2 = twins(true);
  const role_rule r1(m1), r2(m2);
  CHECK(r1.has_shape(0));
  CHECK(r1.has_shape(1));
  CHECK_FALSE(r1.has_shape(2));  // targets span 0.4 levels
  // The two shaped profiles have one shape: every candidate ties on them.
  const double x[4] = {5, 4, 1, 2};
  const role_answer a1 = r1.answer(x), a2 = r2.answer(x);
  CHECK_FALSE(a1.best);
  CHECK_FALSE(a2.best);
  CHECK(a1.margin == 0.0);
  CHECK(a2.margin == 0.0);
  CHECK(std::isnan(a1.pattern[2]));
  // A candidate who fits the flat profile lists it in fits, never as the role.
  const double y[4] = {5, 5, 4, 5};
  const role_answer b = r1.answer(y);
  CHECK_FALSE(b.best);
  std::set<std::string> fits;
  for (std::size_t p : b.fitting) fits.insert(r1.plans()[p].profile_id());
  CHECK(fits == std::set<std::string>{"low", "high", "flat"});
  CHECK_THAT(b.reason, EndsWith("; qualified with a fit of at least 80 on low, high, flat"));
}

TEST_CASE("roles: fits lists every profile qualified at or above the cut; too little evidence gives no role",
          "[roles]") {
  const competency_model& m = shipped();
  const role_rule rule(m);
  std::vector<double> strong(m.competencies.size(), 5.0);
  const role_answer all = rule.answer(strong.data());
  CHECK(all.fitting.size() == m.profiles.size());
  CHECK_FALSE(all.best);

  std::vector<double> sparse(m.competencies.size(), NaN);
  sparse[*m.find_competency("content_clarity")] = 5;
  sparse[*m.find_competency("pipeline_management")] = 1;
  const role_answer few = rule.answer(sparse.data());
  CHECK_FALSE(few.best);
  CHECK(std::isnan(few.margin));
  CHECK_THAT(few.reason, Equals("no distinct role: observed on 2 of the 26 competencies the profiles target (needs 3); "
                                "qualified with a fit of at least 80 on no profile"));
}

TEST_CASE("roles: the pattern, not the level, decides (scale invariance)", "[roles]") {
  const competency_model& m = shipped();
  const role_rule rule(m);
  // The same pattern one level lower everywhere (floored at 1) still shows the role.
  auto x = at_targets(m, "sales_operations");
  for (double& v : x) v = std::max(1.0, v - 0.5);
  const role_answer low = rule.answer(x.data());
  CHECK(best_id(rule, low) == "sales_operations");
}

TEST_CASE("model 2: the head of enablement is its own profile, not the individual one with higher targets",
          "[roles][model]") {
  const competency_model& m = shipped();
  std::set<std::size_t> individual;
  for (const auto& t : m.get_profile("sales_enablement").targets) individual.insert(t.competency);
  std::vector<std::string> only_head;
  for (const auto& t : m.get_profile("head_of_sales_enablement").targets)
    if (!individual.count(t.competency)) only_head.push_back(m.competencies[t.competency].id);
  CHECK(only_head.size() >= 3);
  for (const char* id : {"enablement_team_leadership", "enablement_budget_accountability", "executive_partnership",
                         "enablement_continuity", "sales_performance_participation"}) {
    const auto c = m.find_competency(id);
    REQUIRE(c);
    CHECK(m.competencies[*c].cluster == "enablement_leadership");
    CHECK_FALSE(m.competencies[*c].ownership);  // the seed gives these no ownership level
    CHECK(m.competencies[*c].levels.size() == 5);
    CHECK_FALSE(m.competencies[*c].ats_aliases.empty());
  }
  // Strategy stays at the seed's participant level: the lightest enablement duty.
  const profile& head = m.get_profile("head_of_sales_enablement");
  auto weight = [&](const profile& p, const char* id) {
    for (const auto& t : p.targets)
      if (m.competencies[t.competency].id == id) return t.weight;
    return 0.0;
  };
  for (const char* id : {"sales_content_management", "sales_training", "sales_coaching", "methodology_distillation"})
    CHECK(weight(head, "sales_strategy_advisory") < weight(head, id));
}

TEST_CASE("model 2: the combined VP profile targets enablement, operations and leadership", "[roles][model]") {
  const competency_model& m = shipped();
  const profile& vp = m.get_profile("vp_sales_enablement_and_operations");
  std::set<std::string> clusters;
  for (const auto& t : vp.targets) clusters.insert(m.competencies[t.competency].cluster);
  CHECK(clusters == std::set<std::string>{"enablement_practice", "operations_practice", "core_capabilities",
                                          "enablement_leadership"});
  CHECK(std::find(vp.title_aliases.begin(), vp.title_aliases.end(), "销售赋能&销售运营VP") != vp.title_aliases.end());
  CHECK(vp.provisional);
  CHECK(vp.weights_source == "judgments/vp_sales_enablement_and_operations.json");
}

TEST_CASE("model 2: the shipped weights are what the recorded judgments give", "[roles][model][weights]") {
  const competency_model& m = shipped();
  for (const auto& p : m.profiles) {
    INFO(p.id);
    REQUIRE_FALSE(p.weights_source.empty());
    CHECK(p.provisional);
    const std::string path = std::string(MERIT_SOURCE_DIR "/competency_models/") + p.weights_source;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const auto doc = io::parse_json<model_error>(text.str(), path);
    const hierarchy_result h = hierarchy_weights(parse_judgments_hierarchy(doc, path));
    CHECK(h.cr <= 0.10);
    CHECK(h.clusters.group.cr <= 0.10);
    for (const auto& r : h.local) {
      CHECK(r.cr <= 0.10);
      CHECK(r.weights.size() <= 9);
    }
    REQUIRE(h.global.items.size() == p.targets.size());
    for (std::size_t k = 0; k < h.global.items.size(); ++k) {
      const auto c = m.find_competency(h.global.items[k]);
      REQUIRE(c);
      bool found = false;
      for (const auto& t : p.targets)
        if (t.competency == *c) {
          found = true;
          CHECK_THAT(t.weight, WithinAbs(h.global.weights[static_cast<Eigen::Index>(k)], 1e-9));
        }
      CHECK(found);
    }
  }
}

TEST_CASE("model 2: weights keep the seed's ownership order among the duties", "[roles][model]") {
  const competency_model& m = shipped();
  int compared = 0;
  for (const auto& p : m.profiles)
    for (const auto& a : p.targets)
      for (const auto& b : p.targets) {
        const auto& ca = m.competencies[a.competency];
        const auto& cb = m.competencies[b.competency];
        if (!ca.ownership || !cb.ownership || ca.cluster != cb.cluster) continue;
        if (static_cast<int>(*ca.ownership) < static_cast<int>(*cb.ownership)) {
          INFO(p.id << ": " << ca.id << " (" << to_string(*ca.ownership) << ") vs " << cb.id << " ("
                    << to_string(*cb.ownership) << ")");
          CHECK(a.weight > b.weight);
          ++compared;
        }
      }
  CHECK(compared > 40);
  // Ownership only where the seed gives it: the two duty lists.
  for (const auto& c : m.competencies)
    CHECK(c.ownership.has_value() == (c.cluster == "enablement_practice" || c.cluster == "operations_practice"));
}
