#pragma once
/// \file io/cut.hpp
/// The files and records of `merit cut` (docs/cut.md): reading the applicant
/// pool's scores, the hires' outcomes and the demographic groups; the report
/// (`merit.cut/1` JSON) of the expectancy-based cut, the selection-ratio cut
/// and a chosen value, each with who it selects and its adverse impact
/// (merit::audit, as `merit audit`); and the decision-log record of a chosen
/// cut, which `merit verify-log` checks by computing the report again.
///
/// The groups file is read after the cuts are computed and only joined to the
/// selections they give: no label reaches cut.hpp.

#include <merit/cut.hpp>
#include <merit/errors.hpp>
#include <merit/fairness.hpp>
#include <merit/fields.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/protected.hpp>
#include <merit/version.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace merit::io {

inline constexpr const char* cut_report_format = "merit.cut/1";

/// What `merit cut` was asked; a cut record keeps it, so verify-log can ask again.
struct cut_settings {
  std::string scores;                 ///< the applicant pool: candidate_id, the predictor, status (optional)
  std::string predictor = "fit";
  std::string outcomes;               ///< empty: no expectancy cut
  std::string outcome_scores;         ///< the hires' scores; empty: `scores`
  std::string criterion;
  double success_value = 1;           ///< the criterion value that means success (0 or 1)
  double target_success = std::numeric_limits<double>::quiet_NaN();
  double selection_ratio = std::numeric_limits<double>::quiet_NaN();  ///< NaN: no ratio cut
  std::optional<double> value;        ///< a cut given as a number (--choose VALUE)
  std::string groups;                 ///< empty: no impact tables
  std::vector<std::string> by;
};

/// One scores file: ids in file order, the predictor (NaN = empty) and
/// whether each row may pass (status qualified, or no status column).
struct scored_pool {
  std::vector<std::string> ids;
  std::vector<double> score;
  std::vector<bool> eligible;
  bool has_status = false;
};

namespace cut_detail {
inline std::map<std::string, std::size_t> header_of(csv_reader& r) {
  if (!r.next()) throw input_error(errc::schema, r.source(), "the file is empty; expected a header row");
  std::map<std::string, std::size_t> cols;
  for (std::size_t i = 0; i < r.size(); ++i)
    if (!cols.emplace(std::string(trim_field(r[i])), i).second)
      throw input_error(errc::duplicate, r.place(i), "duplicate column '" + std::string(trim_field(r[i])) + "'");
  return cols;
}
inline std::size_t need(const std::map<std::string, std::size_t>& cols, const csv_reader& r, const std::string& name) {
  auto it = cols.find(name);
  if (it == cols.end()) throw input_error(errc::not_found, r.place_at(1, 1), "no column '" + name + "' in the header");
  return it->second;
}
inline void check_width(const csv_reader& r, std::size_t width) {
  if (r.size() != width)
    throw input_error(errc::schema, r.place(std::min(r.size(), width) - 1),
                      "row has " + std::to_string(r.size()) + " fields, the header has " + std::to_string(width));
}
inline std::string id_at(const csv_reader& r, std::size_t col, std::unordered_map<std::string, std::size_t>& seen) {
  std::string id(trim_field(r[col]));
  if (id.empty()) throw input_error(errc::value, r.place(col), "empty candidate_id");
  auto [it, fresh] = seen.emplace(id, r.line());
  if (!fresh)
    throw input_error(errc::duplicate, r.place(col),
                      "candidate_id '" + id + "' appears twice (first on line " + std::to_string(it->second) + ")");
  return id;
}
}  // namespace cut_detail

/// Reads a scores file (what `merit score` writes, or any CSV with
/// candidate_id and the predictor column). The predictor column may not name
/// a protected characteristic. A `status` column, when present, makes only
/// `qualified` rows eligible, as `merit audit --threshold` does.
inline scored_pool read_scored_pool(const std::string& path, const std::string& predictor) {
  auto r = csv_reader::open(path);
  const auto cols = cut_detail::header_of(r);
  const std::size_t width = r.size(), id = cut_detail::need(cols, r, "candidate_id"),
                    x = cut_detail::need(cols, r, predictor);
  check_not_protected<input_error>("predictor column", predictor, r.place(x));
  const auto st = cols.find("status");
  scored_pool p;
  p.has_status = st != cols.end();
  std::unordered_map<std::string, std::size_t> seen;
  while (r.next()) {
    cut_detail::check_width(r, width);
    p.ids.push_back(cut_detail::id_at(r, id, seen));
    double v = std::numeric_limits<double>::quiet_NaN();
    if (!is_missing_field(r[x]) && (!parse_double(trim_field(r[x]), v) || !std::isfinite(v)))
      throw input_error(errc::parse, r.place(x), "'" + std::string(r[x]) + "' in column '" + predictor + "' is not a number");
    p.score.push_back(v);
    bool ok = true;
    if (p.has_status) {
      const std::string text(trim_field(r[st->second]));
      const auto s = parse_result_status(text);
      if (!s) throw input_error(errc::value, r.place(st->second), unknown_status_message(text));
      ok = *s == status::qualified;
    }
    p.eligible.push_back(ok);
  }
  return p;
}

/// The hires' scores joined with their outcomes: the cases of the expectancy cut.
struct outcome_sample {
  std::vector<double> score, success;
  std::size_t unmatched = 0;  ///< outcome rows whose id has no score row
  std::size_t missing = 0;    ///< matched rows with an empty score or criterion
};

/// Reads the outcomes file (candidate_id and the criterion, 0 or 1) and joins
/// it with `scores` in the outcomes file's order; success = criterion equal
/// to `success_value`.
inline outcome_sample read_outcome_sample(const std::string& path, const std::string& criterion,
                                          double success_value, const scored_pool& scores) {
  std::unordered_map<std::string, std::size_t> row;
  for (std::size_t i = 0; i < scores.ids.size(); ++i) row.emplace(scores.ids[i], i);
  auto r = csv_reader::open(path);
  const auto cols = cut_detail::header_of(r);
  const std::size_t width = r.size(), id = cut_detail::need(cols, r, "candidate_id"),
                    y = cut_detail::need(cols, r, criterion);
  outcome_sample s;
  std::unordered_map<std::string, std::size_t> seen;
  while (r.next()) {
    cut_detail::check_width(r, width);
    const std::string key = cut_detail::id_at(r, id, seen);
    double v = std::numeric_limits<double>::quiet_NaN();
    if (!is_missing_field(r[y])) {
      if (!parse_double(trim_field(r[y]), v) || (v != 0 && v != 1))
        throw input_error(errc::value, r.place(y),
                          "the criterion '" + criterion + "' must be 0 or 1 for an expectancy cut, got '" +
                              std::string(r[y]) + "'");
    }
    const auto at = row.find(key);
    if (at == row.end()) {
      ++s.unmatched;
      continue;
    }
    const double x = scores.score[at->second];
    if (std::isnan(v) || std::isnan(x)) {
      ++s.missing;
      continue;
    }
    s.score.push_back(x);
    s.success.push_back(v == success_value ? 1 : 0);
  }
  return s;
}

/// The demographic labels of the pool's applicants, from the groups file
/// (candidate_id and the --by columns; an empty cell is unknown), as
/// merit::audit takes them; ids of the groups file not in the pool are
/// `absent_labels` (listed with no applicants, as `merit audit` does).
inline audit_data read_pool_groups(const std::string& path, const std::vector<std::string>& by,
                                   const scored_pool& pool, std::size_t& groups_without_scores) {
  std::unordered_map<std::string, std::size_t> row;
  for (std::size_t i = 0; i < pool.ids.size(); ++i) row.emplace(pool.ids[i], i);
  audit_data d;
  d.dimensions = by;
  d.labels.assign(pool.ids.size(), std::vector<std::string>(by.size()));
  auto r = csv_reader::open(path);
  const auto cols = cut_detail::header_of(r);
  const std::size_t width = r.size(), id = cut_detail::need(cols, r, "candidate_id");
  std::vector<std::size_t> at;
  for (const auto& b : by) at.push_back(cut_detail::need(cols, r, b));
  std::unordered_map<std::string, std::size_t> seen;
  groups_without_scores = 0;
  while (r.next()) {
    cut_detail::check_width(r, width);
    const std::string key = cut_detail::id_at(r, id, seen);
    std::vector<std::string> labels;
    for (std::size_t c : at) labels.emplace_back(trim_field(r[c]));
    const auto it = row.find(key);
    if (it == row.end()) {
      ++groups_without_scores;
      d.absent_labels.push_back(std::move(labels));
    } else {
      d.labels[it->second] = std::move(labels);
    }
  }
  return d;
}

/// One cut applied to the pool.
struct cut_consequence {
  std::string rule;  ///< expectancy, ratio or value
  double cut = std::numeric_limits<double>::quiet_NaN();
  std::size_t selected = 0, applicants = 0;
  double selection_rate = std::numeric_limits<double>::quiet_NaN();
  std::optional<audit_result> impact;
};

/// Everything `merit cut` shows.
struct cut_report {
  cut_settings settings;
  std::size_t applicants = 0, eligible = 0;
  bool has_status = false;
  std::optional<expectancy_cut> expectancy;
  std::size_t outcomes_unmatched = 0, outcomes_missing = 0;
  std::optional<ratio_cut> ratio;
  std::vector<cut_consequence> cuts;  ///< expectancy (when found), ratio, value: in that order
  std::size_t groups_without_scores = 0;
};

/// Reads the inputs `s` names, computes the cuts from the scores and outcomes
/// alone, applies each to the pool, and only then joins the groups to report
/// each selection's adverse impact.
inline cut_report compute_cut_report(const cut_settings& s) {
  cut_report rep;
  rep.settings = s;
  const scored_pool pool = read_scored_pool(s.scores, s.predictor);
  rep.applicants = pool.ids.size();
  rep.has_status = pool.has_status;
  for (bool e : pool.eligible) rep.eligible += e;
  auto on = [](const std::string& place, auto compute) {
    try {
      return compute();
    } catch (const argument_error& e) {
      throw input_error(errc::value, place, e.detail());
    }
  };
  if (!s.outcomes.empty()) {
    const scored_pool hires =
        s.outcome_scores.empty() || s.outcome_scores == s.scores ? pool : read_scored_pool(s.outcome_scores, s.predictor);
    const outcome_sample sample = read_outcome_sample(s.outcomes, s.criterion, s.success_value, hires);
    rep.outcomes_unmatched = sample.unmatched;
    rep.outcomes_missing = sample.missing;
    rep.expectancy = on(s.outcomes, [&] { return expectancy_based_cut(sample.score, sample.success, s.target_success); });
  }
  if (!std::isnan(s.selection_ratio))
    rep.ratio = on(s.scores, [&] { return selection_ratio_cut(pool.score, pool.eligible, s.selection_ratio); });

  std::vector<std::pair<std::string, double>> cuts;
  if (rep.expectancy && rep.expectancy->found) cuts.emplace_back("expectancy", rep.expectancy->cut);
  if (rep.ratio) cuts.emplace_back("ratio", rep.ratio->cut);
  if (s.value) cuts.emplace_back("value", *s.value);
  std::optional<audit_data> groups;
  if (!s.groups.empty()) groups = read_pool_groups(s.groups, s.by, pool, rep.groups_without_scores);
  for (const auto& [rule, c] : cuts) {
    cut_consequence q;
    q.rule = rule;
    q.cut = c;
    const std::vector<bool> sel = select_at_cut(pool.score, pool.eligible, c);
    q.applicants = sel.size();
    for (bool b : sel) q.selected += b;
    q.selection_rate = q.applicants ? double(q.selected) / double(q.applicants) : std::nan("");
    if (groups) {
      audit_data d = *groups;
      d.selected = sel;
      d.fits = pool.score;
      q.impact = audit(d);
    }
    rep.cuts.push_back(std::move(q));
  }
  return rep;
}

namespace cut_detail {
inline nlohmann::ordered_json num(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}
}  // namespace cut_detail

/// An impact table as `merit audit --json` lists its categories.
inline nlohmann::ordered_json impact_json(const audit_result& r) {
  using cut_detail::num;
  nlohmann::ordered_json cats = nlohmann::ordered_json::array();
  for (const auto& c : r.categories)
    cats.push_back({{"dimension", c.dimension},
                    {"name", c.name},
                    {"applicants", c.applicants},
                    {"selected", c.selected},
                    {"selection_rate", num(c.selection_rate)},
                    {"impact_ratio", num(c.impact_ratio)},
                    {"four_fifths_flag", c.four_fifths_flag},
                    {"fisher_p", num(c.fisher_p)},
                    {"odds_ratio", num(c.odds_ratio)},
                    {"z", num(c.z)},
                    {"z_p", num(c.z_p)},
                    {"small_category", c.small_category},
                    {"reference", c.reference}});
  nlohmann::ordered_json unknown = nlohmann::ordered_json::object();
  for (const auto& [dim, count] : r.unknown_by) unknown[dim] = count;
  return {{"unknown_by", unknown}, {"categories", cats}};
}

/// The `merit.cut/1` report.
inline nlohmann::ordered_json cut_report_json(const cut_report& rep) {
  using cut_detail::num;
  const cut_settings& s = rep.settings;
  nlohmann::ordered_json j;
  j["format"] = cut_report_format;
  j["predictor"] = s.predictor;
  j["pool"] = {{"applicants", rep.applicants},
               {"eligible", rep.eligible},
               {"rule", rep.has_status ? "score >= cut and status qualified" : "score >= cut"}};
  if (rep.expectancy) {
    const expectancy_cut& e = *rep.expectancy;
    j["expectancy"] = {{"criterion", s.criterion},
                       {"success_value", s.success_value},
                       {"target_success", e.target},
                       {"sample_n", e.sample_n},
                       {"sample_successes", e.sample_successes},
                       {"base_rate", num(double(e.sample_successes) / double(e.sample_n))},
                       {"found", e.found},
                       {"cut", num(e.cut)},
                       {"n", e.n},
                       {"successes", e.successes},
                       {"success_rate", num(e.rate)},
                       {"lower", num(e.lower)},
                       {"upper", num(e.upper)}};
  } else {
    j["expectancy"] = nullptr;
  }
  if (rep.ratio) {
    const ratio_cut& r = *rep.ratio;
    j["ratio"] = {{"selection_ratio", r.selection_ratio},
                  {"target_count", r.target_count},
                  {"reached", r.reached},
                  {"cut", num(r.cut)}};
  } else {
    j["ratio"] = nullptr;
  }
  auto& cuts = j["cuts"] = nlohmann::ordered_json::array();
  for (const auto& q : rep.cuts) {
    nlohmann::ordered_json c = {{"rule", q.rule},
                                {"cut", num(q.cut)},
                                {"selected", q.selected},
                                {"applicants", q.applicants},
                                {"selection_rate", num(q.selection_rate)}};
    c["impact"] = q.impact ? impact_json(*q.impact) : nlohmann::ordered_json(nullptr);
    cuts.push_back(std::move(c));
  }
  j["groups_without_scores"] = rep.groups_without_scores;
  return j;
}

/// The settings as a cut record keeps them (paths as given).
inline nlohmann::ordered_json cut_settings_json(const cut_settings& s) {
  using cut_detail::num;
  return {{"scores", s.scores},
          {"predictor", s.predictor},
          {"outcomes", s.outcomes.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.outcomes)},
          {"outcome_scores",
           s.outcome_scores.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.outcome_scores)},
          {"criterion", s.criterion.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.criterion)},
          {"success_value", s.success_value},
          {"target_success", num(s.target_success)},
          {"selection_ratio", num(s.selection_ratio)},
          {"value", s.value ? nlohmann::ordered_json(*s.value) : nlohmann::ordered_json(nullptr)},
          {"groups", s.groups.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.groups)},
          {"by", s.by}};
}

/// The settings a cut record holds (the inverse of cut_settings_json).
/// Throws input_error (errc::value) at `place` when a field is malformed.
inline cut_settings cut_settings_from_json(const nlohmann::json& j, const std::string& place) {
  try {
    cut_settings s;
    auto text = [&](const char* k) { return j.at(k).is_null() ? std::string() : j.at(k).get<std::string>(); };
    auto number = [&](const char* k) {
      return j.at(k).is_null() ? std::numeric_limits<double>::quiet_NaN() : j.at(k).get<double>();
    };
    s.scores = j.at("scores").get<std::string>();
    s.predictor = j.at("predictor").get<std::string>();
    s.outcomes = text("outcomes");
    s.outcome_scores = text("outcome_scores");
    s.criterion = text("criterion");
    s.success_value = j.at("success_value").get<double>();
    s.target_success = number("target_success");
    s.selection_ratio = number("selection_ratio");
    if (!j.at("value").is_null()) s.value = j.at("value").get<double>();
    s.groups = text("groups");
    s.by = j.at("by").get<std::vector<std::string>>();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw input_error(errc::value, place, std::string("the cut record's settings are malformed: ") + e.what());
  }
}

/// The input files of a cut and their SHA-256, in a fixed order.
inline nlohmann::ordered_json cut_inputs_json(const cut_settings& s) {
  nlohmann::ordered_json in = nlohmann::ordered_json::object();
  for (const std::string* p : {&s.scores, &s.outcome_scores, &s.outcomes, &s.groups})
    if (!p->empty() && !in.contains(*p)) in[*p] = sha256_file(*p);
  return in;
}

/// The decision-log record of a chosen cut: `{"record": "cut", "timestamp",
/// "merit_version", "command_line", "choice", "cut", "rationale",
/// "settings", "inputs": {path: sha256}, "report": the merit.cut/1 report}`.
/// `choice`: expectancy, ratio or value; `cut` its score.
inline nlohmann::ordered_json cut_record(const cut_report& rep, const std::string& choice, double cut,
                                         const std::string& rationale, const std::string& command_line,
                                         const std::string& timestamp = utc_timestamp()) {
  nlohmann::ordered_json r;
  r["record"] = "cut";
  r["timestamp"] = timestamp;
  r["merit_version"] = version();
  r["command_line"] = command_line;
  r["choice"] = choice;
  r["cut"] = cut;
  r["rationale"] = rationale;
  r["settings"] = cut_settings_json(rep.settings);
  r["inputs"] = cut_inputs_json(rep.settings);
  r["report"] = cut_report_json(rep);
  return r;
}

/// The outcome of checking one cut record.
struct cut_record_check {
  bool checked = false;            ///< the record was computed again
  std::string not_checked;         ///< why not (an input no longer exists), or empty
  std::vector<std::string> problems;  ///< "field X differs: ...", empty when it matches
};

/// Checks one cut record of a decision log by computing it again from the
/// inputs its settings name (paths as recorded, from the current directory):
/// every field must match but the timestamp, the command line, the merit
/// version and the rationale, which are taken as recorded. When a recorded
/// input no longer exists the record is not checked, and `not_checked` says
/// so; a changed input shows as a differing SHA-256 in "inputs".
inline cut_record_check verify_cut_record(const nlohmann::json& record, const std::string& place) {
  cut_record_check out;
  if (!record.contains("settings") || !record["settings"].is_object()) {
    out.problems.push_back("the cut record has no settings");
    return out;
  }
  const cut_settings s = cut_settings_from_json(record["settings"], place);
  for (const std::string* p : {&s.scores, &s.outcome_scores, &s.outcomes, &s.groups})
    if (!p->empty()) {
      std::FILE* f = std::fopen(p->c_str(), "rb");
      if (!f) {
        out.not_checked = "input '" + *p + "' is not found";
        return out;
      }
      std::fclose(f);
    }
  const cut_report rep = compute_cut_report(s);
  const std::string choice = record.value("choice", std::string());
  double cut = std::numeric_limits<double>::quiet_NaN();
  for (const auto& q : rep.cuts)
    if (q.rule == choice) cut = q.cut;
  nlohmann::ordered_json fresh_ordered =
      cut_record(rep, choice, cut, record.value("rationale", std::string()), record.value("command_line", std::string()),
                 record.value("timestamp", std::string()));
  fresh_ordered["merit_version"] = record.value("merit_version", std::string());
  // Through text, so numbers compare as the log's parsed numbers do.
  const nlohmann::json fresh = nlohmann::json::parse(fresh_ordered.dump());
  out.checked = true;
  for (auto it = fresh.begin(); it != fresh.end(); ++it)
    if (!record.contains(it.key()) || record[it.key()] != it.value())
      out.problems.push_back("field '" + it.key() + "' differs: log has " +
                             (record.contains(it.key()) ? record[it.key()].dump() : std::string("nothing")) +
                             ", the inputs give " + it.value().dump());
  for (auto it = record.begin(); it != record.end(); ++it)
    if (!fresh.contains(it.key())) out.problems.push_back("field '" + it.key() + "' is not produced by the inputs");
  return out;
}

}  // namespace merit::io
