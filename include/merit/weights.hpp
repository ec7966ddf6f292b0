#pragma once
/// \file weights.hpp
/// Competency weights from stakeholder judgments: the Analytic Hierarchy
/// Process (AHP). A pairwise comparison matrix A (#items by #items) holds
/// `a_ij` = how many times item i is as important as item j on Saaty's 1..9
/// scale, with `a_ji = 1 / a_ij` and `a_ii = 1`. Missing judgments are NaN.
///
/// - priorities: principal right eigenvector (Saaty) or row geometric mean
///   (logarithmic least squares), normalised to sum 1;
/// - consistency: lambda_max, CI = (lambda_max - n) / (n - 1), CR = CI / RI(n)
///   with a named random-index table, and for the geometric method the
///   geometric consistency index GCI;
/// - incomplete matrices: Harker's method (eigen) or logarithmic least squares
///   over the known judgments (geometric); the judgment graph must be connected;
/// - groups: aggregation of individual judgments (AIJ) or priorities (AIP);
/// - diagnostics: the judgments that contribute most to the inconsistency;
/// - hierarchy: cluster weights times local weights give global weights;
/// - `parse_judgments`: the judgments JSON file, validated with exact messages.
///
/// Reciprocity is checked with a relative tolerance: `|a_ij * a_ji - 1| <=
/// reciprocity_tolerance` (0.5%), which accepts the three-decimal spellings
/// of Saaty's fractions (0.333, 0.143, 0.167, 0.111). The upper triangle is
/// authoritative: after the check, `a_ji` is replaced by `1 / a_ij`, so every
/// computation works on an exactly reciprocal matrix. The Saaty scale bounds
/// 1/9..9 get the same relative tolerance.

#include <merit/detail/format.hpp>
#include <merit/errors.hpp>
#include <merit/fwd.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace merit {

/// Relative tolerance of the reciprocity check and of the Saaty scale bounds.
inline constexpr double reciprocity_tolerance = 5e-3;

/// How priorities are derived from a pairwise comparison matrix.
enum class ahp_method {
  eigen,      ///< principal right eigenvector (Saaty 1977); Harker (1987) when incomplete
  geometric,  ///< row geometric mean = logarithmic least squares (Crawford & Williams 1985)
};

inline const char* to_string(ahp_method m) noexcept {
  return m == ahp_method::eigen ? "eigen" : "geometric";
}

/// How several decision makers are combined.
enum class ahp_aggregation {
  aij,  ///< aggregation of individual judgments: element-wise weighted geometric mean
  aip,  ///< aggregation of individual priorities: weighted geometric mean, renormalised
};

inline const char* to_string(ahp_aggregation a) noexcept { return a == ahp_aggregation::aij ? "aij" : "aip"; }

/// A random-index table: RI(n), the mean CI of random reciprocal matrices of
/// order n. `values[k]` is RI(k + 1) for the listed orders; larger orders have
/// no RI (the CR is then NaN) unless `extension` lists further (n, RI) points,
/// between which RI is interpolated linearly. See docs/weights.md for sources.
struct random_index_table {
  std::string_view name;
  std::string_view source;
  const double* values;
  std::size_t size;
  const std::pair<int, double>* extension = nullptr;
  std::size_t extension_size = 0;

  /// Largest order with an RI.
  int max_order() const noexcept {
    return extension_size ? extension[extension_size - 1].first : static_cast<int>(size);
  }
  /// RI(n), or NaN beyond the table.
  double operator()(Eigen::Index n) const noexcept {
    if (n < 1) return std::numeric_limits<double>::quiet_NaN();
    if (static_cast<std::size_t>(n) <= size) return values[n - 1];
    for (std::size_t k = 0; k < extension_size; ++k) {
      if (extension[k].first == n) return extension[k].second;
      if (extension[k].first > n) {
        const auto lo = k == 0 ? std::pair<int, double>(static_cast<int>(size), values[size - 1]) : extension[k - 1];
        const auto hi = extension[k];
        return lo.second + (hi.second - lo.second) * double(n - lo.first) / double(hi.first - lo.first);
      }
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
};

namespace detail {
inline constexpr double ri_saaty1980[] = {0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
                                          1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59};
inline constexpr double ri_saaty2005[] = {0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40,
                                          1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59};
inline constexpr double ri_donegan_dodd[] = {0,      0,      0.4914, 0.8286, 1.0591, 1.1797, 1.2519,
                                             1.3171, 1.3733, 1.4055, 1.4213, 1.4497, 1.4643, 1.4822,
                                             1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371};
inline constexpr std::pair<int, double> ri_donegan_dodd_ext[] = {
    {25, 1.5619}, {30, 1.5772}, {40, 1.5976}, {50, 1.6102}, {60, 1.6178},
    {70, 1.6237}, {80, 1.6277}, {90, 1.6213}, {100, 1.6339}};
inline constexpr double ri_tummala_ling[] = {0,      0,      0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952,
                                             1.4537, 1.4882, 1.5117, 1.5356, 1.5571, 1.5714, 1.5831};
}  // namespace detail

/// Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill; n = 1..15. The default.
inline constexpr random_index_table ri_saaty1980{
    "saaty1980", "Saaty, T.L. (1980). The Analytic Hierarchy Process. McGraw-Hill",
    detail::ri_saaty1980, std::size(detail::ri_saaty1980)};
/// Saaty (2005), Theory and Applications of the Analytic Network Process, RWS, p. 31; n = 1..15.
inline constexpr random_index_table ri_saaty2005{
    "saaty2005",
    "Saaty, T.L. (2005). Theory and Applications of the Analytic Network Process. RWS Publications, p. 31",
    detail::ri_saaty2005, std::size(detail::ri_saaty2005)};
/// Donegan & Dodd (1991), Mathematical and Computer Modelling 15(10):135-137;
/// n = 1..20, then 25, 30, 40, ..., 100 with linear interpolation between.
inline constexpr random_index_table ri_donegan_dodd{
    "donegan_dodd",
    "Donegan, H.A. & Dodd, F.J. (1991). A note on Saaty's random indexes. Mathematical and Computer "
    "Modelling 15(10), 135-137",
    detail::ri_donegan_dodd, std::size(detail::ri_donegan_dodd), detail::ri_donegan_dodd_ext,
    std::size(detail::ri_donegan_dodd_ext)};
/// Tummala & Ling (1998), Theory and Decision 44(3):221-230; n = 1..15.
inline constexpr random_index_table ri_tummala_ling{
    "tummala_ling",
    "Tummala, V.M.R. & Ling, H. (1998). A note on the computation of the mean random consistency index "
    "of the analytic hierarchy process (AHP). Theory and Decision 44(3), 221-230",
    detail::ri_tummala_ling, std::size(detail::ri_tummala_ling)};

/// Every table, in the order the docs list them.
inline constexpr std::array<const random_index_table*, 4> random_index_tables{
    &ri_saaty1980, &ri_saaty2005, &ri_donegan_dodd, &ri_tummala_ling};

/// The table of that name; throws argument_error naming the known tables.
inline const random_index_table& random_index_table_named(std::string_view name) {
  for (const auto* t : random_index_tables)
    if (t->name == name) return *t;
  std::string known;
  for (const auto* t : random_index_tables) known += (known.empty() ? "" : ", ") + std::string(t->name);
  throw argument_error("unknown random-index table '" + std::string(name) + "' (known: " + known + ")");
}

/// GCI thresholds of Aguarón & Moreno-Jiménez (2003), the analogue of CR <= 0.10:
/// 0.31 for n = 3, 0.35 for n = 4, 0.37 for n > 4 (0 below 3: always consistent).
inline double gci_threshold(Eigen::Index n) noexcept {
  return n < 3 ? 0.0 : n == 3 ? 0.31 : n == 4 ? 0.35 : 0.37;
}

/// Priorities and consistency of one pairwise comparison matrix.
struct ahp_result {
  Vector weights;           ///< #items; positive, sums to 1
  double lambda_max = 0;    ///< principal eigenvalue of A (of Harker's completion when incomplete)
  double ci = 0;            ///< (lambda_max - n) / (n - 1); 0 for n <= 2
  double cr = 0;            ///< ci / RI(n); 0 for n <= 2; NaN when the table has no RI(n)
  double gci = std::numeric_limits<double>::quiet_NaN();  ///< geometric method only; NaN otherwise
  double ri = 0;            ///< the RI(n) used
  std::string ri_table;     ///< name of the random-index table
  ahp_method method = ahp_method::eigen;
  std::size_t missing = 0;  ///< number of missing judgments (pairs i < j)
};

/// Saaty's scale: a judgment is a ratio from 1/9 to 9 (bounds with the
/// relative tolerance `reciprocity_tolerance`, so 0.111 counts as 1/9).
inline bool on_saaty_scale(double v) noexcept {
  return v >= (1.0 / 9) * (1 - reciprocity_tolerance) && v <= 9 * (1 + reciprocity_tolerance);
}

/// The one message for a judgment off the scale, "value 12 is outside the
/// Saaty scale 1/9..9", whoever checks it (`ahp_priorities` on a matrix, the
/// judgments reader on a file); `spelled` is the value as the user wrote it.
inline std::string saaty_scale_message(const std::string& spelled) {
  return "value " + spelled + " is outside the Saaty scale 1/9..9";
}

/// Whether a_ij and a_ji are reciprocal: |a_ij * a_ji - 1| <= reciprocity_tolerance.
inline bool reciprocal(double a_ij, double a_ji) noexcept { return std::abs(a_ij * a_ji - 1) <= reciprocity_tolerance; }

/// The one message for a non-reciprocal pair, whoever checks it (a matrix
/// given to the library, a judgments file): "matrix is not reciprocal: 'b'
/// against 'a' is 2 but 'a' against 'b' is 2; their product must be 1 (within
/// 0.5%)", with `a` and `b` named as the caller names items and `ab`, `ba`
/// the two judgments.
inline std::string reciprocity_message(const std::string& a, const std::string& b, double ab, double ba) {
  return "matrix is not reciprocal: " + a + " against " + b + " is " + format_number(ab) + " but " + b +
         " against " + a + " is " + format_number(ba) + "; their product must be 1 (within 0.5%)";
}

namespace detail {

inline std::string item_label(const std::vector<std::string>* names, Eigen::Index i) {
  if (names && static_cast<std::size_t>(i) < names->size()) return "'" + (*names)[static_cast<std::size_t>(i)] + "'";
  return "item " + std::to_string(i);
}

/// Positive principal eigenpair of a non-negative irreducible matrix with a
/// positive diagonal (a complete pairwise matrix, or Harker's matrix of a
/// connected incomplete one). Power iteration to 1e-15 in the sup norm of the
/// sum-1 eigenvector; Eigen's general EigenSolver when that does not converge.
struct eigenpair {
  Vector vector;  ///< sums to 1
  double value;
};

inline eigenpair perron(const RowMatrix& M) {
  const Eigen::Index n = M.rows();
  Vector w = Vector::Constant(n, 1.0 / double(n));
  Vector next(n);
  for (int it = 0; it < 2000; ++it) {
    next.noalias() = M * w;
    const double s = next.sum();
    next /= s;
    const double change = (next - w).cwiseAbs().maxCoeff();
    w.swap(next);
    if (change <= 1e-15) return {w, (M * w).sum()};
  }
  Eigen::EigenSolver<Eigen::MatrixXd> solver(M, true);
  const auto& values = solver.eigenvalues();
  Eigen::Index best = 0;
  for (Eigen::Index k = 1; k < n; ++k)
    if (values[k].real() > values[best].real()) best = k;
  w = solver.eigenvectors().col(best).real();
  w /= w.sum();
  return {w, values[best].real()};
}

/// Harker's (1987) matrix: missing a_ij -> 0 and a_ii -> 1 + (#missing in row i).
inline RowMatrix harker_matrix(const RowMatrix& A) {
  RowMatrix C = A;
  for (Eigen::Index i = 0; i < A.rows(); ++i) {
    double missing = 0;
    for (Eigen::Index j = 0; j < A.cols(); ++j)
      if (std::isnan(A(i, j))) {
        C(i, j) = 0;
        missing += 1;
      }
    C(i, i) = 1 + missing;
  }
  return C;
}

/// Logarithmic least squares over the known judgments: solves L y = r with the
/// judgment graph's Laplacian L and r_i = sum_j ln a_ij; w = exp(y) / sum. For a
/// complete matrix this is exactly the row geometric mean.
inline Vector llsm(const RowMatrix& A, bool complete) {
  const Eigen::Index n = A.rows();
  Vector y(n);
  if (complete) {
    y = A.array().log().rowwise().mean();
  } else {
    Eigen::MatrixXd L = Eigen::MatrixXd::Ones(n, n);  // + 1 1^T fixes the free constant
    Vector r = Vector::Zero(n);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j || std::isnan(A(i, j))) continue;
        L(i, i) += 1;
        L(i, j) -= 1;
        r[i] += std::log(A(i, j));
      }
    y = L.llt().solve(r);
  }
  Vector w = (y.array() - y.maxCoeff()).exp();
  return w / w.sum();
}

/// Items with no chain of judgments to item 0 (empty when connected).
inline std::vector<Eigen::Index> cut_off_items(const RowMatrix& A) {
  const Eigen::Index n = A.rows();
  std::vector<char> seen(static_cast<std::size_t>(n), 0);
  std::vector<Eigen::Index> stack{0};
  if (n > 0) seen[0] = 1;
  while (!stack.empty()) {
    const Eigen::Index i = stack.back();
    stack.pop_back();
    for (Eigen::Index j = 0; j < n; ++j)
      if (!seen[static_cast<std::size_t>(j)] && !std::isnan(A(i, j))) {
        seen[static_cast<std::size_t>(j)] = 1;
        stack.push_back(j);
      }
  }
  std::vector<Eigen::Index> out;
  for (Eigen::Index j = 0; j < n; ++j)
    if (!seen[static_cast<std::size_t>(j)]) out.push_back(j);
  return out;
}

/// "judgment graph is not connected: no chain of judgments links 'a' to 'd', 'e'"
inline std::string disconnected_message(const std::vector<Eigen::Index>& cut,
                                        const std::vector<std::string>* names) {
  std::string list;
  for (auto j : cut) list += (list.empty() ? "" : ", ") + item_label(names, j);
  return "judgment graph is not connected: no chain of judgments links " + item_label(names, 0) + " to " + list;
}

/// Checks a pairwise matrix and returns it exactly reciprocal (upper triangle
/// authoritative; a judgment given only below the diagonal is mirrored up).
/// Messages name items by `names` when given, else by index.
inline RowMatrix reciprocal_copy(const RowMatrixCRef& A, const std::vector<std::string>* names) {
  MERIT_EXPECTS(A.rows() == A.cols(), "pairwise matrix must be square");
  MERIT_EXPECTS(A.rows() >= 1, "pairwise matrix must have at least one item");
  const Eigen::Index n = A.rows();
  RowMatrix R(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const double v = A(i, j);
      if (std::isnan(v) && i != j) continue;
      if (!(v > 0) || std::isinf(v))
        throw argument_error("value " + format_number(v) + " of " + item_label(names, i) + " against " +
                             item_label(names, j) + " is not positive and finite");
      if (i == j && std::abs(v - 1) > reciprocity_tolerance)
        throw argument_error("diagonal entry of " + item_label(names, i) + " is " + format_number(v) +
                             "; an item against itself must be 1");
      if (!on_saaty_scale(v))
        throw argument_error(item_label(names, i) + " against " + item_label(names, j) + ": " +
                             saaty_scale_message(format_number(v)));
    }
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    R(i, i) = 1;
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const double up = A(i, j), lo = A(j, i);
      if (!std::isnan(up) && !std::isnan(lo) && !reciprocal(up, lo))
        throw argument_error(reciprocity_message(item_label(names, j), item_label(names, i), lo, up));
      const double v = !std::isnan(up) ? up : (!std::isnan(lo) ? 1 / lo : std::numeric_limits<double>::quiet_NaN());
      R(i, j) = v;
      R(j, i) = 1 / v;
    }
  }
  return R;
}

/// Priorities of an exactly reciprocal matrix whose judgment graph is connected.
inline ahp_result priorities_checked(const RowMatrix& R, ahp_method method, const random_index_table& ri) {
  const Eigen::Index n = R.rows();
  ahp_result out;
  out.method = method;
  out.ri_table = std::string(ri.name);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j)
      if (std::isnan(R(i, j))) ++out.missing;
  const bool complete = out.missing == 0;
  eigenpair ep = perron(complete ? R : harker_matrix(R));
  out.lambda_max = std::max(ep.value, double(n));  // lambda_max >= n in exact arithmetic
  out.weights = method == ahp_method::eigen ? std::move(ep.vector) : llsm(R, complete);
  out.ri = ri(n);
  if (n > 2) {
    out.ci = (out.lambda_max - double(n)) / double(n - 1);
    out.cr = out.ci / out.ri;
  }
  if (method == ahp_method::geometric) {
    // Crawford & Williams (1985), Aguarón & Moreno-Jiménez (2003); missing pairs count as consistent.
    double s = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = i + 1; j < n; ++j)
        if (!std::isnan(R(i, j))) {
          const double e = std::log(R(i, j) * out.weights[j] / out.weights[i]);
          s += e * e;
        }
    out.gci = n > 2 ? 2 * s / double((n - 1) * (n - 2)) : 0.0;
  }
  return out;
}

}  // namespace detail

/// Priorities, lambda_max, CI, CR (and GCI for the geometric method) of a
/// pairwise comparison matrix A (#items by #items, NaN where a judgment is
/// missing). Throws argument_error for a non-square, non-positive,
/// off-scale (outside Saaty's 1/9..9), non-reciprocal or disconnected matrix; `items` (optional, #items names)
/// only make the messages name the items.
inline ahp_result ahp_priorities(const RowMatrixCRef& A, ahp_method method = ahp_method::eigen,
                                 const random_index_table& ri = ri_saaty1980,
                                 const std::vector<std::string>* items = nullptr) {
  RowMatrix R = detail::reciprocal_copy(A, items);
  auto cut = detail::cut_off_items(R);
  if (!cut.empty()) throw argument_error(detail::disconnected_message(cut, items));
  return detail::priorities_checked(R, method, ri);
}

/// Harker's completion: A (#items by #items, NaN where missing) with each
/// missing a_ij replaced by w_i / w_j from the priorities of `method`; the
/// known judgments are kept.
inline RowMatrix complete_judgments(const RowMatrixCRef& A, ahp_method method = ahp_method::eigen) {
  RowMatrix R = detail::reciprocal_copy(A, nullptr);
  auto cut = detail::cut_off_items(R);
  if (!cut.empty()) throw argument_error(detail::disconnected_message(cut, nullptr));
  const Vector w = detail::priorities_checked(R, method, ri_saaty1980).weights;
  for (Eigen::Index i = 0; i < R.rows(); ++i)
    for (Eigen::Index j = 0; j < R.cols(); ++j)
      if (std::isnan(R(i, j))) R(i, j) = w[i] / w[j];
  return R;
}

// ---- groups ------------------------------------------------------------------

/// AIJ: the element-wise weighted geometric mean of the decision makers'
/// matrices (each #items by #items, NaN where missing). `weights` (#matrices,
/// >= 0, not all 0) are renormalised over those who judged each pair; a pair
/// nobody judged stays NaN. The result is reciprocal when the inputs are.
inline RowMatrix aggregate_judgments(const std::vector<RowMatrix>& matrices, const VectorCRef& weights) {
  MERIT_EXPECTS(!matrices.empty(), "aggregate_judgments needs at least one matrix");
  MERIT_EXPECTS(weights.size() == static_cast<Eigen::Index>(matrices.size()),
                "aggregate_judgments needs one weight per matrix");
  const Eigen::Index n = matrices.front().rows();
  RowMatrix logsum = RowMatrix::Zero(n, n), wsum = RowMatrix::Zero(n, n);
  for (std::size_t k = 0; k < matrices.size(); ++k) {
    const RowMatrix& M = matrices[k];
    MERIT_EXPECTS(M.rows() == n && M.cols() == n, "aggregate_judgments needs matrices of one size");
    const double wk = weights[static_cast<Eigen::Index>(k)];
    MERIT_EXPECTS(wk >= 0 && std::isfinite(wk), "decision-maker weights must be finite and >= 0");
    if (wk == 0) continue;
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = i + 1; j < n; ++j) {
        const double v = M(i, j);
        if (std::isnan(v)) continue;
        logsum(i, j) += wk * std::log(v);
        wsum(i, j) += wk;
      }
  }
  RowMatrix G(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    G(i, i) = 1;
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const double v = wsum(i, j) > 0 ? std::exp(logsum(i, j) / wsum(i, j)) : std::numeric_limits<double>::quiet_NaN();
      G(i, j) = v;
      G(j, i) = 1 / v;
    }
  }
  return G;
}

/// AIP: the weighted geometric mean of priority vectors (P: #decision makers
/// by #items, rows positive), renormalised to sum 1; `weights` #decision makers.
inline Vector aggregate_priorities(const RowMatrixCRef& P, const VectorCRef& weights) {
  MERIT_EXPECTS(P.rows() >= 1 && weights.size() == P.rows(), "aggregate_priorities needs one weight per row");
  MERIT_EXPECTS((weights.array() >= 0).all() && weights.sum() > 0, "decision-maker weights must be >= 0, not all 0");
  MERIT_EXPECTS((P.array() > 0).all(), "priorities must be positive");
  Vector logs = (P.array().log().matrix().transpose() * weights) / weights.sum();
  Vector w = (logs.array() - logs.maxCoeff()).exp();
  return w / w.sum();
}

/// Saaty's compatibility index of judgments A (#items by #items, NaN where
/// missing) with priorities w (#items): the mean of a_ij w_j / w_i over the
/// known entries; 1 is perfect, Saaty suggests <= 1.1.
inline double compatibility_index(const RowMatrixCRef& A, const VectorCRef& w) {
  double s = 0;
  double count = 0;
  for (Eigen::Index i = 0; i < A.rows(); ++i)
    for (Eigen::Index j = 0; j < A.cols(); ++j)
      if (!std::isnan(A(i, j))) {
        s += A(i, j) * w[j] / w[i];
        count += 1;
      }
  return s / count;
}

/// One decision maker's own result and distance from the group.
struct ahp_member {
  std::string id;
  double weight = 1;             ///< normalised to sum 1 over the group
  ahp_result own;                ///< priorities and CR from this person's judgments alone
  double max_abs_difference = 0; ///< max_i |own.weights_i - group.weights_i|
  double compatibility = 1;      ///< Saaty's compatibility index of this person's judgments with the group weights
};

/// A group's result: the group priorities and each member's own.
struct ahp_group_result {
  ahp_result group;  ///< AIJ: of the aggregated matrix; AIP: weights only (lambda_max, CI, CR NaN)
  ahp_aggregation aggregation = ahp_aggregation::aij;
  std::vector<ahp_member> members;
  RowMatrix aggregated;  ///< AIJ: the aggregated matrix (#items by #items); AIP: empty
};

/// Group priorities from several decision makers' matrices (each #items by
/// #items, NaN where missing; each connected for AIP, the aggregate connected
/// for AIJ). `ids` and `weights` (>= 0) have one entry per matrix.
inline ahp_group_result ahp_group(const std::vector<RowMatrix>& matrices, const std::vector<std::string>& ids,
                                  const VectorCRef& weights, ahp_aggregation aggregation,
                                  ahp_method method = ahp_method::eigen, const random_index_table& ri = ri_saaty1980,
                                  const std::vector<std::string>* items = nullptr) {
  MERIT_EXPECTS(!matrices.empty() && ids.size() == matrices.size() &&
                    weights.size() == static_cast<Eigen::Index>(matrices.size()),
                "ahp_group needs one id and one weight per matrix");
  MERIT_EXPECTS((weights.array() >= 0).all() && weights.sum() > 0, "decision-maker weights must be >= 0, not all 0");
  const Vector wn = weights / weights.sum();
  ahp_group_result out;
  out.aggregation = aggregation;
  std::vector<RowMatrix> checked;
  checked.reserve(matrices.size());
  out.members.resize(matrices.size());
  for (std::size_t k = 0; k < matrices.size(); ++k) {
    checked.push_back(detail::reciprocal_copy(matrices[k], items));
    auto& m = out.members[k];
    m.id = ids[k];
    m.weight = wn[static_cast<Eigen::Index>(k)];
    auto cut = detail::cut_off_items(checked.back());
    if (cut.empty()) {
      m.own = detail::priorities_checked(checked.back(), method, ri);
    } else if (aggregation == ahp_aggregation::aip) {
      throw argument_error("decision maker '" + ids[k] + "': " + detail::disconnected_message(cut, items));
    } else {  // AIJ can still use a partial set of judgments; this member has no own priorities
      const double nan = std::numeric_limits<double>::quiet_NaN();
      m.own.weights = Vector::Constant(checked.back().rows(), nan);
      m.own.lambda_max = m.own.ci = m.own.cr = nan;
      m.own.ri_table = std::string(ri.name);
      m.own.method = method;
    }
  }
  if (aggregation == ahp_aggregation::aij) {
    // one decision maker: the matrix itself, without an exp(log) round trip
    out.aggregated = checked.size() == 1 ? checked.front() : aggregate_judgments(checked, wn);
    auto cut = detail::cut_off_items(out.aggregated);
    if (!cut.empty()) throw argument_error(detail::disconnected_message(cut, items));
    out.group = detail::priorities_checked(out.aggregated, method, ri);
  } else {
    RowMatrix P(static_cast<Eigen::Index>(matrices.size()), checked.front().rows());
    for (std::size_t k = 0; k < matrices.size(); ++k) P.row(static_cast<Eigen::Index>(k)) = out.members[k].own.weights.transpose();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.group.weights = aggregate_priorities(P, wn);
    out.group.lambda_max = out.group.ci = out.group.cr = nan;
    out.group.ri = ri(P.cols());
    out.group.ri_table = std::string(ri.name);
    out.group.method = method;
  }
  for (std::size_t k = 0; k < matrices.size(); ++k) {
    auto& m = out.members[k];
    m.max_abs_difference = (m.own.weights - out.group.weights).cwiseAbs().maxCoeff();
    m.compatibility = compatibility_index(checked[k], out.group.weights);
  }
  return out;
}

// ---- diagnostics -------------------------------------------------------------

/// One judgment's share in the inconsistency.
struct judgment_diagnostic {
  Eigen::Index row = 0, col = 0;  ///< the judgment a_row,col (row < col)
  double value = 0;               ///< the judgment as given
  double suggested = 0;           ///< w'_row / w'_col from all other judgments (Harker / LLSM without it)
  double error_ratio = 1;         ///< a_row,col * w_col / w_row with the full priorities (1 = consistent)
  double cr_without = 0;          ///< CR when this judgment is replaced by `suggested`
  double lambda_without = 0;      ///< lambda_max then
};

/// The `top` judgments whose replacement by the value the other judgments
/// imply lowers lambda_max most, best first. A (#items by #items, NaN where
/// missing). Judgments whose removal would disconnect the graph are skipped.
/// For more than 200 judgments, only the 200 with the largest |ln error_ratio|
/// are examined.
inline std::vector<judgment_diagnostic> ahp_diagnose(const RowMatrixCRef& A, ahp_method method = ahp_method::eigen,
                                                     const random_index_table& ri = ri_saaty1980,
                                                     std::size_t top = 3) {
  RowMatrix R = detail::reciprocal_copy(A, nullptr);
  auto cut = detail::cut_off_items(R);
  if (!cut.empty()) throw argument_error(detail::disconnected_message(cut, nullptr));
  const Eigen::Index n = R.rows();
  std::vector<judgment_diagnostic> cands;
  if (n < 3) return cands;
  const Vector w = detail::priorities_checked(R, method, ri).weights;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j)
      if (!std::isnan(R(i, j))) {
        judgment_diagnostic d;
        d.row = i;
        d.col = j;
        d.value = R(i, j);
        d.error_ratio = R(i, j) * w[j] / w[i];
        cands.push_back(d);
      }
  constexpr std::size_t max_examined = 200;
  if (cands.size() > max_examined) {
    std::partial_sort(cands.begin(), cands.begin() + max_examined, cands.end(), [](const auto& a, const auto& b) {
      return std::abs(std::log(a.error_ratio)) > std::abs(std::log(b.error_ratio));
    });
    cands.resize(max_examined);
  }
  std::vector<judgment_diagnostic> out;
  RowMatrix B = R;
  for (auto d : cands) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    B(d.row, d.col) = B(d.col, d.row) = nan;
    if (detail::cut_off_items(B).empty()) {
      const ahp_result loo = detail::priorities_checked(B, method, ri);
      d.suggested = loo.weights[d.row] / loo.weights[d.col];
      if (method == ahp_method::eigen) {
        d.lambda_without = loo.lambda_max;  // Harker's lambda = lambda_max of the completed matrix
      } else {
        B(d.row, d.col) = d.suggested;
        B(d.col, d.row) = 1 / d.suggested;
        d.lambda_without = std::max(detail::perron(detail::harker_matrix(B)).value, double(n));
      }
      d.cr_without = (d.lambda_without - double(n)) / double(n - 1) / ri(n);
      out.push_back(d);
    }
    B(d.row, d.col) = R(d.row, d.col);
    B(d.col, d.row) = R(d.col, d.row);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.lambda_without < b.lambda_without; });
  if (out.size() > top) out.resize(top);
  return out;
}

// ---- hierarchy ---------------------------------------------------------------

/// Named weights, e.g. one cluster's local competency weights.
struct named_weights {
  std::vector<std::string> items;
  Vector weights;  ///< #items
};

/// Global weights: each child's local weight times its cluster's weight, in
/// cluster order then local order. Every cluster needs local weights; an item
/// may appear under one cluster only.
inline named_weights compose_hierarchy(const named_weights& clusters,
                                       const std::map<std::string, named_weights>& local) {
  MERIT_EXPECTS(clusters.weights.size() == static_cast<Eigen::Index>(clusters.items.size()),
                "cluster weights need one weight per cluster");
  named_weights out;
  std::map<std::string, std::string> owner;
  std::vector<double> w;
  for (std::size_t c = 0; c < clusters.items.size(); ++c) {
    const std::string& cluster = clusters.items[c];
    auto it = local.find(cluster);
    if (it == local.end()) throw argument_error("cluster '" + cluster + "' has no local weights");
    const named_weights& child = it->second;
    MERIT_EXPECTS(child.weights.size() == static_cast<Eigen::Index>(child.items.size()),
                  "local weights need one weight per item");
    for (std::size_t k = 0; k < child.items.size(); ++k) {
      auto [pos, fresh] = owner.emplace(child.items[k], cluster);
      if (!fresh)
        throw argument_error("item '" + child.items[k] + "' appears under clusters '" + pos->second + "' and '" +
                             cluster + "'");
      out.items.push_back(child.items[k]);
      w.push_back(clusters.weights[static_cast<Eigen::Index>(c)] * child.weights[static_cast<Eigen::Index>(k)]);
    }
  }
  out.weights = Eigen::Map<const Vector>(w.data(), static_cast<Eigen::Index>(w.size()));
  return out;
}

// ---- the judgments file --------------------------------------------------------

/// One decision maker's judgments as a matrix.
struct decision_maker_judgments {
  std::string id;
  double weight = 1;  ///< as given (> 0); normalised by the group functions
  RowMatrix matrix;   ///< #items by #items, exactly reciprocal, NaN where missing
  std::string place;  ///< `source#<pointer>` of this decision maker, for messages
};

/// A parsed judgments file.
struct judgments {
  std::vector<std::string> items;
  std::vector<decision_maker_judgments> decision_makers;
  std::string source;
  std::string pointer;  ///< JSON pointer of this document in its file ("" for the whole file)

  std::vector<RowMatrix> matrices() const {
    std::vector<RowMatrix> out;
    for (const auto& d : decision_makers) out.push_back(d.matrix);
    return out;
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& d : decision_makers) out.push_back(d.id);
    return out;
  }
  Vector weights() const {
    Vector out(static_cast<Eigen::Index>(decision_makers.size()));
    for (std::size_t k = 0; k < decision_makers.size(); ++k) out[static_cast<Eigen::Index>(k)] = decision_makers[k].weight;
    return out;
  }
};

/// A two-level hierarchy of judgments: between clusters, and within each.
struct judgments_hierarchy {
  judgments clusters;                                   ///< items are cluster ids
  std::vector<std::pair<std::string, judgments>> local; ///< in the order of clusters.items
};

/// Hierarchy consistency ratio (Saaty 1980): (CI_clusters + sum_c w_c CI_c) /
/// (RI_clusters + sum_c w_c RI_c) with the cluster weights w_c.
inline double hierarchy_cr(const ahp_result& clusters, const std::vector<ahp_result>& local) {
  double ci = clusters.ci, ri = clusters.ri;
  for (std::size_t c = 0; c < local.size(); ++c) {
    ci += clusters.weights[static_cast<Eigen::Index>(c)] * local[c].ci;
    ri += clusters.weights[static_cast<Eigen::Index>(c)] * local[c].ri;
  }
  return ri > 0 ? ci / ri : 0.0;
}

/// Priorities from a parsed judgments file: one decision maker's own, or the
/// group's by `aggregation`, with every member's own result. A judgment graph
/// that is not connected (a member's, for AIP or a single decision maker; the
/// group's, for AIJ) throws model_error (errc::inconsistent) naming the items
/// cut off, with the decision maker's place.
inline ahp_group_result ahp_weights(const judgments& J, ahp_method method = ahp_method::eigen,
                                    ahp_aggregation aggregation = ahp_aggregation::aij,
                                    const random_index_table& ri = ri_saaty1980) {
  MERIT_EXPECTS(!J.decision_makers.empty(), "ahp_weights needs at least one decision maker");
  const auto check = [&](const RowMatrix& M, const std::string& place) {
    auto cut = detail::cut_off_items(M);
    if (!cut.empty()) throw model_error(errc::inconsistent, place, detail::disconnected_message(cut, &J.items));
  };
  if (J.decision_makers.size() == 1 || aggregation == ahp_aggregation::aip) {
    for (const auto& d : J.decision_makers) check(d.matrix, d.place);
  } else {
    const std::string ptr = J.pointer + "/decision_makers";
    check(aggregate_judgments(J.matrices(), J.weights()), J.source.empty() ? ptr : J.source + "#" + ptr);
  }
  return ahp_group(J.matrices(), J.ids(), J.weights(), aggregation, method, ri, &J.items);
}

/// The weights of a two-level hierarchy of judgments: each matrix's result,
/// the global weights (cluster weight times local weight) and the hierarchy CR.
struct hierarchy_result {
  ahp_group_result clusters;
  std::vector<ahp_result> local;  ///< group results, in the order of judgments_hierarchy::local
  named_weights global;
  double cr = 0;
};

/// Weights of a hierarchy (`merit weights ahp` on a hierarchy file). An item
/// under two clusters throws model_error (errc::duplicate) at /hierarchy/local.
inline hierarchy_result hierarchy_weights(const judgments_hierarchy& H, ahp_method method = ahp_method::eigen,
                                          ahp_aggregation aggregation = ahp_aggregation::aij,
                                          const random_index_table& ri = ri_saaty1980) {
  hierarchy_result r{ahp_weights(H.clusters, method, aggregation, ri), {}, {}, 0};
  std::map<std::string, named_weights> local_weights;
  for (const auto& [cluster, J] : H.local) {
    r.local.push_back(ahp_weights(J, method, aggregation, ri).group);
    local_weights[cluster] = named_weights{J.items, r.local.back().weights};
  }
  try {
    r.global = compose_hierarchy(named_weights{H.clusters.items, r.clusters.group.weights}, local_weights);
  } catch (const argument_error& e) {
    const std::string& src = H.clusters.source;
    throw model_error(errc::duplicate, src.empty() ? "/hierarchy/local" : src + "#/hierarchy/local", e.detail());
  }
  r.cr = hierarchy_cr(r.clusters.group, r.local);
  return r;
}

}  // namespace merit
