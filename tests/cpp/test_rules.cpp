// One home for each rule: the readers' missing-value and trimming rule
// (fields.hpp), the score scale (fit.hpp), protected names (protected.hpp)
// and the spelling of numbers (number.hpp), each with its exact message, and
// each reader shown to follow it.
#include <merit/evidence.hpp>
#include <merit/fields.hpp>
#include <merit/fit.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/evidence.hpp>
#include <merit/io/judgments.hpp>
#include <merit/io/model.hpp>
#include <merit/number.hpp>
#include <merit/protected.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace {
template <class F>
std::string message_of(F f) {
  try {
    f();
  } catch (const merit::error& e) {
    return e.what();
  }
  return "no error";
}
const merit::competency_model& mini() {
  static const merit::competency_model m = merit::load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  return m;
}
}  // namespace

TEST_CASE("rules: fields are trimmed of spaces and tabs only", "[rules]") {
  CHECK(merit::trim_field(" \t4.5\t ") == "4.5");
  CHECK(merit::trim_field("a b") == "a b");
  CHECK(merit::trim_field("\n4\r") == "\n4\r");
  CHECK(merit::trim_field("") == "");
}

TEST_CASE("rules: missing is empty, blank, NA or null, and nothing else", "[rules]") {
  for (const char* s : {"", " ", "\t", "  \t ", "NA", " NA ", "null", "\tnull"}) CHECK(merit::is_missing_field(s));
  for (const char* s : {"na", "N/A", "NULL", "Null", "-", "0", "NaN", "nan", "none"}) CHECK_FALSE(merit::is_missing_field(s));
}

TEST_CASE("rules: the evidence reader follows the field rule", "[rules]") {
  const auto& m = mini();
  for (const char* s : {"", "  ", "\t", "NA", " NA", "null"}) CHECK_FALSE(merit::map_to_level(m.methods[0], 5, s, "x"));
  CHECK(*merit::map_to_level(m.methods[0], 5, "\t4 ", "x") == 4.0);
  CHECK(*merit::map_to_level(m.methods[2], 5, " yes\t", "x") == 4.0);
  CHECK(message_of([&] { merit::map_to_level(m.methods[0], 5, "N/A", "f:2:5"); }) ==
        "f:2:5: non-numeric value 'N/A' for method 'interview' (numeric scale 1..5)");
}

TEST_CASE("rules: the wide candidates reader follows the field rule", "[rules]") {
  const auto& m = mini();
  merit::io::csv_reader r(std::string_view("candidate_id,alpha,beta,gamma\nc1, ,NA,null\nc2,\t3 ,,4\n"), "w.csv");
  const auto t = merit::io::read_wide_csv(r, m);
  REQUIRE(t.ids.size() == 2);
  CHECK(std::isnan(t.scores(0, 0)));
  CHECK(std::isnan(t.scores(0, 1)));
  CHECK(std::isnan(t.scores(0, 2)));
  CHECK(t.scores(1, 0) == 3.0);
  CHECK(std::isnan(t.scores(1, 1)));
  CHECK(t.scores(1, 2) == 4.0);
  merit::io::csv_reader bad(std::string_view("candidate_id,alpha\nc1,n/a\n"), "w.csv");
  CHECK(message_of([&] { merit::io::read_wide_csv(bad, m); }) ==
        "w.csv:2:4: non-numeric value 'n/a' for competency 'alpha'");
}

TEST_CASE("rules: the judgments reader follows the field rule in a matrix", "[rules]") {
  const auto doc = nlohmann::json::parse(
      R"({"items": ["a", "b", "c"], "matrix": [[1, 3, " 5 "], ["1/3", 1, "NA"], [null, "", 1]]})");
  const auto J = merit::parse_judgments(doc, "j.json");
  const auto& M = J.decision_makers.at(0).matrix;
  CHECK(M(0, 2) == 5.0);
  CHECK(std::isnan(M(1, 2)));
  CHECK(std::isnan(M(2, 1)));
  const auto diag = nlohmann::json::parse(R"({"items": ["a", "b"], "matrix": [["NA", 3], [null, 1]]})");
  CHECK(message_of([&] { merit::parse_judgments(diag, "j.json"); }) ==
        "j.json#/matrix/0/0: diagonal entry of 'a' must be 1, not missing");
}

TEST_CASE("rules: one scale check, one message", "[rules]") {
  CHECK(merit::on_model_scale(1, 5));
  CHECK(merit::on_model_scale(5, 5));
  CHECK_FALSE(merit::on_model_scale(0.5, 5));
  CHECK_FALSE(merit::on_model_scale(std::nan(""), 5));
  CHECK(merit::off_scale_message(6, "alpha", 5) == "value 6 for competency 'alpha' is outside the scale 1..5");
  CHECK_NOTHROW(merit::check_score_on_scale(std::nan(""), "alpha", 5, "x"));
  CHECK(message_of([] { merit::check_score_on_scale(5.5, "alpha", 5, "w.csv:2:3"); }) ==
        "w.csv:2:3: value 5.5 for competency 'alpha' is outside the scale 1..5");
  // the wide CSV and the JSON candidates readers say the same
  merit::io::csv_reader r(std::string_view("candidate_id,alpha\nc1,7.0\n"), "w.csv");
  CHECK(message_of([&] { merit::io::read_wide_csv(r, mini()); }) ==
        "w.csv:2:4: value 7 for competency 'alpha' is outside the scale 1..5");
}

TEST_CASE("rules: one protected-name rule, one message", "[rules]") {
  CHECK_FALSE(merit::protected_name_problem("column", "content_clarity"));
  CHECK(merit::protected_name_problem("column", "candidateAge") ==
        std::string("column 'candidateAge' names a protected characteristic ('age'); demographic data never enters a "
                    "score"));
  try {
    merit::check_not_protected<merit::input_error>("key", "gender", "/evidence/0/gender");
    FAIL("no error");
  } catch (const merit::input_error& e) {
    CHECK(e.code() == merit::errc::protected_attribute);
    CHECK(std::string(e.what()) ==
          "/evidence/0/gender: key 'gender' names a protected characteristic ('gender'); demographic data never "
          "enters a score");
  }
  // the evidence and candidates readers use it
  merit::io::csv_reader ev(std::string_view("candidate_id,competency_id,method,rater,value,sex\n"), "e.csv");
  CHECK(message_of([&] { merit::io::read_long_csv(ev, mini()); }) ==
        "e.csv:1:47: column 'sex' names a protected characteristic ('sex'); demographic data never enters a score");
  merit::io::csv_reader wide(std::string_view("candidate_id,alpha,race\n"), "w.csv");
  CHECK(message_of([&] { merit::io::read_wide_csv(wide, mini()); }) ==
        "w.csv:1:20: column 'race' names a protected characteristic ('race'); demographic data never enters a score");
}

TEST_CASE("rules: numbers are spelled the shortest round-trip way", "[rules]") {
  CHECK(merit::format_number(6) == "6");
  CHECK(merit::format_number(0.5) == "0.5");
  CHECK(merit::format_number(1.0 / 3) == "0.3333333333333333");
}
