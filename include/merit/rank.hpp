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

namespace detail {
/// The first 8 bytes of an id as a big-endian integer, zero-padded. Two ids
/// whose prefixes differ compare as their prefixes do; equal prefixes need the
/// full byte comparison (ids sharing 8 bytes, or ending in NUL bytes).
inline std::uint64_t id_prefix(std::string_view id) {
  std::uint64_t p = 0;
  for (std::size_t k = 0; k < 8; ++k)
    p = (p << 8) | (k < id.size() ? static_cast<unsigned char>(id[k]) : 0u);
  return p;
}

/// One candidate as the sorts see it: integer keys first, so that the string
/// comparison of ids happens only within runs of equal fit and id prefix.
struct rank_entry {
  std::int64_t key;
  std::uint64_t prefix;
  std::size_t index;
};

/// The DESIGN.md order on rank entries; `id(i)` gives candidate i's id.
template <class IdOf>
struct rank_entry_before {
  IdOf id;
  bool operator()(const rank_entry& a, const rank_entry& b) const {
    if (a.key != b.key) return a.key > b.key;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return std::string_view(id(a.index)) < std::string_view(id(b.index));
  }
};

template <class Ids>
std::vector<rank_entry> rank_entries(const Ids& ids, VectorCRef fit) {
  const std::size_t n = static_cast<std::size_t>(fit.size());
  std::vector<rank_entry> e(n);
  for (std::size_t i = 0; i < n; ++i)
    e[i] = {display_key(fit[static_cast<Eigen::Index>(i)]), id_prefix(ids[i]), i};
  return e;
}
}  // namespace detail

/// Order of candidates: `order[r]` is the index of the candidate ranked r+1.
/// `ids` and `fit` have one entry per candidate.
template <class Ids>
std::vector<std::size_t> rank_order(const Ids& ids, VectorCRef fit) {
  auto e = detail::rank_entries(ids, fit);
  auto id_of = [&](std::size_t i) -> std::string_view { return ids[i]; };
  std::sort(e.begin(), e.end(), detail::rank_entry_before<decltype(id_of)>{id_of});
  std::vector<std::size_t> order(e.size());
  for (std::size_t r = 0; r < e.size(); ++r) order[r] = e[r].index;
  return order;
}

/// The first k of rank_order, without sorting the rest.
template <class Ids>
std::vector<std::size_t> top_k(const Ids& ids, VectorCRef fit, std::size_t k) {
  auto e = detail::rank_entries(ids, fit);
  auto id_of = [&](std::size_t i) -> std::string_view { return ids[i]; };
  k = std::min(k, e.size());
  std::partial_sort(e.begin(), e.begin() + static_cast<std::ptrdiff_t>(k), e.end(),
                    detail::rank_entry_before<decltype(id_of)>{id_of});
  std::vector<std::size_t> order(k);
  for (std::size_t r = 0; r < k; ++r) order[r] = e[r].index;
  return order;
}

}  // namespace merit
