#include <merit/explain.hpp>
#include <merit/io/model.hpp>

#include <catch2/catch.hpp>

#include <limits>

using namespace merit;

namespace {
const double NaN = std::numeric_limits<double>::quiet_NaN();
const competency_model& mini() {
  static const competency_model m = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  return m;
}
const competency_model& shipped() {
  static const competency_model m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  return m;
}
}  // namespace

// Profile p: alpha t4 w.5 m3, beta t3 w.25, gamma t5 w.25 (test_fit.cpp works the numbers).
TEST_CASE("explain: strengths are met targets by contribution, gaps by points lost", "[explain]") {
  const auto plan = compile(mini(), "p");
  const double x[3] = {5, 2, 4};  // alpha met (50 points), beta and gamma short by 8.33 each
  double c[3], g[3];
  score_one(plan, x, 1, c, g);
  CHECK(strengths(plan, x, c, 3) == std::vector<Eigen::Index>{0});
  // Equal gaps keep target order.
  CHECK(gaps(plan, g, 3) == std::vector<Eigen::Index>{1, 2});
  CHECK(gaps(plan, g, 1) == std::vector<Eigen::Index>{1});
  const double all_met[3] = {4, 3, 5};
  score_one(plan, all_met, 1, c, g);
  CHECK(gaps(plan, g, 3).empty());
  CHECK(strengths(plan, all_met, c, 2) == std::vector<Eigen::Index>{0, 2});  // 50 points, then 33.3 and 16.7
  const double missing[3] = {NaN, 3, 5};
  score_one(plan, missing, 1, c, g);
  CHECK(strengths(plan, missing, c, 3) == std::vector<Eigen::Index>{2, 1});
}

TEST_CASE("explain: a gap below the display floor is not a gap", "[explain]") {
  const auto plan = compile(mini(), "p");
  double g[3] = {gap_display_floor - 1e-9, gap_display_floor, 0};
  CHECK(gaps(plan, g, 3) == std::vector<Eigen::Index>{1});
}

TEST_CASE("explain: gap questions separate the levels between the rating and the target", "[explain]") {
  const competency_model& m = shipped();
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    const auto& qs = m.competencies[c].questions;
    const auto picked = gap_questions(m, c, 2.5, 4, 2);
    REQUIRE(picked.size() == 2);
    // Whatever is picked first is inside [2, 4] when the bank has such a question.
    bool has_inside = false;
    for (const auto& q : qs) {
      bool in = !q.separates.empty();
      for (int s : q.separates) in &= s >= 2 && s <= 4;
      has_inside |= in;
    }
    if (has_inside)
      for (int s : qs[picked[0]].separates) CHECK((s >= 2 && s <= 4));
    CHECK(picked[0] != picked[1]);
  }
  CHECK(gap_questions(mini(), 0, 2, 4, 2).empty());  // no question bank
}
