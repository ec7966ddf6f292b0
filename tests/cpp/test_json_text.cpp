// io/json_text.hpp writes the bytes nlohmann's dump() writes for the same
// values: the C ABI's result is written with it, and must stay identical.
#include <merit/io/json_text.hpp>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace {
std::string written(double v) {
  std::string buf;
  merit::io::json_text w(buf);
  w.number(v);
  return std::string(w.view());
}
std::string written(const std::string& s) {
  std::string buf;
  merit::io::json_text w(buf);
  w.string(s);
  return std::string(w.view());
}
}  // namespace

TEST_CASE("json_text: numbers as nlohmann dumps them", "[json_text]") {
  std::mt19937_64 rng(20);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> exponent(-320, 320);
  for (int i = 0; i < 20000; ++i) {
    double v = unit(rng) * std::pow(10.0, exponent(rng) / 10);
    if (i % 3 == 0) v = std::round(v * 1e6) / 1e6;  // short decimals, as fits are
    if (i % 7 == 0) v = -v;
    if (i % 11 == 0) {  // any bit pattern that is a finite double
      std::uint64_t bits = rng();
      std::memcpy(&v, &bits, sizeof v);
      if (!std::isfinite(v)) continue;
    }
    INFO(v);
    REQUIRE(written(v) == nlohmann::json(v).dump());
  }
  for (double v : {0.0, -0.0, 1.0, 4.0, 100.0, 92.84600389863548, 1e-7, 1e21, 1e22, 5e-324,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::min()})
    CHECK(written(v) == nlohmann::json(v).dump());
  CHECK(written(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(written(std::numeric_limits<double>::infinity()) == "null");
  CHECK(written(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("json_text: strings with nlohmann's escapes", "[json_text]") {
  std::string every;
  for (int c = 1; c < 0x80; ++c) every += static_cast<char>(c);
  every += "\xc3\xa9\xe6\x80\xa7";  // UTF-8 passes through
  CHECK(written(every) == nlohmann::json(every).dump());
  CHECK(written(std::string("a\0b", 3)) == nlohmann::json(std::string("a\0b", 3)).dump());
  CHECK(written("") == "\"\"");
}

TEST_CASE("json_text: nesting, commas and raw values as dump() writes them", "[json_text]") {
  nlohmann::ordered_json j;
  j["a"] = "x";
  j["list"] = {1.5, nullptr, "y"};
  j["empty"] = nlohmann::ordered_json::object();
  j["none"] = nlohmann::ordered_json::array();
  j["obj"] = {{"k", 2.0}, {"q\"", {{"deep", -0.25}}}};
  std::string buf = "stale text is overwritten";
  merit::io::json_text w(buf);
  w.begin_object();
  w.key("a").string("x");
  w.key("list").begin_array().number(1.5).null().string("y").end_array();
  w.key("empty").begin_object().end_object();
  w.key("none").begin_array().end_array();
  w.key("obj").raw(j["obj"].dump());
  w.end_object();
  CHECK(w.view() == j.dump());
}
