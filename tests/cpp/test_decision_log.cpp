// Decision-record ids (io/decision_log.hpp) and the candidate report's check
// of a decision log (pool::candidate_report with report_options::decision_log):
// the id against an independent SHA-256, and every way a log can fail to
// belong to a report with its exact message and place.
#include <merit/io/decision_log.hpp>
#include <merit/io/model.hpp>
#include <merit/pool/report.hpp>
#include <merit/pool/score_file.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <fstream>
#include <string>
#include <vector>

namespace {
using namespace merit;

using test::error_of;
using test::mini;
using test::temp_dir;

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

/// Replaces the first `from` in `s` by `to`; fails the test when absent.
std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

const char* pool_csv =
    "candidate_id,alpha,beta,gamma\n"
    "A1,4,3,5\n"
    "A2,2,2,2\n"
    "A3,5,4,\n"
    "A4,3,5,4\n";

/// Scores the pool with profile p and a decision log, as `merit score --audit-log` does.
std::string write_log(const temp_dir& d, const std::string& pool) {
  pool::score_options o;
  o.profile = "p";
  o.threads = 1;
  o.audit_log_path = d.file("log.jsonl");
  o.command_line = "merit score (test)";
  pool::score_file(mini(), pool::pool_source::candidates(pool), d.file("scores.csv"), o);
  return *o.audit_log_path;
}

/// The line (1-based) of `id`'s record in the log's lines.
std::size_t line_of(const std::vector<std::string>& lines, const std::string& id) {
  for (std::size_t k = 0; k < lines.size(); ++k)
    if (lines[k].find("\"candidate_id\":\"" + id + "\"") != std::string::npos) return k + 1;
  FAIL("no record of " << id);
  return 0;
}

std::string report(const std::string& pool, const std::string& id, const std::string& log,
                   const std::string& profile = "p") {
  pool::report_options o;
  o.profile = profile;
  o.decision_log = log;
  return pool::candidate_report(mini(), pool::pool_source::candidates(pool), id, o);
}

}  // namespace

TEST_CASE("decision_log: the record id is SHA-256 of the header and record lines", "[decision_log]") {
  // printf '{"record":"header"}\n{"record":"candidate"}\n' | sha256sum
  CHECK(decision_record_id(R"({"record":"header"})", R"({"record":"candidate"})") == "d0d0facc082aeac9");
  // A change of one byte in either line changes the id.
  CHECK(decision_record_id(R"({"record":"header" })", R"({"record":"candidate"})") != "d0d0facc082aeac9");
  CHECK(decision_record_id(R"({"record":"header"})", R"({"record":"candidate" })") != "d0d0facc082aeac9");
}

TEST_CASE("decision_log: the candidate report shows the id of the candidate's record", "[decision_log][report]") {
  temp_dir d("merit_test_dlog");
  const std::string pool = d.write("pool.csv", pool_csv);
  const std::string log = write_log(d, pool);
  const auto lines = lines_of(log);
  for (const std::string id : {"A1", "A2", "A3", "A4"}) {
    const std::size_t n = line_of(lines, id);
    const decision_record_ref r = find_decision_record(joined(lines), id, log);
    CHECK(r.line == n);
    CHECK(r.header_line == 1);
    CHECK(r.id == decision_record_id(lines[0], lines[n - 1]));
    const std::string html = report(pool, id, log);
    CHECK(html.find("; decision record " + r.id + " (" + log + ", line " + std::to_string(n) + ")</footer>") !=
          std::string::npos);
  }
  // Without a log the footer names no record.
  CHECK(pool::candidate_report(mini(), pool::pool_source::candidates(pool), "A1", {}).find("decision record") ==
        std::string::npos);
}

TEST_CASE("decision_log: a later block's record is found under its own header", "[decision_log]") {
  // merit serve appends a header and its records per request: the last
  // record of a candidate is the latest decision, hashed with its header.
  const std::string h1 = R"({"record":"header","format":"merit.decision-log/1","timestamp":"1"})";
  const std::string h2 = R"({"record":"header","format":"merit.decision-log/1","timestamp":"2"})";
  const std::string a = R"({"record":"candidate","candidate_id":"A1","fit":50,"status":"qualified"})";
  const std::string b = R"({"record":"candidate","candidate_id":"A1","fit":60,"status":"qualified"})";
  const decision_record_ref r = find_decision_record(h1 + "\n" + a + "\n" + h2 + "\n" + b + "\n", "A1", "s.jsonl");
  CHECK(r.line == 4);
  CHECK(r.header_line == 3);
  CHECK(r.id == decision_record_id(h2, b));
  CHECK(r.id != decision_record_id(h1, b));
}

TEST_CASE("decision_log: a log that does not belong to the report is refused at its line", "[decision_log][report]") {
  temp_dir d("merit_test_dlog");
  const std::string pool = d.write("pool.csv", pool_csv);
  const std::string log = write_log(d, pool);
  const auto lines = lines_of(log);
  const std::size_t n = line_of(lines, "A1");
  const std::string hash = mini().content_hash;
  const nlohmann::json rec = nlohmann::json::parse(lines[n - 1]);
  const std::string status = rec["status"].get<std::string>();
  const std::string bad = d.file("bad.jsonl");
  // The error of a report on A1 with the log's lines `edited` in bad.jsonl.
  auto refused = [&](const std::vector<std::string>& edited) {
    d.write("bad.jsonl", joined(edited));
    return error_of([&] { report(pool, "A1", bad); });
  };

  SECTION("candidate not in the log") {
    std::vector<std::string> without = lines;
    without.erase(without.begin() + static_cast<std::ptrdiff_t>(n - 1));
    CHECK(refused(without) ==
          bad + ": no decision record for candidate 'A1' (the log has 3 candidate records); give the log of the "
                "scoring run that scored this pool");
  }
  SECTION("model hash differs") {
    std::vector<std::string> edited = lines;
    edited[0] = replaced(edited[0], hash, std::string(hash.size(), '0'));
    CHECK(refused(edited) ==
          bad + ":1: the log's model content_hash is '" + std::string(hash.size(), '0') + "', the report's model has '" +
              hash +
              "': the log was written with another model (or another version of it); report with the model file the "
              "log was written with");
  }
  SECTION("profile differs") {
    CHECK(error_of([&] { report(pool, "A1", log, "q"); }) ==
          log + ":1: the log's profile is 'p', the report's is 'q'; report with --profile p, or give the log of "
                "profile q");
  }
  SECTION("fit differs") {
    std::vector<std::string> edited = lines;
    const double fit = rec["fit"].get<double>();
    nlohmann::ordered_json changed = nlohmann::ordered_json::parse(lines[n - 1]);
    changed["fit"] = fit + 0.5;
    edited[n - 1] = changed.dump();
    CHECK(refused(edited) ==
          bad + ":" + std::to_string(n) + ": the log records fit " + decision_fit_text(fit + 0.5) +
              " and status " + status + " for candidate 'A1', the report computes fit " +
              decision_fit_text(fit) + " and status " + status + ": the log was made from other inputs; give the pool file the log was made from "
              "(check the pair with 'merit verify-log')");
  }
  SECTION("status differs") {
    std::vector<std::string> edited = lines;
    const std::string other = status == "qualified" ? "screened_out" : "qualified";
    edited[n - 1] = replaced(edited[n - 1], "\"status\":\"" + status + "\"", "\"status\":\"" + other + "\"");
    const std::string fit = decision_fit_text(rec["fit"]);
    CHECK(refused(edited) ==
          bad + ":" + std::to_string(n) + ": the log records fit " + fit + " and status " + other +
              " for candidate 'A1', the report computes fit " + fit + " and status " + status + ": the log was made from other inputs; give the pool file the log was made from "
              "(check the pair with 'merit verify-log')");
  }
  SECTION("the pool differs from the one the log was made from") {
    const std::string other = d.write("other.csv", replaced(pool_csv, "A1,4,3,5", "A1,2,3,5"));
    CHECK_THAT(error_of([&] { report(other, "A1", log); }),
               Catch::StartsWith(log + ":" + std::to_string(n) + ": the log records fit "));
  }
  SECTION("a malformed line") {
    std::vector<std::string> edited = lines;
    edited.insert(edited.begin() + 2, "{\"record\":\"candidate\",");
    CHECK(refused(edited) ==
          bad + ":3: not a JSON object; a decision log (merit.decision-log/1) has one JSON record per line: check it "
                "with 'merit verify-log' or write it again with 'merit score --audit-log'");
  }
  SECTION("a header of another format") {
    std::vector<std::string> edited = lines;
    edited[0] = replaced(edited[0], "merit.decision-log/1", "merit.decision-log/9");
    CHECK(refused(edited) ==
          bad + ":1: header of format \"merit.decision-log/9\", not \"merit.decision-log/1\"; give a decision log "
                "written by 'merit score --audit-log'");
  }
  SECTION("a record before the header") {
    std::vector<std::string> edited = lines;
    edited.insert(edited.begin(), lines[n - 1]);
    CHECK(refused(edited) ==
          bad + ":1: candidate record before any header record; a decision log starts with its header (write it "
                "with 'merit score --audit-log')");
  }
  SECTION("no such file") {
    CHECK(error_of([&] { report(pool, "A1", d.file("none.jsonl")); }) ==
          d.file("none.jsonl") + ": cannot open file: No such file or directory");
  }
}
