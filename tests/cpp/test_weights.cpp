// Tests of merit/weights.hpp: AHP priorities, consistency, incomplete
// judgments, groups, diagnostics, hierarchy and the judgments file.
#include <merit/io/judgments.hpp>
#include <merit/weights.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <random>
#include <string>

using merit::RowMatrix;
using merit::Vector;
using Catch::Matchers::WithinAbs;

namespace {

const double na = std::numeric_limits<double>::quiet_NaN();

/// Saaty (2008) drink example, REFERENCE_VALUES.md; order coffee, wine, tea, beer, soda, milk, water.
RowMatrix drink_matrix() {
  const double upper[7][7] = {{0, 9, 5, 2, 1, 1, 1. / 2},         {0, 0, 1. / 3, 1. / 9, 1. / 9, 1. / 9, 1. / 9},
                              {0, 0, 0, 1. / 3, 1. / 4, 1. / 3, 1. / 9}, {0, 0, 0, 0, 1. / 2, 1, 1. / 3},
                              {0, 0, 0, 0, 0, 2, 1. / 2},         {0, 0, 0, 0, 0, 0, 1. / 3},
                              {0, 0, 0, 0, 0, 0, 0}};
  RowMatrix A = RowMatrix::Identity(7, 7);
  for (int i = 0; i < 7; ++i)
    for (int j = i + 1; j < 7; ++j) {
      A(i, j) = upper[i][j];
      A(j, i) = 1 / upper[i][j];
    }
  return A;
}

RowMatrix consistent_matrix(const Vector& w) {
  RowMatrix A(w.size(), w.size());
  for (Eigen::Index i = 0; i < w.size(); ++i)
    for (Eigen::Index j = 0; j < w.size(); ++j) A(i, j) = w[i] / w[j];
  return A;
}

template <class E, class F>
void require_error(F&& f, const std::string& what, merit::errc code) {
  try {
    f();
    FAIL("no exception; expected: " << what);
  } catch (const E& e) {
    CHECK(std::string(e.what()) == what);
    CHECK(e.code() == code);
  }
}

merit::judgments parse(const std::string& text) {
  return merit::parse_judgments(nlohmann::json::parse(text), "judgments.json");
}

}  // namespace

TEST_CASE("drink example, eigenvector method", "[weights]") {
  const auto r = merit::ahp_priorities(drink_matrix(), merit::ahp_method::eigen);
  const double expected[] = {.177457, .019149, .041831, .116417, .189572, .128781, .326793};
  for (int i = 0; i < 7; ++i) CHECK_THAT(r.weights[i], WithinAbs(expected[i], 1e-6));
  CHECK_THAT(r.weights.sum(), WithinAbs(1.0, 1e-15));
  CHECK_THAT(r.lambda_max, WithinAbs(7.176629, 1e-6));
  CHECK_THAT(r.ci, WithinAbs(.029438, 1e-6));
  CHECK_THAT(r.cr, WithinAbs(.022302, 1e-6));
  CHECK(r.ri == 1.32);
  CHECK(r.ri_table == "saaty1980");
  CHECK(std::isnan(r.gci));
  CHECK(r.missing == 0);
}

TEST_CASE("drink example, row geometric mean", "[weights]") {
  const auto r = merit::ahp_priorities(drink_matrix(), merit::ahp_method::geometric);
  const double expected[] = {.178723, .018461, .042234, .116498, .191136, .128625, .324323};
  for (int i = 0; i < 7; ++i) CHECK_THAT(r.weights[i], WithinAbs(expected[i], 1e-6));
  // lambda_max, CI and CR are properties of the matrix, the same for both methods
  CHECK_THAT(r.lambda_max, WithinAbs(7.176629, 1e-6));
  CHECK_THAT(r.ci, WithinAbs(.029438, 1e-6));
  CHECK_THAT(r.cr, WithinAbs(.022302, 1e-6));
  // GCI from its definition
  const RowMatrix A = drink_matrix();
  double s = 0;
  for (int i = 0; i < 7; ++i)
    for (int j = i + 1; j < 7; ++j) s += std::pow(std::log(A(i, j) * r.weights[j] / r.weights[i]), 2);
  CHECK_THAT(r.gci, WithinAbs(2 * s / (6 * 5), 1e-12));
  CHECK(r.gci < merit::gci_threshold(7));
}

TEST_CASE("random-index tables", "[weights]") {
  CHECK(merit::random_index_table_named("saaty1980")(7) == 1.32);
  CHECK(merit::random_index_table_named("saaty1980")(12) == 1.48);
  CHECK(merit::random_index_table_named("saaty2005")(7) == 1.35);
  CHECK(merit::random_index_table_named("tummala_ling")(15) == 1.5831);
  const auto& dd = merit::random_index_table_named("donegan_dodd");
  CHECK(dd(20) == 1.5371);
  CHECK(dd(25) == 1.5619);
  CHECK_THAT(dd(22), WithinAbs(1.5371 + 2 * (1.5619 - 1.5371) / 5, 1e-15));
  CHECK(std::isnan(merit::ri_saaty1980(16)));
  CHECK(merit::gci_threshold(3) == 0.31);
  CHECK(merit::gci_threshold(4) == 0.35);
  CHECK(merit::gci_threshold(9) == 0.37);
  require_error<merit::argument_error>(
      [] { merit::random_index_table_named("alonso"); },
      "unknown random-index table 'alonso' (known: saaty1980, saaty2005, donegan_dodd, tummala_ling)",
      merit::errc::invalid_argument);
  const auto r = merit::ahp_priorities(drink_matrix(), merit::ahp_method::eigen, merit::ri_saaty2005);
  CHECK_THAT(r.cr, WithinAbs(r.ci / 1.35, 1e-15));
  CHECK(r.ri_table == "saaty2005");
}

TEST_CASE("consistent matrices give back their weights; CR 0; beyond the table CR is NaN", "[weights]") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.2, 1.0);
  for (int n : {1, 2, 3, 9, 16}) {
    Vector w(n);
    for (int i = 0; i < n; ++i) w[i] = u(rng);
    w /= w.sum();
    for (auto m : {merit::ahp_method::eigen, merit::ahp_method::geometric}) {
      const auto r = merit::ahp_priorities(consistent_matrix(w), m);
      CHECK((r.weights - w).cwiseAbs().maxCoeff() < 1e-14);
      CHECK_THAT(r.lambda_max, WithinAbs(n, 1e-12));
      if (n <= 15) CHECK_THAT(r.cr, WithinAbs(0, 1e-12));
      if (n > 15) CHECK(std::isnan(r.cr));
    }
  }
}

TEST_CASE("a 50-item inconsistent matrix: power iteration matches EigenSolver", "[weights]") {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> pick(0, 16);
  const double scale[] = {1. / 9, 1. / 8, 1. / 7, 1. / 6, 1. / 5, 1. / 4, 1. / 3, 1. / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  RowMatrix A = RowMatrix::Identity(50, 50);
  for (int i = 0; i < 50; ++i)
    for (int j = i + 1; j < 50; ++j) {
      A(i, j) = scale[pick(rng)];
      A(j, i) = 1 / A(i, j);
    }
  const auto r = merit::ahp_priorities(A);
  Eigen::EigenSolver<Eigen::MatrixXd> es(A);
  Eigen::Index best = 0;
  for (Eigen::Index k = 1; k < 50; ++k)
    if (es.eigenvalues()[k].real() > es.eigenvalues()[best].real()) best = k;
  Vector v = es.eigenvectors().col(best).real();
  v /= v.sum();
  CHECK((r.weights - v).cwiseAbs().maxCoeff() < 1e-12);
  CHECK_THAT(r.lambda_max, WithinAbs(es.eigenvalues()[best].real(), 1e-10));
  CHECK(std::isnan(r.cr));  // Saaty 1980 stops at n = 15
}

TEST_CASE("Harker's method completes missing judgments", "[weights]") {
  SECTION("a consistent matrix with holes gives back its weights exactly") {
    Vector w(5);
    w << 0.4, 0.25, 0.15, 0.12, 0.08;
    RowMatrix A = consistent_matrix(w);
    A(0, 2) = A(2, 0) = na;
    A(1, 4) = A(4, 1) = na;
    A(3, 4) = A(4, 3) = na;
    for (auto m : {merit::ahp_method::eigen, merit::ahp_method::geometric}) {
      const auto r = merit::ahp_priorities(A, m);
      CHECK(r.missing == 3);
      CHECK((r.weights - w).cwiseAbs().maxCoeff() < 1e-14);
      CHECK_THAT(r.cr, WithinAbs(0, 1e-12));
    }
    const RowMatrix C = merit::complete_judgments(A);
    CHECK_THAT(C(0, 2), WithinAbs(0.4 / 0.15, 1e-13));
    CHECK_THAT(C(4, 1), WithinAbs(0.08 / 0.25, 1e-13));
  }
  SECTION("hand-checked 3x3 with one missing judgment") {
    // a12 = 2, a23 = 3, a13 missing. Harker's matrix [[2,2,0],[1/2,1,3],[0,1/3,2]]
    // has the eigenvector (6, 3, 1)/10 with eigenvalue 3: the consistent completion a13 = 6.
    RowMatrix A(3, 3);
    A << 1, 2, na, 0.5, 1, 3, na, 1. / 3, 1;
    const auto r = merit::ahp_priorities(A);
    CHECK_THAT(r.weights[0], WithinAbs(0.6, 1e-14));
    CHECK_THAT(r.weights[1], WithinAbs(0.3, 1e-14));
    CHECK_THAT(r.weights[2], WithinAbs(0.1, 1e-14));
    CHECK_THAT(r.lambda_max, WithinAbs(3, 1e-13));
  }
  SECTION("an inconsistent 4x4 with holes: Harker's lambda is lambda_max of the completed matrix") {
    RowMatrix A(4, 4);
    A << 1, 3, na, 5, 1. / 3, 1, 2, na, na, 0.5, 1, 4, 0.2, na, 0.25, 1;
    const auto r = merit::ahp_priorities(A);
    const auto full = merit::ahp_priorities(merit::complete_judgments(A));
    CHECK((r.weights - full.weights).cwiseAbs().maxCoeff() < 1e-12);
    CHECK_THAT(r.lambda_max, WithinAbs(full.lambda_max, 1e-12));
    CHECK(r.cr > 0);
  }
}

TEST_CASE("a judgment graph that is not connected names the items cut off", "[weights]") {
  RowMatrix A = RowMatrix::Constant(5, 5, na);
  A.diagonal().setOnes();
  A(0, 1) = 2, A(1, 0) = 0.5;
  A(1, 2) = 3, A(2, 1) = 1. / 3;
  A(3, 4) = 4, A(4, 3) = 0.25;
  const std::vector<std::string> names{"coffee", "wine", "tea", "beer", "soda"};
  require_error<merit::argument_error>(
      [&] { merit::ahp_priorities(A, merit::ahp_method::eigen, merit::ri_saaty1980, &names); },
      "judgment graph is not connected: no chain of judgments links 'coffee' to 'beer', 'soda'",
      merit::errc::invalid_argument);
  require_error<merit::argument_error>([&] { merit::ahp_priorities(A); },
                                       "judgment graph is not connected: no chain of judgments links item 0 to "
                                       "item 3, item 4",
                                       merit::errc::invalid_argument);
  const auto J = parse(R"({"items": ["a", "b", "c", "d"], "judgments": [
      {"a": "a", "b": "b", "value": 2}, {"a": "c", "b": "d", "value": 3}]})");
  require_error<merit::model_error>([&] { merit::ahp_weights(J); },
                                    "judgments.json#: judgment graph is not connected: no chain of judgments links "
                                    "'a' to 'c', 'd'",
                                    merit::errc::inconsistent);
}

TEST_CASE("numeric input checks", "[weights]") {
  RowMatrix A = drink_matrix();
  A(2, 1) = 2;  // wine vs tea is 1/3, so tea vs wine must be 3
  require_error<merit::argument_error>([&] { merit::ahp_priorities(A); },
                                       "matrix is not reciprocal: item 2 against item 1 is 2 but item 1 against "
                                       "item 2 is 0.3333333333333333; their product must be 1 (within 0.5%)",
                                       merit::errc::invalid_argument);
  A = drink_matrix();
  A(0, 3) = 0;
  require_error<merit::argument_error>([&] { merit::ahp_priorities(A); },
                                       "value 0 of item 0 against item 3 is not positive and finite",
                                       merit::errc::invalid_argument);
  A = drink_matrix();
  A(0, 0) = 2;
  require_error<merit::argument_error>([&] { merit::ahp_priorities(A); },
                                       "diagonal entry of item 0 is 2; an item against itself must be 1",
                                       merit::errc::invalid_argument);
  require_error<merit::argument_error>([&] { merit::ahp_priorities(RowMatrix::Ones(2, 3)); },
                                       "pairwise matrix must be square", merit::errc::invalid_argument);
  // the Saaty scale: the judgments reader's words, with the items in place of the pointer
  A = drink_matrix();
  A(0, 1) = 12, A(1, 0) = 1. / 12;
  require_error<merit::argument_error>([&] { merit::ahp_priorities(A); },
                                       "item 0 against item 1: value 12 is outside the Saaty scale 1/9..9",
                                       merit::errc::invalid_argument);
  const std::vector<std::string> drinks{"coffee", "wine", "tea", "beer", "soda", "milk", "water"};
  A(0, 1) = 1. / 12, A(1, 0) = 12;  // the lower triangle is checked too
  require_error<merit::argument_error>(
      [&] { merit::ahp_priorities(A, merit::ahp_method::eigen, merit::ri_saaty1980, &drinks); },
      "'coffee' against 'wine': value 0.08333333333333333 is outside the Saaty scale 1/9..9",
      merit::errc::invalid_argument);
  CHECK(merit::on_saaty_scale(0.111));  // 1/9 within the tolerance
  CHECK(merit::on_saaty_scale(9.04));
  CHECK_FALSE(merit::on_saaty_scale(9.1));
  CHECK_FALSE(merit::on_saaty_scale(0.11));
  CHECK(merit::saaty_scale_message("12") == "value 12 is outside the Saaty scale 1/9..9");
  // three-decimal spellings of Saaty's fractions are accepted as reciprocal
  RowMatrix B(3, 3);
  B << 1, 3, 6, 0.333, 1, 2, 0.167, 0.5, 1;
  CHECK_NOTHROW(merit::ahp_priorities(B));
}

TEST_CASE("the judgments file: list and matrix forms", "[weights]") {
  const auto J = parse(R"({"items": ["a", "b", "c"], "decision_makers": [
      {"id": "cro", "weight": 2, "judgments": [{"a": "a", "b": "b", "value": 3},
                                               {"a": "c", "b": "a", "value": "1/5"},
                                               {"a": "b", "b": "c", "value": 2},
                                               {"a": "b", "b": "a", "value": 0.333}]},
      {"id": "cmo", "matrix": [[1, 2, null], [0.5, 1, "3"], [null, "1/3", 1]]}]})");
  REQUIRE(J.items == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(J.decision_makers.size() == 2);
  CHECK(J.decision_makers[0].id == "cro");
  CHECK(J.decision_makers[0].weight == 2);
  CHECK(J.decision_makers[0].place == "judgments.json#/decision_makers/0");
  CHECK(J.decision_makers[0].matrix(0, 1) == 3);
  CHECK(J.decision_makers[0].matrix(1, 0) == 1. / 3);
  CHECK(J.decision_makers[0].matrix(0, 2) == 5);
  CHECK(J.decision_makers[0].matrix(2, 0) == 0.2);
  CHECK(J.decision_makers[1].weight == 1);
  CHECK(std::isnan(J.decision_makers[1].matrix(0, 2)));
  CHECK(J.decision_makers[1].matrix(1, 2) == 3);
  CHECK(J.decision_makers[1].matrix(2, 1) == 1. / 3);
  const auto single = parse(R"({"items": ["x", "y"], "matrix": [[1, 4], [0.25, 1]]})");
  REQUIRE(single.decision_makers.size() == 1);
  CHECK(single.decision_makers[0].id.empty());
  const auto r = merit::ahp_weights(single);
  CHECK_THAT(r.group.weights[0], WithinAbs(0.8, 1e-15));
}

TEST_CASE("the judgments file: each bad input has its exact message", "[weights]") {
  using merit::errc;
  using merit::model_error;
  const auto bad = [](const std::string& judgments_text, const std::string& what, errc code) {
    const std::string text = R"({"items": ["tea", "beer", "soda"], "decision_makers": [{"id": "cro", "judgments": [
        {"a": "tea", "b": "beer", "value": 2}, {"a": "beer", "b": "soda", "value": 3}, )" +
                             judgments_text + "]}]}";
    require_error<model_error>([&] { parse(text); }, what, code);
  };
  bad(R"({"a": "tea", "b": "soda", "value": 12})",
      "judgments.json#/decision_makers/0/judgments/2/value: value 12 is outside the Saaty scale 1/9..9", errc::value);
  bad(R"({"a": "tea", "b": "soda", "value": "1/10"})",
      "judgments.json#/decision_makers/0/judgments/2/value: value 1/10 is outside the Saaty scale 1/9..9",
      errc::value);
  bad(R"({"a": "tea", "b": "soda", "value": 0})",
      "judgments.json#/decision_makers/0/judgments/2/value: value 0 is not positive", errc::value);
  bad(R"({"a": "tea", "b": "soda", "value": -3})",
      "judgments.json#/decision_makers/0/judgments/2/value: value -3 is not positive", errc::value);
  bad(R"({"a": "tea", "b": "soda", "value": "lots"})",
      "judgments.json#/decision_makers/0/judgments/2/value: value \"lots\" is not a number or a fraction like "
      "\"1/3\"",
      errc::schema);
  bad(R"({"a": "tea", "b": "milk", "value": 2})",
      "judgments.json#/decision_makers/0/judgments/2/b: unknown item 'milk'", errc::reference);
  bad(R"({"a": "soda", "b": "soda", "value": 1})",
      "judgments.json#/decision_makers/0/judgments/2: judgment of 'soda' against itself", errc::value);
  bad(R"({"a": "beer", "b": "tea", "value": 2})",
      "judgments.json#/decision_makers/0/judgments/2: conflicting judgments of 'beer' against 'tea': 2 here, 0.5 "
      "in /decision_makers/0/judgments/0",
      errc::inconsistent);
  bad(R"({"a": "tea", "b": "soda"})", "judgments.json#/decision_makers/0/judgments/2: missing \"value\"",
      errc::schema);
  // an agreeing repetition (reversed, reciprocal) is fine
  CHECK_NOTHROW(parse(R"({"items": ["tea", "beer"], "judgments": [{"a": "tea", "b": "beer", "value": 2},
                                                                    {"a": "beer", "b": "tea", "value": 0.5}]})"));

  require_error<model_error>([] { parse(R"({"items": ["tea", "beer", "tea"], "judgments": []})"); },
                             "judgments.json#/items/2: duplicate item 'tea'", errc::duplicate);
  require_error<model_error>(
      [] { parse(R"({"items": ["a", "b", "c"], "matrix": [[1, 2, 4], [0.5, 1, 2], [0.25, 2, 1]]})"); },
      "judgments.json#/matrix/2/1: matrix is not reciprocal: 'c' against 'b' is 2 but 'b' against 'c' is 2; their "
      "product must be 1 (within 0.5%)",
      errc::inconsistent);
  require_error<model_error>(
      [] { parse(R"({"items": ["a", "b"], "matrix": [[1, 2], [0.5, 3]]})"); },
      "judgments.json#/matrix/1/1: diagonal entry of 'b' is 3; an item against itself must be 1", errc::value);
  require_error<model_error>([] { parse(R"({"items": ["a", "b"], "matrix": [[1, 2]]})"); },
                             "judgments.json#/matrix: matrix has 1 rows; expected 2, one per item", errc::schema);
  require_error<model_error>([] { parse(R"({"items": ["a", "b"], "matrix": [[1, 20], [0.05, 1]]})"); },
                             "judgments.json#/matrix/0/1: value 20 is outside the Saaty scale 1/9..9", errc::value);
  require_error<model_error>(
      [] {
        parse(R"({"items": ["a", "b"], "decision_makers": [{"id": "x", "judgments": []},
                                                           {"id": "x", "judgments": []}]})");
      },
      "judgments.json#/decision_makers/1/id: duplicate decision maker 'x'", errc::duplicate);
  require_error<model_error>(
      [] { parse(R"({"items": ["a", "b"], "decision_makers": [{"id": "x", "weight": 0, "judgments": []}]})"); },
      "judgments.json#/decision_makers/0/weight: decision-maker weight 0 must be a positive number", errc::value);
  require_error<model_error>([] { parse(R"({"items": ["a", "b"]})"); },
                             "judgments.json#: missing \"judgments\" (or \"matrix\")", errc::schema);
}

TEST_CASE("groups: AIJ and AIP on small hand-computed cases", "[weights]") {
  // Two decision makers on two items: a12 = 4 and a12 = 1, weights 1 and 1.
  // AIJ: sqrt(4 * 1) = 2, so w = (2/3, 1/3). AIP: own weights (0.8, 0.2) and (0.5, 0.5);
  // geometric means sqrt(0.4) and sqrt(0.1), i.e. (2/3, 1/3) again.
  RowMatrix A(2, 2), B(2, 2);
  A << 1, 4, 0.25, 1;
  B << 1, 1, 1, 1;
  const std::vector<RowMatrix> ms{A, B};
  const std::vector<std::string> ids{"ceo", "cro"};
  Vector w(2);
  w << 1, 1;
  const auto aij = merit::ahp_group(ms, ids, w, merit::ahp_aggregation::aij);
  CHECK_THAT(aij.group.weights[0], WithinAbs(2. / 3, 1e-15));
  CHECK_THAT(aij.aggregated(0, 1), WithinAbs(2, 1e-15));
  CHECK_THAT(aij.members[0].own.weights[0], WithinAbs(0.8, 1e-15));
  CHECK_THAT(aij.members[0].max_abs_difference, WithinAbs(0.8 - 2. / 3, 1e-15));
  CHECK_THAT(aij.members[1].max_abs_difference, WithinAbs(2. / 3 - 0.5, 1e-15));
  // compatibility of ceo with (2/3, 1/3): (1 + 4 * 1/2 + 1/4 * 2 + 1) / 4 = 1.125
  CHECK_THAT(aij.members[0].compatibility, WithinAbs(1.125, 1e-15));
  const auto aip = merit::ahp_group(ms, ids, w, merit::ahp_aggregation::aip);
  CHECK_THAT(aip.group.weights[0], WithinAbs(2. / 3, 1e-15));
  CHECK(std::isnan(aip.group.cr));

  // Weighted: ceo 3, cro 1 -> AIJ a12 = 4^(3/4) = 2.828..., w1 = a/(1+a)
  w << 3, 1;
  const auto weighted = merit::ahp_group(ms, ids, w, merit::ahp_aggregation::aij);
  const double a = std::pow(4.0, 0.75);
  CHECK_THAT(weighted.group.weights[0], WithinAbs(a / (1 + a), 1e-15));
  CHECK_THAT(weighted.members[0].weight, WithinAbs(0.75, 1e-15));

  // AIJ with a pair only one member judged: that member's judgment is used alone
  RowMatrix C(3, 3), D(3, 3);
  C << 1, 2, 4, 0.5, 1, 2, 0.25, 0.5, 1;
  D << 1, 2, na, 0.5, 1, 2, na, 0.5, 1;
  w << 1, 1;
  const auto partial = merit::ahp_group({C, D}, ids, w, merit::ahp_aggregation::aij);
  CHECK_THAT(partial.aggregated(0, 2), WithinAbs(4, 1e-15));
  CHECK_THAT(partial.group.weights[0], WithinAbs(4. / 7, 1e-14));

  // aggregated priorities directly
  RowMatrix P(2, 3);
  P << 0.5, 0.3, 0.2, 0.2, 0.3, 0.5;
  const Vector g = merit::aggregate_priorities(P, Vector::Ones(2));
  CHECK_THAT(g[0], WithinAbs(g[2], 1e-15));
  CHECK_THAT(g.sum(), WithinAbs(1, 1e-15));
}

TEST_CASE("groups from a judgments file report each member's CR", "[weights]") {
  const auto J = parse(R"({"items": ["a", "b", "c"], "decision_makers": [
      {"id": "ceo", "matrix": [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]},
      {"id": "cro", "matrix": [[1, 3, 2], ["1/3", 1, 4], [0.5, 0.25, 1]]}]})");
  for (auto agg : {merit::ahp_aggregation::aij, merit::ahp_aggregation::aip}) {
    const auto r = merit::ahp_weights(J, merit::ahp_method::eigen, agg);
    REQUIRE(r.members.size() == 2);
    CHECK_THAT(r.members[0].own.cr, WithinAbs(0, 1e-12));
    CHECK(r.members[1].own.cr > 0.1);
    CHECK_THAT(r.group.weights.sum(), WithinAbs(1, 1e-14));
  }
}

TEST_CASE("diagnostics find one corrupted judgment and the value the rest imply", "[weights]") {
  Vector w(6);
  w << 0.3, 0.22, 0.18, 0.12, 0.1, 0.08;
  RowMatrix A = consistent_matrix(w);
  A(1, 4) = 1. / 5;  // consistent value 2.2
  A(4, 1) = 5;
  for (auto m : {merit::ahp_method::eigen, merit::ahp_method::geometric}) {
    const auto r = merit::ahp_priorities(A, m);
    CHECK(r.cr > 0.1);
    const auto d = merit::ahp_diagnose(A, m, merit::ri_saaty1980, 3);
    REQUIRE(d.size() == 3);
    CHECK(d[0].row == 1);
    CHECK(d[0].col == 4);
    CHECK(d[0].value == 0.2);
    CHECK_THAT(d[0].suggested, WithinAbs(2.2, 1e-12));
    CHECK_THAT(d[0].cr_without, WithinAbs(0, 1e-12));
    CHECK(d[0].error_ratio < 1);
    CHECK(d[1].lambda_without > d[0].lambda_without);
  }
  CHECK(merit::ahp_diagnose(RowMatrix::Ones(2, 2)).empty());
}

TEST_CASE("hierarchy: cluster weights times local weights", "[weights]") {
  merit::named_weights clusters{{"content", "people"}, Vector(2)};
  clusters.weights << 0.6, 0.4;
  std::map<std::string, merit::named_weights> local;
  local["content"] = {{"content_clarity", "methodology_distillation"}, Vector(2)};
  local["content"].weights << 0.75, 0.25;
  local["people"] = {{"influence_without_authority", "sales_training", "cross_department_communication"}, Vector(3)};
  local["people"].weights << 0.5, 0.3, 0.2;
  const auto g = merit::compose_hierarchy(clusters, local);
  REQUIRE(g.items.size() == 5);
  CHECK(g.items[0] == "content_clarity");
  CHECK(g.items[4] == "cross_department_communication");
  CHECK_THAT(g.weights[0], WithinAbs(0.45, 1e-15));
  CHECK_THAT(g.weights[1], WithinAbs(0.15, 1e-15));
  CHECK_THAT(g.weights[2], WithinAbs(0.2, 1e-15));
  CHECK_THAT(g.weights[3], WithinAbs(0.12, 1e-15));
  CHECK_THAT(g.weights[4], WithinAbs(0.08, 1e-15));
  CHECK_THAT(g.weights.sum(), WithinAbs(1, 1e-15));

  local["people"].items[1] = "content_clarity";
  require_error<merit::argument_error>([&] { merit::compose_hierarchy(clusters, local); },
                                       "item 'content_clarity' appears under clusters 'content' and 'people'",
                                       merit::errc::invalid_argument);
  local.erase("people");
  require_error<merit::argument_error>([&] { merit::compose_hierarchy(clusters, local); },
                                       "cluster 'people' has no local weights", merit::errc::invalid_argument);
}

TEST_CASE("the example judgments file parses and its group weights sum to 1", "[weights]") {
  std::ifstream in(std::string(MERIT_SOURCE_DIR) + "/examples/judgments_sales_enablement.json");
  REQUIRE(in);
  const auto J = merit::parse_judgments(nlohmann::json::parse(in), "judgments_sales_enablement.json");
  CHECK(J.decision_makers.size() == 3);
  const auto r = merit::ahp_weights(J);
  CHECK_THAT(r.group.weights.sum(), WithinAbs(1, 1e-14));
  for (const auto& m : r.members) CHECK(m.own.cr < 0.1);
}

TEST_CASE("a hierarchy of judgments: parse, global weights and the hierarchy CR", "[weights]") {
  const auto doc = nlohmann::json::parse(R"({"hierarchy": {
      "clusters": {"items": ["content", "people"], "judgments": [{"a": "content", "b": "people", "value": 3}]},
      "local": {
        "content": {"items": ["a", "b"], "matrix": [[1, 4], [0.25, 1]]},
        "people": {"items": ["c", "d", "e"], "judgments": [{"a": "c", "b": "d", "value": 2},
                                                         {"a": "d", "b": "e", "value": 3},
                                                         {"a": "c", "b": "e", "value": 9}]}}}})");
  const auto H = merit::parse_judgments_hierarchy(doc, "h.json");
  REQUIRE(H.local.size() == 2);
  CHECK(H.local[1].first == "people");
  CHECK(H.local[1].second.pointer == "/hierarchy/local/people");
  const auto top = merit::ahp_weights(H.clusters).group;
  std::vector<merit::ahp_result> local;
  std::map<std::string, merit::named_weights> named;
  for (const auto& [cluster, J] : H.local) {
    local.push_back(merit::ahp_weights(J).group);
    named[cluster] = {J.items, local.back().weights};
  }
  const auto g = merit::compose_hierarchy({H.clusters.items, top.weights}, named);
  CHECK_THAT(g.weights[0], WithinAbs(0.75 * 0.8, 1e-14));
  CHECK_THAT(g.weights.sum(), WithinAbs(1, 1e-14));
  // only "people" is inconsistent: CR_H = 0.25 CI_people / (0.25 RI(3))
  CHECK_THAT(merit::hierarchy_cr(top, local), WithinAbs(local[1].ci / 0.58, 1e-14));

  auto broken = doc;
  broken["hierarchy"]["local"]["people"]["judgments"][2]["value"] = 10;
  require_error<merit::model_error>(
      [&] { merit::parse_judgments_hierarchy(broken, "h.json"); },
      "h.json#/hierarchy/local/people/judgments/2/value: value 10 is outside the Saaty scale 1/9..9",
      merit::errc::value);
  broken = doc;
  broken["hierarchy"]["local"].erase("people");
  require_error<merit::model_error>([&] { merit::parse_judgments_hierarchy(broken, "h.json"); },
                                    "h.json#/hierarchy/local: cluster 'people' has no local judgments",
                                    merit::errc::reference);
  broken = doc;
  broken["hierarchy"]["local"]["sales"] = broken["hierarchy"]["local"]["content"];
  require_error<merit::model_error>([&] { merit::parse_judgments_hierarchy(broken, "h.json"); },
                                    "h.json#/hierarchy/local/sales: 'sales' is not one of the clusters",
                                    merit::errc::reference);
}

TEST_CASE("AIJ over members whose own judgments are incomplete", "[weights]") {
  // ceo judged only a-b, cro only b-c: neither is connected alone, the group is.
  const auto J = parse(R"({"items": ["a", "b", "c"], "decision_makers": [
      {"id": "ceo", "judgments": [{"a": "a", "b": "b", "value": 2}]},
      {"id": "cro", "judgments": [{"a": "b", "b": "c", "value": 3}]}]})");
  const auto r = merit::ahp_weights(J);
  CHECK_THAT(r.group.weights[0], WithinAbs(0.6, 1e-14));
  CHECK(std::isnan(r.members[0].own.cr));
  require_error<merit::model_error>([&] { merit::ahp_weights(J, merit::ahp_method::eigen, merit::ahp_aggregation::aip); },
                                    "judgments.json#/decision_makers/0: judgment graph is not connected: no chain of "
                                    "judgments links 'a' to 'c'",
                                    merit::errc::inconsistent);
}
