// The pool layer (include/merit/pool/, src/pool/) called directly: block
// boundaries, the same bytes at any thread count, each reject kind with its
// exact message and place, top-K, cancelling through the progress callback,
// atomic outputs, and the option names.
#include <merit/io/model.hpp>
#include <merit/pool/atomic_file.hpp>
#include <merit/pool/options.hpp>
#include <merit/pool/reject.hpp>
#include <merit/pool/score_file.hpp>
#include <merit/pool/stream.hpp>
#include <merit/rank.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {
namespace fs = std::filesystem;
using namespace merit;

using test::error_of;
using test::mini;
using test::temp_dir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A wide pool of n candidates over mini's three competencies (deterministic, some cells empty).
std::string wide_pool(std::size_t n) {
  std::string s = "candidate_id,alpha,beta,gamma\n";
  std::uint64_t x = 12345;
  auto next = [&] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<unsigned>(x >> 33);
  };
  for (std::size_t i = 0; i < n; ++i) {
    s += "K" + std::to_string(i);
    for (int k = 0; k < 3; ++k) {
      const unsigned v = next() % 10;
      s += ',';
      if (v != 0) s += std::to_string(1 + v % 5);
    }
    s += '\n';
  }
  return s;
}

pool::score_options opts(unsigned threads) {
  pool::score_options o;
  o.profile = "p";
  o.threads = threads;
  return o;
}

}  // namespace

TEST_CASE("pool: option names parse and print in one place", "[pool]") {
  using namespace merit::pool;
  CHECK(parse_evidence_format("long") == input_format::long_csv);
  CHECK(parse_evidence_format("wide") == input_format::wide_csv);
  CHECK(std::string(to_string(input_format::json_candidates)) == "json");
  CHECK(evidence_format_of("x.jsonl", std::nullopt) == input_format::jsonl);
  CHECK(evidence_format_of("x.json", std::nullopt) == input_format::greenhouse);
  CHECK(evidence_format_of("x.csv", std::nullopt) == input_format::long_csv);
  CHECK(candidates_format_of("x.json") == input_format::json_candidates);
  CHECK(output_format_for("r.ndjson") == output_format::jsonl);
  CHECK(output_format_for("r.csv") == output_format::csv);
  CHECK(error_of([] { parse_evidence_format("xml"); }) ==
        "unknown evidence format 'xml' (expected wide, long, jsonl or greenhouse)");
  CHECK(error_of([] { parse_duplicates("sum"); }) == "--duplicates takes mean or error, got 'sum'");
  CHECK(error_of([] { parse_calibration("x"); }) == "--calibrate takes leniency, zscore or none, got 'x'");
  CHECK(error_of([] { parse_output_format("tsv"); }) == "--output-format takes csv or jsonl, got 'tsv'");
}

TEST_CASE("pool: blocks of records give the same bytes at any thread count", "[pool]") {
  temp_dir d;
  const std::string in = d.write("pool.csv", wide_pool(300000));  // ~4 MiB: several blocks
  const auto one = pool::score_file(mini(), pool::pool_source::candidates(in), d.file("t1.csv"), opts(1));
  const auto two = pool::score_file(mini(), pool::pool_source::candidates(in), d.file("t2.csv"), opts(2));
  CHECK(one.rows_read == 300000);
  CHECK(one.scored == 300000);
  CHECK(one.written == 300000);
  CHECK(slurp(d.file("t1.csv")) == slurp(d.file("t2.csv")));
  // Streamed equals read whole and ranked by the core.
  const pool::pool_input whole = pool::read_pool(mini(), pool::pool_source::candidates(in));
  const scoring_plan plan = compile(mini(), "p");
  const auto n = static_cast<Eigen::Index>(whole.table.ids.size());
  Vector fit(n), cov(n);
  std::vector<std::int8_t> st(static_cast<std::size_t>(n));
  score(plan, whole.table.scores, fit, cov, st.data());
  const auto order = rank_order(whole.table.ids, fit, st);
  std::istringstream out(slurp(d.file("t1.csv")));
  std::string line;
  std::getline(out, line);
  CHECK(line == "rank,candidate_id,fit,status,coverage");
  // Every status occurs, so the whole file crosses every tier boundary of the rule.
  for (auto s : {status::qualified, status::incomplete, status::screened_out})
    CHECK(std::count(st.begin(), st.end(), static_cast<std::int8_t>(s)) > 0);
  for (std::size_t r = 0; r < order.size(); ++r) {
    std::getline(out, line);
    const std::string id = line.substr(line.find(',') + 1, line.find(',', line.find(',') + 1) - line.find(',') - 1);
    REQUIRE(id == whole.table.ids[order[r]]);
  }
  // Top-K: the first K rows of the whole ranking.
  auto o = opts(2);
  o.top = 7;
  const auto top = pool::score_file(mini(), pool::pool_source::candidates(in), d.file("top.csv"), o);
  CHECK(top.written == 7);
  const std::string all = slurp(d.file("t1.csv")), best = slurp(d.file("top.csv"));
  std::size_t end = 0;
  for (int k = 0; k < 8; ++k) end = all.find('\n', end) + 1;
  CHECK(best == all.substr(0, end));
}

TEST_CASE("pool: each reject kind with its message and place", "[pool]") {
  temp_dir d;
  const std::string in = d.write("bad.csv",
                                 "candidate_id,alpha,beta,gamma\n"
                                 "C1,4,3,5\n"
                                 "C2,x,3,4\n"
                                 "C3,4,3\n"
                                 "C4,4,3,5,1\n"
                                 "C5,\xff,3,4\n"
                                 ",4,3,4\n"
                                 "C1,2,2,2\n"
                                 "C6,9,3,4\n"
                                 "C7,\"4\"x,3,4\n"
                                 "C8,4,4,4\n");
  auto o = opts(1);
  o.rejects_path = d.file("rejects.csv");
  const auto s = pool::score_file(mini(), pool::pool_source::candidates(in), d.file("out.csv"), o);
  CHECK(s.rows_read == 10);
  CHECK(s.scored == 2);
  CHECK(s.rejected == 8);
  CHECK(slurp(d.file("rejects.csv")) ==
        "line,column,code,reason\n"
        "3,4,value,non-numeric value 'x' for competency 'alpha'\n"
        "4,1,schema,\"expected 4 fields, got 3\"\n"
        "5,1,schema,\"expected 4 fields, got 5\"\n"
        "6,4,parse,invalid UTF-8 (byte 0xFF): the text looks like Windows-1252 (Western European Windows); save the "
        "file as UTF-8\n"
        "7,1,value,empty candidate_id\n"
        "8,1,duplicate,duplicate candidate id 'C1' (first at line 2)\n"
        "9,4,value,value 9 for competency 'alpha' is outside the scale 1..5\n"
        "10,7,parse,unexpected character after a closing quote\n");
  const std::map<std::string, std::size_t> kinds{{"cast_error", 2},       {"too_few_columns", 1},
                                                 {"too_many_columns", 1}, {"invalid_utf8", 1},
                                                 {"missing_value", 1},    {"duplicate_id", 1},
                                                 {"invalid_quote", 1}};
  CHECK(s.rejected_by_kind == kinds);
  const auto j = pool::to_json(s);
  CHECK(j["rejected_by_kind"]["duplicate_id"] == 1);
  CHECK(j["bands"].is_null());
}

TEST_CASE("pool: without rejects the first bad row stops the run and nothing is written", "[pool]") {
  temp_dir d;
  const std::string in = d.write("bad.csv", "candidate_id,alpha,beta,gamma\nC1,4,3,5\nC2,4,3\nC3,1,1,1\n");
  CHECK(error_of([&] { pool::score_file(mini(), pool::pool_source::candidates(in), d.file("out.csv"), opts(2)); }) ==
        in + ":3:1: expected 4 fields, got 3");
  CHECK(d.entries() == 1);  // bad.csv only: no output, no temporary file
  const std::string dup = d.write("dup.csv", "candidate_id,alpha,beta,gamma\nC1,4,3,5\nC1,4,3,5\n");
  CHECK(error_of([&] { pool::score_file(mini(), pool::pool_source::candidates(dup), d.file("out.csv"), opts(1)); }) ==
        dup + ":3:1: duplicate candidate id 'C1' (first at line 2)");
  CHECK(!fs::exists(d.file("out.csv")));
}

TEST_CASE("pool: a record too long or a quote never closed stops the run even with rejects", "[pool]") {
  temp_dir d;
  auto o = opts(1);
  o.rejects_path = d.file("rejects.csv");
  const std::string quote = d.write("quote.csv", "candidate_id,alpha,beta,gamma\nC1,4,3,5\nC2,\"4,3,5\nC3,1,1,1\n");
  CHECK(error_of([&] { pool::score_file(mini(), pool::pool_source::candidates(quote), d.file("out.csv"), o); }) ==
        quote + ":3:1: quoted field is not closed before the end of the file");
  const std::string long_rec =
      d.write("long.csv", "candidate_id,alpha,beta,gamma\nC1,4,3,5\nC" + std::string(3u << 20, '9') + ",1,1,1\n");
  CHECK(error_of([&] { pool::score_file(mini(), pool::pool_source::candidates(long_rec), d.file("out.csv"), o); }) ==
        long_rec + ":3:1: record is longer than 1048576 bytes");
  CHECK(!fs::exists(d.file("out.csv")));
  CHECK(!fs::exists(d.file("rejects.csv")));
}

TEST_CASE("pool: evidence rejects carry their kind, line and column", "[pool]") {
  temp_dir d;
  const std::string in = d.write("ev.csv",
                                 "candidate_id,competency_id,method,rater,value\n"
                                 "C1,alpha,interview,r1,4\n"
                                 "C1,delta,interview,r1,4\n"
                                 "C1,beta,oral,r1,4\n"
                                 "C1,beta,interview,,4\n"
                                 "C1,gamma,interview,r1,7\n"
                                 "C2,alpha,interview,r1\n"
                                 "C2,alpha,interview,r2,5\n");
  auto o = opts(1);
  o.rejects_path = d.file("rejects.csv");
  const auto s = pool::score_file(mini(), pool::pool_source::evidence_file(in), d.file("out.csv"), o);
  CHECK(s.rows_read == 7);
  CHECK(s.scored == 2);
  CHECK(s.rejected == 5);
  const std::string rej = slurp(d.file("rejects.csv"));
  CHECK(rej.rfind("line,column,code,reason\n3,4,reference,unknown competency 'delta'\n", 0) == 0);
  CHECK(s.rejected_by_kind.at("unknown_reference") == 2);
  CHECK(s.rejected_by_kind.at("missing_value") == 1);
  CHECK(s.rejected_by_kind.at("too_few_columns") == 1);
}

TEST_CASE("pool: the progress callback sees every row and can cancel", "[pool]") {
  temp_dir d;
  const std::string in = d.write("pool.csv", wide_pool(200000));
  std::size_t calls = 0, last_rows = 0;
  pool::score_file(mini(), pool::pool_source::candidates(in), d.file("out.csv"), opts(2), [&](const pool::progress& p) {
    ++calls;
    CHECK(p.rows >= last_rows);
    last_rows = p.rows;
    CHECK(p.total_bytes == fs::file_size(in));
    return true;
  });
  CHECK(calls >= 2);
  CHECK(last_rows == 200000);
  fs::remove(d.file("out.csv"));
  auto o = opts(2);
  o.rejects_path = d.file("rejects.csv");
  CHECK_THROWS_AS(pool::score_file(mini(), pool::pool_source::candidates(in), d.file("out.csv"), o,
                                   [](const pool::progress&) { return false; }),
                  pool::cancelled);
  CHECK(error_of([&] {
          pool::score_file(mini(), pool::pool_source::candidates(in), d.file("out.csv"), o,
                           [](const pool::progress&) { return false; });
        }) == "cancelled");
  CHECK(d.entries() == 1);  // pool.csv only
}

TEST_CASE("pool: atomic files appear only on commit", "[pool]") {
  temp_dir d;
  {
    pool::atomic_file f(d.file("a.txt"));
    std::fputs("half", f.get());
    CHECK(!fs::exists(d.file("a.txt")));
  }
  CHECK(d.entries() == 0);
  {
    pool::atomic_file f(d.file("b.txt"));
    std::fputs("whole", f.get());
    f.commit();
  }
  CHECK(slurp(d.file("b.txt")) == "whole");
  CHECK(error_of([&] { pool::atomic_file f(d.file("no/such/c.txt")); }) ==
        d.file("no/such/c.txt") + ": cannot create a file in '" + d.file("no/such/") +
            "': No such file or directory; choose a folder you can write to");
}

TEST_CASE("pool: bad options name themselves", "[pool]") {
  temp_dir d;
  const std::string in = d.write("pool.csv", wide_pool(10));
  auto o = opts(0);
  CHECK(error_of([&] { pool::score_file(mini(), pool::pool_source::candidates(in), d.file("o.csv"), o); }) ==
        "threads must be at least 1");
  o = opts(1);
  o.reliability = 1.5;
  CHECK(error_of([&] { pool::score_file(mini(), pool::pool_source::candidates(in), d.file("o.csv"), o); }) ==
        "reliability must be a number in 0..1");
  o = opts(1);
  o.band_c = 0;
  CHECK(error_of([&] { pool::score_file(mini(), pool::pool_source::candidates(in), d.file("o.csv"), o); }) ==
        "band_c must be a number > 0");
  o = opts(1);
  o.top = 0;
  CHECK(error_of([&] { pool::score_file(mini(), pool::pool_source::candidates(in), d.file("o.csv"), o); }) ==
        "top must be at least 1");
  CHECK(d.entries() == 1);
}

TEST_CASE("pool: bands are the same at any thread count and with --top", "[pool]") {
  temp_dir d;
  const std::string in = d.write("pool.csv", wide_pool(100000));
  auto o = opts(1);
  o.reliability = 0.8;
  const auto one = pool::score_file(mini(), pool::pool_source::candidates(in), d.file("t1.csv"), o);
  o.threads = 2;
  const auto two = pool::score_file(mini(), pool::pool_source::candidates(in), d.file("t2.csv"), o);
  REQUIRE(one.bands);
  CHECK(one.bands->sd == two.bands->sd);
  CHECK(one.bands->width == two.bands->width);
  CHECK(slurp(d.file("t1.csv")) == slurp(d.file("t2.csv")));
  o.top = 50;
  pool::score_file(mini(), pool::pool_source::candidates(in), d.file("top.csv"), o);
  const std::string all = slurp(d.file("t1.csv")), best = slurp(d.file("top.csv"));
  CHECK(best == all.substr(0, best.size()));
  // The band column against the core's fixed_bands over the qualified fits (no band for the others).
  const pool::pool_input whole = pool::read_pool(mini(), pool::pool_source::candidates(in));
  const scoring_plan plan = compile(mini(), "p");
  const auto n = static_cast<Eigen::Index>(whole.table.ids.size());
  Vector fit(n), cov(n);
  std::vector<std::int8_t> st(static_cast<std::size_t>(n));
  score(plan, whole.table.scores, fit, cov, st.data());
  const Eigen::VectorXi band = fixed_bands(qualified_fits(fit, st), one.bands->width);
  const auto order = rank_order(whole.table.ids, fit, st);
  std::istringstream out(all);
  std::string line;
  std::getline(out, line);
  for (std::size_t r = 0; r < order.size(); ++r) {
    std::getline(out, line);
    const std::string last = line.substr(line.rfind(',') + 1);
    const int b = band[static_cast<Eigen::Index>(order[r])];
    REQUIRE(last == (b > 0 ? std::to_string(b) : std::string()));
  }
}

TEST_CASE("pool: an output is never an input or another output", "[pool][faults]") {
  temp_dir d;
  const std::string in = d.write("pool.csv", "candidate_id,alpha\nC1,4\n");
  const std::string link = d.file("link.csv");
  REQUIRE(::link(in.c_str(), link.c_str()) == 0);
  auto message = [](const std::vector<pool::run_file>& ins, const std::vector<pool::run_file>& outs) {
    try {
      pool::check_distinct_files(ins, outs);
    } catch (const argument_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({{"input", in}}, {{"output", link}}) ==
        "output '" + link + "' is the same file as input '" + in +
            "': writing it would destroy the input; choose another path");
  // Two outputs that do not exist yet: the same path, however spelt.
  CHECK(message({{"input", in}}, {{"output", d.file("a.csv")}, {"rejects file", d.file("./a.csv")}}) ==
        "rejects file '" + d.file("./a.csv") + "' is the same file as output '" + d.file("a.csv") +
            "': one would overwrite the other; give each its own path");
  CHECK(message({{"input", "-"}}, {{"output", "-"}, {"rejects file", "-"}}) ==
        "rejects file '-' is the same file as output '-': one would overwrite the other; give each its own path");
  // Standard input and output are different streams; a device is never "the same file".
  CHECK(message({{"input", "-"}}, {{"output", "-"}}) == "no error");
  CHECK(message({{"input", in}}, {{"output", "/dev/null"}, {"rejects file", "/dev/null"}}) == "no error");
  // An existing output that is not a regular file is written as is, never replaced by a rename.
  {
    pool::atomic_file out("/dev/null");
    CHECK(out.is_direct());
    out.write("dropped");
    out.commit();
  }
  CHECK(fs::is_character_file("/dev/null"));
  CHECK(slurp(in) == "candidate_id,alpha\nC1,4\n");
}

TEST_CASE("pool: blank lines before the header are found at any block size", "[pool][fuzz]") {
  // Found by fuzz_diff_long (tests/fuzz/corpus/diff_long/blank-first-block): a
  // first block holding only blank lines used to give "file is empty".
  temp_dir d;
  const scoring_plan plan = compile(mini(), "p");
  auto outcome = [&](const pool::pool_source& src, std::size_t block) {
    pool::stream_options opt;
    opt.threads = 2;
    opt.block_bytes = block;
    try {
      const pool::scored_pool p = pool::score_pool(mini(), plan, src, opt);
      return std::to_string(p.rows_read) + " rows, " + std::to_string(p.scored) + " scored";
    } catch (const input_error& e) {
      return std::string(e.what());
    }
  };
  const std::string wide = d.write("w.csv", "\n\r\n\n" + wide_pool(3));
  const std::string long_ok =
      d.write("l.csv", "\n\n" + slurp(MERIT_SOURCE_DIR "/tests/data/evidence/long_good.csv"));
  const std::string long_bad = d.write("b.csv", "\n" + std::string("candidate_id,competency_id,method,rater,value") +
                                                    "candidate_id,competency_id,method,rater,value\n");
  for (const auto& src : {pool::pool_source::candidates(wide), pool::pool_source::evidence_file(long_ok, std::string("long")),
                          pool::pool_source::evidence_file(long_bad, std::string("long"))}) {
    const std::string one = outcome(src, std::size_t(1) << 20);
    CHECK(one.find("file is empty") == std::string::npos);
    for (std::size_t block : {1, 2, 3, 5, 8}) {
      INFO(src.path << ", blocks of " << block << " bytes");
      CHECK(outcome(src, block) == one);
    }
  }
}

TEST_CASE("pool: tiny blocks and two threads give what one block gives", "[pool]") {
  // Block edges inside records, quotes, a group split across blocks, bad rows
  // and an ungrouped candidate: every block size gives the same rows, fits and rejects.
  temp_dir d;
  const std::string long_csv = slurp(MERIT_SOURCE_DIR "/tests/data/evidence/long_good.csv") +
                               "\"B\n2\",alpha,interview,r1,3\nA1,beta,interview,r9,x\n,alpha,interview,r1,2\n"
                               "A1,gamma,interview,r3,2\n";
  const std::string wide = wide_pool(40) + "K3,1,2,3\n\"Q,1\",1,\"2\",\nbad,9,1,1\nshort,1\n";
  const scoring_plan plan = compile(mini(), "p");
  auto run = [&](const pool::pool_source& src, unsigned threads, std::size_t block) {
    pool::stream_options opt;
    opt.threads = threads;
    opt.block_bytes = block;
    opt.rejects.collect = true;
    const pool::scored_pool p = pool::score_pool(mini(), plan, src, opt);
    std::ostringstream s;
    s << p.rows_read << ' ' << p.scored << ' ' << p.missing_values << ' ' << p.ungrouped << '\n';
    for (std::size_t r : p.order) s << p.id(r) << ' ' << p.fit[r] << ' ' << int(p.status[r]) << '\n';
    for (const auto& j : p.rejects) s << j.line << ':' << j.column << ' ' << j.reason << '\n';
    return std::make_pair(s.str(), std::min(p.scored, p.rejects.size()));
  };
  for (const auto& src : {pool::pool_source::candidates(d.write("w.csv", wide)),
                          pool::pool_source::evidence_file(d.write("l.csv", long_csv), std::string("long"))}) {
    const auto one = run(src, 1, std::size_t(1) << 20);
    CHECK(one.second >= 2);  // at least two candidates scored and two rows rejected
    for (std::size_t block : {1, 2, 3, 7, 16, 64}) {
      INFO(src.path << ", blocks of " << block << " bytes");
      CHECK(run(src, 2, block).first == one.first);
    }
  }
}
