#pragma once
/// \file pool/stream.hpp
/// Streaming, parallel scoring of a pool (docs/cli-score.md).
///
/// The input is cut into blocks of whole records; each of `threads` threads
/// (the calling one among them) takes the next block, parses and scores it
/// (wide CSV), or parses it and aggregates and scores the candidates inside
/// it (long CSV, JSON Lines evidence), and the results are merged strictly in
/// input order, so duplicates, rejects and the output are the same at any
/// thread count. With `top`, only a bounded heap of the best K candidates is
/// kept; otherwise every candidate is kept in its block, ranked, and gathered
/// once in rank order.

#include <merit/errors.hpp>
#include <merit/evidence.hpp>
#include <merit/fit.hpp>
#include <merit/model.hpp>
#include <merit/pool/options.hpp>
#include <merit/pool/read.hpp>
#include <merit/pool/reject.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace merit::pool {

/// How far a run has got: after each block merged in input order.
struct progress {
  std::size_t rows = 0;                    ///< data rows read so far
  std::size_t bytes = 0;                   ///< bytes of input read so far
  std::optional<std::size_t> total_bytes;  ///< the input's size, when it is a regular file
};

/// Called after each block; returns false to cancel the run (which then
/// throws merit::pool::cancelled and writes nothing).
using progress_fn = std::function<bool(const progress&)>;

/// Thrown when a progress callback returned false.
class cancelled : public error {
 public:
  cancelled() : error(errc::interrupted, {}, "cancelled") {}
};

/// Receives what reading evidence found, when evidence is aggregated whole
/// (rater calibration, or formats that are not streamed).
using evidence_fn = std::function<void(const pool_input&)>;

/// Score bands (Cascio et al. 1991, include/merit/bands.hpp): the SD of every
/// scored fit, then fixed bands of width c SED from the top.
struct band_options {
  double reliability = 0.8;  ///< r_xx of the fit, in 0..1
  double c = 0;              ///< width in SEDs; 0: band_c_95
};

struct stream_options {
  unsigned threads = 1;               ///< threads in all (reading, scoring, merging)
  /// Input bytes read per block (a block then ends at its last whole record).
  /// The output does not depend on it; tiny blocks test the block edges.
  std::size_t block_bytes = std::size_t(1) << 20;
  std::optional<std::size_t> top;     ///< keep only the K best-ranked candidates
  bool contributions = false;         ///< keep each candidate's contributions
  bool gaps = false;                  ///< keep each candidate's gaps
  /// Bands: the fits' SD by a running (Welford) sum as blocks merge in input
  /// order, and each kept candidate's band; no array of every fit is kept.
  std::optional<band_options> bands;
  reject_policy rejects;              ///< bad rows: collected, or the first one throws
  duplicate_policy duplicates = duplicate_policy::mean;
  merit::calibration calibration = calibration::none;  ///< evidence: rater calibration (a full pass)
  progress_fn on_progress;            ///< polled after each block; false cancels
  evidence_fn on_evidence;            ///< what aggregating evidence whole found
};

/// The scored pool. Per-candidate arrays have one entry per kept candidate
/// (every candidate, or the best K); `order` ranks them (docs/design.md, "Ranking").
struct scored_pool {
  std::string id_bytes;                 ///< ids, concatenated
  std::vector<std::size_t> id_end;      ///< end of id i in id_bytes
  std::vector<double> fit, coverage;
  std::vector<std::int8_t> status;
  std::vector<std::size_t> seq;         ///< with top: position among every scored candidate, in input order
  std::vector<double> contributions, gaps;  ///< #kept by #targets, when asked for
  std::vector<std::size_t> order;
  std::vector<int> band;                ///< with bands: each kept candidate's band (1 = top; 0: no fit)
  double fit_sd = 0;                    ///< with bands: sample SD of every scored candidate's fit
  double band_width = 0;                ///< with bands: c SED
  std::vector<rejected_row> rejects;    ///< sorted by line
  std::size_t rows_read = 0;            ///< data rows (lines of evidence) read
  std::size_t scored = 0;               ///< candidates scored
  std::size_t missing_values = 0;       ///< evidence rows whose value was missing (no observation)
  bool ungrouped = false;               ///< evidence was not grouped by candidate: read in a full pass

  std::size_t size() const { return id_end.size(); }
  std::string_view id(std::size_t i) const {
    const std::size_t b = i ? id_end[i - 1] : 0;
    return std::string_view(id_bytes).substr(b, id_end[i] - b);
  }
};

/// Scores the pool in `path` (wide CSV, long CSV or JSON Lines evidence)
/// against `plan`. Throws merit::input_error for a fatal problem (a bad
/// header; the first bad row when rejects are not collected), cancelled when
/// the progress callback says so.
scored_pool score_stream(const competency_model& model, const scoring_plan& plan, const std::string& path,
                         input_format format, const stream_options& opt);

/// The pool of `source` scored: streamed when it is a wide CSV, long CSV or
/// JSON Lines evidence (with rater calibration, evidence is read in one pass
/// and aggregated whole, rejects included); otherwise read whole with
/// read_pool (JSON candidates and Greenhouse scorecards are JSON documents: a
/// bad candidate or scorecard in them is always fatal). `opt`'s duplicates
/// and calibration are taken from `source`.
scored_pool score_pool(const competency_model& model, const scoring_plan& plan, const pool_source& source,
                       stream_options opt);

}  // namespace merit::pool
