#include <merit/protected.hpp>

#include <catch2/catch.hpp>

#include <string>

using merit::protected_term;

TEST_CASE("protected: English terms as whole tokens", "[protected]") {
  CHECK(protected_term("age") == std::string("age"));
  CHECK(protected_term("candidate_age") == std::string("age"));
  CHECK(protected_term("candidateAge") == std::string("age"));
  CHECK(protected_term("Age Band") == std::string("age"));
  CHECK(protected_term("AGE") == std::string("age"));
  CHECK(protected_term("date_of_birth") == std::string("date_of_birth"));
  CHECK(protected_term("dateOfBirth") == std::string("date_of_birth"));
  CHECK(protected_term("DOBField") == std::string("dob"));
  CHECK(protected_term("dob") == std::string("dob"));
  CHECK(protected_term("birth_date") == std::string("birth_date"));
  CHECK(protected_term("gender") == std::string("gender"));
  CHECK(protected_term("sex") == std::string("sex"));
  CHECK(protected_term("race") == std::string("race"));
  CHECK(protected_term("ethnicity") == std::string("ethnicity"));
  CHECK(protected_term("religion") == std::string("religion"));
  CHECK(protected_term("disability") == std::string("disability"));
  CHECK(protected_term("pregnancy") == std::string("pregnancy"));
  CHECK(protected_term("national_origin") == std::string("national_origin"));
  CHECK(protected_term("nationality") == std::string("nationality"));
  CHECK(protected_term("marital_status") == std::string("marital_status"));
  CHECK(protected_term("sexual_orientation") == std::string("sexual_orientation"));
  CHECK(protected_term("sexual-orientation") == std::string("sexual_orientation"));
  CHECK(protected_term("colour") == std::string("colour"));
  CHECK(protected_term("skin-color") == std::string("color"));
  CHECK(protected_term("applicant.gender2") == std::string("gender"));
}

TEST_CASE("protected: no false positives on words that contain a term", "[protected]") {
  for (const char* ok : {"page", "manage", "agent", "coverage", "engagement", "message", "stage", "leverage",
                         "average_deal_size", "manager_rating", "sextant", "embrace", "grace", "traceability",
                         "orientation_to_customers", "national_accounts", "origin_story", "raceway",
                         "content_clarity", "stakeholder_management", "pipeline_coverage", "colourful_story2",
                         "", "_", "客户沟通"})
    CHECK_FALSE(protected_term(ok));
}

TEST_CASE("protected: Chinese terms as substrings", "[protected]") {
  for (const char* t : {"性别", "年龄", "种族", "民族", "宗教", "残疾", "怀孕", "婚姻", "国籍", "出生日期", "性取向", "肤色"})
    CHECK(protected_term(t) == std::string(t));
  CHECK(protected_term("候选人年龄") == std::string("年龄"));
  CHECK(protected_term("婚姻状况") == std::string("婚姻"));
  CHECK(protected_term("應聘者性別") == std::string("性別"));
}

TEST_CASE("protected: exact message of check_not_protected", "[protected]") {
  CHECK_NOTHROW(merit::check_not_protected("competency", "content_clarity", "/competencies/0/id"));
  try {
    merit::check_not_protected("input column", "candidate_age", "evidence.csv:1:17");
    FAIL("no error");
  } catch (const merit::model_error& e) {
    CHECK(e.code() == merit::errc::protected_attribute);
    CHECK(std::string(e.what()) ==
          "evidence.csv:1:17: input column 'candidate_age' names a protected characteristic ('age'); "
          "demographic data never enters a score");
  }
}
