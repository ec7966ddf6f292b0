// merit/criterion.hpp against R. The data set and the reference values come
// from tests/criterion/reference.R (seed 360; psych::ICC for the balanced
// group, the one-way ANOVA of lm for the unbalanced one, Mosier's reliability
// from the covariance matrix of the group means), matched to 1e-10.
#include <merit/criterion.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/ratings_360.hpp>
#include <merit/reliability.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>
#include <vector>

using Catch::Matchers::WithinAbs;

namespace {
const std::string dir = MERIT_SOURCE_DIR "/tests/criterion/";

const std::map<std::string, double>& ref() {
  static const std::map<std::string, double> values = [] {
    std::map<std::string, double> m;
    auto reader = merit::io::csv_reader::open(dir + "reference_values.csv");
    reader.next();
    while (reader.next()) {
      double v = 0;
      REQUIRE(merit::io::parse_double(reader[1], v));
      m[std::string(reader[0])] = v;
    }
    return m;
  }();
  return values;
}
double R(const std::string& name) {
  INFO(name);
  REQUIRE(ref().count(name) == 1);
  return ref().at(name);
}

const std::vector<merit::rater_group_weight> weights{{"salespeople", 0.5}, {"manager", 0.3}, {"peer", 0.2}};

std::vector<merit::rating_360> reference_ratings() {
  return merit::io::read_ratings_360(dir + "ratings.csv", {"salespeople", "manager", "peer"}).ratings;
}

const merit::group_reliability& group(const merit::criterion_360_result& r, const std::string& name) {
  for (const auto& g : r.reliability)
    if (g.group == name) return g;
  FAIL("no group " << name);
  throw;
}
}  // namespace

TEST_CASE("criterion 360: group ICCs match psych::ICC and the one-way ANOVA, composite matches Mosier", "[criterion]") {
  merit::criterion_360_options opt;
  opt.given_reliability = {{"manager", 0.52}};
  const auto r = merit::criterion_360(reference_ratings(), weights, opt);
  REQUIRE(r.persons.size() == 40);
  CHECK(r.incomplete == 0);

  const auto& peer = group(r, "peer");  // balanced: merit::icc, as psych::ICC
  CHECK(peer.balanced);
  CHECK(peer.k == 3);
  CHECK_THAT(peer.icc1.value, WithinAbs(R("peer_icc1"), 1e-10));
  CHECK_THAT(peer.icc1.lower, WithinAbs(R("peer_icc1_lower"), 1e-10));
  CHECK_THAT(peer.icc1.upper, WithinAbs(R("peer_icc1_upper"), 1e-10));
  CHECK_THAT(peer.icc1k.value, WithinAbs(R("peer_icc1k"), 1e-10));
  CHECK_THAT(peer.icc1k.lower, WithinAbs(R("peer_icc1k_lower"), 1e-10));
  CHECK_THAT(peer.icc1k.upper, WithinAbs(R("peer_icc1k_upper"), 1e-10));
  CHECK_THAT(peer.test.f, WithinAbs(R("peer_f"), 1e-10));
  CHECK_THAT(peer.test.p, WithinAbs(R("peer_p"), 1e-10));
  CHECK(peer.reliability_source == "icc1k");

  const auto& sales = group(r, "salespeople");  // unbalanced: 2 to 5 raters
  CHECK_FALSE(sales.balanced);
  CHECK(sales.raters_min == 2);
  CHECK(sales.raters_max == 5);
  CHECK_THAT(sales.k, WithinAbs(R("sales_k0"), 1e-12));
  CHECK_THAT(sales.icc1.value, WithinAbs(R("sales_icc1"), 1e-10));
  CHECK_THAT(sales.icc1.lower, WithinAbs(R("sales_icc1_lower"), 1e-10));
  CHECK_THAT(sales.icc1.upper, WithinAbs(R("sales_icc1_upper"), 1e-10));
  CHECK_THAT(sales.icc1k.value, WithinAbs(R("sales_icc1k"), 1e-10));
  CHECK_THAT(sales.icc1k.lower, WithinAbs(R("sales_icc1k_lower"), 1e-10));
  CHECK_THAT(sales.icc1k.upper, WithinAbs(R("sales_icc1k_upper"), 1e-10));
  CHECK_THAT(sales.test.f, WithinAbs(R("sales_f"), 1e-10));
  CHECK_THAT(sales.test.p, WithinAbs(R("sales_p"), 1e-10));

  const auto& manager = group(r, "manager");  // one rater a person: not estimable, the given value used
  CHECK_FALSE(manager.estimable);
  CHECK(std::isnan(manager.icc1.value));
  CHECK(manager.note == "one rater per person: agreement between raters cannot be estimated");
  CHECK(manager.reliability == 0.52);
  CHECK(manager.reliability_source == "given");

  CHECK(r.composite.n == 40);
  CHECK_THAT(r.composite.variance, WithinAbs(R("composite_variance"), 1e-12));
  CHECK_THAT(r.composite.reliability, WithinAbs(R("mosier"), 1e-10));
  std::map<std::string, double> composite;
  for (const auto& p : r.persons) composite[p.person] = p.composite;
  for (const char* id : {"E01", "E17", "E40"})
    CHECK_THAT(composite[id], WithinAbs(R(std::string("composite_") + id), 1e-12));
}

TEST_CASE("criterion 360: without a reliability for the manager the composite's is not invented", "[criterion]") {
  const auto r = merit::criterion_360(reference_ratings(), weights);
  CHECK(std::isnan(group(r, "manager").reliability));
  CHECK(group(r, "manager").reliability_source.empty());
  CHECK(std::isnan(r.composite.reliability));
  CHECK(r.composite.note == "no reliability for rater group(s) manager; give one to compute the composite's");
}

TEST_CASE("criterion 360: one_way_icc on balanced data equals merit::icc's one-way forms", "[criterion]") {
  // Shrout & Fleiss (1979) table 2: 6 targets, 4 judges; ICC(1,1) = .17.
  const std::vector<std::vector<double>> sf{{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8},
                                            {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}};
  merit::RowMatrix x(6, 4);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 4; ++j) x(i, j) = sf[i][j];
  const auto two_way = merit::icc(x);
  const auto one_way = merit::one_way_icc(sf);
  CHECK(one_way.k0 == 4);
  CHECK_THAT(one_way.icc1.value, WithinAbs(two_way.icc1.value, 1e-12));
  CHECK_THAT(one_way.icc1.lower, WithinAbs(two_way.icc1.lower, 1e-12));
  CHECK_THAT(one_way.icc1.upper, WithinAbs(two_way.icc1.upper, 1e-12));
  CHECK_THAT(one_way.icc1k.value, WithinAbs(two_way.icc1k.value, 1e-12));
  CHECK_THAT(one_way.icc1k.lower, WithinAbs(two_way.icc1k.lower, 1e-12));
  CHECK_THAT(one_way.icc1k.upper, WithinAbs(two_way.icc1k.upper, 1e-12));
  CHECK_THAT(one_way.test.p, WithinAbs(two_way.one_way.p, 1e-12));
  CHECK_THAT(one_way.icc1.value, WithinAbs(0.17, 0.005));
}

TEST_CASE("criterion 360: Mosier's formula by hand", "[criterion]") {
  // Two components, w = (.6, .4), variances 1 and 4, reliabilities .8 and .5,
  // composite variance 2: 1 - (.36 x 1 x .2 + .16 x 4 x .5) / 2 = 0.804.
  CHECK_THAT(merit::mosier_reliability({0.6, 0.4}, {1, 4}, {0.8, 0.5}, 2), WithinAbs(0.804, 1e-15));
  // One component of weight 1: the composite's reliability is the component's.
  CHECK_THAT(merit::mosier_reliability({1}, {2.5}, {0.7}, 2.5), WithinAbs(0.7, 1e-15));
  CHECK_THROWS_WITH(merit::mosier_reliability({1}, {1}, {0.5}, 0),
                    "mosier_reliability: the composite variance must be > 0");
}

TEST_CASE("criterion 360: missing groups: refuse, renormalise, drop", "[criterion]") {
  std::vector<merit::rating_360> r{{"A", "salespeople", "s1", 4}, {"A", "salespeople", "s2", 5},
                                   {"A", "manager", "m", 3},       {"A", "peer", "p1", 4},
                                   {"B", "salespeople", "s1", 2},  {"B", "salespeople", "s2", 3},
                                   {"B", "peer", "p1", 4},         {"C", "salespeople", "s1", 3},
                                   {"C", "manager", "m", 3},       {"C", "peer", "p1", 2}};
  CHECK_THROWS_WITH(merit::criterion_360(r, weights),
                    "'B' has no rating from rater group 'manager'; renormalise the weights over the groups present "
                    "(the row is flagged) or drop such persons");
  merit::criterion_360_options opt;
  opt.missing = merit::missing_group_policy::renormalise;
  const auto re = merit::criterion_360(r, weights, opt);
  REQUIRE(re.persons.size() == 3);
  CHECK(re.incomplete == 1);
  CHECK_FALSE(re.persons[1].complete);
  CHECK(std::isnan(re.persons[1].group_mean[1]));
  CHECK(re.persons[1].group_raters[1] == 0);
  CHECK_THAT(re.persons[1].composite, WithinAbs((0.5 * 2.5 + 0.2 * 4) / 0.7, 1e-15));
  CHECK_THAT(re.persons[0].composite, WithinAbs(0.5 * 4.5 + 0.3 * 3 + 0.2 * 4, 1e-15));
  CHECK(re.composite.n == 2);  // Mosier only over the persons every group rated
  opt.missing = merit::missing_group_policy::drop;
  const auto dr = merit::criterion_360(r, weights, opt);
  CHECK(dr.persons.size() == 2);
  CHECK(dr.dropped == 1);
  CHECK(dr.persons[1].person == "C");
}

TEST_CASE("criterion 360: refusals name what to fix", "[criterion]") {
  const std::vector<merit::rating_360> r{{"A", "salespeople", "s1", 4}, {"A", "manager", "m", 3},
                                         {"A", "peer", "p", 3}};
  CHECK_THROWS_WITH(merit::check_rater_group_weights({{"salespeople", 0.5}, {"manager", 0.3}, {"peer", 0.3}}),
                    "the rater-group weights sum to 1.1, not 1; if the proportions are meant, the weights are "
                    "salespeople=0.45454545454545453,manager=0.2727272727272727,peer=0.2727272727272727");
  CHECK_THROWS_WITH(merit::check_rater_group_weights({{"salespeople", 1}, {"peer", 0}}),
                    "the weight of rater group 'peer' must be > 0, got 0 (leave a group out by excluding it)");
  CHECK_THROWS_WITH(merit::check_rater_group_weights({{"peer", 0.5}, {"peer", 0.5}}),
                    "rater group 'peer' has two weights");
  CHECK_THROWS_WITH(merit::check_rater_group_weights({}), "no rater group has a weight");
  CHECK_THROWS_WITH(merit::criterion_360({{"A", "self", "a", 4}}, weights),
                    "rater group 'self' has no weight (the weights name salespeople, manager, peer); give it a "
                    "weight or leave its ratings out");
  CHECK_THROWS_WITH(merit::criterion_360({{"A", "salespeople", "s", 4}, {"A", "peer", "p", 4}},
                                         {{"salespeople", 0.5}, {"peers", 0.2}, {"peer", 0.3}}),
                    "rater group 'peers' has a weight but no rating; check its spelling");
  CHECK_THROWS_WITH(merit::criterion_360({{"A", "peer", "p", 4}, {"A", "peer", "p", 5}}, {{"peer", 1}}),
                    "rater 'p' of group 'peer' rates 'A' twice; give one rating per rater and person");
  merit::criterion_360_options opt;
  opt.given_reliability = {{"manager", 1.5}};
  CHECK_THROWS_WITH(merit::criterion_360(r, weights, opt),
                    "the reliability given for rater group 'manager' must lie in (0, 1], got 1.5");
  opt.given_reliability = {{"self", 0.5}};
  CHECK_THROWS_WITH(merit::criterion_360(r, weights, opt),
                    "a reliability is given for rater group 'self', which has no weight");
  CHECK_THROWS_WITH(merit::one_way_icc({{1}, {2}}),
                    "one_way_icc: every target has a single rating, so rater agreement cannot be seen");
  CHECK_THROWS_WITH(merit::one_way_icc({{1, 1}, {2, 2, 2}}),
                    "one_way_icc: the raters of every target agree exactly (no variance within targets), so the "
                    "F-based estimate does not exist");
}

TEST_CASE("criterion 360: the CSV and its reader", "[criterion]") {
  merit::criterion_360_options opt;
  opt.missing = merit::missing_group_policy::renormalise;
  const auto r = merit::criterion_360({{"A", "salespeople", "s1", 4}, {"A", "salespeople", "s2", 5},
                                       {"A", "manager", "m", 3}, {"B", "salespeople", "s1", 2}},
                                      {{"salespeople", 0.6}, {"manager", 0.4}}, opt);
  CHECK(merit::io::criterion_360_csv(r) ==
        "candidate_id,composite,salespeople_mean,salespeople_raters,manager_mean,manager_raters,missing_groups\n"
        "A,3.900000,4.500000,2,3.000000,1,\n"
        "B,2.000000,2.000000,1,,0,manager\n");
}
