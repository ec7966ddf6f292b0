#include <merit/io/model.hpp>
#include <merit/io/norms.hpp>
#include <merit/norms.hpp>
#include <merit/scoring_hash.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace merit;
using nlohmann::json;

namespace {

/// n scores: 0, 1, ..., n-1 (each once), plus `extra`.
std::vector<double> ramp(std::size_t n, std::vector<double> extra = {}) {
  std::vector<double> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<double>(i));
  v.insert(v.end(), extra.begin(), extra.end());
  return v;
}

norm_table table_of(std::vector<norm_group> groups, std::optional<std::string> by = std::nullopt) {
  norm_table t;
  t.model_id = "m";
  t.model_version = "1.0.0";
  t.scoring_hash = std::string(64, 'a');
  t.profile = "p";
  t.column = "fit";
  t.by = std::move(by);
  t.built = "2026-12-02T13:00:00Z";
  t.groups = std::move(groups);
  return t;
}

}  // namespace

TEST_CASE("norms: the mid-rank rule by hand", "[norms]") {
  // 1, 2, 2, 3: below + equal / 2 over n = 4.
  const norm_group g("all", {1000000, 2000000, 3000000}, {1, 2, 1});
  CHECK(g.n() == 4);
  CHECK(g.percentile(1) == Approx(12.5).margin(1e-12));   // (0 + 1/2) / 4
  CHECK(g.percentile(2) == Approx(50).margin(1e-12));     // (1 + 2/2) / 4
  CHECK(g.percentile(3) == Approx(87.5).margin(1e-12));   // (3 + 1/2) / 4
  CHECK(g.percentile(2.5) == Approx(75).margin(1e-12));   // (3 + 0) / 4: between the values
  CHECK(g.percentile(0.5) == 0);                          // below the sample
  CHECK(g.percentile(7) == 100);                          // above it
  CHECK(std::isnan(g.percentile(std::nan(""))));
  CHECK(g.outside(0.5));
  CHECK(g.outside(3.1));
  CHECK_FALSE(g.outside(2.5));
  CHECK_FALSE(g.outside(std::nan("")));
  CHECK(g.min() == 1);
  CHECK(g.max() == 3);
}

TEST_CASE("norms: scores are compared at 6 decimals, as printed", "[norms]") {
  const norm_group g("all", {2000000}, {4});
  CHECK(g.percentile(2.0000004) == 50);  // prints 2.000000
  CHECK(g.percentile(1.9999996) == 50);
  CHECK(g.percentile(2.0000006) == 100);  // prints 2.000001
  const auto groups = build_norm_groups(ramp(100, {2.0000004}), {}, 100);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].n() == 101);
  CHECK(groups[0].values().size() == 100);  // 2 and 2.0000004 are one value
  CHECK(groups[0].counts()[2] == 2);
}

TEST_CASE("norms: building groups, missing scores and the minimum n", "[norms]") {
  std::vector<double> scores = ramp(100, {std::nan(""), std::nan("")});
  norms_build_report report;
  auto all = build_norm_groups(scores, {}, norms_min_n, &report);
  REQUIRE(all.size() == 1);
  CHECK(all[0].name() == "all");
  CHECK(all[0].n() == 100);
  CHECK(report.missing == 2);

  std::vector<double> two = ramp(200);
  std::vector<std::string> groups;
  for (std::size_t i = 0; i < 200; ++i) groups.push_back(i % 2 ? "west" : "east");
  auto by = build_norm_groups(two, groups, 100);
  REQUIRE(by.size() == 2);
  CHECK(by[0].name() == "east");
  CHECK(by[1].name() == "west");
  CHECK(by[0].n() == 100);
  // east holds 0, 2, ..., 198: 50 below 100, 100 itself once.
  CHECK(by[0].percentile(100) == Approx(50.5).margin(1e-12));

  groups[0] = "north";  // a group of one
  CHECK_THROWS_MATCHES(build_norm_groups(two, groups, 100), argument_error,
                       Catch::Message("group 'east' has 99 scores; norms need at least 100 per group (docs/norms.md)"));
  groups[0] = "";
  CHECK_THROWS_MATCHES(build_norm_groups(two, groups, 100), argument_error,
                       Catch::Message("a norm group's name must not be empty"));
  CHECK_THROWS_MATCHES(build_norm_groups(ramp(99), {}, 100), argument_error,
                       Catch::Message("group 'all' has 99 scores; norms need at least 100 per group (docs/norms.md)"));
  CHECK_THROWS_MATCHES(build_norm_groups({}, {}, 100), argument_error,
                       Catch::Message("group 'all' has 0 scores; norms need at least 100 per group (docs/norms.md)"));
  CHECK_THROWS_MATCHES(build_norm_groups(ramp(3), {"a"}, 1), argument_error,
                       Catch::Message("norms need one group per score"));
  CHECK_THROWS_MATCHES(norm_group("x", {2, 1}, {1, 1}), argument_error,
                       Catch::Message("a norm group's values must be ascending and distinct"));
  CHECK_THROWS_MATCHES(norm_group("x", {1}, {0}), argument_error, Catch::Message("a norm group's counts must be at least 1"));
}

TEST_CASE("norms: group columns that name a protected characteristic are refused", "[norms]") {
  for (const char* col : {"race", "sex", "gender", "national_origin", "nationality", "candidateEthnicity", "religion", "性别"}) {
    INFO(col);
    CHECK(norms_group_column_problem(col).has_value());
  }
  for (const char* col : {"region", "job", "level", "job_family", "page", "coverage"}) {
    INFO(col);
    CHECK_FALSE(norms_group_column_problem(col).has_value());
  }
  CHECK(*norms_group_column_problem("national_origin") ==
        "norm groups by 'national_origin' would norm by a protected characteristic ('national_origin'): norming "
        "scores by race, color, religion, sex or national origin is unlawful in the US (42 U.S.C. 2000e-2(l)); "
        "group by job, level or region");
}

TEST_CASE("norms: profile, column and scoring hash must match; groups by name", "[norms]") {
  const norm_table t = table_of(build_norm_groups(ramp(200), std::vector<std::string>(200, "east"), 100), "region");
  CHECK_NOTHROW(check_norms(t, "p", std::string(64, 'a'), "fit"));
  CHECK_THROWS_MATCHES(check_norms(t, "q", std::string(64, 'a'), "fit"), argument_error,
                       Catch::Message("these norms are for profile 'p', not 'q'"));
  CHECK_THROWS_MATCHES(check_norms(t, "p", std::string(64, 'a'), "contrib_x"), argument_error,
                       Catch::Message("these norms are for column 'fit', not 'contrib_x'"));
  CHECK_THROWS_MATCHES(
      check_norms(t, "p", std::string(64, 'b'), "fit"), argument_error,
      Catch::Message("these norms were built with scoring hash aaaaaaaaaaaa (model m 1.0.0), but profile 'p' now "
                     "scores with bbbbbbbbbbbb: a target, weight, hurdle, scale mapping or evidence weight changed, "
                     "so the norms no longer describe its scores; rebuild them with 'merit norms build'"));
  CHECK(norms_group(t, "east").name() == "east");
  CHECK(norms_group(t, "").name() == "east");  // the only group
  CHECK_THROWS_MATCHES(norms_group(t, "west"), argument_error,
                       Catch::Message("no norms for group 'west' (the norms have: east)"));
  std::vector<std::string> groups;
  for (std::size_t i = 0; i < 200; ++i) groups.push_back(i % 2 ? "west" : "east");
  const norm_table two = table_of(build_norm_groups(ramp(200), groups, 100), "region");
  CHECK_THROWS_MATCHES(norms_group(two, ""), argument_error,
                       Catch::Message("these norms have several groups (by 'region': east, west); name the candidates' group"));
}

TEST_CASE("norms file: written and read back, every group and percentile the same", "[norms]") {
  std::vector<std::string> groups;
  std::vector<double> scores;
  for (std::size_t i = 0; i < 300; ++i) {
    groups.push_back(i % 3 ? "west" : "east");
    scores.push_back(std::round(1e6 * (50 + 30 * std::sin(static_cast<double>(i)))) / 1e6);
  }
  const norm_table t = table_of(build_norm_groups(scores, groups, 100), "region");
  const std::string text = io::to_json(t).dump();
  const norm_table back = io::parse_norms(json::parse(text), "n.json");
  CHECK(back.by == std::optional<std::string>("region"));
  CHECK(back.scoring_hash == t.scoring_hash);
  CHECK(back.built == t.built);
  REQUIRE(back.groups.size() == 2);
  for (std::size_t g = 0; g < 2; ++g) {
    CHECK(back.groups[g].values() == t.groups[g].values());
    CHECK(back.groups[g].counts() == t.groups[g].counts());
    for (double v : {-1.0, 20.0, 50.0, scores[7], 79.999999, 200.0})
      CHECK(back.groups[g].percentile(v) == t.groups[g].percentile(v));
  }
}

TEST_CASE("norms file: each problem with its place", "[norms]") {
  const norm_table t = table_of(build_norm_groups(ramp(100), {}, 100));
  const json good = json::parse(io::to_json(t).dump());
  auto message = [&](const std::function<void(json&)>& edit) -> std::string {
    json doc = good;
    edit(doc);
    try {
      io::parse_norms(doc, "n.json");
    } catch (const input_error& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK(message([](json&) {}) == "no error");
  CHECK(message([](json& d) { d["format"] = "merit.norms/2"; }) ==
        "n.json#/format: expected \"merit.norms/1\" (a file written by merit norms build)");
  CHECK(message([](json& d) { d["model"].erase("scoring_hash"); }) == "n.json#/model: missing 'scoring_hash'");
  CHECK(message([](json& d) { d["profile"] = ""; }) == "n.json#/profile: must be a non-empty string");
  CHECK(message([](json& d) { d["by"] = 3; }) == "n.json#/by: must be a column name or null");
  CHECK(message([](json& d) { d["min_n"] = 10; }) ==
        "n.json#/min_n: min_n 10 is below merit's minimum of 100 (docs/norms.md)");
  CHECK(message([](json& d) { d["groups"][0]["n"] = 101; }) ==
        "n.json#/groups/0/n: n is 101 but the counts sum to 100");
  CHECK(message([](json& d) { d["groups"][0]["values"][1] = 0.0000001; }) ==
        "n.json#/groups/0/values/1: values must be ascending and distinct at 6 decimals");
  CHECK(message([](json& d) { d["groups"][0]["counts"][3] = 0; }) == "n.json#/groups/0/counts/3: must be an integer >= 1");
  CHECK(message([](json& d) { d["groups"][0]["values"].erase(0); }) ==
        "n.json#/groups/0: 'values' and 'counts' must be arrays of the same length");
  CHECK(message([](json& d) { d["groups"] = json::array(); }) == "n.json#/groups: must be a non-empty array");
  CHECK(message([](json& d) { d["groups"][0]["group"] = "east"; }) ==
        "n.json#/groups: norms without 'by' have one group, 'all'");
  CHECK(message([](json& d) {
          d["by"] = "region";
          d["groups"].push_back(d["groups"][0]);
        }) == "n.json#/groups/1/group: group 'all' appears twice");
  CHECK(message([](json& d) {
          d["groups"][0]["values"].erase(0);
          d["groups"][0]["counts"].erase(0);
          d["groups"][0]["n"] = 99;
        }) == "n.json#/groups/0/n: group 'all' has 99 scores, fewer than min_n 100");
}

TEST_CASE("norms: a scoring hash from the shipped model checks its own profile only", "[norms]") {
  const competency_model m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  norm_table t = table_of(build_norm_groups(ramp(100), {}, 100));
  t.profile = "sales_enablement";
  t.scoring_hash = scoring_hash(m, "sales_enablement");
  CHECK_NOTHROW(check_norms(t, "sales_enablement", scoring_hash(m, "sales_enablement"), "fit"));
  CHECK_THROWS_AS(check_norms(t, "sales_enablement", scoring_hash(m, "sales_operations"), "fit"), argument_error);
}
