#include <merit/bands.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

namespace {
template <class F>
std::string message_of(F f) {
  try {
    f();
  } catch (const merit::argument_error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("bands: Cascio et al. (1991) reference values, SD 10, rxx .90", "[bands]") {
  CHECK(merit::sem(10, 0.90) == Approx(3.162278).margin(1e-6));
  CHECK(merit::sed(10, 0.90) == Approx(4.472136).margin(1e-6));
  CHECK(merit::band_width(10, 0.90) == Approx(8.765386).margin(1e-6));
  CHECK(merit::band_width(10, 0.90, 1.0) == Approx(4.472136).margin(1e-6));
}

TEST_CASE("bands: edges of the domain", "[bands]") {
  CHECK(merit::sem(10, 1.0) == 0);
  CHECK(merit::sem(10, 0.0) == 10);
  CHECK(merit::sem(0, 0.5) == 0);
}

TEST_CASE("bands: exact messages for arguments outside the domain", "[bands]") {
  CHECK(message_of([] { merit::sem(10, 1.5); }) == "sem: reliability rxx must be in [0, 1]");
  CHECK(message_of([] { merit::sem(10, -0.1); }) == "sem: reliability rxx must be in [0, 1]");
  CHECK(message_of([] { merit::sem(10, std::nan("")); }) == "sem: reliability rxx must be in [0, 1]");
  CHECK(message_of([] { merit::sem(-1, 0.9); }) == "sem: sd must be a finite number >= 0");
  CHECK(message_of([] { merit::sed(std::numeric_limits<double>::infinity(), 0.9); }) ==
        "sem: sd must be a finite number >= 0");
  CHECK(message_of([] { merit::band_width(10, 0.9, 0); }) == "band_width: c must be a finite number > 0");
  CHECK(message_of([] {
          Eigen::VectorXd f(1);
          f << 1;
          merit::fixed_bands(f, -1);
        }) == "fixed_bands: width must be a finite number >= 0");
}

TEST_CASE("bands: fixed bands from the top", "[bands]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Eigen::VectorXd fits(9);
  // Top 90: band 1 is [81.234614, 90]; 81.2 opens band 2 = [72.434614, 81.2].
  fits << 81.2, 90, nan, 85, 81.234614, 72.5, 72.4, 60, 88;
  Eigen::VectorXi band = merit::fixed_bands(fits, merit::band_width(10, 0.90));
  Eigen::VectorXi expected(9);
  expected << 2, 1, 0, 1, 1, 2, 3, 4, 1;
  CHECK(band == expected);
}

TEST_CASE("bands: ties, width 0 and no fits", "[bands]") {
  Eigen::VectorXd fits(4);
  fits << 50, 70, 70, 50;
  Eigen::VectorXi expected(4);
  expected << 2, 1, 1, 2;
  CHECK(merit::fixed_bands(fits, 0) == expected);
  CHECK(merit::fixed_bands(Eigen::VectorXd(0), 5).size() == 0);
  Eigen::VectorXd none = Eigen::VectorXd::Constant(3, std::numeric_limits<double>::quiet_NaN());
  CHECK(merit::fixed_bands(none, 5) == Eigen::VectorXi::Zero(3));
}
