#include <merit/fit.hpp>
#include <merit/io/model.hpp>
#include <merit/rank.hpp>
#include <merit/rank.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace merit;
using Catch::Matchers::WithinAbs;

namespace {
const double NaN = std::numeric_limits<double>::quiet_NaN();
const competency_model& mini() {
  static const competency_model m = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  return m;
}
}  // namespace

// Profile p: alpha t4 w2 m3, beta t3 w1, gamma t5 w1 -> w = .5 .25 .25, t~ = .75 .5 1.
TEST_CASE("fit: attainment by hand", "[fit]") {
  const auto plan = compile(mini(), "p");
  const double x[3] = {5, 2, 4};  // x~ = 1, .25, .75
  double c[3], g[3];
  auto r = score_one(plan, x, 1, c, g);
  // num = .5*.75 + .25*.25 + .25*.75 = .625 ; den = .75
  CHECK_THAT(r.fit, WithinAbs(100.0 * .625 / .75, 1e-12));
  CHECK_THAT(c[0], WithinAbs(50.0, 1e-12));
  CHECK_THAT(c[1], WithinAbs(100.0 * .0625 / .75, 1e-12));
  CHECK_THAT(c[2], WithinAbs(25.0, 1e-12));
  CHECK_THAT(g[0], WithinAbs(0.0, 1e-12));
  CHECK_THAT(g[1], WithinAbs(100.0 * .0625 / .75, 1e-12));
  CHECK_THAT(g[2], WithinAbs(100.0 * .0625 / .75, 1e-12));
  CHECK(r.coverage == 1.0);
  CHECK(r.status == status::qualified);
}

TEST_CASE("fit: missing competencies are excluded, never imputed", "[fit]") {
  const auto plan = compile(mini(), "p");
  const double x[3] = {5, NaN, 4};
  auto r = score_one(plan, x);
  CHECK_THAT(r.fit, WithinAbs(90.0, 1e-12));               // .5625 / .625
  CHECK_THAT(r.coverage, WithinAbs(.625 / .75, 1e-12));    // 0.8333 >= 0.8
  CHECK(r.status == status::qualified);
  const double y[3] = {5, NaN, NaN};                       // coverage .375/.75 = .5
  CHECK(score_one(plan, y).status == status::incomplete);
  const double none[3] = {NaN, NaN, NaN};
  auto rn = score_one(plan, none);
  CHECK_FALSE(rn.has_fit());
  CHECK(rn.status == status::incomplete);
  CHECK(rn.coverage == 0.0);
}

TEST_CASE("fit: hurdles screen out; a missing hurdle makes the candidate incomplete", "[fit]") {
  const auto plan = compile(mini(), "p");
  const double low[3] = {2, 5, 5};
  CHECK(score_one(plan, low).status == status::screened_out);
  const double at[3] = {3, 5, 5};
  CHECK(score_one(plan, at).status == status::qualified);
  const double missing[3] = {NaN, 5, 5};  // coverage .25*.5+.25 = .375/.75 = .5 too
  CHECK(score_one(plan, missing).status == status::incomplete);
}

TEST_CASE("fit: weighted_mean and profile_match by hand", "[fit]") {
  // q: weights from ownership 3/2/1 -> .5 .333 .1667; t~ .75 .5 1.
  const auto q = compile(mini(), "q");
  const double x[3] = {5, 2, 4};
  const double w0 = 3.0 / 6, w1 = 2.0 / 6, w2 = 1.0 / 6;
  CHECK_THAT(score_one(q, x).fit, WithinAbs(100.0 * (w0 * 1 + w1 * .25 + w2 * .75), 1e-12));
  // r: w .5 .25 .25; d = .25, -.25, -.25 -> sum w d^2 = .0625 -> F = 75.
  const auto r = compile(mini(), "r");
  double c[3], g[3];
  auto res = score_one(r, x, 1, c, g);
  CHECK_THAT(res.fit, WithinAbs(75.0, 1e-12));
  CHECK_THAT(c[0] + c[1] + c[2], WithinAbs(75.0, 1e-12));
  CHECK_THAT(g[0] + g[1] + g[2], WithinAbs(25.0, 1e-12));
}

TEST_CASE("fit: properties over random inputs", "[fit][property]") {
  std::mt19937_64 rng(20261127);
  std::uniform_real_distribution<double> level(1.0, 5.0), weight(0.0, 10.0), unit(0.0, 1.0);
  for (int trial = 0; trial < 300; ++trial) {
    // A random model with 2..8 competencies and one profile of each fit model.
    const int C = 2 + static_cast<int>(rng() % 7);
    nlohmann::json doc = nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json"));
    nlohmann::json base = doc["competencies"][0];
    doc["competencies"] = nlohmann::json::array();
    doc["evidence_matrix"] = nlohmann::json::object();
    nlohmann::json targets = nlohmann::json::object();
    for (int c = 0; c < C; ++c) {
      base["id"] = "c" + std::to_string(c);
      doc["competencies"].push_back(base);
      targets[base["id"].get<std::string>()] = {{"target", 1 + std::floor(unit(rng) * 4.999)}, {"weight", weight(rng)}};
    }
    doc["profiles"] = nlohmann::json::array();
    for (const char* fm : {"attainment", "weighted_mean", "profile_match"})
      doc["profiles"].push_back({{"id", std::string("p_") + fm}, {"name", {{"en", fm}}}, {"fit_model", fm},
                                 {"min_coverage", 0.5}, {"targets", targets}});
    // The same model with every weight times 7.5, and with competencies listed in reverse.
    nlohmann::json scaled = doc, reversed = doc;
    for (auto& p : scaled["profiles"])
      for (auto& t : p["targets"]) t["weight"] = t["weight"].get<double>() * 7.5;
    std::reverse(reversed["competencies"].begin(), reversed["competencies"].end());
    const auto m = parse_model(doc), ms = parse_model(scaled), mr = parse_model(reversed);

    std::vector<double> x(static_cast<std::size_t>(C)), xr(x.size());
    for (auto& v : x) v = unit(rng) < 0.15 ? NaN : level(rng);
    for (int c = 0; c < C; ++c) xr[static_cast<std::size_t>(C - 1 - c)] = x[static_cast<std::size_t>(c)];

    for (const auto& p : m.profiles) {
      const auto plan = scoring_plan(m, p);
      std::vector<double> contrib(static_cast<std::size_t>(C)), gap(contrib.size());
      auto r = score_one(plan, x.data(), 1, contrib.data(), gap.data());
      if (!r.has_fit()) continue;
      INFO("trial " << trial << " profile " << p.id);
      // Contributions sum to the fit.
      double sum = 0;
      for (double v : contrib) sum += v;
      CHECK_THAT(sum, WithinAbs(r.fit, 1e-9));
      // Scaling all weights changes nothing; neither does the order of competencies.
      CHECK_THAT(score_one(compile(ms, p.id), x.data()).fit, WithinAbs(r.fit, 1e-9));
      CHECK_THAT(score_one(compile(mr, p.id), xr.data()).fit, WithinAbs(r.fit, 1e-9));
      // A rising level never lowers the fit (attainment and weighted_mean are monotone).
      if (p.fit_model != fit_model::profile_match) {
        for (int c = 0; c < C; ++c) {
          auto up = x;
          auto& v = up[static_cast<std::size_t>(c)];
          if (std::isnan(v)) continue;
          v = std::min(5.0, v + unit(rng) * 2);
          CHECK(score_one(plan, up.data()).fit >= r.fit - 1e-12);
        }
      }
    }
  }
}

TEST_CASE("fit: batch scoring equals one-by-one", "[fit]") {
  const auto plan = compile(mini(), "p");
  RowMatrix X(3, 3);
  X << 5, 2, 4, 5, NaN, 4, 2, 5, 5;
  Vector fit(3), cov(3);
  std::vector<std::int8_t> st(3);
  RowMatrix contrib, gaps;
  score(plan, X, fit, cov, st.data(), &contrib, &gaps);
  for (Eigen::Index i = 0; i < 3; ++i) {
    auto r = score_one(plan, X.row(i).data());
    CHECK(fit[i] == r.fit);
    CHECK(cov[i] == r.coverage);
    CHECK(st[static_cast<std::size_t>(i)] == static_cast<std::int8_t>(r.status));
  }
  CHECK(contrib.cols() == 3);
  CHECK_THROWS_WITH(score(plan, X.leftCols(2), fit, cov, st.data()),
                    "scores must have one column per competency of the model");
}

TEST_CASE("rank: fit descending at 6 decimals, ties by id, no fit last", "[rank]") {
  std::vector<std::string> ids = {"b", "a", "c", "d", "e"};
  Vector fit(5);
  fit << 80.0000001, 80.0000004, NaN, 90, 80.0000006;  // b and a print as 80.000000
  const std::vector<status> st(5, status::qualified);  // one tier: fit alone decides
  auto order = rank_order(ids, fit, st);
  CHECK(order == std::vector<std::size_t>{3, 4, 1, 0, 2});
  CHECK(top_k(ids, fit, st, 2) == std::vector<std::size_t>{3, 4});
  CHECK(display_key(80.0000004) == 80000000);
  CHECK(display_key(0.0000005) == display_key(0.0000005));
  CHECK(display_key(NaN) == INT64_MIN);
}
