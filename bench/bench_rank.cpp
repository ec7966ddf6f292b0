// Ranking timings: 1,000,000 candidates whose fits come from half-step levels
// (few distinct fits, long runs of ties), statuses drawn as in real pools
// (~80% qualified, 12% incomplete - every candidate without a fit among
// them - 8% screened out), and ids like C00507818, ordered by
// std::sort with rank_entry_before against detail::sort_rank_entries at 1 and
// 2 threads; rank_order and top_k end to end.
// Run: build/bench/bench_rank [n]  (prints the best of 5 runs)
#include <merit/rank.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace {

/// the attainment fit of 12 competencies rated 1..5 in half steps,
/// ~2% of ratings missing (NaN when all are).
merit::Vector half_step_fits(std::size_t n, std::mt19937_64& rng) {
  constexpr int C = 12;
  std::uniform_int_distribution<int> half_steps(2, 10);
  std::uniform_real_distribution<double> u(0, 1);
  merit::Vector fit(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    double num = 0, den = 0;
    for (int k = 0; k < C; ++k) {
      const double x = half_steps(rng) / 2.0;
      if (u(rng) < 0.02) continue;
      const double w = 1 + k % 4, target = (2.0 + k % 3) / 4, level = (x - 1) / 4;
      num += w * std::min(level, target);
      den += w * target;
    }
    fit[static_cast<Eigen::Index>(i)] = den > 0 ? 100 * num / den : std::nan("");
  }
  return fit;
}

/// Statuses: incomplete without a fit, else 12% incomplete, 8% screened out, the rest qualified.
std::vector<std::int8_t> statuses(const merit::Vector& fit, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pct(0, 99);
  std::vector<std::int8_t> st(static_cast<std::size_t>(fit.size()));
  for (std::size_t i = 0; i < st.size(); ++i) {
    const int p = pct(rng);
    const merit::status s = std::isnan(fit[static_cast<Eigen::Index>(i)]) || p < 12 ? merit::status::incomplete
                            : p < 20                                               ? merit::status::screened_out
                                                                                   : merit::status::qualified;
    st[i] = static_cast<std::int8_t>(s);
  }
  return st;
}

/// Ids C00000000, C00000001, ... in random order: 9 bytes, the first 3 shared.
std::vector<std::string> shuffled_ids(std::size_t n, const std::string& stem, std::mt19937_64& rng) {
  std::vector<std::size_t> number(n);
  std::iota(number.begin(), number.end(), std::size_t(0));
  std::shuffle(number.begin(), number.end(), rng);
  std::vector<std::string> ids(n);
  char buf[32];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%08zu", number[i]);
    ids[i] = stem + buf;
  }
  return ids;
}

template <class F>
double best_ms(int repeat, F&& f) {
  double best = 1e300;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

void run(const std::vector<std::string>& ids, const merit::Vector& fit, const std::vector<std::int8_t>& st,
         const char* label) {
  using namespace merit;
  const auto id_of = [&](std::size_t i) -> std::string_view { return ids[i]; };
  const auto entries = detail::rank_entries(ids, fit, st);
  std::vector<std::int64_t> keys;
  for (const auto& x : entries) keys.push_back(x.key);
  std::sort(keys.begin(), keys.end());
  std::size_t distinct = 0, longest = 0;
  for (std::size_t i = 0, j; i < keys.size(); i = j) {
    for (j = i; j < keys.size() && keys[j] == keys[i];) ++j;
    ++distinct;
    longest = std::max(longest, j - i);
  }
  std::printf("%s: %zu candidates, %zu distinct (status, fit) keys, longest tie %zu\n", label, ids.size(), distinct,
              longest);

  constexpr int repeat = 5;
  std::vector<detail::rank_entry> want, got;
  const double t_std = best_ms(repeat, [&] {
    want = entries;
    std::sort(want.begin(), want.end(), detail::rank_entry_before<decltype(id_of)>{id_of});
  });
  std::printf("  std::sort                    %8.1f ms\n", t_std);
  for (unsigned threads : {1u, 2u}) {
    const double t = best_ms(repeat, [&] {
      got = entries;
      detail::sort_rank_entries(got, id_of, threads);
    });
    const bool same = std::equal(got.begin(), got.end(), want.begin(), want.end(),
                                 [](const auto& a, const auto& b) { return a.index == b.index; });
    std::printf("  sort_rank_entries threads %u  %8.1f ms%s\n", threads, t, same ? "" : "  WRONG ORDER");
  }
  const double t_entries = best_ms(repeat, [&] { got = detail::rank_entries(ids, fit, st); });
  std::printf("  rank_entries (building)      %8.1f ms\n", t_entries);
  std::vector<std::size_t> order;
  const double t_rank = best_ms(repeat, [&] { order = rank_order(ids, fit, st); });
  std::printf("  rank_order                   %8.1f ms\n", t_rank);
  for (std::size_t k : {std::size_t(100), std::size_t(10000), ids.size() / 2}) {
    std::vector<std::size_t> top;
    const double t_top = best_ms(repeat, [&] { top = top_k(ids, fit, st, k); });
    const bool same = std::equal(top.begin(), top.end(), order.begin());
    std::printf("  top_k %-8zu                %8.1f ms%s\n", k, t_top, same ? "" : "  WRONG ORDER");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::mt19937_64 rng(20240601);
  const auto fit = half_step_fits(n, rng);
  std::mt19937_64 status_rng(14);  // its own stream: fits and ids are those of the fit-only benchmark
  const auto st = statuses(fit, status_rng);
  run(shuffled_ids(n, "C", rng), fit, st, "ids C00507818");
  run(shuffled_ids(n, "CANDIDATE-2024-", rng), fit, st, "ids CANDIDATE-2024-00507818 (8+ shared bytes)");
}
