#pragma once
// The pool readers' runs the wide CSV, long CSV, JSON Lines, Greenhouse and
// differential targets share (fuzz_pool.cpp, compiled once).

#include <cstddef>
#include <string_view>

namespace merit_fuzz {

enum class pool_kind { wide_csv, long_csv, jsonl, greenhouse };

/// `data` as a pool file of `kind`, read every way `merit score` reads it:
/// the streaming engine (score_pool) with rejects collected (contributions,
/// gaps and bands on) and not, evidence also with rater calibration (a full
/// pass), and the whole-file reader (read_pool).
void score_every_way(std::string_view data, pool_kind kind);

/// The differential check: the streaming engine at 2 threads with blocks of
/// `tiny_block` bytes and at 1 thread with one block must agree on every
/// accepted row, value (to the last bit), count and rejected row; without
/// collecting rejects both must also agree with the whole-file reader (the
/// same results, or the same first error). A disagreement aborts the run.
void same_everywhere(std::string_view data, pool_kind kind, std::size_t tiny_block);

}  // namespace merit_fuzz
