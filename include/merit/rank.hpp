#pragma once
/// \file rank.hpp
/// The ranking rule (docs/design.md): fit descending, compared after rounding to
/// 6 decimals (what the user sees); ties by candidate id ascending in byte
/// order; candidates without a fit after every candidate with one. The order
/// depends on nothing else, so it is the same at any thread count.

#include <merit/fwd.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <thread>
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
/// Bytes [8 * word, 8 * word + 8) of an id as a big-endian integer, zero-padded.
/// Two ids whose words differ (and whose earlier words are equal) compare as
/// these words do; equal words need the next ones, or the full byte comparison
/// (ids ending in NUL bytes).
inline std::uint64_t id_word(std::string_view id, std::size_t word) {
  const std::size_t at = 8 * word;
  std::uint64_t p = 0;
  if (id.size() >= at + 8) {
    for (std::size_t k = at; k < at + 8; ++k) p = (p << 8) | static_cast<unsigned char>(id[k]);
  } else {
    for (std::size_t k = at; k < at + 8; ++k) p = (p << 8) | (k < id.size() ? static_cast<unsigned char>(id[k]) : 0u);
  }
  return p;
}

/// The first 8 bytes of an id as a big-endian integer, zero-padded.
inline std::uint64_t id_prefix(std::string_view id) { return id_word(id, 0); }

/// One candidate as the sorts see it: integer keys first, so that the string
/// comparison of ids happens only within runs of equal fit and id prefix.
struct rank_entry {
  std::int64_t key;
  std::uint64_t prefix;
  std::size_t index;
};

/// The ranking order (docs/design.md) on rank entries; `id(i)` gives candidate i's id. Equal
/// ids (a library caller may pass them) go by index, so the order is total:
/// every correct sort of the same entries gives the same sequence.
template <class IdOf>
struct rank_entry_before {
  IdOf id;
  bool operator()(const rank_entry& a, const rank_entry& b) const {
    if (a.key != b.key) return a.key > b.key;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    const auto& id_a = id(a.index);  // a reference, or a temporary kept alive
    const auto& id_b = id(b.index);
    const int c = std::string_view(id_a).compare(std::string_view(id_b));  // bytes as unsigned char
    if (c != 0) return c < 0;
    return a.index < b.index;
  }
};

/// Where share t of m items split into `shares` near-equal parts begins.
inline std::size_t share_begin(std::size_t m, unsigned shares, unsigned t) {
  return m / shares * t + std::min<std::size_t>(t, m % shares);
}

/// Runs f(0), ..., f(shares - 1), each but the first on a thread of its own.
/// A thread that cannot be started has its share run here instead; the first
/// exception is rethrown once every share has finished.
template <class F>
void for_each_share(unsigned shares, const F& f) {
  if (shares <= 1) {
    f(0u);
    return;
  }
  std::vector<std::exception_ptr> failed(shares);
  const auto guarded = [&](unsigned t) {
    try {
      f(t);
    } catch (...) {
      failed[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(shares - 1);
  for (unsigned t = 1; t < shares; ++t) {
    try {
      pool.emplace_back(guarded, t);
    } catch (...) {
      guarded(t);
    }
  }
  guarded(0);
  for (auto& th : pool) th.join();
  for (const auto& x : failed)
    if (x) std::rethrow_exception(x);
}

/// Number of bits up to the highest set one (0 for 0).
inline int bit_width(std::uint64_t x) {
  int w = 0;
  for (; x != 0; x >>= 1) ++w;
  return w;
}

/// MSD radix sort of rank entries: bucket passes on the fit key, then on the
/// ids 8 bytes at a time, comparisons for short ranges. A bucket pass moves a
/// range from one buffer into the other; comparisons sort it in place. The
/// result is the one sequence of rank_entry_before, whatever the thread count.
template <class IdOf>
class rank_sorter {
 public:
  /// Fit keys go by their distance below `top`, the highest fit; no fit
  /// (INT64_MIN) by `no_fit`, one past the lowest fit's distance.
  rank_sorter(const IdOf& id_of, std::uint64_t top, std::uint64_t no_fit)
      : id_of_(id_of), top_(top), no_fit_(no_fit) {}

  /// Sorts the m entries at `a`, `b` having room for m more; the result ends
  /// in b when `to_b`, else in a. `keys_equal`: the fit keys are known to be
  /// equal. `word`: which 8 id bytes the prefix fields hold.
  void sort(rank_entry* a, rank_entry* b, std::size_t m, bool to_b, bool keys_equal, std::size_t word,
            unsigned threads) const {
    if (m <= sort_below) return sort_short(a, b, m, to_b);
    if (m < parallel_from) threads = 1;
    // The bits in which the entries differ: the key's first, then the id's.
    std::vector<std::uint64_t> differ(2 * threads, 0);
    const std::uint64_t k0 = key_value(a[0]), p0 = a[0].prefix;
    for_each_share(threads, [&](unsigned t) {
      std::uint64_t k = 0, p = 0;
      const std::size_t end = share_begin(m, threads, t + 1);
      if (keys_equal)
        for (std::size_t i = share_begin(m, threads, t); i < end; ++i) p |= a[i].prefix ^ p0;
      else
        for (std::size_t i = share_begin(m, threads, t); i < end; ++i) {
          k |= key_value(a[i]) ^ k0;
          p |= a[i].prefix ^ p0;
        }
      differ[2 * t] = k;
      differ[2 * t + 1] = p;
    });
    std::uint64_t k = 0, p = 0;
    for (unsigned t = 0; t < threads; ++t) {
      k |= differ[2 * t];
      p |= differ[2 * t + 1];
    }
    sort_differing(a, b, m, to_b, word, k, p, threads);
  }

  /// sort() once the differing bits are known: `key_bits` of the key values
  /// (a superset will do), `id_bits` of the prefix fields.
  void sort_differing(rank_entry* a, rank_entry* b, std::size_t m, bool to_b, std::size_t word, std::uint64_t key_bits,
                      std::uint64_t id_bits, unsigned threads) const {
    if (m <= sort_below) return sort_short(a, b, m, to_b);
    if (m < parallel_from) threads = 1;
    if (key_bits == 0 && id_bits == 0) return sort_by_next_word(a, b, m, to_b, word, threads);

    // One bucket pass on the highest differing bits: about 4 bits fewer
    // than the range's length has (so that the counts stay short next to
    // it), at most 16, the window stretched past bits that never differ (as
    // in ASCII digits). The bits above it are equal throughout, so bucket
    // order is rank order.
    const bool by_key = key_bits != 0;
    const std::uint64_t bits = by_key ? key_bits : id_bits;
    const int want = std::min(16, std::max(4, bit_width(m) - 4));
    const int high = bit_width(bits);
    int shift = high;
    for (int got = 0; shift > 0 && got < want && high - shift < std::min(16, want + 4);)
      if ((bits >> --shift) & 1) ++got;
    while (((bits >> shift) & 1) == 0) ++shift;
    const std::size_t buckets = std::size_t(1) << (high - shift);
    std::vector<std::size_t> start(buckets + 1);
    if (by_key)
      bucket_pass(a, b, m, [&](const rank_entry& x) { return (key_value(x) >> shift) & (buckets - 1); }, buckets,
                  start, threads);
    else
      bucket_pass(a, b, m, [&](const rank_entry& x) { return (x.prefix >> shift) & (buckets - 1); }, buckets, start,
                  threads);

    // Each bucket from b back into a (or on into b). With threads, a bucket
    // bigger than a share gets all of them; the others are dealt out in
    // contiguous groups of about equal size.
    const auto sort_bucket = [&](std::size_t d, unsigned with) {
      const std::size_t o = start[d], c = start[d + 1] - o;
      if (c > 0) sort(b + o, a + o, c, !to_b, !by_key, word, with);
    };
    if (threads == 1) {
      for (std::size_t d = 0; d < buckets; ++d) sort_bucket(d, 1);
      return;
    }
    const std::size_t share = m / threads;
    const auto size = [&](std::size_t d) { return start[d + 1] - start[d]; };
    std::size_t rest = 0;
    for (std::size_t d = 0; d < buckets; ++d) {
      if (size(d) > share)
        sort_bucket(d, threads);
      else
        rest += size(d);
    }
    std::vector<std::size_t> first(threads + 1, buckets);  // thread t: buckets [first[t], first[t + 1])
    first[0] = 0;
    std::size_t done = 0;
    for (std::size_t d = 0, t = 1; d < buckets; ++d) {
      if (size(d) > share) continue;
      while (t < threads && done * threads >= rest * t) first[t++] = d;
      done += size(d);
    }
    for_each_share(threads, [&](unsigned t) {
      for (std::size_t d = first[t]; d < first[t + 1]; ++d)
        if (size(d) <= share) sort_bucket(d, 1);
    });
  }

 private:
  static constexpr std::size_t sort_below = 32;                       // insertion sort up to this length
  static constexpr std::size_t parallel_from = std::size_t(1) << 16;  // threads from this length

  std::uint64_t key_value(const rank_entry& x) const {
    return x.key == INT64_MIN ? no_fit_ : top_ - static_cast<std::uint64_t>(x.key);
  }

  /// Moves a[0, m) into b[0, m) by bucket(entry), keeping the order within a
  /// bucket; start[d] is where bucket d begins in b, start[buckets] = m.
  template <class Bucket>
  static void bucket_pass(const rank_entry* a, rank_entry* b, std::size_t m, const Bucket& bucket, std::size_t buckets,
                          std::vector<std::size_t>& start, unsigned threads) {
    std::vector<std::size_t> next(threads * buckets, 0);  // per thread and bucket: the next slot in b
    for_each_share(threads, [&](unsigned t) {
      std::size_t* count = &next[t * buckets];
      const std::size_t end = share_begin(m, threads, t + 1);
      for (std::size_t i = share_begin(m, threads, t); i < end; ++i) ++count[bucket(a[i])];
    });
    std::size_t at = 0;
    for (std::size_t d = 0; d < buckets; ++d) {
      start[d] = at;
      for (unsigned t = 0; t < threads; ++t) {
        const std::size_t count = next[t * buckets + d];
        next[t * buckets + d] = at;
        at += count;
      }
    }
    start[buckets] = m;
    for_each_share(threads, [&](unsigned t) {
      std::size_t* slot = &next[t * buckets];
      const std::size_t end = share_begin(m, threads, t + 1);
      for (std::size_t i = share_begin(m, threads, t); i < end; ++i) b[slot[bucket(a[i])]++] = a[i];
    });
  }

  /// Where a range sorted by comparisons goes: b (a copy of a) when `to_b`, else a.
  static rank_entry* result_at(rank_entry* a, rank_entry* b, std::size_t m, bool to_b) {
    if (!to_b) return a;
    std::copy(a, a + m, b);
    return b;
  }

  /// A short range by insertion (std::sort's own choice at this length).
  void sort_short(rank_entry* a, rank_entry* b, std::size_t m, bool to_b) const {
    rank_entry* r = result_at(a, b, m, to_b);
    const rank_entry_before<const IdOf&> before{id_of_};
    for (std::size_t i = 1; i < m; ++i) {
      const rank_entry x = r[i];
      std::size_t j = i;
      for (; j > 0 && before(x, r[j - 1]); --j) r[j] = r[j - 1];
      r[j] = x;
    }
  }

  /// Entries of equal key and equal id bytes so far: their prefix fields
  /// take the ids' next 8 bytes while they are sorted, then get their value
  /// back. Only the full comparison is left once no id has more bytes.
  void sort_by_next_word(rank_entry* a, rank_entry* b, std::size_t m, bool to_b, std::size_t word,
                         unsigned threads) const {
    const std::uint64_t held = a[0].prefix;
    std::vector<std::size_t> longest(threads);
    std::vector<std::uint64_t> differ(threads);
    for (;;) {
      ++word;
      const std::uint64_t w0 = id_word(id_of_(a[0].index), word);
      for_each_share(threads, [&](unsigned t) {
        std::size_t len = 0;
        std::uint64_t bits = 0;
        const std::size_t end = share_begin(m, threads, t + 1);
        for (std::size_t i = share_begin(m, threads, t); i < end; ++i) {
          const auto& id = id_of_(a[i].index);  // a reference, or a temporary kept alive
          const std::string_view v(id);
          len = std::max(len, v.size());
          a[i].prefix = id_word(v, word);
          bits |= a[i].prefix ^ w0;
        }
        longest[t] = len;
        differ[t] = bits;
      });
      std::uint64_t id_bits = 0;
      for (const auto x : differ) id_bits |= x;
      if (id_bits != 0) {
        sort_differing(a, b, m, to_b, word, 0, id_bits, threads);
        break;
      }
      if (*std::max_element(longest.begin(), longest.end()) <= 8 * (word + 1)) {
        rank_entry* r = result_at(a, b, m, to_b);
        std::sort(r, r + m, rank_entry_before<const IdOf&>{id_of_});
        break;
      }
    }
    rank_entry* r = to_b ? b : a;
    for (std::size_t i = 0; i < m; ++i) r[i].prefix = held;
  }

  const IdOf& id_of_;
  std::uint64_t top_, no_fit_;
};

/// Sorts rank entries into the order of rank_entry_before; the result is the
/// same at any thread count (threads share the bucket passes over long ranges
/// and then the buckets).
template <class IdOf>
void sort_rank_entries(std::vector<rank_entry>& e, const IdOf& id_of, unsigned threads = 1) {
  const std::size_t n = e.size();
  threads = n < (std::size_t(1) << 16) ? 1 : std::max(1u, threads);
  // One pass for the range of fits and the bits in which id prefixes differ.
  struct summary {
    std::int64_t hi = INT64_MIN, lo = INT64_MAX;
    bool no_fit = false;
    std::uint64_t id_bits = 0;
  };
  std::vector<summary> part(threads);
  const std::uint64_t p0 = n ? e[0].prefix : 0;
  for_each_share(threads, [&](unsigned t) {
    summary s;
    for (std::size_t i = share_begin(n, threads, t); i < share_begin(n, threads, t + 1); ++i) {
      const rank_entry& x = e[i];
      s.id_bits |= x.prefix ^ p0;
      if (x.key == INT64_MIN) {
        s.no_fit = true;
      } else {
        s.hi = std::max(s.hi, x.key);
        s.lo = std::min(s.lo, x.key);
      }
    }
    part[t] = s;
  });
  summary all;
  for (const auto& s : part) {
    all.hi = std::max(all.hi, s.hi);
    all.lo = std::min(all.lo, s.lo);
    all.no_fit = all.no_fit || s.no_fit;
    all.id_bits |= s.id_bits;
  }
  // Key values run from 0 (the highest fit) to the lowest fit's distance
  // below it, no fit one further (lo > INT64_MIN: no wrap-around).
  const auto top = static_cast<std::uint64_t>(all.hi);
  const std::uint64_t lowest = all.hi == INT64_MIN ? 0 : top - static_cast<std::uint64_t>(all.lo);
  const std::uint64_t no_fit = all.hi == INT64_MIN ? 0 : lowest + 1;
  const std::uint64_t last = all.no_fit ? no_fit : lowest;
  const int width = bit_width(last);
  const std::uint64_t key_bits = width == 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << width) - 1;
  const rank_sorter<IdOf> sorter(id_of, top, no_fit);
  std::unique_ptr<rank_entry[]> buf(new rank_entry[n]);  // not value-initialised: written before read
  sorter.sort_differing(e.data(), buf.get(), n, false, 0, key_bits, all.id_bits, threads);
}

template <class Ids>
std::vector<rank_entry> rank_entries(const Ids& ids, VectorCRef fit) {
  const std::size_t n = static_cast<std::size_t>(fit.size());
  std::vector<rank_entry> e;
  e.reserve(n);
  for (std::size_t i = 0; i < n; ++i) e.push_back({display_key(fit[static_cast<Eigen::Index>(i)]), id_prefix(ids[i]), i});
  return e;
}
}  // namespace detail

/// Order of candidates: `order[r]` is the index of the candidate ranked r+1.
/// `ids` and `fit` have one entry per candidate.
template <class Ids>
std::vector<std::size_t> rank_order(const Ids& ids, VectorCRef fit) {
  auto e = detail::rank_entries(ids, fit);
  const auto id_of = [&](std::size_t i) -> std::string_view { return ids[i]; };
  detail::sort_rank_entries(e, id_of);
  std::vector<std::size_t> order(e.size());
  for (std::size_t r = 0; r < e.size(); ++r) order[r] = e[r].index;
  return order;
}

/// The first k of rank_order, without sorting the rest.
template <class Ids>
std::vector<std::size_t> top_k(const Ids& ids, VectorCRef fit, std::size_t k) {
  auto e = detail::rank_entries(ids, fit);
  const auto id_of = [&](std::size_t i) -> std::string_view { return ids[i]; };
  const detail::rank_entry_before<decltype(id_of)> before{id_of};
  k = std::min(k, e.size());
  const auto kth = e.begin() + static_cast<std::ptrdiff_t>(k);
  if (k <= 1024) {  // a heap of k: most candidates cost one comparison
    std::partial_sort(e.begin(), kth, e.end(), before);
  } else {
    std::nth_element(e.begin(), kth, e.end(), before);
    e.resize(k);
    detail::sort_rank_entries(e, id_of);
  }
  std::vector<std::size_t> order(k);
  for (std::size_t r = 0; r < k; ++r) order[r] = e[r].index;
  return order;
}

}  // namespace merit
