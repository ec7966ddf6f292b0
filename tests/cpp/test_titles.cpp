// The title matcher (titles.hpp) against the labelled tables of
// tests/data/titles/ (written before the matcher): at least 95% agreement on
// each, and the rules' parts one by one.
#include <merit/io/file.hpp>
#include <merit/io/model.hpp>
#include <merit/titles.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace merit;

namespace {

const competency_model& shipped() {
  static const competency_model m = load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  return m;
}

struct labelled {
  std::string title, expected;
};

// Rows of a labelled table: `title_col` and `label_col` (0-based) of each
// tab-separated line after the header; '#' lines are comments.
std::vector<labelled> read_table(const std::string& path, std::size_t title_col, std::size_t label_col) {
  std::istringstream in(read_text_file(path));
  std::vector<labelled> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cols;
    std::size_t at = 0;
    for (;;) {
      std::size_t tab = line.find('\t', at);
      cols.push_back(line.substr(at, tab == std::string::npos ? std::string::npos : tab - at));
      if (tab == std::string::npos) break;
      at = tab + 1;
    }
    REQUIRE(cols.size() > std::max(title_col, label_col));
    rows.push_back({cols[title_col], cols[label_col]});
  }
  return rows;
}

double accuracy(const std::vector<labelled>& rows, const char* name) {
  std::size_t right = 0;
  for (const auto& r : rows) {
    title_match t = match_title(shipped(), r.title);
    std::string got = t.profile ? *t.profile : "null";
    if (got == r.expected)
      ++right;
    else
      WARN(name << ": '" << r.title << "' -> " << got << " (expected " << r.expected << "): " << t.reason);
  }
  double acc = static_cast<double>(right) / static_cast<double>(rows.size());
  WARN(name << ": " << right << "/" << rows.size() << " right (" << acc * 100 << "%)");
  return acc;
}

}  // namespace

TEST_CASE("titles: the labelled table agrees at 95% or more", "[titles]") {
  auto rows = read_table(MERIT_SOURCE_DIR "/tests/data/titles/labelled.tsv", 0, 1);
  REQUIRE(rows.size() >= 80);
  CHECK(accuracy(rows, "labelled") >= 0.95);
}

TEST_CASE("titles: the O*NET alternate titles agree at 95% or more", "[titles]") {
  auto rows = read_table(MERIT_SOURCE_DIR "/tests/data/titles/onet.tsv", 2, 3);
  REQUIRE(rows.size() == 682);
  CHECK(accuracy(rows, "onet") >= 0.95);
}

TEST_CASE("titles: normalisation folds width and case, drops brackets and trailing parts", "[titles]") {
  CHECK(normalise_title("ＳＦＥ　Ｍａｎａｇｅｒ") == "sfe manager");
  CHECK(normalise_title("Sales Enablement Manager (Remote)") == "sales enablement manager");
  CHECK(title_parts("Sales Ops Analyst | Berlin") == std::vector<std::string>{"sales ops analyst", "berlin"});
  CHECK(title_parts("销售赋能经理（上海）-北京") == std::vector<std::string>{"销售赋能经理", "北京"});
  CHECK(title_parts("Go-To-Market Enablement") == std::vector<std::string>{"go to market enablement"});
  CHECK(normalise_title("SFE经理") == "sfe 经理");
  CHECK(normalise_title("销售 赋能") == "销售赋能");
}

TEST_CASE("titles: results carry score, alternatives and reason", "[titles]") {
  const auto& m = shipped();
  auto alias = match_title(m, "Sales Enablement Manager, EMEA");
  CHECK(alias.profile == std::optional<std::string>("sales_enablement"));
  CHECK(alias.score == 1.0);
  CHECK(alias.reason == "title alias of sales_enablement; ignored 'emea'");

  auto vp = match_title(m, "SVP Sales Enablement");
  CHECK(vp.profile == std::optional<std::string>("head_of_sales_enablement"));
  CHECK(vp.score == Approx(0.9));
  REQUIRE(vp.alternatives.size() == 1);
  CHECK(vp.alternatives[0].profile == "sales_enablement");
  CHECK(vp.alternatives[0].score == Approx(0.6));
  CHECK(decided(vp));

  auto both = match_title(m, "Director, Sales Operations & Enablement");
  CHECK(both.profile == std::optional<std::string>("vp_sales_enablement_and_operations"));
  CHECK(both.alternatives.size() == 3);

  auto emp = match_title(m, "VP, Sales Empowerment");
  CHECK_FALSE(emp.profile);
  CHECK(emp.score == 0);
  CHECK(emp.reason.rfind("'Sales Empowerment' is a not_alias of sales_enablement: The seed:", 0) == 0);

  auto emp2 = match_title(m, "Empowerment Coach");
  CHECK_FALSE(emp2.profile);
  CHECK(emp2.reason.rfind("'empowerment' is excluded: The seed:", 0) == 0);

  auto mkt = match_title(m, "Marketing Operations Manager");
  CHECK_FALSE(mkt.profile);
  CHECK(mkt.reason == "'operations' of a neighbouring field ('marketing'), not of sales");
  REQUIRE(mkt.alternatives.size() == 1);
  CHECK(mkt.alternatives[0].profile == "sales_operations");
  CHECK(mkt.alternatives[0].score == Approx(0.3));

  auto mixed = match_title(m, "Sales and Marketing Operations Manager");
  CHECK(mixed.profile == std::optional<std::string>("sales_operations"));
  CHECK(mixed.score == Approx(0.7));
  CHECK_FALSE(decided(mixed));

  auto ae = match_title(m, "Account Executive");
  CHECK_FALSE(ae.profile);
  CHECK(ae.reason == "a generic title: no sales, enablement or operations term");
  CHECK(ae.alternatives.empty());
}

TEST_CASE("titles: deterministic", "[titles]") {
  for (const char* t : {"VP Sales Enablement & Operations", "销售赋能运营副总裁", "RevOps Lead, North America"}) {
    auto a = match_title(shipped(), t), b = match_title(shipped(), t);
    CHECK(a.profile == b.profile);
    CHECK(a.score == b.score);
    CHECK(a.reason == b.reason);
  }
}

TEST_CASE("titles: bad titles are refused with a message", "[titles]") {
  CHECK_THROWS_WITH(match_title(shipped(), " (Remote) "),
                    "job title is empty; pass a title such as \"Sales Enablement Manager\"");
  CHECK_THROWS_WITH(match_title(shipped(), std::string("Sales \xff Ops")),
                    "job title is not valid UTF-8 at byte 7; pass the title as UTF-8 text");
}

TEST_CASE("titles: the model's aliases must agree with its title rules", "[titles]") {
  auto doc = nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json"));
  CHECK(check_model(doc).empty());
  doc["profiles"][0]["title_aliases"].push_back("Sales Operations Lead");
  auto problems = check_model(doc);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].pointer == "/profiles/0/title_aliases/13");
  CHECK(problems[0].message ==
        "title alias 'Sales Operations Lead' maps to sales_operations under title_rules, not to sales_enablement "
        "(terms sales+operations route to sales_operations: The seed: Sales Operation (销售运营).); add a term or "
        "route to title_rules, or move the alias");

  auto bad = nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json"));
  bad["title_rules"]["routes"][0]["when"][0] = "seniority";
  auto p2 = check_model(bad);
  REQUIRE_FALSE(p2.empty());
  CHECK(p2[0].pointer == "/title_rules/routes/0/when/0");
  CHECK(p2[0].message ==
        "unknown title kind \"seniority\" (expected sales, enablement, operations, senior, other_field or excluded)");
  bad = nlohmann::json::parse(read_text_file(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json"));
  bad["title_rules"]["routes"][0]["profile"] = "sales_enablment";
  p2 = check_model(bad);
  REQUIRE_FALSE(p2.empty());
  CHECK(p2[0].pointer == "/title_rules/routes/0/profile");
  CHECK(p2[0].message == "unknown profile 'sales_enablment'");
}

TEST_CASE("titles: profile_for_title decides or names the alternatives", "[titles]") {
  CHECK(profile_for_title(shipped(), "销售赋能总监") == "head_of_sales_enablement");
  CHECK_THROWS_WITH(profile_for_title(shipped(), "Enablement Manager"),
                    "title 'Enablement Manager' is ambiguous ('enablement' with no sales term: enablement or "
                    "operations of what?); it could be sales_enablement (0.30); choose one of them explicitly");
  CHECK_THROWS_WITH(profile_for_title(shipped(), "销售赋权经理"),
                    Catch::StartsWith("title '销售赋权经理' maps to no profile ('销售赋权' is a not_alias of "
                                      "sales_enablement: The seed:"));
}
