// AHP timings: weights of one 50-item matrix (target < 1 ms) and the group
// weights of 1,000 decision makers on 20 items (target < 100 ms).
// Run: build/bench/bench_ahp  (prints median and best of repeated runs)
#include <merit/weights.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

merit::RowMatrix random_judgments(Eigen::Index n, std::mt19937& rng) {
  static const double scale[] = {1. / 9, 1. / 8, 1. / 7, 1. / 6, 1. / 5, 1. / 4, 1. / 3, 1. / 2, 1,
                                 2,      3,      4,      5,      6,      7,      8,      9};
  std::uniform_int_distribution<int> pick(0, 16);
  merit::RowMatrix A = merit::RowMatrix::Identity(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      A(i, j) = scale[pick(rng)];
      A(j, i) = 1 / A(i, j);
    }
  return A;
}

/// Perturbed judgments around one set of true weights: realistic, mildly inconsistent.
merit::RowMatrix noisy_judgments(const merit::Vector& w, std::mt19937& rng) {
  std::normal_distribution<double> noise(0, 0.3);
  const Eigen::Index n = w.size();
  merit::RowMatrix A = merit::RowMatrix::Identity(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      A(i, j) = std::clamp(w[i] / w[j] * std::exp(noise(rng)), 1. / 9, 9.);
      A(j, i) = 1 / A(i, j);
    }
  return A;
}

template <class F>
void time_it(const char* name, int reps, double target_ms, F&& f) {
  std::vector<double> ms;
  double sink = 0;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    sink += f();
    const auto t1 = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  const double median = ms[ms.size() / 2];
  std::printf("%-58s median %9.4f ms   best %9.4f ms   ", name, median, ms.front());
  if (target_ms > 0)
    std::printf("target < %g ms %-4s", target_ms, median < target_ms ? "ok" : "SLOW");
  else
    std::printf("%-19s", "(reference)");
  std::printf("   (checksum %.6f)\n", sink / reps);
}

}  // namespace

int main() {
  std::mt19937 rng(2024);
  const merit::RowMatrix A50 = random_judgments(50, rng);
  time_it("50 items, random judgments, eigen (power iteration)", 200, 1.0,
          [&] { return merit::ahp_priorities(A50, merit::ahp_method::eigen, merit::ri_donegan_dodd).weights[0]; });
  time_it("50 items, random judgments, geometric (+ lambda_max)", 200, 1.0,
          [&] { return merit::ahp_priorities(A50, merit::ahp_method::geometric, merit::ri_donegan_dodd).weights[0]; });
  time_it("50 items, Eigen::EigenSolver alone (for comparison)", 50, 0, [&] {
    Eigen::EigenSolver<Eigen::MatrixXd> es(A50);
    return es.eigenvalues()[0].real();
  });

  merit::Vector truth = merit::Vector::LinSpaced(20, 1.0, 3.0);
  truth /= truth.sum();
  std::vector<merit::RowMatrix> group;
  std::vector<std::string> ids;
  for (int k = 0; k < 1000; ++k) {
    group.push_back(noisy_judgments(truth, rng));
    ids.push_back("dm" + std::to_string(k));
  }
  const merit::Vector weights = merit::Vector::Ones(1000);
  time_it("1,000 decision makers x 20 items, AIJ (+ each member's CR)", 20, 100.0, [&] {
    return merit::ahp_group(group, ids, weights, merit::ahp_aggregation::aij).group.weights[0];
  });
  time_it("1,000 decision makers x 20 items, AIP (+ each member's CR)", 20, 100.0, [&] {
    return merit::ahp_group(group, ids, weights, merit::ahp_aggregation::aip).group.weights[0];
  });
  return 0;
}
