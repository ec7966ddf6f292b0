#include <merit/fairness.hpp>
#include <merit/io/csv.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <string>
#include <vector>

using merit::audit;
using merit::audit_data;
using merit::category_counts;
using merit::impact_table;

namespace {
const merit::category_impact& find(const std::vector<merit::category_impact>& rows, const std::string& name) {
  for (const auto& r : rows)
    if (r.name == name) return r;
  FAIL("no category " << name);
  return rows.front();
}

// n applicants of one category: `selected` of them selected; `above` of them
// with fit 60 + i (above every fit of 50 - i that the rest get).
void add(audit_data& d, const std::string& label, int n, int selected, int above = 0) {
  for (int i = 0; i < n; ++i) {
    d.labels.push_back({label});
    d.selected.push_back(i < selected);
    d.fits.push_back(i < above ? 60.0 + i : 50.0 - i);
  }
}
}  // namespace

TEST_CASE("fairness: UGESP Questions & Answers example, rates 60/45/48/51%", "[fairness]") {
  auto rows = impact_table({{"white", 100, 60}, {"american_indian", 100, 45}, {"hispanic", 100, 48}, {"black", 100, 51}},
                           400, "race");
  const auto& w = find(rows, "white");
  CHECK(w.reference);
  CHECK(w.impact_ratio == 1);
  CHECK(w.fisher_p == 1);
  CHECK(w.z == 0);
  CHECK(w.z_p == 1);
  CHECK_FALSE(w.four_fifths_flag);
  CHECK(find(rows, "american_indian").impact_ratio == Approx(0.75).margin(1e-12));
  CHECK(find(rows, "hispanic").impact_ratio == Approx(0.80).margin(1e-12));
  CHECK(find(rows, "black").impact_ratio == Approx(0.85).margin(1e-12));
  CHECK(find(rows, "american_indian").four_fifths_flag);
  CHECK_FALSE(find(rows, "hispanic").four_fifths_flag);  // exactly four-fifths is not below it
  CHECK_FALSE(find(rows, "black").four_fifths_flag);
  CHECK(find(rows, "hispanic").selection_rate == Approx(0.48));
}

TEST_CASE("fairness: Bertrand & Mullainathan (2004) resume experiment", "[fairness]") {
  auto r = merit::io::csv_reader::open(MERIT_SHARED_DIR "/data/fairness/resume_names.csv");
  REQUIRE(r.next());
  std::size_t eth = r.size(), call = r.size();
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r[i] == "ethnicity") eth = i;
    if (r[i] == "call") call = i;
  }
  REQUIRE(eth < r.size());
  REQUIRE(call < r.size());
  audit_data d;
  d.dimensions = {"ethnicity"};
  while (r.next()) {
    d.labels.push_back({std::string(r[eth])});
    d.selected.push_back(r[call] == "yes");
  }
  auto res = audit(d);
  CHECK(res.n == 4870);
  CHECK(res.unknown == 0);
  CHECK(std::isnan(res.median_fit));
  REQUIRE(res.categories.size() == 2);
  const auto& afam = find(res.categories, "afam");
  const auto& cauc = find(res.categories, "cauc");
  CHECK(cauc.selected == 235);
  CHECK(cauc.applicants == 2435);
  CHECK(afam.selected == 157);
  CHECK(afam.applicants == 2435);
  CHECK(cauc.selection_rate == Approx(0.09651).margin(5e-6));
  CHECK(afam.selection_rate == Approx(0.06448).margin(5e-6));
  CHECK(cauc.reference);
  CHECK(afam.impact_ratio == Approx(0.6681).margin(5e-5));
  CHECK(afam.four_fifths_flag);
  // Published to 4 significant digits: 4.759e-05 (half a unit in the last digit).
  CHECK(afam.fisher_p == Approx(4.759e-05).margin(5e-09));
  // The exact conditional MLE (scipy.stats.contingency.odds_ratio agrees to
  // 1e-15). R's fisher.test prints .6452727 because uniroot stops at its
  // default tolerance (eps^0.25 = 1.2e-4 on the odds ratio): within 1e-5 of it.
  CHECK(afam.odds_ratio == Approx(0.6452670382).margin(1e-9));
  CHECK(afam.odds_ratio == Approx(0.6452727).margin(1e-5));
  CHECK(afam.z == Approx(-4.108412152).margin(1e-8));
  CHECK(std::isnan(afam.scoring_rate));
  CHECK(std::isnan(afam.scoring_impact_ratio));
}

TEST_CASE("fairness: NYC Local Law 144 scoring-rate example", "[fairness]") {
  audit_data d;
  d.dimensions = {"sex"};
  add(d, "male", 92, 10, 50);
  add(d, "female", 76, 10, 34);
  auto res = audit(d);
  const auto& m = find(res.categories, "male");
  const auto& f = find(res.categories, "female");
  CHECK(m.scoring_rate == Approx(0.543).margin(1e-3));
  CHECK(f.scoring_rate == Approx(0.447).margin(1e-3));
  CHECK(m.scoring_impact_ratio == 1);
  CHECK(f.scoring_impact_ratio == Approx(0.82).margin(1e-2));
  CHECK(f.scored == 76);
  CHECK(f.above_median == 34);
}

TEST_CASE("fairness: Fisher's exact test as R's fisher.test", "[fairness]") {
  // p = 17/35 by hand; odds ratio from scipy.stats.contingency.odds_ratio(kind="conditional")
  auto f = merit::fisher_exact(3, 1, 1, 3);
  CHECK(f.p == Approx(17.0 / 35.0).epsilon(1e-12));
  CHECK(f.odds_ratio == Approx(6.408319658).epsilon(1e-8));
  // Ties in probability within R's relative tolerance count as "as extreme".
  CHECK(merit::fisher_exact(2, 2, 2, 2).p == Approx(1.0).epsilon(1e-12));
  // Odds ratio at the edges of the support, and with a single possible table.
  CHECK(merit::fisher_exact(0, 10, 5, 5).odds_ratio == 0);
  CHECK(merit::fisher_exact(0, 10, 5, 5).p == Approx(0.032507739938080496).epsilon(1e-12));
  CHECK(std::isinf(merit::fisher_exact(5, 5, 0, 10).odds_ratio));
  CHECK(std::isnan(merit::fisher_exact(0, 10, 0, 10).odds_ratio));
  CHECK(merit::fisher_exact(0, 10, 0, 10).p == 1);
}

TEST_CASE("fairness: large samples stay finite and exact-ish", "[fairness]") {
  auto f = merit::fisher_exact(4000, 16000, 5000, 15000);
  CHECK(f.p > 0);
  CHECK(f.p < 1e-20);
  CHECK(f.odds_ratio == Approx(0.75).epsilon(1e-2));
  auto g = merit::fisher_exact(20000, 20000, 20000, 20000);
  CHECK(g.p == Approx(1.0).epsilon(1e-9));
  CHECK(g.odds_ratio == Approx(1.0).epsilon(1e-9));
}

TEST_CASE("fairness: z-test", "[fairness]") {
  auto z = merit::two_proportion_z_test(157, 2435, 235, 2435);
  CHECK(z.z == Approx(-4.108412152).margin(1e-8));
  CHECK(z.p == Approx(3.983886838e-05).epsilon(1e-8));
  CHECK(merit::two_proportion_z_test(0, 10, 0, 20).z == 0);
  CHECK(merit::two_proportion_z_test(10, 10, 20, 20).p == 1);
  CHECK(std::isnan(merit::two_proportion_z_test(0, 0, 2, 20).z));
}

TEST_CASE("fairness: a category with no applicants", "[fairness]") {
  audit_data d;
  d.dimensions = {"sex"};
  add(d, "male", 10, 5);
  d.absent_labels = {{"female"}};
  auto res = audit(d);
  REQUIRE(res.categories.size() == 2);
  const auto& f = find(res.categories, "female");
  CHECK(f.applicants == 0);
  CHECK(std::isnan(f.selection_rate));
  CHECK(std::isnan(f.impact_ratio));
  CHECK(std::isnan(f.fisher_p));
  CHECK(std::isnan(f.z));
  CHECK_FALSE(f.four_fifths_flag);
  CHECK_FALSE(f.reference);
  CHECK(f.small_category);
  CHECK(find(res.categories, "male").reference);
}

TEST_CASE("fairness: everyone selected", "[fairness]") {
  audit_data d;
  d.dimensions = {"sex"};
  add(d, "male", 10, 10);
  add(d, "female", 8, 8);
  auto res = audit(d);
  const auto& f = find(res.categories, "female");
  CHECK(f.selection_rate == 1);
  CHECK(f.impact_ratio == 1);
  CHECK_FALSE(f.four_fifths_flag);
  CHECK(f.fisher_p == 1);
  CHECK(std::isnan(f.odds_ratio));
  CHECK(f.z == 0);
  CHECK(f.z_p == 1);
  CHECK(find(res.categories, "male").reference);  // tie: more applicants
}

TEST_CASE("fairness: nobody selected", "[fairness]") {
  audit_data d;
  d.dimensions = {"sex"};
  add(d, "male", 10, 0);
  add(d, "female", 10, 0);
  auto res = audit(d);
  const auto& f = find(res.categories, "female");
  const auto& m = find(res.categories, "male");
  CHECK(f.reference);  // tie in rate and applicants: first name in byte order
  CHECK(f.selection_rate == 0);
  CHECK(std::isnan(f.impact_ratio));
  CHECK(std::isnan(m.impact_ratio));
  CHECK_FALSE(m.four_fifths_flag);
  CHECK(m.fisher_p == 1);
  CHECK(m.z == 0);
}

TEST_CASE("fairness: one category only", "[fairness]") {
  audit_data d;
  d.dimensions = {"sex"};
  add(d, "female", 7, 3, 4);
  auto res = audit(d);
  REQUIRE(res.categories.size() == 1);
  const auto& f = res.categories[0];
  CHECK(f.reference);
  CHECK(f.impact_ratio == 1);
  CHECK(f.scoring_impact_ratio == 1);
  CHECK(f.fisher_p == 1);
}

TEST_CASE("fairness: missing labels count as unknown, per dimension and together", "[fairness]") {
  audit_data d;
  d.dimensions = {"sex", "race"};
  d.labels = {{"female", "afam"}, {"female", ""}, {"", "cauc"}, {"male", "cauc"}, {"", ""}, {"male", "afam"}};
  d.selected = {true, true, false, true, false, false};
  auto res = audit(d);
  CHECK(res.n == 6);
  REQUIRE(res.unknown_by.size() == 3);
  CHECK(res.unknown_by[0] == std::make_pair(std::string("sex"), std::uint64_t(2)));
  CHECK(res.unknown_by[1] == std::make_pair(std::string("race"), std::uint64_t(2)));
  CHECK(res.unknown_by[2] == std::make_pair(std::string("sex/race"), std::uint64_t(3)));
  CHECK(res.unknown == 3);
  // Each dimension's categories in byte order, then the intersection's.
  std::vector<std::string> names;
  for (const auto& c : res.categories) names.push_back(c.dimension + ":" + c.name);
  CHECK(names == std::vector<std::string>{"sex:female", "sex:male", "race:afam", "race:cauc", "sex/race:female/afam",
                                          "sex/race:male/afam", "sex/race:male/cauc"});
  CHECK(find(res.categories, "female").applicants == 2);
  CHECK(find(res.categories, "female/afam").selected == 1);
  CHECK(find(res.categories, "male/cauc").selection_rate == 1);
}

TEST_CASE("fairness: small categories are marked and never the reference", "[fairness]") {
  audit_data d;
  d.dimensions = {"race"};
  add(d, "a", 100, 40);
  add(d, "b", 100, 30);
  add(d, "c", 3, 3);  // 3 / 203 < 2%
  auto res = audit(d);
  const auto& c = find(res.categories, "c");
  CHECK(c.small_category);
  CHECK_FALSE(c.reference);
  CHECK(c.impact_ratio == Approx(2.5));
  CHECK(find(res.categories, "a").reference);
  CHECK(find(res.categories, "b").impact_ratio == Approx(0.75));
  CHECK_FALSE(find(res.categories, "a").small_category);
}

TEST_CASE("fairness: median of the whole sample, strict 'above'", "[fairness]") {
  audit_data d;
  d.dimensions = {"sex"};
  d.labels = {{"f"}, {"f"}, {"m"}, {"m"}, {""}};
  d.selected = {false, false, false, false, false};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  d.fits = {10, 20, 20, nan, 30};  // median of 10, 20, 20, 30 = 20
  auto res = audit(d);
  CHECK(res.median_fit == 20);
  const auto& f = find(res.categories, "f");
  const auto& m = find(res.categories, "m");
  CHECK(f.scored == 2);
  CHECK(f.above_median == 0);
  CHECK(m.scored == 1);  // no fit: not scored
  CHECK(m.above_median == 0);
  CHECK(std::isnan(f.scoring_impact_ratio));  // the highest scoring rate is 0
}

TEST_CASE("fairness: exact messages for inconsistent input", "[fairness]") {
  auto message = [](auto f) -> std::string {
    try {
      f();
    } catch (const merit::argument_error& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK(message([] { impact_table({{"a", 2, 3}}, 2); }) ==
        "impact_table: a category's counts are inconsistent (selected or scored above applicants)");
  CHECK(message([] { audit(audit_data{}); }) == "audit: no dimension to audit by");
  CHECK(message([] {
          audit_data d;
          d.dimensions = {"sex"};
          d.labels = {{"f"}};
          audit(d);
        }) == "audit: selected and labels differ in length");
  CHECK(message([] { merit::two_proportion_z_test(3, 2, 1, 1); }) ==
        "two_proportion_z_test: successes exceed trials");
}

TEST_CASE("fairness: top K selects rank <= K and qualified, under either ranking", "[fairness]") {
  // The same six candidates ranked by fit alone, then qualified first.
  const std::vector<std::int8_t> st = {0, 2, 1, 0, 0, 2};  // qualified, incomplete, screened out, ...
  const std::vector<double> by_fit = {1, 2, 3, 4, 5, 6};
  const std::vector<double> qualified_first = {1, 4, 6, 2, 3, 5};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_FALSE(merit::top_k_selects(nan, true, 10));
  CHECK_FALSE(merit::top_k_selects(0, true, 10));
  CHECK_FALSE(merit::top_k_selects(1, false, 10));
  for (std::uint64_t k : std::initializer_list<std::uint64_t>{0, 1, 2, 3, 4, 6, 10}) {
    for (const auto* rank : {&by_fit, &qualified_first}) {
      std::vector<std::uint8_t> out(6);
      auto s = merit::select_top_k(rank->data(), st.data(), 6, k, out.data());
      std::uint64_t want = 0, in = 0;
      for (std::size_t i = 0; i < 6; ++i) {
        const bool chosen = (*rank)[i] <= static_cast<double>(k) && st[i] == 0;  // 0: qualified
        CHECK(out[i] == chosen);
        want += chosen;
        in += (*rank)[i] <= static_cast<double>(k);
      }
      CHECK(s.selected == want);
      CHECK(s.in_top_k == in);
      CHECK(s.not_qualified() == in - want);
    }
  }
  // by fit, top 3 holds one qualified candidate; qualified first, three
  std::vector<std::uint8_t> out(6);
  CHECK(merit::select_top_k(by_fit.data(), st.data(), 6, 3, out.data()).selected == 1);
  CHECK(merit::select_top_k(qualified_first.data(), st.data(), 6, 3, out.data()).selected == 3);
  const std::vector<double> fit = {95, 90, 85, 80, 70, nan};
  CHECK(merit::select_threshold(fit.data(), st.data(), 6, 80, out.data()) == 2);
  CHECK(out == std::vector<std::uint8_t>{1, 0, 0, 1, 0, 0});
}

TEST_CASE("fairness: coded labels give the tables string labels give", "[fairness]") {
  audit_data d;
  d.dimensions = {"sex", "race"};
  d.labels = {{"female", "afam"}, {"female", ""}, {"", "cauc"}, {"male", "cauc"}, {"", ""}, {"male", "afam"},
              {"male", "afam"}, {"female", "cauc"}};
  d.selected = {true, true, false, true, false, false, true, false};
  d.fits = {90, 80, 70, 60, 50, std::numeric_limits<double>::quiet_NaN(), 40, 30};
  d.absent_labels = {{"female", "asian"}};
  merit::coded_audit_data c;
  c.dimensions = d.dimensions;
  // names in an order other than byte order: the tables still list them sorted
  c.names = {{"male", "female"}, {"cauc", "asian", "afam"}};
  c.codes = {{1, 1, -1, 0, -1, 0, 0, 1}, {2, -1, 0, 0, -1, 2, 2, 0}};
  c.selected = {1, 1, 0, 1, 0, 0, 1, 0};
  c.fits = d.fits;
  c.absent_codes = {{1}, {1}};
  auto a = audit(d), b = audit(c);
  CHECK(a.n == b.n);
  CHECK(a.selected == 4);
  CHECK(b.selected == 4);
  CHECK(a.unknown_by == b.unknown_by);
  CHECK(a.median_fit == b.median_fit);
  REQUIRE(a.categories.size() == b.categories.size());
  for (std::size_t i = 0; i < a.categories.size(); ++i) {
    const auto &x = a.categories[i], &y = b.categories[i];
    CHECK(x.dimension == y.dimension);
    CHECK(x.name == y.name);
    CHECK(x.applicants == y.applicants);
    CHECK(x.selected == y.selected);
    CHECK(x.above_median == y.above_median);
    CHECK((x.fisher_p == y.fisher_p || (std::isnan(x.fisher_p) && std::isnan(y.fisher_p))));
    CHECK(x.reference == y.reference);
  }
  CHECK(find(b.categories, "female/asian").applicants == 0);
  c.codes[1][0] = 3;
  CHECK_THROWS_WITH(audit(c), "audit: a label code is outside its dimension's names");
}
