#pragma once
/// \file evidence.hpp
/// From assessment evidence to competency scores (DESIGN.md "Evidence to
/// competency scores").
///
/// An observation is one rating: candidate, competency, method, rater, value.
/// Values are first mapped onto the model scale 1..L through their method's
/// scale (numeric: linear from [min, max]; named levels: the table's number).
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

#include <merit/errors.hpp>
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

/// Maps a raw value onto the model scale 1..L through a method's scale.
/// Returns nullopt for a missing value (blank, "null", or a name listed as
/// missing); throws input_error (with `place`) for a value outside the scale
/// or an unknown named level.
inline std::optional<double> map_to_level(const method& m, int L, std::string_view raw, const std::string& place) {
  while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  if (raw.empty() || raw == "null" || raw == "NA") return std::nullopt;
  const method_scale& s = m.scale;
  if (s.kind == method_scale::numeric) {
    double v = 0;
    auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
    if (ec != std::errc() || p != raw.data() + raw.size() || !std::isfinite(v))
      throw input_error(errc::value, place,
                        "non-numeric value '" + std::string(raw) + "' for method '" + m.id + "' (numeric scale " +
                            detail::number_text(s.min) + ".." + detail::number_text(s.max) + ")");
    if (v < s.min || v > s.max)
      throw input_error(errc::value, place,
                        "value " + std::string(raw) + " is outside the scale of method '" + m.id + "' (" +
                            detail::number_text(s.min) + ".." + detail::number_text(s.max) + ")");
    return 1.0 + (v - s.min) / (s.max - s.min) * (L - 1);
  }
  for (const auto& miss : s.missing)
    if (raw == miss) return std::nullopt;
  for (const auto& [name, number] : s.named)
    if (raw == name) return number;
  std::string known;
  for (const auto& [name, number] : s.named) known += (known.empty() ? "" : ", ") + name;
  for (const auto& miss : s.missing) known += ", " + miss;
  throw input_error(errc::value, place,
                    "unknown level '" + std::string(raw) + "' for method '" + m.id + "' (expected one of: " + known + ")");
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
  const double L = model.levels;

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
    if (model.evidence(obs.method[i], obs.competency[i]) <= 0) {
      std::string where = i < obs.source.size() ? obs.source[i] : std::string();
      throw input_error(errc::reference, where,
                        "method '" + model.methods[obs.method[i]].id + "' does not measure competency '" +
                            model.competencies[obs.competency[i]].id + "' in the model's evidence matrix");
    }
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

  // One rating per (cell, rater): duplicates averaged (or rejected).
  struct rating {
    std::uint64_t cell;
    std::uint32_t rater;
    double value;
  };
  // Cells -> (candidate, competency): rater means per method, weighted over
  // methods. [b, e) are one candidate's ratings, ordered by cell.
  auto emit = [&](std::size_t cand, const rating* b, const rating* e) {
    const std::uint64_t base = static_cast<std::uint64_t>(cand) * C * M;
    const auto ci = static_cast<Eigen::Index>(cand);
    for (const rating* p = b; p != e;) {
      const auto comp = static_cast<std::uint32_t>(p->cell - base) / static_cast<std::uint32_t>(M);
      double wsum = 0, wmean = 0, s1 = 0, s2 = 0;
      std::int32_t k = 0;
      std::uint32_t mask = 0;
      while (p != e && static_cast<std::uint32_t>(p->cell - base) / static_cast<std::uint32_t>(M) == comp) {
        const std::uint64_t cell = p->cell;
        const auto meth = static_cast<std::uint32_t>(cell - base) % static_cast<std::uint32_t>(M);
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
        wmean += w * msum / mk;
        wsum += w;
        mask |= 1u << meth;
      }
      const auto cj = static_cast<Eigen::Index>(comp);
      double score = wmean / wsum;
      if (opt.calibration != calibration::none) score = std::clamp(score, 1.0, L);
      out.scores(ci, cj) = score;
      out.ratings(ci, cj) = k;
      out.methods(ci, cj) = mask;
      if (k >= 2) {
        const double mean = s1 / k;
        const double sd = std::sqrt(std::max(0.0, (s2 - k * mean * mean) / (k - 1)));
        out.rater_sd(ci, cj) = sd;
        out.se(ci, cj) = sd / std::sqrt(static_cast<double>(k));
      }
    }
  };

  // Without calibration each candidate's cells are final at once; with it,
  // every rating is kept until the raters' figures are known.
  const bool calibrating = opt.calibration != calibration::none;
  std::vector<rating> ratings, mine;
  std::vector<std::size_t> rstart(calibrating ? N + 1 : 0, 0);
  if (calibrating) ratings.reserve(n);
  std::vector<double> rater_sum(R, 0), rater_sum2(R, 0);
  std::vector<std::size_t> rater_n(R, 0);
  auto by_key = [](const packed& a, const packed& b) {
    return a.key != b.key ? a.key < b.key : (a.rater != b.rater ? a.rater < b.rater : a.row < b.row);
  };
  for (std::size_t cand = 0; cand < N; ++cand) {
    packed* local = grouped + start[cand];
    const std::size_t m = start[cand + 1] - start[cand];
    // Already ordered by key, and by row within a key: order each cell's
    // ratings by rater (a handful: insertion sort).
    for (std::size_t a = 1; a < m; ++a) {
      const packed v = local[a];
      std::size_t b = a;
      for (; b > 0 && local[b - 1].key == v.key && by_key(v, local[b - 1]); --b) local[b] = local[b - 1];
      local[b] = v;
    }
    const std::uint64_t base = static_cast<std::uint64_t>(cand) * C * M;
    for (std::size_t i = 0; i < m;) {
      std::size_t j = i + 1;
      double sum = local[i].level;
      while (j < m && local[j].key == local[i].key && local[j].rater == local[i].rater) {
        if (opt.duplicates == duplicate_policy::error) {
          const auto row = local[j].row, first = local[i].row;
          std::string where = row < obs.source.size() ? obs.source[row] : std::string();
          std::string first_at = first < obs.source.size() ? obs.source[first] : std::string();
          throw input_error(errc::duplicate, where,
                            "duplicate observation: candidate '" + obs.candidate_ids[obs.candidate[row]] +
                                "', competency '" + model.competencies[obs.competency[row]].id + "', method '" +
                                model.methods[obs.method[row]].id + "', rater '" + obs.rater_ids[obs.rater[row]] +
                                "'" + (first_at.empty() ? std::string() : " (first at " + first_at + ")"));
        }
        sum += local[j].level;
        ++j;
      }
      out.duplicates += j - i - 1;
      const double value = sum / static_cast<double>(j - i);
      const std::uint32_t rid = local[i].rater;
      rater_n[rid] += 1;
      rater_sum[rid] += value;
      rater_sum2[rid] += value * value;
      (calibrating ? ratings : mine).push_back({base + local[i].key, rid, value});
      i = j;
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
