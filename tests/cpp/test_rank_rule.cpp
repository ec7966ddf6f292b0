// The ranking rule (rank.hpp, docs/design.md): qualified first, then
// incomplete, then screened_out, each by fit descending at 6 decimals; no fit
// last; ties by id bytes. Checked against a reference written out here on its
// own (tier table, printf rounding, std::string comparison), not through
// rank_key.
#include <merit/bands.hpp>
#include <merit/rank.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace merit;

namespace {

const double NaN = std::numeric_limits<double>::quiet_NaN();

/// The rule written out: 0 qualified, 1 incomplete, 2 screened_out, 3 no fit.
int reference_tier(status s, double fit) {
  if (std::isnan(fit)) return 3;
  switch (s) {
    case status::qualified: return 0;
    case status::incomplete: return 1;
    case status::screened_out: return 2;
  }
  return 2;
}

/// The fit as printed with 6 decimals, read back.
double printed(double fit) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", fit);
  return std::strtod(buf, nullptr);
}

struct candidate {
  std::string id;
  double fit;
  status st;
};

/// The reference order: tier, printed fit descending, id bytes (std::string
/// compares chars as unsigned char), then index.
std::vector<std::size_t> reference_order(const std::vector<candidate>& c) {
  std::vector<std::size_t> order(c.size());
  std::vector<double> shown(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) {
    order[i] = i;
    shown[i] = printed(c[i].fit);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const int ta = reference_tier(c[a].st, c[a].fit), tb = reference_tier(c[b].st, c[b].fit);
    if (ta != tb) return ta < tb;
    if (ta != 3 && shown[a] != shown[b]) return shown[a] > shown[b];
    if (c[a].id != c[b].id) return c[a].id < c[b].id;
    return a < b;
  });
  return order;
}

struct columns {
  std::vector<std::string> ids;
  Vector fit;
  std::vector<std::int8_t> st;
};

columns columns_of(const std::vector<candidate>& c) {
  columns k;
  k.fit.resize(static_cast<Eigen::Index>(c.size()));
  for (std::size_t i = 0; i < c.size(); ++i) {
    k.ids.push_back(c[i].id);
    k.fit[static_cast<Eigen::Index>(i)] = c[i].fit;
    k.st.push_back(static_cast<std::int8_t>(c[i].st));
  }
  return k;
}

/// Random candidates: every status, fits on a coarse grid (many ties, some
/// only apart below the 6th decimal), ~8% without a fit, ids with repeats of
/// a shared stem and some of length 0 to 20.
std::vector<candidate> random_pool(std::size_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> status_of(0, 2), grid(0, 400), noise(0, 3), pct(0, 99), len(0, 20), byte(32, 255);
  std::vector<candidate> c(n);
  for (auto& x : c) {
    x.st = static_cast<status>(status_of(rng));
    x.fit = pct(rng) < 8 ? NaN : grid(rng) / 4.0 + noise(rng) * 1e-7;
    if (pct(rng) < 50) {
      x.id = "CAND-" + std::to_string(pct(rng) * 1000 + grid(rng));
    } else {
      const int l = len(rng);
      for (int k = 0; k < l; ++k) x.id.push_back(static_cast<char>(byte(rng)));
    }
  }
  return c;
}

}  // namespace

TEST_CASE("rank rule: qualified, then incomplete, then screened_out, then no fit", "[rank]") {
  const std::vector<candidate> c = {
      {"s100", 100, status::screened_out},    // 0
      {"i100", 100, status::incomplete},      // 1
      {"q50", 50, status::qualified},         // 2
      {"q90", 90, status::qualified},         // 3
      {"i60", 60, status::incomplete},        // 4
      {"s0", 0, status::screened_out},        // 5
      {"none-q", NaN, status::qualified},     // 6: no fit ranks last whatever its status
      {"none-i", NaN, status::incomplete},    // 7
      {"q0", 0, status::qualified},           // 8
  };
  const columns k = columns_of(c);
  const std::vector<std::size_t> want = {3, 2, 8, 1, 4, 0, 5, 7, 6};
  CHECK(rank_order(k.ids, k.fit, k.st) == want);
  CHECK(reference_order(c) == want);
  for (std::size_t top = 0; top <= c.size() + 1; ++top)
    CHECK(top_k(k.ids, k.fit, k.st, top) == std::vector<std::size_t>(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(std::min(top, want.size()))));
  // The old rule, kept to check older decision logs: fit alone.
  CHECK(rank_order(k.ids, k.fit, k.st, ranking_rule::fit_only) == std::vector<std::size_t>{1, 0, 3, 4, 2, 8, 5, 7, 6});
  // Qualified rows at the head of a top K.
  const auto head = top_k(k.ids, k.fit, k.st, 5);
  CHECK(qualified_count(head, k.st) == 3);
  CHECK(qualified_count(head, k.st, 2) == 2);
}

TEST_CASE("rank rule: ties within a tier by the printed fit, then id bytes", "[rank]") {
  const std::vector<candidate> c = {
      {"b", 80.0000001, status::qualified},   // prints 80.000000: ties with a
      {"a", 80.0000004, status::qualified},
      {"c", 80.0000006, status::qualified},   // prints 80.000001: above
      {"A", 80.0000004, status::incomplete},  // same fit, lower tier
      {std::string("a\0", 2), 80, status::qualified},
      {"\xff", 80, status::qualified},        // bytes compare unsigned: after "b"
  };
  const columns k = columns_of(c);
  const std::vector<std::size_t> want = {2, 1, 4, 0, 5, 3};
  CHECK(rank_order(k.ids, k.fit, k.st) == want);
  CHECK(reference_order(c) == want);
}

TEST_CASE("rank rule: rank_key orders tiers before fits at the extremes", "[rank]") {
  CHECK(rank_key(status::qualified, NaN) == INT64_MIN);
  CHECK(rank_key(status::screened_out, NaN) == INT64_MIN);
  CHECK(rank_key(status::qualified, -rank_fit_limit) > rank_key(status::incomplete, rank_fit_limit));
  CHECK(rank_key(status::incomplete, -rank_fit_limit) > rank_key(status::screened_out, rank_fit_limit));
  CHECK(rank_key(status::screened_out, -rank_fit_limit) > INT64_MIN);
  // Beyond the limit a fit ranks as the limit; fits of the core (0..100) are far inside.
  CHECK(rank_key(status::qualified, 1e15) == rank_key(status::qualified, rank_fit_limit));
  CHECK(rank_key(status::qualified, 100) - rank_key(status::qualified, 0) == 100'000'000);
  CHECK(rank_key(status::incomplete, 80.0000004, ranking_rule::fit_only) == display_key(80.0000004));
  CHECK(to_string(ranking_rule::status_then_fit) == std::string("status-then-fit/2"));
  CHECK(to_string(ranking_rule::fit_only) == std::string("fit/1"));
  CHECK(parse_ranking_rule("status-then-fit/2") == ranking_rule::status_then_fit);
  CHECK(parse_ranking_rule("fit/1") == ranking_rule::fit_only);
  CHECK_FALSE(parse_ranking_rule("fit/3").has_value());
}

TEST_CASE("rank rule: random pools, rank_order, top_k and the threaded sort against the reference", "[rank]") {
  std::mt19937_64 rng(14);
  for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(40), std::size_t(3000), std::size_t(70'000)}) {
    const auto c = random_pool(n, rng);
    const columns k = columns_of(c);
    const auto want = reference_order(c);
    INFO("n = " << n);
    CHECK(rank_order(k.ids, k.fit, k.st) == want);
    // top_k takes the heap path up to 1024, then nth_element and the radix sort.
    for (std::size_t top : {std::size_t(1), std::size_t(7), std::size_t(1024), std::size_t(1025), n / 3, n, n + 5}) {
      INFO("k = " << top);
      CHECK(top_k(k.ids, k.fit, k.st, top) ==
            std::vector<std::size_t>(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(std::min(top, n))));
    }
    // The threaded radix sort (above 65,536 entries the threads share the passes).
    const auto entries = detail::rank_entries(k.ids, k.fit, k.st);
    const auto id_of = [&](std::size_t i) -> std::string_view { return k.ids[i]; };
    auto by_std = entries;
    std::sort(by_std.begin(), by_std.end(), detail::rank_entry_before<decltype(id_of)>{id_of});
    for (unsigned threads : {1u, 2u, 3u, 4u, 7u}) {
      auto got = entries;
      detail::sort_rank_entries(got, id_of, threads);
      std::vector<std::size_t> got_order, std_order;
      for (const auto& x : got) got_order.push_back(x.index);
      for (const auto& x : by_std) std_order.push_back(x.index);
      INFO("threads = " << threads);
      CHECK(got_order == std_order);
      CHECK(got_order == want);
    }
  }
}

TEST_CASE("rank rule: one tier only, or no qualified candidate at all", "[rank]") {
  std::mt19937_64 rng(15);
  for (status only : {status::qualified, status::incomplete, status::screened_out}) {
    auto c = random_pool(70'000, rng);
    for (auto& x : c) x.st = only;
    const columns k = columns_of(c);
    INFO("status " << to_string(only));
    CHECK(rank_order(k.ids, k.fit, k.st) == reference_order(c));
  }
}

TEST_CASE("rank rule: bands are formed among qualified candidates only", "[rank][bands]") {
  Vector fit(5);
  fit << 90, 100, 89, 95, NaN;
  const std::vector<status> st = {status::qualified, status::incomplete, status::qualified, status::screened_out,
                                  status::qualified};
  const Vector q = qualified_fits(fit, st);
  CHECK(q[0] == 90);
  CHECK(std::isnan(q[1]));
  CHECK(q[2] == 89);
  CHECK(std::isnan(q[3]));
  CHECK(std::isnan(q[4]));
  // Width 2: 90 and 89 share band 1 (the incomplete 100 opens no band above them).
  const Eigen::VectorXi b = fixed_bands(q, 2.0);
  CHECK(b[0] == 1);
  CHECK(b[1] == 0);
  CHECK(b[2] == 1);
  CHECK(b[3] == 0);
  CHECK(b[4] == 0);
}
