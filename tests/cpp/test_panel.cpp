#include <merit/io/model.hpp>
#include <merit/panel.hpp>

#include <catch2/catch.hpp>

using namespace merit;
using Catch::Matchers::WithinAbs;

namespace {
// The mini model, whose `interview` method (1..5) we use as a panel.
const competency_model& mini() {
  static const competency_model m = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  return m;
}
}  // namespace

TEST_CASE("panel: ICC(1) of rater slots reproduces Shrout & Fleiss, and is flagged", "[panel]") {
  // The Shrout & Fleiss ratings (1..10) rescaled onto 1..5 as 1 + (x - 1) * 4 / 9:
  // ICC is invariant under a positive linear map. Each target meets its own
  // four raters (names differ per target), as interview panels do.
  const double data[6][4] = {{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}};
  observation_table obs;
  for (int t = 0; t < 6; ++t)
    for (int j = 0; j < 4; ++j)
      obs.add(obs.candidate_index("S" + std::to_string(t)), 0, 0,
              obs.rater_index("t" + std::to_string(t) + "_slot" + std::to_string(j)), 1 + (data[t][j] - 1) * 4 / 9);
  auto results = panel_reliability(mini(), obs, 0);
  REQUIRE(results.size() == 1);
  REQUIRE(results[0].icc);
  CHECK(results[0].candidates == 6);
  CHECK(results[0].raters_per_candidate == 4);
  CHECK_THAT(results[0].icc->icc1.value, WithinAbs(0.1657418, 1e-6));
  CHECK_THAT(results[0].icc->icc1k.value, WithinAbs(0.4427971, 1e-6));
  // .166 < .40, but the upper limit (.72) is above .50: flagged, not confirmed.
  CHECK(results[0].flag == panel_flag::flagged);
}

TEST_CASE("panel: fewer than 5 complete candidates is insufficient data", "[panel]") {
  observation_table obs;
  for (int t = 0; t < 4; ++t)
    for (int j = 0; j < 3; ++j)
      obs.add(obs.candidate_index("c" + std::to_string(t)), 1, 0, obs.rater_index("r" + std::to_string(j)), 1 + t + j % 2);
  auto results = panel_reliability(mini(), obs, 0);
  REQUIRE(results.size() == 1);
  CHECK(results[0].competency == 1);
  CHECK_FALSE(results[0].icc);
  CHECK(results[0].flag == panel_flag::insufficient_data);
}

TEST_CASE("panel: candidates with fewer raters than the usual k are left out", "[panel]") {
  observation_table obs;
  for (int t = 0; t < 8; ++t) {
    const int k = t == 7 ? 1 : 3;  // one candidate met a single interviewer
    for (int j = 0; j < k; ++j)
      obs.add(obs.candidate_index("c" + std::to_string(t)), 0, 0, obs.rater_index("r" + std::to_string(j)),
              1 + (t % 5) * 0.8 + 0.2 * j);
  }
  RowMatrix m = panel_matrix(obs, 0, 0);
  CHECK(m.rows() == 7);
  CHECK(m.cols() == 3);
}
