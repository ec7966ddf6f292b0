#pragma once
/// \file io/decision_log.hpp
/// Decision records (`--audit-log FILE.jsonl`): what an auditor needs to trace
/// every score to the exact model and inputs behind it, as the EU AI Act asks
/// of high-risk systems (logs of inputs, model versions and outputs).
///
/// Format `merit.decision-log/1`, JSON Lines:
/// - one header record: `{"record": "header", "format", "ranking",
///   "timestamp", "merit_version", "model": {"id", "version", "content_hash"},
///   "profile": {"id", "fit_model", "min_coverage", "weights", "targets",
///   "minimums"}, "input": {"path", "sha256"}, "command_line"}`. "ranking"
///   names the ranking rule the records' order follows (rank.hpp:
///   "status-then-fit/2"); a log without it was made before the field
///   existed, by the fit-only rule ("fit/1");
/// - one record per candidate: `{"record": "candidate", "candidate_id", "fit"
///   (null when none), "status", "coverage", "contributions": {id: points}}`,
///   in ranking order;
/// - after them, any number of cut records (`{"record": "cut", ...}`,
///   io/cut.hpp): a cut score chosen with `merit cut --choose`, its rationale,
///   its inputs' hashes and its consequences. verify_decision_log sets them
///   apart (log_verification::cut_records) for io/cut.hpp to check.
/// Numbers are written in their shortest round-trip form, keys in a fixed
/// order, so a rerun on the same inputs gives identical records except the
/// timestamp. `verify_decision_log` checks a log against the inputs.

#include <merit/detail/sha256.hpp>
#include <merit/fit.hpp>
#include <merit/io/file.hpp>
#include <merit/rank.hpp>
#include <merit/version.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace merit {

inline constexpr const char* decision_log_format = "merit.decision-log/1";

/// SHA-256 of a file's bytes (streamed); throws input_error (errc::io).
inline std::string sha256_file(const std::string& path) {
  std::FILE* f = open_input_file(path);
  detail::sha256 h;
  std::size_t total = 0;
  std::string buf(1 << 16, '\0');
  for (;;) {
    std::size_t got = std::fread(&buf[0], 1, buf.size(), f);
    if (got == 0) break;
    total += got;
    h.update(std::string_view(buf.data(), got));
  }
  const int err = errno;
  const bool bad = std::ferror(f) != 0;
  std::fclose(f);
  if (bad) throw read_error(path, total, err);
  return h.hex_digest();
}

/// Current UTC time as ISO 8601 (`2026-11-27T10:15:48Z`).
inline std::string utc_timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// The header record of a decision log. `ranking`: the rule the records'
/// order follows; nothing leaves the field out, as logs made before it did
/// (verify-log rebuilds such a header to check one).
inline nlohmann::ordered_json decision_log_header(const scoring_plan& plan, const std::string& input_path,
                                                  const std::string& input_sha256, const std::string& command_line,
                                                  const std::string& timestamp = utc_timestamp(),
                                                  std::optional<ranking_rule> ranking = current_ranking_rule) {
  nlohmann::ordered_json weights = nlohmann::ordered_json::object(), targets = nlohmann::ordered_json::object(),
                         minimums = nlohmann::ordered_json::object();
  for (Eigen::Index k = 0; k < plan.size(); ++k) {
    const std::string& id = plan.competency_ids()[static_cast<std::size_t>(k)];
    weights[id] = plan.weights()[k];
    targets[id] = plan.targets()[k];
    if (!std::isnan(plan.minimums()[k])) minimums[id] = plan.minimums()[k];
  }
  nlohmann::ordered_json h;
  h["record"] = "header";
  h["format"] = decision_log_format;
  if (ranking) h["ranking"] = to_string(*ranking);
  h["timestamp"] = timestamp;
  h["merit_version"] = version();
  h["model"] = {{"id", plan.model_id()}, {"version", plan.model_version()}, {"content_hash", plan.model_hash()}};
  h["profile"] = {{"id", plan.profile_id()},       {"fit_model", to_string(plan.fit_model())},
                  {"min_coverage", plan.min_coverage()}, {"weights", weights},
                  {"targets", targets},             {"minimums", minimums}};
  h["input"] = {{"path", input_path}, {"sha256", input_sha256}};
  h["command_line"] = command_line;
  return h;
}

/// One candidate's record. `contributions`: #targets values, or null (zeros).
inline nlohmann::ordered_json decision_log_record(const scoring_plan& plan, std::string_view candidate_id,
                                                  const fit_result& r, const double* contributions) {
  nlohmann::ordered_json c = nlohmann::ordered_json::object();
  for (Eigen::Index k = 0; k < plan.size(); ++k)
    c[plan.competency_ids()[static_cast<std::size_t>(k)]] = contributions ? contributions[k] : 0.0;
  nlohmann::ordered_json rec;
  rec["record"] = "candidate";
  rec["candidate_id"] = std::string(candidate_id);
  rec["fit"] = r.has_fit() ? nlohmann::ordered_json(r.fit) : nlohmann::ordered_json(nullptr);
  rec["status"] = to_string(r.status);
  rec["coverage"] = r.coverage;
  rec["contributions"] = std::move(c);
  return rec;
}

/// The outcome of checking a decision log against its inputs.
struct log_verification {
  bool ok = true;
  std::size_t records = 0;
  std::vector<std::string> problems;  ///< "line N: what differs"
  /// What differs without making the log wrong: a log written by another
  /// merit version whose records this version reproduces.
  std::vector<std::string> notes;
  /// The cut records (`"record": "cut"`), with their line: not candidate
  /// records, checked by recomputation (io/cut.hpp verify_cut_record).
  std::vector<std::pair<std::size_t, nlohmann::json>> cut_records;
};

/// The ranking rule a decision log's header records: its "ranking" field, or
/// nothing when the field is absent (a log made before it existed: ranked by
/// fit alone). Throws input_error (errc::value) at `source`:1 for a rule this
/// merit does not know.
inline std::optional<ranking_rule> recorded_ranking_rule(const nlohmann::json& header, const std::string& source) {
  const auto it = header.find("ranking");
  if (it == header.end()) return std::nullopt;
  const std::optional<ranking_rule> r = it->is_string() ? parse_ranking_rule(it->get<std::string>()) : std::nullopt;
  if (!r)
    throw input_error(errc::value, source + ":1",
                      "header field 'ranking' is " + it->dump() + ", a ranking rule this merit does not know (it knows \"" +
                          to_string(ranking_rule::status_then_fit) + "\" and \"" + to_string(ranking_rule::fit_only) +
                          "\"); check the log with the merit version that wrote it");
  return r;
}

/// Compares a decision log (JSON Lines text) with the header and records a
/// fresh run produces: every field must match except the timestamp, the
/// command line and the merit version (a different version is a note, not a
/// problem: what is verified is that this version reproduces every record). `fresh_header` and `fresh_records` come from the same
/// functions above, run on the inputs the log names, the records in the
/// order of the ranking rule the log records (recorded_ranking_rule).
inline log_verification verify_decision_log(std::string_view log_text, const nlohmann::ordered_json& fresh_header,
                                            const std::vector<nlohmann::ordered_json>& fresh_records,
                                            const std::string& source) {
  log_verification v;
  std::size_t line = 0, pos = 0, rec = 0;
  std::unordered_map<std::string, std::size_t> fresh_rank;  // id -> position, built at the first record out of place
  const std::string rule = fresh_header.value("ranking", std::string(to_string(ranking_rule::fit_only)));
  bool seen_header = false;
  auto problem = [&](const std::string& what) {
    v.ok = false;
    if (v.problems.size() < 50) v.problems.push_back(source + ":" + std::to_string(line) + ": " + what);
  };
  while (pos < log_text.size()) {
    std::size_t end = log_text.find('\n', pos);
    if (end == std::string_view::npos) end = log_text.size();
    std::string_view ln = log_text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (ln.empty()) continue;
    nlohmann::ordered_json j;
    try {
      j = nlohmann::ordered_json::parse(ln);
    } catch (const nlohmann::json::exception&) {
      problem("not a JSON record");
      continue;
    }
    if (!seen_header) {
      seen_header = true;
      nlohmann::ordered_json a = j, b = fresh_header;
      // The merit version is not checked: the records are. An older log
      // whose every record this version reproduces is verified, with a note.
      if (a.contains("merit_version") && b.contains("merit_version") && a["merit_version"] != b["merit_version"])
        v.notes.push_back(source + ":" + std::to_string(line) + ": written by merit " + a["merit_version"].dump() +
                          ", checked with merit " + b["merit_version"].dump());
      for (const char* k : {"timestamp", "command_line", "merit_version"}) {
        a.erase(k);
        b.erase(k);
      }
      if (a != b) {
        for (auto it = b.begin(); it != b.end(); ++it)
          if (!a.contains(it.key()) || a[it.key()] != it.value())
            problem("header field '" + it.key() + "' differs: log has " + (a.contains(it.key()) ? a[it.key()].dump() : "nothing") +
                    ", the inputs give " + it.value().dump());
        for (auto it = a.begin(); it != a.end(); ++it)
          if (!b.contains(it.key())) problem("header field '" + it.key() + "' is not produced by the inputs");
      }
      continue;
    }
    if (j.is_object() && j.value("record", std::string()) == "cut") {
      v.cut_records.emplace_back(line, nlohmann::json::parse(ln));
      continue;
    }
    ++v.records;
    if (rec >= fresh_records.size()) {
      problem("record for '" + j.value("candidate_id", std::string("?")) + "' is not produced by the inputs");
      continue;
    }
    if (j != fresh_records[rec]) {
      const std::string id = j.value("candidate_id", std::string("?"));
      if (fresh_rank.empty())
        for (std::size_t k = 0; k < fresh_records.size(); ++k)
          fresh_rank.emplace(fresh_records[k]["candidate_id"].get<std::string>(), k);
      const auto at = fresh_rank.find(id);
      if (at != fresh_rank.end() && fresh_records[at->second] == j)  // the right record in the wrong place
        problem("candidate '" + id + "' is out of order for the ranking rule '" + rule + "' the header records: the log ranks it " +
                std::to_string(rec + 1) + ", the rule ranks it " + std::to_string(at->second + 1));
      else
        problem("record differs for candidate '" + id + "': log has " + j.dump() + ", the inputs give " +
                fresh_records[rec].dump());
    }
    ++rec;
  }
  if (!seen_header) problem("no header record");
  if (rec < fresh_records.size())
    problem(std::to_string(fresh_records.size() - rec) + " candidate record(s) missing from the log");
  return v;
}

}  // namespace merit
