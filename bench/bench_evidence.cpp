// Aggregation of observations into competency scores, in memory, one core:
// the C++ half of bench/bench_evidence.py, which writes the observations as
// raw column files, runs this, runs pandas on the same arrays and compares.
//
// usage: bench_evidence MODEL.json DIR REPEATS
//   DIR holds candidate.u32, competency.u32, method.u32, rater.u32, level.f64
//   and meta.txt ("n_candidates n_raters"); writes DIR/merit_scores.f64,
//   merit_se.f64, merit_ratings.i32 (#candidates x #competencies, row-major).
#include <merit/evidence.hpp>
#include <merit/io/model.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

template <class T>
std::vector<T> load(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot open " + path);
  const auto bytes = static_cast<std::size_t>(in.tellg());
  std::vector<T> v(bytes / sizeof(T));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(bytes));
  return v;
}

template <class Mat>
void save(const std::string& path, const Mat& m) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(m.data()), static_cast<std::streamsize>(m.size() * sizeof(*m.data())));
}

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_evidence MODEL.json DIR REPEATS\n");
    return 2;
  }
  const merit::competency_model model = merit::load_model(argv[1]);
  const std::string dir = argv[2];
  const int repeats = std::stoi(argv[3]);
  merit::observation_table obs;
  obs.candidate = load<std::uint32_t>(dir + "/candidate.u32");
  obs.competency = load<std::uint32_t>(dir + "/competency.u32");
  obs.method = load<std::uint32_t>(dir + "/method.u32");
  obs.rater = load<std::uint32_t>(dir + "/rater.u32");
  obs.level = load<double>(dir + "/level.f64");
  std::size_t n_cand = 0, n_rater = 0;
  std::ifstream(dir + "/meta.txt") >> n_cand >> n_rater;
  for (std::size_t i = 0; i < n_cand; ++i) obs.candidate_ids.push_back("c" + std::to_string(i));
  for (std::size_t i = 0; i < n_rater; ++i) obs.rater_ids.push_back("r" + std::to_string(i));

  double best = 1e300;
  merit::competency_scores s;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    s = merit::aggregate(model, obs);
    auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  save(dir + "/merit_scores.f64", s.scores);
  save(dir + "/merit_se.f64", s.se);
  save(dir + "/merit_ratings.i32", s.ratings);
  std::printf("%zu %.6f\n", obs.size(), best);
  return 0;
}
