#include <merit/io/csv.hpp>
#include <merit/reliability.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using Catch::Matchers::WithinAbs;

namespace {
const double NA = std::numeric_limits<double>::quiet_NaN();

merit::RowMatrix shrout_fleiss() {
  merit::RowMatrix x(6, 4);
  x << 9, 2, 5, 8,  //
      6, 1, 3, 2,   //
      8, 4, 6, 8,   //
      7, 1, 2, 6,   //
      10, 5, 6, 9,  //
      6, 2, 4, 7;
  return x;
}

// The named columns of a CSV file with a header; "NA" and empty cells are NaN.
merit::RowMatrix read_columns(const std::string& path, const std::vector<std::string>& names) {
  auto r = merit::io::csv_reader::open(path);
  REQUIRE(r.next());
  std::vector<std::size_t> at;
  for (const auto& name : names) {
    auto it = std::find(r.fields().begin(), r.fields().end(), name);
    REQUIRE(it != r.fields().end());
    at.push_back(static_cast<std::size_t>(it - r.fields().begin()));
  }
  std::vector<double> values;
  while (r.next()) {
    for (auto j : at) {
      double v = NA;
      if (r[j] != "NA" && !r[j].empty() && !merit::io::parse_double(r[j], v)) FAIL(r.place(j) << ": not a number");
      values.push_back(v);
    }
  }
  const auto cols = static_cast<Eigen::Index>(names.size());
  return Eigen::Map<merit::RowMatrix>(values.data(), static_cast<Eigen::Index>(values.size()) / cols, cols);
}

merit::RowMatrix agreeableness() {
  auto x = read_columns(MERIT_SHARED_DIR "/data/psychometrics/bfi.csv", {"A1", "A2", "A3", "A4", "A5"});
  merit::reverse_key(x, 0, 1, 6);
  return x;
}

template <class F>
std::string message_of(F f) {
  try {
    f();
  } catch (const merit::argument_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("icc: Shrout & Fleiss (1979) reference values", "[reliability]") {
  const auto r = merit::icc(shrout_fleiss());
  CHECK(r.n_targets == 6);
  CHECK(r.n_judges == 4);
  CHECK(r.n_dropped == 0);
  CHECK_THAT(r.icc1.value, WithinAbs(.1657418, 1e-6));
  CHECK_THAT(r.icc2.value, WithinAbs(.2897638, 1e-6));
  CHECK_THAT(r.icc3.value, WithinAbs(.7148407, 1e-6));
  CHECK_THAT(r.icc1k.value, WithinAbs(.4427971, 1e-6));
  CHECK_THAT(r.icc2k.value, WithinAbs(.6200505, 1e-6));
  CHECK_THAT(r.icc3k.value, WithinAbs(.9093155, 1e-6));
  CHECK_THAT(r.msb, WithinAbs(11.241667, 1e-6));
  CHECK_THAT(r.msj, WithinAbs(32.486111, 1e-6));
  CHECK_THAT(r.mse, WithinAbs(1.019444, 1e-6));
  CHECK_THAT(r.msw, WithinAbs(6.263889, 1e-6));
  CHECK_THAT(r.icc2.lower, WithinAbs(.0187865, 1e-5));
  CHECK_THAT(r.icc2.upper, WithinAbs(.7610844, 1e-5));
  CHECK_THAT(r.icc3.lower, WithinAbs(.3424648, 1e-5));
  CHECK_THAT(r.icc3.upper, WithinAbs(.9458583, 1e-5));
  CHECK_THAT(r.f_two_way, WithinAbs(11.241667 / 1.019444, 1e-4));
}

// R psych 2.2.9: ICC(x, lmer = FALSE)$results on the same table (F, df1, df2, p).
TEST_CASE("icc: F tests as R psych reports them", "[reliability]") {
  const auto r = merit::icc(shrout_fleiss());
  CHECK_THAT(r.one_way.f, WithinAbs(1.79467849223947, 1e-12));
  CHECK(r.one_way.df1 == 5);
  CHECK(r.one_way.df2 == 18);
  CHECK_THAT(r.one_way.p, WithinAbs(0.164768808344639611, 1e-13));
  CHECK_THAT(r.two_way.f, WithinAbs(11.02724795640327, 1e-12));
  CHECK(r.two_way.df1 == 5);
  CHECK(r.two_way.df2 == 15);
  CHECK_THAT(r.two_way.p, WithinAbs(0.000134566516484337, 1e-15));
  const auto forms = merit::icc_forms(r);
  CHECK(std::string(forms[1].type) == "ICC2");
  CHECK(forms[1].test == &r.two_way);
  CHECK(forms[3].test == &r.one_way);
  CHECK(merit::icc_description(forms[1], r.n_judges) ==
        "ICC(2,1) = ICC(A,1): two-way random, absolute agreement, single judge");
  CHECK(merit::icc_description(forms[3], r.n_judges) == "ICC(1,k) = ICC(k): one-way random, mean of 4 judges");
  CHECK(merit::icc_description(forms[4], r.n_judges, true) == "ICC(2,k) = ICC(A,k)：双向随机，绝对一致性，4 名评分者的平均");
}

TEST_CASE("icc: the remaining intervals follow from the F bounds", "[reliability]") {
  // psych::ICC(sf) prints these (to 2 decimals): ICC1 [-.13, .72], ICC1k [-.88, .91],
  // ICC2k [.07, .93], ICC3k [.68, .99]. The identities below pin them exactly.
  const auto r = merit::icc(shrout_fleiss());
  const double k = 4;
  auto to_single = [&](double avg) { return avg / (k - avg * (k - 1)); };  // inverse Spearman-Brown
  CHECK_THAT(to_single(r.icc1k.lower), WithinAbs(r.icc1.lower, 1e-12));
  CHECK_THAT(to_single(r.icc1k.upper), WithinAbs(r.icc1.upper, 1e-12));
  CHECK_THAT(to_single(r.icc3k.lower), WithinAbs(r.icc3.lower, 1e-12));
  CHECK_THAT(to_single(r.icc2k.upper), WithinAbs(r.icc2.upper, 1e-12));
  CHECK_THAT(r.icc1.lower, WithinAbs(-.13, 0.005));
  CHECK_THAT(r.icc1.upper, WithinAbs(.72, 0.005));
  CHECK_THAT(r.icc1k.lower, WithinAbs(-.88, 0.005));
  CHECK_THAT(r.icc1k.upper, WithinAbs(.91, 0.005));
  CHECK_THAT(r.icc2k.lower, WithinAbs(.07, 0.005));
  CHECK_THAT(r.icc2k.upper, WithinAbs(.93, 0.005));
  CHECK_THAT(r.icc3k.lower, WithinAbs(.68, 0.005));
  CHECK_THAT(r.icc3k.upper, WithinAbs(.99, 0.005));
}

TEST_CASE("icc: targets with a missing rating are left out", "[reliability]") {
  auto x = shrout_fleiss();
  merit::RowMatrix with_gaps(8, 4);
  with_gaps << x.topRows(3), NA, 3, 4, 5, x.bottomRows(3), 1, 2, NA, NA;
  const auto r = merit::icc(with_gaps);
  CHECK(r.n_targets == 6);
  CHECK(r.n_dropped == 2);
  const auto ref = merit::icc(x);
  CHECK(r.icc2.value == ref.icc2.value);
  CHECK(r.icc2.lower == ref.icc2.lower);
}

TEST_CASE("icc: invariant to judge order and to a shift of every rating", "[reliability]") {
  auto x = shrout_fleiss();
  merit::RowMatrix y = x.rowwise().reverse();
  y.array() += 10;
  const auto a = merit::icc(x), b = merit::icc(y);
  CHECK_THAT(b.icc2.value, WithinAbs(a.icc2.value, 1e-12));
  CHECK_THAT(b.icc2.lower, WithinAbs(a.icc2.lower, 1e-12));
  CHECK_THAT(b.icc1.upper, WithinAbs(a.icc1.upper, 1e-12));
}

TEST_CASE("icc: the confidence level is two-sided", "[reliability]") {
  const auto r95 = merit::icc(shrout_fleiss()), r90 = merit::icc(shrout_fleiss(), 0.90);
  CHECK(r90.icc3.lower > r95.icc3.lower);
  CHECK(r90.icc3.upper < r95.icc3.upper);
  CHECK(r90.icc3.value == r95.icc3.value);
}

TEST_CASE("icc: errors", "[reliability]") {
  merit::RowMatrix one_judge(3, 1);
  one_judge << 1, 2, 3;
  CHECK(message_of([&] { merit::icc(one_judge); }) == "icc: needs at least 2 judges (columns), got 1");
  merit::RowMatrix sparse(3, 2);
  sparse << 1, 2, NA, 3, 4, NA;
  CHECK(message_of([&] { merit::icc(sparse); }) ==
        "icc: needs at least 2 targets rated by every judge, got 1 (2 left out for missing ratings)");
  merit::RowMatrix flat = merit::RowMatrix::Constant(3, 2, 4.0);
  CHECK(message_of([&] { merit::icc(flat); }) == "icc: the ratings do not vary (every mean square is zero)");
  merit::RowMatrix additive(3, 2);
  additive << 1, 2, 3, 4, 5, 6;
  CHECK(message_of([&] { merit::icc(additive); }) ==
        "icc: the residual mean square is zero (ratings are exactly additive in target and judge), so the "
        "F-based intervals do not exist");
  merit::RowMatrix inf = shrout_fleiss();
  inf(2, 1) = std::numeric_limits<double>::infinity();
  CHECK(message_of([&] { merit::icc(inf); }) == "icc: rating at row 2, column 1 is infinite");
  CHECK(message_of([&] { merit::icc(shrout_fleiss(), 1.0); }) ==
        "icc: confidence must lie strictly between 0 and 1");
}

TEST_CASE("alpha: bfi Agreeableness, pairwise (psych's default)", "[reliability]") {
  const auto r = merit::cronbach_alpha(agreeableness());
  CHECK(r.n == 2800);
  CHECK(r.n_items == 5);
  CHECK_THAT(r.alpha, WithinAbs(.7030184, 1e-6));
  CHECK_THAT(r.std_alpha, WithinAbs(.7130286, 1e-6));
  CHECK_THAT(r.lower, WithinAbs(.6852643, 1e-5));
  CHECK_THAT(r.upper, WithinAbs(.7200634, 1e-5));
}

TEST_CASE("alpha: bfi Agreeableness, listwise", "[reliability]") {
  const auto r = merit::cronbach_alpha(agreeableness(), merit::missing_policy::listwise);
  CHECK(r.n == 2709);
  CHECK_THAT(r.alpha, WithinAbs(.7037559, 1e-6));
  CHECK(r.lower < r.alpha);
  CHECK(r.upper > r.alpha);
}

TEST_CASE("alpha: complete data give the same alpha under both policies", "[reliability]") {
  const auto x = shrout_fleiss();
  const auto p = merit::cronbach_alpha(x), l = merit::cronbach_alpha(x, merit::missing_policy::listwise);
  CHECK(p.alpha == l.alpha);
  CHECK(p.lower == l.lower);
  // Alpha of the judges as items equals ICC(3,k) (Shrout & Fleiss 1979).
  CHECK_THAT(p.alpha, WithinAbs(merit::icc(x).icc3k.value, 1e-12));
}

TEST_CASE("alpha: errors name the items", "[reliability]") {
  merit::RowMatrix x(4, 3);
  x << 1, 2, 3,  //
      2, 2, 4,   //
      3, 2, NA,  //
      4, 2, 5;
  CHECK(message_of([&] { merit::cronbach_alpha(x, merit::missing_policy::pairwise, 0.95, {"q1", "q2", "q3"}); }) ==
        "cronbach_alpha: item 'q2' has zero variance");
  CHECK(message_of([&] { merit::cronbach_alpha(x); }) == "cronbach_alpha: column 1 has zero variance");
  merit::RowMatrix one(3, 1);
  one << 1, 2, 3;
  CHECK(message_of([&] { merit::cronbach_alpha(one); }) == "cronbach_alpha: needs at least 2 items (columns), got 1");
  merit::RowMatrix apart(4, 2);
  apart << 1, NA, 2, NA, NA, 3, NA, 4;
  CHECK(message_of([&] { merit::cronbach_alpha(apart, merit::missing_policy::pairwise, 0.95, {"a", "b"}); }) ==
        "cronbach_alpha: item 'a' and item 'b' have fewer than 2 rows in common");
  CHECK(message_of([&] { merit::cronbach_alpha(apart, merit::missing_policy::listwise); }) ==
        "cronbach_alpha: needs at least 2 rows with every item present, got 0");
  merit::RowMatrix opposed(3, 2);
  opposed << 1, 3, 2, 2, 3, 1;
  CHECK(message_of([&] { merit::cronbach_alpha(opposed); }) ==
        "cronbach_alpha: the total score has no positive variance (sum of the item covariances <= 0)");
}

TEST_CASE("reverse_key: x -> lo + hi - x, NaN kept, range checked", "[reliability]") {
  merit::RowMatrix x(3, 2);
  x << 1, 6, NA, 2, 6, 1;
  merit::reverse_key(x, 0, 1, 6);
  CHECK(x(0, 0) == 6);
  CHECK(std::isnan(x(1, 0)));
  CHECK(x(2, 0) == 1);
  CHECK(x(0, 1) == 6);
  CHECK(message_of([&] { merit::reverse_key(x, 1, 1, 5); }) == "reverse_key: value 6 at row 0 lies outside the scale 1..5");
  CHECK(message_of([&] { merit::reverse_key(x, 1, 5, 5); }) ==
        "reverse_key: the scale minimum must be below its maximum");
}
