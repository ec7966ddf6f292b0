// merit/validity.hpp and merit/utility.hpp against R. The data sets and the
// reference values come from tests/validity/reference.R (seed 17; the R
// command and package versions are recorded there); the values are R's own
// (cor.test, psychometric::CIr, cRRr, TotUtil, glm, wilcox.test, prop.test,
// lm, mvtnorm::pmvnorm with TVPACK) and are matched to 1e-6 or closer.
#include <merit/io/csv.hpp>
#include <merit/utility.hpp>
#include <merit/validity.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>
#include <vector>

using Catch::Matchers::WithinAbs;

namespace {
const std::string dir = MERIT_SOURCE_DIR "/tests/validity/";

/// Numeric columns of one of the reference CSV files.
std::vector<std::vector<double>> columns(const std::string& file) {
  auto reader = merit::io::csv_reader::open(dir + file);
  reader.next();
  std::vector<std::vector<double>> c(reader.size());
  while (reader.next())
    for (std::size_t j = 0; j < c.size(); ++j) {
      double v = 0;
      REQUIRE(merit::io::parse_double(reader[j], v));
      c[j].push_back(v);
    }
  return c;
}

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
}  // namespace

TEST_CASE("validity: continuous criterion matches cor.test, CIr and cRRr", "[validity]") {
  const auto c = columns("continuous.csv");
  const auto v = merit::validity_continuous(c[0], c[1], 0.52, 0.9);
  CHECK(v.pearson.n == 60);
  CHECK_THAT(v.pearson.r, WithinAbs(R("pearson_r"), 1e-12));
  CHECK_THAT(v.pearson.lower, WithinAbs(R("pearson_lower"), 1e-10));
  CHECK_THAT(v.pearson.upper, WithinAbs(R("pearson_upper"), 1e-10));
  CHECK_THAT(v.pearson.lower, WithinAbs(R("cir_lower"), 1e-10));
  CHECK_THAT(v.pearson.upper, WithinAbs(R("cir_upper"), 1e-10));
  CHECK_THAT(v.pearson.p, WithinAbs(R("pearson_p"), 1e-10));
  CHECK_THAT(v.spearman, WithinAbs(R("spearman"), 1e-12));
  CHECK_THAT(v.sd_hires, WithinAbs(R("sd_hires"), 1e-12));
  CHECK_THAT(v.r_corrected_criterion, WithinAbs(R("r_corrected_criterion"), 1e-12));
  CHECK_THAT(v.r_corrected_range, WithinAbs(R("r_corrected_range"), 1e-12));
  CHECK_THAT(v.r_operational, WithinAbs(R("r_operational"), 1e-12));
}

TEST_CASE("validity: corrections absent without their inputs, refusals", "[validity]") {
  const auto c = columns("continuous.csv");
  const auto v = merit::validity_continuous(c[0], c[1], std::nan(""), std::nan(""));
  CHECK(std::isnan(v.r_corrected_criterion));
  CHECK(std::isnan(v.r_operational));
  const std::vector<double> few_x(c[0].begin(), c[0].begin() + 29), few_y(c[1].begin(), c[1].begin() + 29);
  CHECK_THROWS_WITH(merit::pearson(few_x, few_y), "too few cases: 29 matched, a validity needs at least 30");
  CHECK_THROWS_WITH(merit::correct_for_criterion(0.3, 0), "the criterion reliability must lie in (0, 1]");
  CHECK_THROWS_WITH(merit::correct_for_criterion(0.3, 1.2), "the criterion reliability must lie in (0, 1]");
  CHECK_THROWS_WITH(merit::correct_for_range_restriction(0.3, 1, 0), "the applicant SD must be > 0");
  CHECK_THROWS_WITH(merit::correct_for_range_restriction(0.3, 1, 0.5),
                    "the applicant SD is smaller than the hires' SD; direct range restriction cannot make the hires "
                    "more variable than the applicants, so Case II does not apply");
  CHECK_THROWS_WITH(merit::operational_validity(0.6, 0.3, 1, 2),
                    "r corrected for criterion unreliability exceeds 1; the criterion reliability is too low for this r "
                    "(is it the hires' reliability?)");
}

TEST_CASE("validity: binary criterion matches glm, wilcox.test and prop.test", "[validity]") {
  const auto c = columns("binary.csv");
  const auto b = merit::validity_binary(c[0], c[1]);
  CHECK(b.n == 80);
  CHECK_THAT(b.point_biserial, WithinAbs(R("point_biserial"), 1e-12));
  CHECK_THAT(b.logistic.slope, WithinAbs(R("logit_slope"), 1e-7));
  CHECK_THAT(b.logistic.intercept, WithinAbs(R("logit_intercept"), 1e-7));
  CHECK_THAT(b.logistic.odds_ratio_per_10 / R("odds_ratio_per_10"), WithinAbs(1, 1e-6));
  CHECK_THAT(b.auc, WithinAbs(R("auc"), 1e-12));
  REQUIRE(b.expectancy.size() == 5);
  for (const auto& row : b.expectancy) {
    const std::string p = "band" + std::to_string(row.band) + "_";
    CHECK(double(row.n) == R(p + "n"));
    CHECK_THAT(row.rate, WithinAbs(R(p + "rate"), 1e-12));
    CHECK_THAT(row.lower, WithinAbs(R(p + "lower"), 1e-9));
    CHECK_THAT(row.upper, WithinAbs(R(p + "upper"), 1e-9));
  }
}

TEST_CASE("validity: AUC equals a direct Mann-Whitney pair count, ties half", "[validity]") {
  const auto c = columns("binary.csv");
  double wins = 0, pairs = 0;  // independent O(n^2) count
  for (std::size_t i = 0; i < c[0].size(); ++i)
    for (std::size_t j = 0; j < c[0].size(); ++j)
      if (c[1][i] == 1 && c[1][j] == 0) {
        pairs += 1;
        wins += c[0][i] > c[0][j] ? 1 : c[0][i] == c[0][j] ? 0.5 : 0;
      }
  CHECK_THAT(merit::auc(c[0], c[1]), WithinAbs(wins / pairs, 1e-12));
}

TEST_CASE("validity: separated outcomes are refused, not given an infinite odds ratio", "[validity]") {
  std::vector<double> x, y;
  for (int i = 0; i < 40; ++i) {
    x.push_back(i);
    y.push_back(i >= 20);
  }
  CHECK_THROWS_WITH(merit::validity_binary(x, y),
                    "the logistic regression does not converge: the predictor separates the outcomes (almost) "
                    "perfectly, so no finite odds ratio exists");
}

TEST_CASE("validity: cross-validated multiple R matches lm with the same folds", "[validity]") {
  const auto c = columns("multiple.csv");
  Eigen::MatrixXd X(c[0].size(), 3);
  for (std::size_t i = 0; i < c[0].size(); ++i)
    for (int k = 0; k < 3; ++k) X(i, k) = c[k][i];
  const auto m = merit::cross_validated_multiple_r(X, c[3]);
  CHECK(m.n == 60);
  CHECK(m.folds == 10);
  CHECK_THAT(m.multiple_r, WithinAbs(R("multiple_r"), 1e-10));
  CHECK_THAT(m.cross_validated_r, WithinAbs(R("cross_validated_r"), 1e-10));
  const Eigen::MatrixXd X7 = Eigen::MatrixXd::Ones(60, 7);
  CHECK_THROWS_WITH(merit::cross_validated_multiple_r(X7, c[3]),
                    "too few cases for 7 predictors: 60 matched, a regression needs at least 10 per predictor (70)");
}

TEST_CASE("utility: Taylor-Russell matches mvtnorm::pmvnorm (TVPACK)", "[utility]") {
  const double cases[][3] = {{0.35, 0.2, 0.5}, {0.5, 0.1, 0.3}, {0.3, 0.5, 0.5},
                             {0.25, 0.5, 0.7}, {0.6, 0.8, 0.2}, {-0.2, 0.3, 0.6}};
  for (int i = 0; i < 6; ++i) {
    const auto u = merit::selection_utility(cases[i][0], cases[i][1], cases[i][2]);
    CHECK_THAT(u.success_ratio, WithinAbs(R("tr" + std::to_string(i + 1) + "_success_ratio"), 1e-10));
  }
}

TEST_CASE("utility: published example and Brogden-Cronbach-Gleser against TotUtil", "[utility]") {
  // Published worked example: base rate .50, selection ratio .20, validity .35
  // gives a success ratio of 0.696552 (Taylor & Russell 1939 setting, as
  // worked in the personnelSelectionUtility R package's tr_classic example,
  // which cites Taylor & Russell 1939 and Cascio 1980); the printed table
  // (Taylor & Russell 1939, base rate .50) rounds it to .70.
  const auto u = merit::selection_utility(0.35, 0.2, 0.5, 40000, 10, 300);
  CHECK_THAT(u.success_ratio, WithinAbs(0.696552, 1e-6));
  CHECK_THAT(u.mean_z_selected, WithinAbs(R("bcg_mean_z"), 1e-12));
  REQUIRE(u.utility);
  CHECK_THAT(*u.utility, WithinAbs(R("bcg_utility"), 1e-6));
  CHECK_THROWS_WITH(merit::selection_utility(0.3, 1, 0.5), "the selection ratio must lie strictly between 0 and 1");
  CHECK_THROWS_WITH(merit::selection_utility(0.3, 0.5, 0.5, 0, 1, 1), "the SD of performance must be > 0");
}
