#include <merit/rank.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace merit;
using detail::rank_entry;

namespace {

const double NaN = std::numeric_limits<double>::quiet_NaN();

/// The ranking order (docs/design.md) written out on its own: key descending (INT64_MIN, no
/// fit, is the lowest), then id bytes as unsigned char, then index.
bool reference_before(const rank_entry& a, const rank_entry& b, const std::vector<std::string>& ids) {
  if (a.key != b.key) return a.key > b.key;
  const std::string& x = ids[a.index];
  const std::string& y = ids[b.index];
  const std::size_t common = std::min(x.size(), y.size());
  for (std::size_t k = 0; k < common; ++k) {
    const auto cx = static_cast<unsigned char>(x[k]), cy = static_cast<unsigned char>(y[k]);
    if (cx != cy) return cx < cy;
  }
  if (x.size() != y.size()) return x.size() < y.size();
  return a.index < b.index;
}

std::vector<rank_entry> entries_of(const std::vector<std::int64_t>& keys, const std::vector<std::string>& ids) {
  std::vector<rank_entry> e;
  for (std::size_t i = 0; i < keys.size(); ++i) e.push_back({keys[i], detail::id_prefix(ids[i]), i});
  return e;
}

std::vector<rank_entry> reference_sorted(std::vector<rank_entry> e, const std::vector<std::string>& ids) {
  std::stable_sort(e.begin(), e.end(), [&](const rank_entry& a, const rank_entry& b) { return reference_before(a, b, ids); });
  return e;
}

bool same_entries(const std::vector<rank_entry>& a, const std::vector<rank_entry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const rank_entry& x, const rank_entry& y) {
    return x.key == y.key && x.prefix == y.prefix && x.index == y.index;
  });
}

/// Sorts the entries at 1, 2, 3, 4 and 7 threads and checks every result
/// against the reference, entry for entry (key, prefix and index).
void check_sorts(const std::vector<std::int64_t>& keys, const std::vector<std::string>& ids) {
  const auto input = entries_of(keys, ids);
  const auto want = reference_sorted(input, ids);
  const auto id_of = [&](std::size_t i) -> const std::string& { return ids[i]; };
  for (unsigned threads : {1u, 2u, 3u, 4u, 7u}) {
    auto got = input;
    detail::sort_rank_entries(got, id_of, threads);
    INFO("n = " << keys.size() << ", threads = " << threads);
    CHECK(same_entries(got, want));
  }
}

/// Ids of every awkward kind: short ones (down to empty), 8+ shared bytes,
/// embedded and trailing NUL bytes, bytes above 0x7f, and repeats.
std::vector<std::string> awkward_ids(std::size_t n, std::mt19937_64& rng) {
  static const std::string stems[] = {"",          "C00",        "CANDIDATE-2024-", "CANDIDATE-2024-0",
                                      std::string("A\0B", 3), "\xff\xfe", "ABCDEFGH",        "ABCDEFGHIJKLMNOP"};
  std::uniform_int_distribution<int> stem(0, 7), len(0, 4), byte(0, 255), kind(0, 9);
  std::vector<std::string> ids(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && kind(rng) == 0) {  // a repeat of an earlier id
      ids[i] = ids[std::uniform_int_distribution<std::size_t>(0, i - 1)(rng)];
      continue;
    }
    std::string id = stems[stem(rng)];
    const int extra = len(rng);
    for (int k = 0; k < extra; ++k) {
      const int c = kind(rng) < 3 ? 0 : kind(rng) < 6 ? '0' + byte(rng) % 10 : byte(rng);  // NULs, digits, anything
      id.push_back(static_cast<char>(c));
    }
    ids[i] = id;
  }
  return ids;
}

/// Keys with heavy ties: a few values, among them no fit, negatives and the
/// extremes of int64.
std::vector<std::int64_t> tied_keys(std::size_t n, std::mt19937_64& rng) {
  const std::int64_t values[] = {INT64_MIN, INT64_MIN + 1, -5'000'000, -1, 0, 1, 80'000'000, 80'000'001, INT64_MAX};
  std::uniform_int_distribution<int> pick(0, 8);
  std::vector<std::int64_t> keys(n);
  for (auto& k : keys) k = values[pick(rng)];
  return keys;
}

}  // namespace

TEST_CASE("rank: ties by id bytes as unsigned, NUL and length included, then by index", "[rank]") {
  const std::vector<std::string> ids = {"b", "a\xff", "a", std::string("a\0", 2), "", std::string("a\0\0", 3),
                                        "a",  "ab",   std::string("a\0b", 3)};
  std::vector<std::int64_t> keys(ids.size(), 7);
  keys[7] = INT64_MIN;  // no fit: last
  keys[0] = -3;         // below 7
  auto e = entries_of(keys, ids);
  const auto id_of = [&](std::size_t i) -> std::string_view { return ids[i]; };
  detail::sort_rank_entries(e, id_of);
  std::vector<std::size_t> order;
  for (const auto& x : e) order.push_back(x.index);
  // "", "a" (index 2), "a" (6), "a\0", "a\0\0", "a\0b", "a\xff", then -3: "b", then no fit: "ab".
  CHECK(order == std::vector<std::size_t>{4, 2, 6, 3, 5, 8, 1, 0, 7});
}

TEST_CASE("rank: sort_rank_entries at sizes 0, 1, 2 and either side of its thresholds", "[rank]") {
  std::mt19937_64 rng(1);
  for (std::size_t n : {0, 1, 2, 3, 31, 32, 33, 64, 1000}) {
    check_sorts(tied_keys(n, rng), awkward_ids(n, rng));
  }
  std::vector<rank_entry> none;
  detail::sort_rank_entries(none, [](std::size_t) { return std::string_view(); }, 4);
  CHECK(none.empty());
}

TEST_CASE("rank: sort_rank_entries on large inputs equals the reference at every thread count", "[rank]") {
  std::mt19937_64 rng(2);
  const std::size_t n = 70'000;  // above 65,536, where threads share the passes
  SECTION("heavy ties, no fits, negative and extreme keys, awkward ids") { check_sorts(tied_keys(n, rng), awkward_ids(n, rng)); }
  SECTION("realistic: some thousand fits, ids like C00507818") {
    std::vector<std::int64_t> keys(n);
    std::vector<std::string> ids(n);
    std::uniform_int_distribution<int> level(0, 2600);
    std::uniform_int_distribution<int> number(0, 999'999);
    for (std::size_t i = 0; i < n; ++i) {
      keys[i] = level(rng) % 7 == 0 ? INT64_MIN : 40'000'000 + 12'345 * (level(rng) / 2 + level(rng) / 2);
      ids[i] = "C00" + std::to_string(100'000 + number(rng));
    }
    check_sorts(keys, ids);
  }
  SECTION("keys over the whole int64 range") {
    std::vector<std::int64_t> keys(n);
    for (auto& k : keys) k = static_cast<std::int64_t>(rng());
    keys[5] = INT64_MIN;
    keys[6] = INT64_MAX;
    check_sorts(keys, awkward_ids(n, rng));
  }
  SECTION("one fit for all: every thread on one run, ids sharing 16 bytes") {
    std::vector<std::int64_t> keys(n, -42);
    std::vector<std::string> ids(n);
    std::uniform_int_distribution<int> number(0, 99'999);
    for (auto& id : ids) id = "CANDIDATE-2024-X" + std::to_string(number(rng)) + (number(rng) % 3 ? "" : std::string(1, '\0'));
    check_sorts(keys, ids);
  }
  SECTION("no fits at all, the same id everywhere: index order") {
    check_sorts(std::vector<std::int64_t>(n, INT64_MIN), std::vector<std::string>(n, "same-id-longer-than-8"));
  }
  SECTION("no fit one past a power of two below the highest fit") {
    // Fits 0 down to -7: no fit is 8 below the top, one bit more than any fit.
    std::vector<std::int64_t> keys(n);
    std::uniform_int_distribution<int> pick(0, 8);
    for (auto& k : keys) k = pick(rng) == 8 ? INT64_MIN : -pick(rng) % 8;
    check_sorts(keys, awkward_ids(n, rng));
  }
  SECTION("two fits, one run larger than any thread's share") {
    std::vector<std::int64_t> keys(n, 5);
    for (std::size_t i = 0; i < n; i += 10) keys[i] = 6;
    check_sorts(keys, awkward_ids(n, rng));
  }
}

TEST_CASE("rank: an id function returning strings by value", "[rank]") {
  std::mt19937_64 rng(3);
  const std::size_t n = 5000;
  const auto keys = tied_keys(n, rng);
  const auto ids = awkward_ids(n, rng);
  auto e = entries_of(keys, ids);
  detail::sort_rank_entries(e, [&](std::size_t i) { return ids[i]; }, 2);  // a temporary std::string each call
  CHECK(same_entries(e, reference_sorted(entries_of(keys, ids), ids)));
}

TEST_CASE("rank: rank_order and top_k agree with the reference", "[rank]") {
  std::mt19937_64 rng(4);
  const std::size_t n = 20'000;
  const auto ids = awkward_ids(n, rng);
  Vector fit(static_cast<Eigen::Index>(n));
  std::uniform_int_distribution<int> half_steps(-4, 200);
  for (Eigen::Index i = 0; i < fit.size(); ++i) fit[i] = half_steps(rng) % 9 == 0 ? NaN : half_steps(rng) / 2.0 + 1e-7;
  const std::vector<std::int8_t> st(n, static_cast<std::int8_t>(status::qualified));  // one tier: fit alone decides
  std::vector<std::int64_t> keys(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = display_key(fit[static_cast<Eigen::Index>(i)]);
  std::vector<std::size_t> want;
  for (const auto& x : reference_sorted(entries_of(keys, ids), ids)) want.push_back(x.index);
  CHECK(rank_order(ids, fit, st) == want);
  for (std::size_t k : {0, 1, 31, 33, 500, 19'999, 20'000, 30'000}) {
    INFO("k = " << k);
    CHECK(top_k(ids, fit, st, k) == std::vector<std::size_t>(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(std::min(k, n))));
  }
}
