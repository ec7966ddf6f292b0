// merit verify-log: checks a decision log (merit score --audit-log) against
// the model and the input it names, by scoring them again.
#include "cli.hpp"
#include "pool.hpp"

#include <merit/pool/stream.hpp>

#include <merit/io/cut.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/io/model.hpp>
#include <merit/fit.hpp>
#include <merit/model.hpp>
#include <merit/rank.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace merit::cli {
namespace {

const std::string verify_help = std::string(
    "usage: merit verify-log --log FILE.jsonl --model FILE [--profile ID]\n"
    "                        (--candidates FILE | --evidence FILE ...) [--threads N]\n"
    "\n"
    "Checks a decision log written by 'merit score --audit-log' against its inputs: scores\n"
    "the input again and compares every field of every record (the timestamp and the\n"
    "command line excepted): the model's id, version and content hash, the profile, the\n"
    "input file's SHA-256 and each candidate's fit, status, coverage and contributions,\n"
    "in the order of the ranking rule the log's header records ('ranking'; a log without\n"
    "it was written before the field existed and is checked by the fit-only rule).\n"
    "Give the input with the same path as the scoring run did (the path is recorded).\n"
    "Cut records ('merit cut --choose ... --audit-log') are checked by computing the cut\n"
    "again from the files they name (paths as recorded): their hashes, the cuts, the\n"
    "selections and the impact tables must match; a cut record whose files are gone is\n"
    "reported as not checked (a note; it does not fail the log).\n"
    "\n"
    "  --log FILE         the decision log (JSON Lines)\n"
    "  --model FILE       the competency model\n"
    "  --profile ID       profile (default: the one the log's header names)\n") + pool_help + std::string(
    "  --threads N        threads in all (default: every core)\n"
    "\n"
    "exit status: 0 the log matches the inputs; 3 it does not (the differences are listed\n"
    "on stderr) or an input is bad; 2 bad command line; 4 file error\n"
    "\n"
    "example:\n"
    "  merit score --model competency_models/sales_enablement.json \\\n"
    "      --candidates examples/pool.csv --out ranked.csv --audit-log decisions.jsonl\n"
    "  merit verify-log --log decisions.jsonl --model competency_models/sales_enablement.json \\\n"
    "      --candidates examples/pool.csv\n");

int run_verify(args& a) {
  const std::string log_path = a.required("--log");
  const std::string model_path = a.required("--model");
  auto profile_arg = a.value("--profile");
  const pool_options pool_opt = pool_options::from(a);
  const auto threads = a.integer("--threads", 1, 1024);
  a.finish();

  const std::string log_text = read_file(log_path);
  // The header: the profile it names (unless --profile) and the ranking rule
  // its records' order follows (absent in logs made before the field: fit/1).
  nlohmann::json log_header;
  try {
    log_header = nlohmann::json::parse(log_text.substr(0, log_text.find('\n')));
  } catch (const nlohmann::json::exception&) {
  }
  if (!profile_arg) {
    try {
      profile_arg = log_header.at("profile").at("id").get<std::string>();
    } catch (const nlohmann::json::exception&) {
      throw input_error(errc::parse, log_path + ":1", "no readable header record; give --profile");
    }
  }
  const std::optional<ranking_rule> recorded =
      log_header.is_object() ? recorded_ranking_rule(log_header, log_path) : std::optional<ranking_rule>(current_ranking_rule);
  const ranking_rule rule = recorded.value_or(ranking_rule::fit_only);
  const competency_model model = load_model(model_path);
  const scoring_plan plan = compile(model, *profile_arg);

  pool::stream_options so;
  so.threads = threads ? static_cast<unsigned>(*threads) : std::max(1u, std::thread::hardware_concurrency());
  so.contributions = true;
  so.on_evidence = [&](const pool_input& in) { print_evidence_summary(stderr, model, in); };
  const pool::scored_pool pool = pool::score_pool(model, plan, pool_opt.stream_source(), so);
  const std::string& input = pool_opt.path();
  const auto header = decision_log_header(plan, input, sha256_file(input), "", utc_timestamp(), recorded);
  // The fresh records in the order of the log's rule (the pool comes in the current rule's).
  std::vector<std::string_view> ids(pool.size());
  for (std::size_t i = 0; i < pool.size(); ++i) ids[i] = pool.id(i);
  const Eigen::Map<const Vector> fit(pool.fit.data(), static_cast<Eigen::Index>(pool.size()));
  const std::vector<std::size_t> order = rank_order(ids, fit, pool.status, rule);
  std::vector<nlohmann::ordered_json> records;
  records.reserve(order.size());
  const std::size_t T = static_cast<std::size_t>(plan.size());
  for (std::size_t i : order)
    records.push_back(decision_log_record(plan, pool.id(i),
                                          fit_result{pool.fit[i], pool.coverage[i], static_cast<status>(pool.status[i])},
                                          &pool.contributions[i * T]));
  log_verification v = verify_decision_log(log_text, header, records, log_path);
  std::size_t cuts_checked = 0, cuts_not_checked = 0;
  for (const auto& [line, record] : v.cut_records) {
    const std::string place = log_path + ":" + std::to_string(line);
    const io::cut_record_check c = io::verify_cut_record(record, place);
    if (!c.not_checked.empty()) {
      ++cuts_not_checked;
      v.notes.push_back(place + ": cut record not checked: " + c.not_checked +
                        " (a cut record is checked by computing it again from the files it names)");
      continue;
    }
    cuts_checked += c.checked;
    for (const auto& p : c.problems) {
      v.ok = false;
      v.problems.push_back(place + ": cut record: " + p);
    }
  }
  for (const auto& n : v.notes) std::fprintf(stderr, "merit verify-log: note: %s\n", n.c_str());
  for (const auto& p : v.problems) std::fprintf(stderr, "merit verify-log: %s\n", p.c_str());
  std::string counts = std::to_string(v.records) + " candidate records";
  if (!v.cut_records.empty()) {
    counts += ", " + std::to_string(cuts_checked) + " cut record(s) recomputed";
    if (cuts_not_checked) counts += ", " + std::to_string(cuts_not_checked) + " cut record(s) NOT checked";
  }
  if (!v.ok) {
    std::fprintf(stderr, "merit verify-log: %s does NOT match its inputs (%s checked)\n", log_path.c_str(),
                 counts.c_str());
    return exit_input;
  }
  std::fprintf(stderr, "merit verify-log: %s matches its inputs (%s)\n", log_path.c_str(), counts.c_str());
  return exit_ok;
}

registrar reg_verify{{"verify-log", "check a decision log (--audit-log) against its inputs", verify_help.c_str(),
                      &run_verify}};

}  // namespace
}  // namespace merit::cli
