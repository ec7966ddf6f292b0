#pragma once
/// \file fwd.hpp
/// Short aliases used across merit. Matrices that cross an API boundary are
/// row-major, matching numpy's default (C order), so Python and C callers can
/// pass their buffers without copies.

#include <Eigen/Core>

namespace merit {

/// #rows by #cols, row-major (numpy's C order).
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;
using IndexVector = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1>;

/// Read-only view of caller memory, any stride the caller has.
using RowMatrixCRef = Eigen::Ref<const RowMatrix, 0, Eigen::OuterStride<>>;
using RowMatrixRef = Eigen::Ref<RowMatrix, 0, Eigen::OuterStride<>>;
using VectorCRef = Eigen::Ref<const Vector>;
using VectorRef = Eigen::Ref<Vector>;

class error;
class model_error;
class input_error;
struct competency_model;
struct profile;
class scoring_plan;

}  // namespace merit
