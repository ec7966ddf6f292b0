#include <merit/io/results.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

using namespace merit;

namespace {
// printf's %.6f, the reference the writers must reproduce byte for byte; a
// negative zero is written as 0.000000.
std::string printf6(double v) {
  if (std::isnan(v)) return "";
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  return s == "-0.000000" ? "0.000000" : s;
}
std::string fixed6(double v) {
  std::string s;
  io::append_fixed6(s, v);
  return s;
}
}  // namespace

TEST_CASE("results: numbers are written exactly as printf %.6f", "[results]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (double v : {0.0, -0.0, 1e-7, -1e-7, 4e-7, 5e-7, 6e-7, -5e-7, 0.5, 1.0, 99.9999995, 99.9999994999, 100.0, 999.9999994,
                   999.9999995, 1000.0, -1000.0, 123456.789, 2.5e-6, 0.0000125, 1.0000005, 58.333333333333336})
    CHECK(fixed6(v) == printf6(v));
  CHECK(fixed6(nan).empty());
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> any(-1500, 1500), small(-2, 2);
  std::uniform_int_distribution<long long> micro(-2000000000LL, 2000000000LL);
  for (int i = 0; i < 200000; ++i) {
    const double a = any(rng), b = small(rng);
    // Halves of the last digit, and their neighbours, are where a fast path would go wrong.
    const double half = (static_cast<double>(micro(rng)) + 0.5) / 1e6;
    for (double v : {a, b, half, std::nextafter(half, 0.0), std::nextafter(half, 1e9)}) {
      INFO(v);
      REQUIRE(fixed6(v) == printf6(v));
    }
  }
}

TEST_CASE("results: a CSV row is the same on the one-piece path and field by field", "[results]") {
  const competency_model m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  const scoring_plan plan = compile(m, "sales_enablement");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> fit(0, 100), cov(0, 1);
  const std::string ids[] = {"C001", "a,b", "say \"hi\"", "x\ny", std::string(70, 'k'), "\xe5\x80\x99\xe9\x80\x89"};
  for (int i = 0; i < 20000; ++i) {
    const std::string& id = ids[i % 6];
    const double f = i % 11 == 0 ? nan : (i % 5 == 0 ? std::round(fit(rng) * 2e6) / 2e6 : fit(rng));
    const double c = i % 7 == 0 ? std::round(cov(rng) * 2e6) / 2e6 : cov(rng);
    const auto st = static_cast<status>(i % 3);
    io::scored_row row{static_cast<std::size_t>(i + 1), id, fit_result{f, c, st}, nullptr, nullptr, std::nullopt};
    std::string got;
    io::append_csv_row(got, plan, row, {});
    std::string quoted = id;
    if (id.find_first_of(",\"\r\n") != std::string::npos) {
      quoted = "\"";
      for (char ch : id) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      quoted += "\"";
    }
    const std::string want = std::to_string(i + 1) + "," + quoted + "," + printf6(f) + "," + to_string(st) + "," +
                             printf6(c) + "\n";
    INFO(i);
    REQUIRE(got == want);
  }
}
