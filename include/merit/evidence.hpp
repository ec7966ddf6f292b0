#pragma once
/// \file evidence.hpp
/// From assessment evidence to competency scores (docs/design.md, "Evidence to
/// competency scores").
///
/// An observation is one rating: candidate, competency, method, rater, value.
/// Values are first mapped onto the model scale 1..L through their method's
/// scale (numeric: through the model's cut points, or linearly from [min, max];
/// named levels: the table's number; see method_scale).
/// Then, for each (candidate, competency, method), the ratings are averaged
/// over raters; then the method means are averaged, weighted by the evidence
/// matrix. Per (candidate, competency) we keep the number of ratings, the
/// methods present, the spread of the ratings (sample SD) and a standard
/// error SD / sqrt(k) when k >= 2 ratings.
///
/// Policies (documented in docs/evidence.md):
/// - "No decision", blank and null are missing: no observation at all.
/// - Duplicate observations (same candidate, competency, method and rater):
///   by default the rater's repeated ratings are averaged into one rating
///   before the average over raters, so no rater counts twice; with
///   duplicate_policy::error they are an error.
/// - Rater calibration is opt-in: `leniency` subtracts each rater's mean
///   offset from the cell means of the candidates they rated; `zscore`
///   standardises within rater and maps back onto the pool's mean and SD.

#include <merit/detail/format.hpp>
#include <merit/detail/text.hpp>
#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/fwd.hpp>
#include <merit/model.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace merit {

/// Observations in columns, encoded against a model: `competency` and
/// `method` index the model's lists, `candidate` and `rater` index
/// `candidate_ids` and `rater_ids`. `level` is already on 1..L.
struct observation_table {
  std::vector<std::uint32_t> candidate;
  std::vector<std::uint32_t> competency;
  std::vector<std::uint32_t> method;
  std::vector<std::uint32_t> rater;
  std::vector<double> level;
  std::vector<std::string> source;  ///< optional: where each row came from (file:line), for messages

  std::vector<std::string> candidate_ids;
  std::vector<std::string> rater_ids;
  std::size_t missing = 0;  ///< rows skipped because their value was missing ("no decision", blank, null)

  std::size_t size() const { return level.size(); }

  /// Interns ids; returns their indices.
  std::uint32_t candidate_index(std::string_view id) { return intern(id, candidate_ids, candidate_at_); }
  std::uint32_t rater_index(std::string_view id) { return intern(id, rater_ids, rater_at_); }

  /// Appends another table read against the same model, interning its
  /// candidate and rater ids into this table's: evidence from several files
  /// or formats becomes one table, in which the same rating arriving twice
  /// (same candidate, competency, method and rater id) is a rater's repeat.
  void append(const observation_table& other) {
    std::vector<std::uint32_t> cand(other.candidate_ids.size()), rat(other.rater_ids.size());
    for (std::size_t i = 0; i < cand.size(); ++i) cand[i] = candidate_index(other.candidate_ids[i]);
    for (std::size_t i = 0; i < rat.size(); ++i) rat[i] = rater_index(other.rater_ids[i]);
    for (std::size_t i = 0; i < other.size(); ++i)
      add(cand[other.candidate[i]], other.competency[i], other.method[i], rat[other.rater[i]], other.level[i],
          i < other.source.size() ? other.source[i] : std::string());
    missing += other.missing;
  }

  void add(std::uint32_t cand, std::uint32_t comp, std::uint32_t meth, std::uint32_t rat, double lvl,
           std::string where = {}) {
    candidate.push_back(cand);
    competency.push_back(comp);
    method.push_back(meth);
    rater.push_back(rat);
    level.push_back(lvl);
    if (!where.empty() || !source.empty()) {
      source.resize(level.size() - 1);
      source.push_back(std::move(where));
    }
  }

 private:
  static std::uint32_t intern(std::string_view id, std::vector<std::string>& ids,
                              std::unordered_map<std::string, std::uint32_t>& at) {
    auto it = at.find(std::string(id));
    if (it != at.end()) return it->second;
    auto k = static_cast<std::uint32_t>(ids.size());
    ids.emplace_back(id);
    at.emplace(ids.back(), k);
    return k;
  }
  std::unordered_map<std::string, std::uint32_t> candidate_at_, rater_at_;
};

namespace detail {
/// The level of a value inside a numeric scale's [min, max] (see method_scale).
inline double numeric_level(const method_scale& s, int L, double v) {
  if (!s.cut_points.empty())
    return 1.0 + static_cast<double>(std::upper_bound(s.cut_points.begin(), s.cut_points.end(), v) - s.cut_points.begin());
  return 1.0 + (v - s.min) / (s.max - s.min) * (L - 1);
}
}  // namespace detail

/// Maps a raw value onto the model scale 1..L through a rating scale; `whose`
/// names the scale in messages ("method 'work_sample'", "source 'greenhouse'").
/// Returns nullopt for a missing value (is_missing_field: empty or blank, "NA"
/// or "null"; or a name the scale lists as missing); the value is trimmed of
/// spaces and tabs (trim_field) first. Throws input_error (with `place`) for a value outside the
/// scale or an unknown named level.
inline std::optional<double> map_to_level(const method_scale& s, int L, std::string_view raw, const std::string& place,
                                          const std::string& whose) {
  if (is_missing_field(raw)) return std::nullopt;
  raw = trim_field(raw);
  if (s.kind == method_scale::numeric) {
    double v = 0;
    if (detail::plain_decimal(raw, v) && v >= s.min && v <= s.max) return detail::numeric_level(s, L, v);
    auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
    if (ec != std::errc() || p != raw.data() + raw.size() || !std::isfinite(v))
      throw input_error(errc::value, place,
                        "non-numeric value '" + std::string(raw) + "' for " + whose + " (numeric scale " +
                            detail::number_text(s.min) + ".." + detail::number_text(s.max) + ")");
    if (v < s.min || v > s.max)
      throw input_error(errc::value, place,
                        "value " + std::string(raw) + " is outside the scale of " + whose + " (" +
                            detail::number_text(s.min) + ".." + detail::number_text(s.max) + ")");
    return detail::numeric_level(s, L, v);
  }
  for (const auto& miss : s.missing)
    if (raw == miss) return std::nullopt;
  for (const auto& [name, number] : s.named)
    if (raw == name) return number;
  std::string known;
  for (const auto& [name, number] : s.named) known += (known.empty() ? "" : ", ") + name;
  for (const auto& miss : s.missing) known += ", " + miss;
  throw input_error(errc::value, place,
                    "unknown level '" + std::string(raw) + "' for " + whose + " (expected one of: " + known + ")");
}

/// Maps a raw value onto 1..L through a method's scale (see above).
inline std::optional<double> map_to_level(const method& m, int L, std::string_view raw, const std::string& place) {
  return map_to_level(m.scale, L, raw, place, "method '" + m.id + "'");
}

enum class calibration { none, leniency, zscore };
enum class duplicate_policy { mean, error };

inline const char* to_string(calibration c) {
  switch (c) {
    case calibration::none: return "none";
    case calibration::leniency: return "leniency";
    case calibration::zscore: return "zscore";
  }
  return "?";
}

struct aggregate_options {
  merit::calibration calibration = calibration::none;
  duplicate_policy duplicates = duplicate_policy::mean;
};

/// What calibration found about one rater.
struct rater_report {
  std::string id;
  std::size_t ratings = 0;
  double mean = 0;      ///< mean of the rater's ratings, on 1..L
  double sd = 0;        ///< their sample SD (NaN with one rating)
  /// Leniency: the rater's additive offset, fitted jointly with the levels of
  /// the candidates they rated (positive = lenient, negative = severe), in
  /// scale points of 1..L; offsets have a rating-weighted mean of 0. Estimated
  /// only with calibration::leniency (NaN otherwise).
  double leniency = std::numeric_limits<double>::quiet_NaN();
};

/// Competency scores with their uncertainty. Matrices are #candidates by
/// #model competencies, in model order; rows follow `ids`.
struct competency_scores {
  std::vector<std::string> ids;
  RowMatrix scores;     ///< on 1..L, NaN = no evidence
  RowMatrix rater_sd;   ///< SD of the ratings behind each score (NaN with < 2)
  RowMatrix se;         ///< rater_sd / sqrt(k), NaN with k < 2
  Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> ratings;  ///< k per cell
  /// Bit m set when method m contributed to the cell.
  Eigen::Matrix<std::uint32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> methods;
  std::vector<rater_report> raters;  ///< one per rater id, with calibration figures
  std::size_t observations = 0;
  std::size_t duplicates = 0;  ///< observations merged under duplicate_policy::mean
  merit::calibration calibration = calibration::none;
};

namespace detail {

/// One (cell, rater) rating after a rater's repeats in the cell were averaged;
/// `cell` is candidate * C * M + competency * M + method.
struct merged_rating {
  std::uint64_t cell;
  std::uint32_t rater;
  double value;
};

/// Orders one candidate's ratings [b, e) by cell `key`, then rater, then
/// input `row` (an insertion sort: ratings come nearly in order). `rater_less`
/// orders raters by id bytes, so a cell's ratings are always summed in the
/// same order, however the observations were batched.
template <class Rating, class RaterLess>
void order_ratings(Rating* b, Rating* e, const RaterLess& rater_less) {
  auto before = [&](const Rating& x, const Rating& y) {
    if (x.key != y.key) return x.key < y.key;
    if (rater_less(x, y)) return true;
    if (rater_less(y, x)) return false;
    return x.row < y.row;
  };
  for (Rating* a = b + (b != e); a < e; ++a) {
    const Rating v = *a;
    Rating* p = a;
    for (; p > b && before(v, p[-1]); --p) *p = p[-1];
    *p = v;
  }
}

/// Averages a rater's repeated ratings of a cell into one: [b, e) is one
/// candidate's ratings in order_ratings order, `base` its first cell number.
/// `repeat(first, other)` is called for each repeat before it is merged (it
/// may throw); `same(x, y)` tells whether x and y have the same rater. Appends
/// one merged_rating per (cell, rater) to `out` (with the rater of `rater_of`)
/// and returns the number of repeats merged.
template <class Rating, class Same, class Repeat, class RaterOf>
std::size_t merge_repeats(const Rating* b, const Rating* e, std::uint64_t base, const Same& same, const Repeat& repeat,
                          const RaterOf& rater_of, std::vector<merged_rating>& out) {
  std::size_t repeats = 0;
  for (const Rating* i = b; i != e;) {
    const Rating* j = i + 1;
    double sum = i->level;
    for (; j != e && j->key == i->key && same(*j, *i); ++j) {
      repeat(*i, *j);
      sum += j->level;
    }
    repeats += static_cast<std::size_t>(j - i - 1);
    const auto count = static_cast<std::size_t>(j - i);
    merged_rating& m = out.emplace_back();  // field by field: a braced temporary made a stalled 16-byte copy
    m.cell = base + i->key;
    m.rater = rater_of(*i);
    m.value = count == 1 ? sum : sum / static_cast<double>(count);  // x / 1 == x
    i = j;
  }
  return repeats;
}

/// Where one candidate's competency figures go (C entries each).
struct candidate_cells {
  double* score;
  double* rater_sd;
  double* se;
  std::int32_t* ratings;
  std::uint32_t* methods;
};

/// One candidate's merged ratings [b, e) (ordered by cell; cells from `base`)
/// become competency figures: the rater means per method, weighted over
/// methods by the evidence matrix; clamped to 1..L when calibrated.
inline void emit_cells(const competency_model& model, std::uint64_t base, const merged_rating* b,
                       const merged_rating* e, bool clamp, const candidate_cells& out) {
  const auto M = static_cast<std::uint32_t>(model.methods.size());
  const double L = model.levels;
  for (const merged_rating* p = b; p != e;) {
    const auto comp = static_cast<std::uint32_t>(p->cell - base) / M;  // one division per competency
    const std::uint64_t comp_base = base + static_cast<std::uint64_t>(comp) * M, comp_end = comp_base + M;
    double wsum = 0, wmean = 0, s1 = 0, s2 = 0, lo = INFINITY, hi = -INFINITY;
    std::int32_t k = 0;
    std::uint32_t mask = 0;
    while (p != e && p->cell < comp_end) {
      const std::uint64_t cell = p->cell;
      const auto meth = static_cast<std::uint32_t>(cell - comp_base);
      double msum = 0;
      std::int32_t mk = 0;
      for (; p != e && p->cell == cell; ++p) {
        msum += p->value;
        s1 += p->value;
        s2 += p->value * p->value;
        ++mk;
      }
      k += mk;
      const double w = model.evidence(static_cast<Eigen::Index>(meth), static_cast<Eigen::Index>(comp));
      const double mean = msum / mk;
      wmean += w * mean;
      wsum += w;
      lo = std::min(lo, mean);
      hi = std::max(hi, mean);
      mask |= 1u << meth;
    }
    // A weighted mean lies between its smallest and largest term, but its
    // rounding need not: (0.42 * 3 + 0.40 * 3) / (0.42 + 0.40) is
    // 2.9999999999999996, which would fail a hurdle of 3. Clamped there,
    // equal method means give exactly their value.
    double score = std::clamp(wmean / wsum, lo, hi);
    if (clamp) score = std::clamp(score, 1.0, L);
    out.score[comp] = score;
    out.ratings[comp] = k;
    out.methods[comp] = mask;
    if (k >= 2) {
      const double mean = s1 / k;
      const double sd = std::sqrt(std::max(0.0, (s2 - k * mean * mean) / (k - 1)));
      out.rater_sd[comp] = sd;
      out.se[comp] = sd / std::sqrt(static_cast<double>(k));
    }
  }
}

/// The error of an observation whose method the evidence matrix does not
/// allow for its competency.
inline input_error not_measured(const competency_model& model, std::size_t method, std::size_t competency,
                                const std::string& place) {
  return input_error(errc::reference, place,
                     "method '" + model.methods[method].id + "' does not measure competency '" +
                         model.competencies[competency].id + "' in the model's evidence matrix");
}

/// The message of a duplicate observation under duplicate_policy::error.
inline input_error duplicate_observation(const std::string& where, std::string_view candidate,
                                         std::string_view competency, std::string_view method, std::string_view rater,
                                         const std::string& first_at) {
  return input_error(errc::duplicate, where,
                     "duplicate observation: candidate '" + std::string(candidate) + "', competency '" +
                         std::string(competency) + "', method '" + std::string(method) + "', rater '" +
                         std::string(rater) + "'" + (first_at.empty() ? std::string() : " (first at " + first_at + ")"));
}

}  // namespace detail

/// Aggregates observations into competency scores (see the file comment).
/// Runs in O(n log n) on the observations; allocation is linear in n.
inline competency_scores aggregate(const competency_model& model, const observation_table& obs,
                                   const aggregate_options& opt = {}) {
  const std::size_t n = obs.size();
  const std::size_t N = obs.candidate_ids.size();
  const std::size_t C = model.competencies.size();
  const std::size_t M = model.methods.size();
  const std::size_t R = obs.rater_ids.size();
  MERIT_EXPECTS(M <= 32, "at most 32 methods per model");

  competency_scores out;
  out.ids = obs.candidate_ids;
  out.observations = n;
  out.calibration = opt.calibration;
  const auto NN = static_cast<Eigen::Index>(N), CC = static_cast<Eigen::Index>(C);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.scores = RowMatrix::Constant(NN, CC, nan);
  out.rater_sd = RowMatrix::Constant(NN, CC, nan);
  out.se = RowMatrix::Constant(NN, CC, nan);
  out.ratings.setZero(NN, CC);
  out.methods.setZero(NN, CC);

  // Every observation must be one the evidence matrix allows.
  for (std::size_t i = 0; i < n; ++i) {
    if (model.evidence(obs.method[i], obs.competency[i]) <= 0)
      throw detail::not_measured(model, obs.method[i], obs.competency[i],
                                 i < obs.source.size() ? obs.source[i] : std::string());
  }

  // Order by (candidate, competency, method) with a least-significant-digit
  // radix sort (stable, linear; by cell, then by candidate in digits of at
  // most 11 bits, so every scatter writes to few streams and stays in cache),
  // copying the observations packed, so every later pass reads memory in
  // order. Within a cell the few ratings are then ordered by rater.
  struct packed {
    std::uint32_t candidate;
    std::uint32_t key;  ///< competency * M + method
    std::uint32_t rater;
    std::uint32_t row;
    double level;
  };
  std::vector<std::uint32_t> start(N + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++start[obs.candidate[i] + 1];
  for (std::size_t c = 0; c < N; ++c) start[c + 1] += start[c];
  std::unique_ptr<packed[]> buf_a(new packed[n]), buf_b(new packed[n]);  // every slot is written
  packed* src = buf_a.get();
  packed* dst = buf_b.get();
  {  // the first digit (the cell) is sorted while packing
    std::vector<std::size_t> kpos(C * M + 1, 0);
    for (std::size_t i = 0; i < n; ++i) ++kpos[obs.competency[i] * M + obs.method[i] + 1];
    for (std::size_t k = 0; k < C * M; ++k) kpos[k + 1] += kpos[k];
    for (std::size_t i = 0; i < n; ++i) {
      const auto key = static_cast<std::uint32_t>(obs.competency[i] * M + obs.method[i]);
      src[kpos[key]++] = {obs.candidate[i], key, obs.rater[i], static_cast<std::uint32_t>(i), obs.level[i]};
    }
  }
  auto radix_pass = [&](auto digit_of, std::size_t buckets) {
    std::vector<std::size_t> pos(buckets + 1, 0);
    for (std::size_t i = 0; i < n; ++i) ++pos[digit_of(src[i]) + 1];
    for (std::size_t b = 0; b < buckets; ++b) pos[b + 1] += pos[b];
    for (std::size_t i = 0; i < n; ++i) dst[pos[digit_of(src[i])]++] = src[i];
    std::swap(src, dst);
  };
  int bits = 0;
  while ((std::size_t(1) << bits) < N) ++bits;
  const int digits = (bits + 10) / 11;
  const int width = digits ? (bits + digits - 1) / digits : 0;
  for (int d = 0; d < digits; ++d) {
    const int shift = d * width;
    const std::uint32_t mask = (1u << width) - 1;
    radix_pass([shift, mask](const packed& p) { return static_cast<std::size_t>((p.candidate >> shift) & mask); },
               std::size_t(1) << width);
  }
  packed* grouped = src;

  // Raters are ordered by id bytes within a cell (their rank), so a cell's
  // ratings are summed in the same order however observations were batched.
  std::vector<std::uint32_t> rank(R);
  {
    std::vector<std::uint32_t> by_id(R);
    std::iota(by_id.begin(), by_id.end(), 0u);
    std::sort(by_id.begin(), by_id.end(),
              [&](std::uint32_t a, std::uint32_t b) { return obs.rater_ids[a] < obs.rater_ids[b]; });
    for (std::size_t r = 0; r < R; ++r)
      rank[by_id[r]] = r > 0 && obs.rater_ids[by_id[r]] == obs.rater_ids[by_id[r - 1]] ? rank[by_id[r - 1]]
                                                                                       : static_cast<std::uint32_t>(r);
  }
  const auto rater_less = [&](const packed& a, const packed& b) { return rank[a.rater] < rank[b.rater]; };
  const auto same_rater = [&](const packed& a, const packed& b) { return rank[a.rater] == rank[b.rater]; };
  const auto repeat = [&](const packed& first, const packed& dup) {
    if (opt.duplicates != duplicate_policy::error) return;
    const auto row = dup.row;
    throw detail::duplicate_observation(row < obs.source.size() ? obs.source[row] : std::string(),
                                        obs.candidate_ids[obs.candidate[row]], model.competencies[obs.competency[row]].id,
                                        model.methods[obs.method[row]].id, obs.rater_ids[obs.rater[row]],
                                        first.row < obs.source.size() ? obs.source[first.row] : std::string());
  };
  const auto rater_of = [](const packed& p) { return p.rater; };
  auto emit = [&](std::size_t cand, const detail::merged_rating* b, const detail::merged_rating* e) {
    const auto ci = static_cast<Eigen::Index>(cand);
    detail::emit_cells(model, static_cast<std::uint64_t>(cand) * C * M, b, e, opt.calibration != calibration::none,
                       {out.scores.row(ci).data(), out.rater_sd.row(ci).data(), out.se.row(ci).data(),
                        out.ratings.row(ci).data(), out.methods.row(ci).data()});
  };

  // Without calibration each candidate's cells are final at once; with it,
  // every rating is kept until the raters' figures are known.
  const bool calibrating = opt.calibration != calibration::none;
  std::vector<detail::merged_rating> ratings, mine;
  std::vector<std::size_t> rstart(calibrating ? N + 1 : 0, 0);
  if (calibrating) ratings.reserve(n);
  std::vector<double> rater_sum(R, 0), rater_sum2(R, 0);
  std::vector<std::size_t> rater_n(R, 0);
  for (std::size_t cand = 0; cand < N; ++cand) {
    packed* local = grouped + start[cand];
    packed* local_end = grouped + start[cand + 1];
    detail::order_ratings(local, local_end, rater_less);
    std::vector<detail::merged_rating>& to = calibrating ? ratings : mine;
    const std::size_t from = to.size();
    out.duplicates += detail::merge_repeats(local, local_end, static_cast<std::uint64_t>(cand) * C * M, same_rater,
                                            repeat, rater_of, to);
    for (std::size_t k = from; k < to.size(); ++k) {
      rater_n[to[k].rater] += 1;
      rater_sum[to[k].rater] += to[k].value;
      rater_sum2[to[k].rater] += to[k].value * to[k].value;
    }
    if (!calibrating) {
      emit(cand, mine.data(), mine.data() + mine.size());
      mine.clear();
    } else {
      rstart[cand + 1] = ratings.size();
    }
  }

  // Rater statistics, and calibration of the ratings.
  out.raters.resize(R);
  for (std::size_t r = 0; r < R; ++r) out.raters[r].id = obs.rater_ids[r];
  {
    for (std::size_t r = 0; r < R; ++r) {
      auto& rep = out.raters[r];
      rep.ratings = rater_n[r];
      if (rep.ratings == 0) continue;
      const double k = static_cast<double>(rep.ratings);
      rep.mean = rater_sum[r] / k;
      rep.sd = rep.ratings > 1 ? std::sqrt(std::max(0.0, (rater_sum2[r] - k * rep.mean * rep.mean) / (k - 1))) : nan;
    }
    // Leniency (only when calibrating by it: it costs a few passes): the additive model rating = cell level + rater offset + error,
    // fitted by least squares (alternating means until the offsets settle;
    // offsets centred to a rating-weighted mean of 0). In a complete design
    // this is each rater's mean minus the grand mean; in the incomplete
    // designs of real interview loops it does not shrink the offsets the way
    // "deviation from the cell mean" would.
    if (opt.calibration == calibration::leniency) {
      std::vector<double> off(R, 0), acc(R);
      std::vector<double> cell_level(ratings.size());
      for (int iter = 0; iter < 500; ++iter) {
        for (std::size_t i = 0; i < ratings.size();) {
          std::size_t j = i;
          double cell_sum = 0;
          while (j < ratings.size() && ratings[j].cell == ratings[i].cell) {
            cell_sum += ratings[j].value - off[ratings[j].rater];
            ++j;
          }
          const double lvl = cell_sum / static_cast<double>(j - i);
          for (std::size_t k = i; k < j; ++k) cell_level[k] = lvl;
          i = j;
        }
        std::fill(acc.begin(), acc.end(), 0.0);
        for (std::size_t k = 0; k < ratings.size(); ++k) acc[ratings[k].rater] += ratings[k].value - cell_level[k];
        double centre = 0;
        for (std::size_t r = 0; r < R; ++r) {
          if (out.raters[r].ratings) acc[r] /= static_cast<double>(out.raters[r].ratings);
          centre += acc[r] * static_cast<double>(out.raters[r].ratings);
        }
        centre /= std::max<double>(1.0, static_cast<double>(ratings.size()));
        double change = 0;
        for (std::size_t r = 0; r < R; ++r) {
          const double v = out.raters[r].ratings ? acc[r] - centre : 0.0;
          change = std::max(change, std::fabs(v - off[r]));
          off[r] = v;
        }
        if (change < 1e-12) break;
      }
      for (std::size_t r = 0; r < R; ++r) out.raters[r].leniency = off[r];
    }

    if (opt.calibration == calibration::leniency) {
      for (auto& rt : ratings) rt.value -= out.raters[rt.rater].leniency;
    } else if (opt.calibration == calibration::zscore) {
      // Standardise within rater, then map back onto the pool's mean and SD.
      double all = 0, all2 = 0;
      for (const auto& rt : ratings) {
        all += rt.value;
        all2 += rt.value * rt.value;
      }
      const double k = static_cast<double>(ratings.size());
      const double gm = k ? all / k : 0;
      const double gsd = k > 1 ? std::sqrt(std::max(0.0, (all2 - k * gm * gm) / (k - 1))) : 0;
      for (auto& rt : ratings) {
        const auto& rep = out.raters[rt.rater];
        const double z = rep.ratings > 1 && rep.sd > 0 ? (rt.value - rep.mean) / rep.sd : 0.0;
        rt.value = gm + z * gsd;
      }
    }
  }

  if (calibrating)
    for (std::size_t cand = 0; cand < N; ++cand) emit(cand, ratings.data() + rstart[cand], ratings.data() + rstart[cand + 1]);
  return out;
}

}  // namespace merit
