#include <merit/io/model.hpp>
#include <merit/pool_summary.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace merit;
using Catch::Matchers::WithinAbs;

namespace {
const double NaN = std::numeric_limits<double>::quiet_NaN();
const competency_model& mini() {
  static const competency_model m = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  return m;
}
}  // namespace

TEST_CASE("pool summary: quartiles are R's type 7", "[pool_summary]") {
  // R: quantile(c(1, 2, 3, 4), c(.25, .5, .75)) = 1.75 2.50 3.25;
  //    quantile(c(5, 1, 4, 2, 3), c(.25, .5, .75)) = 2 3 4; quantile(7, .25) = 7.
  std::vector<double> a{4, 1, 3, 2};
  CHECK_THAT(detail::quantile7(a, 0.25), WithinAbs(1.75, 1e-12));
  CHECK_THAT(detail::quantile7(a, 0.5), WithinAbs(2.5, 1e-12));
  CHECK_THAT(detail::quantile7(a, 0.75), WithinAbs(3.25, 1e-12));
  std::vector<double> b{5, 1, 4, 2, 3};
  CHECK_THAT(detail::quantile7(b, 0.25), WithinAbs(2.0, 1e-12));
  CHECK_THAT(detail::quantile7(b, 0.75), WithinAbs(4.0, 1e-12));
  std::vector<double> c{7};
  CHECK(detail::quantile7(c, 0.25) == 7);
}

// Profile p of mini: alpha t4 w.5 m3, beta t3 w.25, gamma t5 w.25; min_coverage 1.
TEST_CASE("pool summary: statuses, hurdles, histogram, distributions and bands by hand", "[pool_summary]") {
  const auto plan = compile(mini(), "p");
  RowMatrix x(4, 3);
  x << 5, 3, 5,     // all met: fit 100, qualified
      2, 3, 5,      // alpha 2 < minimum 3: screened out; fit 100 (.5*.25 + .25*.5 + .25*1) / .75 = 66.67
      NaN, 3, 5,    // hurdle alpha not assessed: incomplete
      4, 2, 4;      // fit 100 (.5*.75 + .25*.25 + .25*.75) / .75 = 83.33, qualified
  Vector fit(4), cov(4);
  std::vector<std::int8_t> st(4);
  score(plan, x, fit, cov, st.data());
  const pool_summary s = summarise_pool(plan, x, fit, st, 0.8);
  CHECK(s.candidates == 4);
  CHECK(s.by_status[0] == 2);
  CHECK(s.by_status[1] == 1);
  CHECK(s.by_status[2] == 1);
  CHECK(s.below_hurdle == std::vector<std::uint64_t>{1, 0, 0});
  CHECK(s.hurdle_unassessed == std::vector<std::uint64_t>{1, 0, 0});
  CHECK(s.histogram[19][0] == 1);  // 100 lands in the last bin
  CHECK(s.histogram[16][0] == 1);  // 83.33
  CHECK(s.histogram[13][1] == 1);  // 66.67
  CHECK(s.histogram[19][2] == 1);  // the incomplete candidate scores 100 on what was observed
  // alpha over {5, 2, 4}: min 2, q1 3, median 4, q3 4.5, max 5, mean 11/3; 2 of 3 at target 4.
  const level_distribution& a = s.levels[0];
  CHECK(a.observed == 3);
  CHECK_THAT(a.q1, WithinAbs(3.0, 1e-12));
  CHECK_THAT(a.median, WithinAbs(4.0, 1e-12));
  CHECK_THAT(a.q3, WithinAbs(4.5, 1e-12));
  CHECK_THAT(a.mean, WithinAbs(11.0 / 3, 1e-12));
  CHECK(a.min == 2);
  CHECK(a.max == 5);
  CHECK(a.meeting_target == 2);
  // Fit SD over 100, 66.67, 100, 83.33 (sample SD, computed by hand):
  const double f[4] = {100, 200.0 / 3, 100, 250.0 / 3};
  const double mean = (f[0] + f[1] + f[2] + f[3]) / 4;
  double ss = 0;
  for (double v : f) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / 3);
  REQUIRE(s.band_width);
  CHECK_THAT(s.fit_sd, WithinAbs(sd, 1e-9));
  CHECK_THAT(*s.band_width, WithinAbs(1.96 * sd * std::sqrt(0.2) * std::sqrt(2.0), 1e-9));
  CHECK(s.top_fit == 100);
  CHECK(s.band1 == (100 - 250.0 / 3 <= *s.band_width ? 2u : 1u));
  CHECK_FALSE(summarise_pool(plan, x, fit, st, std::nullopt).band_width);
}
