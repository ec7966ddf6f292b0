#pragma once
/// \file rank.hpp
/// The ranking rule of DESIGN.md: fit descending, compared after rounding to
/// 6 decimals (what the user sees); ties by candidate id ascending in byte
/// order; candidates without a fit after every candidate with one. The order
/// depends on nothing else, so it is the same at any thread count.

#include <merit/fwd.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

namespace merit {

/// The fit as printed with 6 decimals, as an integer number of millionths;
/// INT64_MIN for "no fit". Exact: a value within rounding noise of a half
/// millionth is decided by the same conversion printf uses.
inline std::int64_t display_key(double fit) {
  if (std::isnan(fit)) return INT64_MIN;
  const double k = fit * 1e6;
  const double fl = std::floor(k);
  if (std::fabs(k - fl - 0.5) > 1e-6) return static_cast<std::int64_t>(std::llround(k));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", fit);
  return static_cast<std::int64_t>(std::llround(std::strtod(buf, nullptr) * 1e6));
}

/// True when candidate a ranks before candidate b.
inline bool ranks_before(std::int64_t key_a, std::string_view id_a, std::int64_t key_b, std::string_view id_b) {
  if (key_a != key_b) return key_a > key_b;
  return id_a < id_b;  // std::string_view compares bytes as unsigned char
}

/// Order of candidates: `order[r]` is the index of the candidate ranked r+1.
/// `ids` and `fit` have one entry per candidate.
template <class Ids>
std::vector<std::size_t> rank_order(const Ids& ids, VectorCRef fit) {
  const std::size_t n = static_cast<std::size_t>(fit.size());
  std::vector<std::int64_t> key(n);
  for (std::size_t i = 0; i < n; ++i) key[i] = display_key(fit[static_cast<Eigen::Index>(i)]);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return ranks_before(key[a], ids[a], key[b], ids[b]);
  });
  return order;
}

/// The first k of rank_order, without sorting the rest.
template <class Ids>
std::vector<std::size_t> top_k(const Ids& ids, VectorCRef fit, std::size_t k) {
  const std::size_t n = static_cast<std::size_t>(fit.size());
  std::vector<std::int64_t> key(n);
  for (std::size_t i = 0; i < n; ++i) key[i] = display_key(fit[static_cast<Eigen::Index>(i)]);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  k = std::min(k, n);
  auto before = [&](std::size_t a, std::size_t b) { return ranks_before(key[a], ids[a], key[b], ids[b]); };
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(), before);
  order.resize(k);
  return order;
}

}  // namespace merit
