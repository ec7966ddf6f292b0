#pragma once
/// \file rank.hpp
/// The ranking rule (docs/design.md), the one place it is written down:
/// 1. qualified candidates first, then `incomplete`, then `screened_out`;
/// 2. within each of these tiers, fit descending, compared after rounding to
///    6 decimals (what the user sees);
/// 3. candidates without a fit after every candidate with one, whatever
///    their status;
/// 4. ties by candidate id ascending in byte order.
/// The rule is folded into one integer per candidate (rank_key), so every
/// sort compares an integer and then an id. The order depends on nothing
/// else, so it is the same at any thread count.

#include <merit/fit.hpp>
#include <merit/fwd.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <numeric>
#include <optional>
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

/// The ranking rules merit has used. A decision log records the rule its
/// order follows (its header's "ranking"), so that a log is checked by the
/// rule it was made with.
enum class ranking_rule : std::int8_t {
  fit_only,         ///< "fit/1": fit alone (merit before the status tiers; logs without "ranking")
  status_then_fit,  ///< "status-then-fit/2": the rule of this file's header
};

/// The rule every ranking of this merit follows.
inline constexpr ranking_rule current_ranking_rule = ranking_rule::status_then_fit;

/// A rule's name as a decision log records it.
inline const char* to_string(ranking_rule r) {
  return r == ranking_rule::fit_only ? "fit/1" : "status-then-fit/2";
}

/// The rule named `name`, or nothing for a name this merit does not know.
inline std::optional<ranking_rule> parse_ranking_rule(std::string_view name) {
  if (name == "fit/1") return ranking_rule::fit_only;
  if (name == "status-then-fit/2") return ranking_rule::status_then_fit;
  return std::nullopt;
}

/// Fits are ranked within +-rank_fit_limit; a fit beyond it ranks as the
/// limit (it ties every other fit beyond it on the same side). Fits from the
/// core lie in 0..100; the limit only keeps the tiers apart in one integer.
inline constexpr double rank_fit_limit = 1e12;

/// A candidate's place in the rule as one integer: a higher key ranks first;
/// equal keys go by id. INT64_MIN when there is no fit (NaN). Otherwise
/// t * 2^61 + 2^60 + display_key(fit), t = 1 for qualified, 0 for incomplete,
/// -1 for screened_out: |display_key| < 2^60, so each tier is one aligned
/// block of 2^61 keys above the next. Under ranking_rule::fit_only the key
/// is display_key(fit) alone.
inline std::int64_t rank_key(status st, double fit, ranking_rule rule = current_ranking_rule) {
  if (std::isnan(fit)) return INT64_MIN;
  const std::int64_t k = display_key(std::min(rank_fit_limit, std::max(-rank_fit_limit, fit)));
  if (rule == ranking_rule::fit_only) return k;
  constexpr std::int64_t tier_step = std::int64_t(1) << 61, mid = std::int64_t(1) << 60;
  switch (st) {
    case status::qualified: return tier_step + mid + k;
    case status::incomplete: return mid + k;
    case status::screened_out: break;
  }
  return -tier_step + mid + k;  // screened_out (and anything else): the last tier with a fit
}

/// True when candidate a ranks before candidate b (keys from rank_key).
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

/// How the radix sort turns keys into small unsigned values in rank order
/// (0 first). u = key + 2^63 (as unsigned) keeps the order of every int64;
/// its bits from 61 up are the tier of a rank_key (each tier is one aligned
/// block of 2^61), the lower 61 the fit. `packed`: both are counted down from
/// the highest present and set next to each other, so that the bucket passes
/// see no empty bits between the tiers. Otherwise (one tier, or keys too far
/// apart to pack) the value is the distance below the highest key.
struct key_packing {
  static constexpr std::uint64_t fit_mask = (std::uint64_t(1) << 61) - 1;
  bool packed = false;
  std::uint64_t top = 0;  ///< not packed: the highest u
  std::uint64_t tier_hi = 0, fit_hi = 0;
  int fit_bits = 0;
  std::uint64_t no_fit = 0;  ///< one past the last candidate with a fit

  static std::uint64_t biased(std::int64_t key) { return static_cast<std::uint64_t>(key) ^ (std::uint64_t(1) << 63); }
  std::uint64_t operator()(std::int64_t key) const {
    if (key == INT64_MIN) return no_fit;
    const std::uint64_t u = biased(key);
    if (!packed) return top - u;
    return ((tier_hi - (u >> 61)) << fit_bits) | (fit_hi - (u & fit_mask));
  }
};

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
  /// Keys go by `pack` (see key_packing).
  rank_sorter(const IdOf& id_of, const key_packing& pack) : id_of_(id_of), pack_(pack) {}

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

  std::uint64_t key_value(const rank_entry& x) const { return pack_(x.key); }

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
  key_packing pack_;
};

/// Sorts rank entries into the order of rank_entry_before; the result is the
/// same at any thread count (threads share the bucket passes over long ranges
/// and then the buckets).
template <class IdOf>
void sort_rank_entries(std::vector<rank_entry>& e, const IdOf& id_of, unsigned threads = 1) {
  const std::size_t n = e.size();
  threads = n < (std::size_t(1) << 16) ? 1 : std::max(1u, threads);
  // One pass for the range of keys, tiers and fits and the bits in which id prefixes differ.
  struct summary {
    std::uint64_t hi = 0, lo = ~std::uint64_t(0);  // biased keys
    std::uint64_t tier_hi = 0, tier_lo = ~std::uint64_t(0), fit_hi = 0, fit_lo = ~std::uint64_t(0);
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
        const std::uint64_t u = key_packing::biased(x.key);
        s.hi = std::max(s.hi, u);
        s.lo = std::min(s.lo, u);
        s.tier_hi = std::max(s.tier_hi, u >> 61);
        s.tier_lo = std::min(s.tier_lo, u >> 61);
        s.fit_hi = std::max(s.fit_hi, u & key_packing::fit_mask);
        s.fit_lo = std::min(s.fit_lo, u & key_packing::fit_mask);
      }
    }
    part[t] = s;
  });
  summary all;
  for (const auto& s : part) {
    all.hi = std::max(all.hi, s.hi);
    all.lo = std::min(all.lo, s.lo);
    all.tier_hi = std::max(all.tier_hi, s.tier_hi);
    all.tier_lo = std::min(all.tier_lo, s.tier_lo);
    all.fit_hi = std::max(all.fit_hi, s.fit_hi);
    all.fit_lo = std::min(all.fit_lo, s.fit_lo);
    all.no_fit = all.no_fit || s.no_fit;
    all.id_bits |= s.id_bits;
  }
  // Values run from 0 (the highest key) to the lowest key's, no fit one
  // further (the lowest biased key is >= 1: no wrap-around).
  key_packing pack;
  std::uint64_t lowest = 0;
  if (all.lo <= all.hi) {  // some candidate has a fit
    const int fit_bits = bit_width(all.fit_hi - all.fit_lo);
    if (all.tier_hi != all.tier_lo && bit_width(all.tier_hi - all.tier_lo) + fit_bits <= 63) {
      pack.packed = true;
      pack.tier_hi = all.tier_hi;
      pack.fit_hi = all.fit_hi;
      pack.fit_bits = fit_bits;
      lowest = ((all.tier_hi - all.tier_lo) << fit_bits) | (all.fit_hi - all.fit_lo);
    } else {
      pack.top = all.hi;
      lowest = all.hi - all.lo;
    }
    pack.no_fit = lowest + 1;
  }
  const std::uint64_t last = all.no_fit ? pack.no_fit : lowest;
  const int width = bit_width(last);
  const std::uint64_t key_bits = width == 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << width) - 1;
  const rank_sorter<IdOf> sorter(id_of, pack);
  std::unique_ptr<rank_entry[]> buf(new rank_entry[n]);  // not value-initialised: written before read
  sorter.sort_differing(e.data(), buf.get(), n, false, 0, key_bits, all.id_bits, threads);
}

/// One rank entry per candidate, under `rule`. `st[i]` converts to status
/// (a std::int8_t of the status enum will do).
template <class Ids, class Statuses>
std::vector<rank_entry> rank_entries(const Ids& ids, VectorCRef fit, const Statuses& st,
                                     ranking_rule rule = current_ranking_rule) {
  const std::size_t n = static_cast<std::size_t>(fit.size());
  std::vector<rank_entry> e;
  e.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    e.push_back({rank_key(static_cast<status>(st[i]), fit[static_cast<Eigen::Index>(i)], rule), id_prefix(ids[i]), i});
  return e;
}
}  // namespace detail

/// Order of candidates under the ranking rule: `order[r]` is the index of the
/// candidate ranked r+1. `ids`, `fit` and `st` (statuses; anything whose
/// entries convert to status) have one entry per candidate. `rule` other
/// than the current one only to check an older decision log.
template <class Ids, class Statuses>
std::vector<std::size_t> rank_order(const Ids& ids, VectorCRef fit, const Statuses& st,
                                    ranking_rule rule = current_ranking_rule) {
  auto e = detail::rank_entries(ids, fit, st, rule);
  const auto id_of = [&](std::size_t i) -> std::string_view { return ids[i]; };
  detail::sort_rank_entries(e, id_of);
  std::vector<std::size_t> order(e.size());
  for (std::size_t r = 0; r < e.size(); ++r) order[r] = e[r].index;
  return order;
}

/// The first k of rank_order, without sorting the rest.
template <class Ids, class Statuses>
std::vector<std::size_t> top_k(const Ids& ids, VectorCRef fit, const Statuses& st, std::size_t k) {
  auto e = detail::rank_entries(ids, fit, st);
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

/// How many of the first `count` candidates `order` names are qualified: the
/// rows of a top K that are selected (the rest are there only because fewer
/// than K candidates are qualified).
template <class Statuses>
std::size_t qualified_count(const std::vector<std::size_t>& order, const Statuses& st,
                            std::size_t count = SIZE_MAX) {
  const auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(count, order.size()));
  return static_cast<std::size_t>(
      std::count_if(order.begin(), end, [&](std::size_t i) { return static_cast<status>(st[i]) == status::qualified; }));
}

}  // namespace merit
