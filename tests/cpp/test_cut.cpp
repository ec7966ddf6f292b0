// merit/cut.hpp: the definitions of the two cuts, worked by hand, and their
// refusals. tests/cut/cli_test.sh checks the same cuts and their impact
// against an independent computation in Python on the example pool.
#include <merit/cut.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

#include <cmath>
#include <vector>

using Catch::Matchers::WithinAbs;

TEST_CASE("cut: the expectancy cut is the lowest score whose success rate above reaches the target", "[cut]") {
  // Scores 1..10, success from 5 up except at 8: at c = 5 the rate is 5/6,
  // at c = 4 it is 5/7 < .8, so the cut for .8 is 5 (with 6 hires at or above).
  std::vector<double> x, y;
  for (int i = 1; i <= 10; ++i) {
    x.push_back(i);
    y.push_back(i >= 5 && i != 8 ? 1 : 0);
  }
  const auto e = merit::expectancy_based_cut(x, y, 0.8, 10);
  REQUIRE(e.found);
  CHECK(e.cut == 5);
  CHECK(e.n == 6);
  CHECK(e.successes == 5);
  CHECK(e.sample_successes == 5);
  const auto w = merit::wilson_interval(5, 6);
  CHECK(e.lower == w.first);
  CHECK(e.upper == w.second);
  // A target no cut reaches (the best scorer failed): no cut.
  const auto none = merit::expectancy_based_cut({1, 2, 3}, {1, 0, 0}, 0.5, 3);
  CHECK_FALSE(none.found);
  CHECK(std::isnan(none.cut));
  // Equal scores pass together: a tie at 4 that fails keeps the cut at 5.
  x.push_back(4);
  y.push_back(1);
  CHECK(merit::expectancy_based_cut(x, y, 0.75, 10).cut == 4);  // at 4: 6 of 8
  CHECK(merit::expectancy_based_cut(x, y, 0.8, 10).cut == 5);
}

TEST_CASE("cut: the ratio cut, its tie rule and the count it aims at", "[cut]") {
  // 30 applicants, ratio .2: m = 6 even though 0.2 x 30 is 6.000000000000001.
  std::vector<double> s;
  for (int i = 0; i < 30; ++i) s.push_back(i);
  auto r = merit::selection_ratio_cut(s, {}, 0.2);
  CHECK(r.target_count == 6);
  CHECK(r.cut == 24);
  CHECK(r.reached);
  // A tie at the cut: everyone at it passes, so 7 pass for a ratio of .2.
  s[23] = 24;
  r = merit::selection_ratio_cut(s, {}, 0.2);
  CHECK(r.cut == 24);
  const auto sel = merit::select_at_cut(s, {}, r.cut);
  CHECK(std::count(sel.begin(), sel.end(), true) == 7);
  // Ineligible and unscored applicants count in the pool but never pass.
  std::vector<double> p{10, 9, std::nan(""), 7, 6};
  std::vector<bool> ok{false, true, true, true, true};
  r = merit::selection_ratio_cut(p, ok, 0.4);  // m = 2 of 5: 9 and 7
  CHECK(r.cut == 7);
  CHECK(r.eligible == 3);
  CHECK(merit::select_at_cut(p, ok, r.cut) == std::vector<bool>{false, true, false, true, false});
  // Fewer eligible than the ratio asks: all of them pass, and it says so.
  r = merit::selection_ratio_cut(p, ok, 1.0);
  CHECK_FALSE(r.reached);
  CHECK(r.cut == 6);
}

TEST_CASE("cut: refusals", "[cut]") {
  const std::vector<double> x{1, 2, 3}, y{0, 1, 1};
  CHECK_THROWS_WITH(merit::expectancy_based_cut(x, y, 0, 3), "the target success rate must lie in (0, 1], got 0");
  CHECK_THROWS_WITH(merit::expectancy_based_cut(x, y, 0.5),
                    "too few cases with an outcome: 3 matched, an expectancy cut needs at least 30");
  CHECK_THROWS_WITH(merit::expectancy_based_cut(x, {0, 2, 1}, 0.5, 3),
                    "a success criterion takes only the values 0 and 1");
  CHECK_THROWS_WITH(merit::selection_ratio_cut(x, {}, 1.5), "the selection ratio must lie in (0, 1], got 1.5");
  CHECK_THROWS_WITH(merit::selection_ratio_cut({}, {}, 0.5), "the applicant pool is empty");
  CHECK_THROWS_WITH(merit::selection_ratio_cut(x, {false, false, false}, 0.5),
                    "no applicant of the pool is eligible (none has a score and is qualified)");
}
