#include <merit/roles.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <limits>
#include <vector>

using namespace merit;

TEST_CASE("roles: the real model tells enablement from operations", "[roles]") {
  auto m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  const auto se = compile(m, "sales_enablement"), so = compile(m, "sales_operations");
  const std::vector<std::string> ops = {"pipeline_management", "crm_systems_and_data", "territory_and_team_design",
                                        "sales_administration"};
  const std::vector<std::string> enab = {"sales_content_management", "sales_training", "methodology_distillation"};
  auto candidate = [&](double ops_level, double enab_level) {
    std::vector<double> x(m.competencies.size(), 3.0);
    for (const auto& id : ops) x[*m.find_competency(id)] = ops_level;
    for (const auto& id : enab) x[*m.find_competency(id)] = enab_level;
    return x;
  };
  auto ops_strong = candidate(5, 2), enab_strong = candidate(2, 5);
  const double ops_in_se = score_one(se, ops_strong.data()).fit, ops_in_so = score_one(so, ops_strong.data()).fit;
  const double en_in_se = score_one(se, enab_strong.data()).fit, en_in_so = score_one(so, enab_strong.data()).fit;
  INFO(ops_in_se << " " << ops_in_so << " " << en_in_se << " " << en_in_so);
  CHECK(ops_in_so > ops_in_se + 10);
  CHECK(en_in_se > en_in_so + 10);
}

TEST_CASE("roles: discriminate names the right profile for each kind of candidate", "[roles]") {
  auto m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  const auto plans = compile_all(m);
  std::vector<double> ops(m.competencies.size(), 2.0), enab(m.competencies.size(), 2.0);
  for (const char* id : {"pipeline_management", "crm_systems_and_data", "territory_and_team_design", "sales_administration"})
    ops[*m.find_competency(id)] = 5;
  for (const char* id : {"sales_content_management", "sales_training", "methodology_distillation", "content_clarity",
                         "cross_department_communication"})
    enab[*m.find_competency(id)] = 5;
  auto r_ops = discriminate(plans, ops.data()), r_en = discriminate(plans, enab.data());
  REQUIRE(r_ops.best);
  REQUIRE(r_en.best);
  CHECK(plans[*r_ops.best].profile_id() == "sales_operations");
  CHECK(plans[*r_en.best].profile_id() == "sales_enablement");
  CHECK(r_ops.margin > 10);
  CHECK(r_en.margin > 10);
}

TEST_CASE("roles: a profile the evidence barely covers does not win on a partial fit", "[roles]") {
  auto m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  const auto plans = compile_all(m);
  // Observed on every enablement target at 3, and on one operations competency at 5.
  std::vector<double> x(m.competencies.size(), std::numeric_limits<double>::quiet_NaN());
  for (const auto& c : m.get_profile("sales_enablement").targets) x[c.competency] = 3;
  x[*m.find_competency("pipeline_management")] = 5;
  auto r = discriminate(plans, x.data());
  REQUIRE(r.best);
  // sales_operations would score 100 on its one observed competency, but is incomplete.
  CHECK(r.fits[1].status == status::incomplete);
  CHECK(plans[*r.best].profile_id() != "sales_operations");
  CHECK(r.fits[*r.best].status != status::incomplete);
}
