// Every file under tests/data/bad/ must fail with exactly the message pinned
// in tests/data/bad/cases.tsv (file<TAB>message, the message's path relative
// to that folder) and with the right error type.
#include <merit/io/candidates.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

namespace {
const std::string dir = MERIT_SOURCE_DIR "/tests/data/bad/";

std::string relative(std::string what) {
  for (auto pos = what.find(dir); pos != std::string::npos; pos = what.find(dir)) what.erase(pos, dir.size());
  return what;
}

// Loads `file` the way the CLI does and returns (type, message) of the error.
std::pair<std::string, std::string> failure_of(const std::string& file) {
  static const merit::competency_model mini = merit::load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  const std::string path = dir + file;
  try {
    if (file.rfind("model_", 0) == 0) {
      merit::load_model(path);
    } else if (file.size() > 5 && file.substr(file.size() - 5) == ".json") {
      auto text = merit::read_text_file<merit::input_error>(path);
      merit::io::read_candidates_json(merit::io::parse_json<merit::input_error>(text, path), mini, path);
    } else {
      auto reader = merit::io::csv_reader::open(path);
      merit::io::read_wide_csv(reader, mini);
    }
  } catch (const merit::model_error& e) {
    return {"model_error", relative(e.what())};
  } catch (const merit::input_error& e) {
    return {"input_error", relative(e.what())};
  }
  return {"none", "no error"};
}
}  // namespace

TEST_CASE("bad input: every case fails with its exact message and place", "[bad_input]") {
  std::ifstream cases(dir + "cases.tsv");
  REQUIRE(cases);
  int n = 0;
  for (std::string line; std::getline(cases, line);) {
    if (line.empty()) continue;
    const auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string file = line.substr(0, tab), expected = line.substr(tab + 1);
    INFO(file);
    auto [type, message] = failure_of(file);
    CHECK(message == expected);
    CHECK(type == (file.rfind("model_", 0) == 0 ? "model_error" : "input_error"));
    ++n;
  }
  CHECK(n >= 25);
}

TEST_CASE("bad input: a UTF-8 BOM and CRLF line endings are accepted", "[bad_input]") {
  const auto mini = merit::load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  auto reader = merit::io::csv_reader::open(MERIT_SOURCE_DIR "/tests/data/good_bom.csv");
  auto t = merit::io::read_wide_csv(reader, mini);
  REQUIRE(t.ids == std::vector<std::string>{"A1", "A2"});
  CHECK(t.scores(1, 0) == 5);
  CHECK(std::isnan(t.scores(1, 1)));
  CHECK(t.scores(1, 2) == 4);
}

TEST_CASE("bad input: validation lists every problem, not only the first", "[bad_input]") {
  auto doc = nlohmann::json::parse(merit::read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json"));
  doc["profiles"][0]["targets"]["beta"]["weight"] = -1;
  doc["profiles"][0]["targets"]["gamma"]["target"] = 9;
  doc["competencies"][0]["name"].erase("en");
  auto problems = merit::check_model(doc);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].pointer == "/competencies/0/name");
  CHECK(problems[1].message == "weight must be finite and >= 0, got -1");
  CHECK(problems[2].pointer == "/profiles/0/targets/gamma/target");
}
