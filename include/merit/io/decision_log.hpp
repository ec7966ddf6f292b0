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
///
/// Decision-record id (decision_record_id): the first 16 hex digits of the
/// SHA-256 of the record's header line and the record's line, each with its
/// newline: `sed -n '1p;Np' LOG | sha256sum | cut -c1-16` for the record on
/// line N of a `merit score` log (one header, on line 1; a `merit serve` log
/// has a header before each block: use that header's line). The header is in
/// the hash so that the id names this decision in this run: two runs that
/// give a candidate the same record (a rerun, another day) have different
/// headers (timestamp, input hash), so different ids, and a record copied
/// into another log no longer has its id. The line's bytes are hashed
/// exactly as they are in the file, so anyone can recompute the id from the
/// log alone with standard tools. `find_decision_record` finds a
/// candidate's record and `check_decision_record` checks that it is the
/// decision a report shows (merit report candidate --decision-log).

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

/// The id of the decision record on `record_line` under the header on
/// `header_line` (both without their newline): the first 16 hex digits of
/// SHA-256(header_line + "\n" + record_line + "\n"). See the file comment.
inline std::string decision_record_id(std::string_view header_line, std::string_view record_line) {
  detail::sha256 h;
  h.update(header_line);
  h.update("\n");
  h.update(record_line);
  h.update("\n");
  return h.hex_digest().substr(0, 16);
}

/// A candidate's decision record found in a log.
struct decision_record_ref {
  std::string id;                 ///< decision_record_id
  std::size_t line = 0;           ///< the record's line (1-based)
  std::size_t header_line = 0;    ///< the line of the header above it
  nlohmann::json header, record;  ///< both parsed
};

/// The last decision record of `candidate_id` in a decision log (JSON Lines
/// text read from `source`): a `merit serve` log may hold several decisions
/// on one candidate, the last is the latest. Throws input_error at
/// `source`:line for a line that is not a JSON object (errc::parse), a
/// header of another format or a record before any header (errc::schema),
/// and at `source` when the log has no record of the candidate
/// (errc::not_found).
inline decision_record_ref find_decision_record(std::string_view log_text, const std::string& candidate_id,
                                                const std::string& source) {
  decision_record_ref found;
  std::string_view header_text;
  nlohmann::json header;
  std::size_t line = 0, pos = 0, header_line = 0, candidates = 0;
  auto at = [&](std::size_t n) { return source + ":" + std::to_string(n); };
  while (pos < log_text.size()) {
    std::size_t end = log_text.find('\n', pos);
    if (end == std::string_view::npos) end = log_text.size();
    const std::string_view ln = log_text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (ln.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(ln, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      throw input_error(errc::parse, at(line),
                        "not a JSON object; a decision log (" + std::string(decision_log_format) +
                            ") has one JSON record per line: check it with 'merit verify-log' or write it again with "
                            "'merit score --audit-log'");
    const auto kind = j.find("record");
    const std::string record = kind != j.end() && kind->is_string() ? kind->get<std::string>() : std::string();
    if (record == "header") {
      const auto fmt = j.find("format");
      if (fmt == j.end() || *fmt != decision_log_format)
        throw input_error(errc::schema, at(line),
                          "header of format " + (fmt == j.end() ? std::string("(none)") : fmt->dump()) + ", not \"" +
                              decision_log_format + "\"; give a decision log written by 'merit score --audit-log'");
      header = std::move(j);
      header_text = ln;
      header_line = line;
      continue;
    }
    if (record != "candidate") continue;  // cut records and records of later formats
    if (header_line == 0)
      throw input_error(errc::schema, at(line),
                        "candidate record before any header record; a decision log starts with its header "
                        "(write it with 'merit score --audit-log')");
    ++candidates;
    const auto id = j.find("candidate_id");
    if (id == j.end() || *id != candidate_id) continue;
    found.id = decision_record_id(header_text, ln);
    found.line = line;
    found.header_line = header_line;
    found.header = header;
    found.record = std::move(j);
  }
  if (found.line == 0)
    throw input_error(errc::not_found, source,
                      "no decision record for candidate '" + candidate_id + "' (the log has " +
                          std::to_string(candidates) +
                          " candidate records); give the log of the scoring run that scored this pool");
  return found;
}

/// A fit as the decision check compares and prints it: 6 decimals, or "none".
inline std::string decision_fit_text(const nlohmann::json& fit) {
  if (!fit.is_number()) return "none";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", fit.get<double>());
  return buf;
}

/// Checks that `r` is the decision a report on the same candidate shows: the
/// header's model content_hash is `model_hash`, its profile id is
/// `profile_id`, and the record's fit (to 6 decimals) and status are those of
/// `computed`. Throws input_error (errc::inconsistent) at the log's line
/// (the header's for the model and profile, the record's for the fit and
/// status) naming what differs.
inline void check_decision_record(const decision_record_ref& r, const std::string& source,
                                  const std::string& model_hash, const std::string& profile_id,
                                  const fit_result& computed) {
  const std::string at_header = source + ":" + std::to_string(r.header_line);
  const nlohmann::json none;
  const nlohmann::json& model = r.header.contains("model") ? r.header["model"] : none;
  const nlohmann::json& profile = r.header.contains("profile") ? r.header["profile"] : none;
  const std::string log_hash = model.is_object() ? model.value("content_hash", std::string()) : std::string();
  if (log_hash != model_hash)
    throw input_error(errc::inconsistent, at_header,
                      "the log's model content_hash is '" + log_hash + "', the report's model has '" + model_hash +
                          "': the log was written with another model (or another version of it); report with the "
                          "model file the log was written with");
  const std::string log_profile = profile.is_object() ? profile.value("id", std::string()) : std::string();
  if (log_profile != profile_id)
    throw input_error(errc::inconsistent, at_header,
                      "the log's profile is '" + log_profile + "', the report's is '" + profile_id +
                          "'; report with --profile " + log_profile + ", or give the log of profile " + profile_id);
  const std::string log_fit = decision_fit_text(r.record.contains("fit") ? r.record["fit"] : none);
  const std::string log_status =
      r.record.contains("status") && r.record["status"].is_string() ? r.record["status"].get<std::string>() : "(none)";
  const std::string fit = decision_fit_text(computed.has_fit() ? nlohmann::json(computed.fit) : none);
  const std::string st = to_string(computed.status);
  if (log_fit != fit || log_status != st)
    throw input_error(errc::inconsistent, source + ":" + std::to_string(r.line),
                      "the log records fit " + log_fit + " and status " + log_status + " for candidate '" +
                          r.record.value("candidate_id", std::string()) + "', the report computes fit " + fit +
                          " and status " + st +
                          ": the log was made from other inputs; give the pool file the log was made from "
                          "(check the pair with 'merit verify-log')");
}

}  // namespace merit
