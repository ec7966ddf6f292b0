#pragma once
// The readable shortlist `merit score` prints to a terminal: rank, fit,
// status, best-fitting role, and each candidate's strengths and gaps.
#include <merit/fit.hpp>
#include <merit/io/candidates.hpp>
#include <merit/model.hpp>

#include <cstdint>
#include <cstdio>
#include <vector>

namespace merit::cli {

struct shortlist_view {
  const competency_model& model;
  const scoring_plan& plan;
  const io::candidate_table& pool;
  const Vector& fit;
  const Vector& coverage;
  const std::vector<std::int8_t>& status;
  const RowMatrix& contributions;  ///< #candidates by #targets
  const RowMatrix& gaps;
  const std::vector<std::size_t>& order;  ///< candidates to show, ranked
  const RowMatrix* se = nullptr;  ///< standard errors of the scores (evidence), or none
};

void print_shortlist(std::FILE* out, const shortlist_view& v);

}  // namespace merit::cli
