// The pool readers as `merit score` runs them: the streaming engine over a
// file (score_pool), and the whole-file reader (read_pool). Compiled once for
// the wide CSV, long CSV, JSON Lines and Greenhouse targets and the two
// differential ones.
#include "fuzz_pool.hpp"

#include "fuzz.hpp"

#include <merit/pool/read.hpp>
#include <merit/pool/stream.hpp>
#include <merit/rank.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace merit_fuzz {
namespace {

/// Everything a run decided, as text: the error it stopped with, or every
/// kept candidate in rank order (id, fit, status, coverage to the last bit),
/// the counts and each rejected row.
std::string describe(const merit::error& e) {
  return "error " + std::string(merit::to_string(e.code())) + " at '" + e.place() + "': " + e.detail() + "\n";
}

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// `missing`: with the count of missing values (the whole-file reader has none).
std::string describe(const merit::pool::scored_pool& p, bool missing) {
  std::string s = "rows " + std::to_string(p.rows_read) + " scored " + std::to_string(p.scored) + "\n";
  if (missing) s += "missing " + std::to_string(p.missing_values) + "\n";
  for (std::size_t r : p.order)
    s += std::string(p.id(r)) + " " + number(p.fit[r]) + " " + std::to_string(p.status[r]) + " " + number(p.coverage[r]) + "\n";
  for (const auto& j : p.rejects)
    s += "reject " + std::to_string(j.line) + ":" + std::to_string(j.column) + " " + merit::pool::to_string(j.kind) + " " +
         j.reason + "\n";
  return s;
}

/// The streaming engine on `src`, rejects collected or not.
std::string streamed(const merit::pool::pool_source& src, unsigned threads, std::size_t block_bytes, bool collect,
                            bool missing = true) {
  merit::pool::stream_options opt;
  opt.threads = threads;
  opt.block_bytes = block_bytes;
  opt.rejects.collect = collect;
  try {
    return describe(merit::pool::score_pool(model(), plan(), src, opt), missing);
  } catch (const merit::error& e) {
    return describe(e);
  }
}

/// The whole-file reader on `src`, then the core's scoring and
/// ranking: the same description as `streamed` without rejects (read_pool
/// stops at the first bad row) and missing values (it does not count them).
std::string read_whole(const merit::pool::pool_source& src) {
  try {
    const merit::pool::pool_input in = merit::pool::read_pool(model(), src);
    const auto n = static_cast<Eigen::Index>(in.table.ids.size());
    merit::Vector fit(n), cov(n);
    std::vector<std::int8_t> st(static_cast<std::size_t>(n));
    merit::score(plan(), in.table.scores, fit, cov, st.data());
    std::string s = "rows " + std::to_string(in.evidence ? in.report.rows : in.table.ids.size()) + " scored " +
                    std::to_string(n) + "\n";
    for (std::size_t i : merit::rank_order(in.table.ids, fit, st)) {
      const auto k = static_cast<Eigen::Index>(i);
      s += in.table.ids[i] + " " + number(fit[k]) + " " + std::to_string(st[i]) + " " + number(cov[k]) + "\n";
    }
    return s;
  } catch (const merit::error& e) {
    return describe(e);
  }
}

merit::pool::pool_source source_of(std::string_view data, pool_kind kind) {
  switch (kind) {
    case pool_kind::wide_csv: return merit::pool::pool_source::candidates(as_file(data, ".csv"));
    case pool_kind::long_csv: return merit::pool::pool_source::evidence_file(as_file(data, ".csv"), std::string("long"));
    case pool_kind::jsonl: return merit::pool::pool_source::evidence_file(as_file(data, ".jsonl"), std::string("jsonl"));
    case pool_kind::greenhouse: break;
  }
  return merit::pool::pool_source::evidence_file(as_file(data, ".json"), std::string("greenhouse"));
}

}  // namespace

void score_every_way(std::string_view data, pool_kind kind) {
  merit::pool::pool_source src = source_of(data, kind);
  merit::pool::stream_options opt;
  opt.rejects.collect = true;
  opt.contributions = opt.gaps = true;
  opt.bands = merit::pool::band_options{};
  accepts([&] { merit::pool::score_pool(model(), plan(), src, opt); });
  opt.rejects.collect = false;
  accepts([&] { merit::pool::score_pool(model(), plan(), src, opt); });
  accepts([&] { merit::pool::read_pool(model(), src); });
  if (!src.evidence) return;
  src.calibrate = merit::calibration::zscore;
  accepts([&] { merit::pool::score_pool(model(), plan(), src, opt); });
}

void same_everywhere(std::string_view data, pool_kind kind, std::size_t tiny_block) {
  const merit::pool::pool_source src = source_of(data, kind);
  constexpr std::size_t one_block = std::size_t(1) << 24;
  const std::string one = streamed(src, 1, one_block, true), tiny = streamed(src, 2, tiny_block, true);
  require(one == tiny, "rejects collected: 2 threads with tiny blocks differ from 1 thread", one + "---\n" + tiny);
  const std::string first = streamed(src, 1, one_block, false, false);
  const std::string tiny_first = streamed(src, 2, tiny_block, false, false);
  require(first == tiny_first, "first error: 2 threads with tiny blocks differ from 1 thread", first + "---\n" + tiny_first);
  const std::string whole = read_whole(src);
  require(first == whole, "the streaming engine and the whole-file reader differ", first + "---\n" + whole);
}

}  // namespace merit_fuzz
