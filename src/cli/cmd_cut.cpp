// `merit cut`: cut scores side by side with their consequences: the
// expectancy-based cut for a target success rate, the cut for a target
// selection ratio (merit/cut.hpp), who each selects and its adverse impact
// (merit/fairness.hpp, as `merit audit`); the chosen cut and its rationale go
// into the decision log (merit/io/cut.hpp).
#include "cli.hpp"

#include <merit/errors.hpp>
#include <merit/io/cut.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/number.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

const char* const help_text =
    "usage: merit cut --scores S.csv [--predictor COL]\n"
    "                 [--outcomes O.csv --criterion COL --target-success P\n"
    "                  [--success-value 1|0] [--outcome-scores H.csv]]\n"
    "                 [--selection-ratio SR] [--groups G.csv --by COL[,COL...]]\n"
    "                 [--choose expectancy|ratio|VALUE --rationale TEXT --audit-log F.jsonl]\n"
    "                 [--json] [--out FILE]\n"
    "\n"
    "Cut scores and their consequences, side by side (see docs/cut.md):\n"
    "- the expectancy cut: the lowest score c such that, among the hires with an\n"
    "  outcome, those scoring >= c succeed at the target rate or more; with that\n"
    "  rate, its Wilson 95% interval and n;\n"
    "- the ratio cut: the highest score c at which at least the share SR of the\n"
    "  applicant pool passes (ties at c all pass, so the share may exceed SR);\n"
    "- a value given with --choose VALUE.\n"
    "Each is applied to the pool (--scores): selected = score >= c, and status\n"
    "qualified when the file has a status column. With --groups, each selection's\n"
    "adverse impact by group, as 'merit audit' computes it. The groups are read\n"
    "after the cuts are computed and never move them.\n"
    "\n"
    "options:\n"
    "  --scores FILE          the applicant pool: candidate_id, the predictor and\n"
    "                         (optional) status, e.g. the output of 'merit score'\n"
    "  --predictor COL        the score column (default fit)\n"
    "  --outcomes FILE        outcomes of past hires: candidate_id and --criterion (0/1)\n"
    "  --criterion COL        the outcome column\n"
    "  --success-value V      the criterion value that means success: 1 (default) or 0\n"
    "                         (0 for a criterion such as left_within_year)\n"
    "  --target-success P     the success rate the expectancy cut must reach, in (0, 1]\n"
    "  --outcome-scores FILE  the hires' scores (default: --scores)\n"
    "  --selection-ratio SR   the share of the pool to pass, in (0, 1]\n"
    "  --groups FILE          candidate_id and demographic columns (as 'merit audit')\n"
    "  --by COL[,COL...]      the demographic columns to report impact by\n"
    "  --choose C             expectancy, ratio or a score: the cut decided on\n"
    "  --rationale TEXT       why (required with --choose)\n"
    "  --audit-log FILE       the decision log of the scoring run ('merit score\n"
    "                         --audit-log'): a cut record is appended; 'merit\n"
    "                         verify-log' checks it by computing it again\n"
    "  --json                 the merit.cut/1 report as JSON instead of the table\n"
    "  --out FILE             write there instead of stdout (only once complete)\n"
    "\n"
    "example (synthetic outcomes and groups of the example pool):\n"
    "  merit score --model competency_models/sales_enablement.json \\\n"
    "      --candidates examples/pool.csv --out scores.csv --audit-log decisions.jsonl\n"
    "  merit cut --scores scores.csv --outcomes examples/outcomes.csv \\\n"
    "      --criterion left_within_year --success-value 0 --target-success 0.8 \\\n"
    "      --selection-ratio 0.3 --groups examples/groups.csv --by sex\n";

std::string fmt(const char* f, double v) {
  if (std::isnan(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string pad(std::string s, std::size_t w) {
  // Width in characters, not bytes: category names may be UTF-8.
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  if (chars < w) s.append(w - chars, ' ');
  return s;
}

std::string table(const io::cut_report& rep) {
  const io::cut_settings& s = rep.settings;
  std::string t = "cut scores on '" + s.predictor + "': " + std::to_string(rep.applicants) + " applicants, " +
                  std::to_string(rep.eligible) + " eligible (" +
                  (rep.has_status ? "a score and status qualified" : "a score") + ")\n";
  if (rep.expectancy) {
    const auto& e = *rep.expectancy;
    t += "outcomes: " + std::to_string(e.sample_n) + " hires with '" + s.criterion + "', " +
         std::to_string(e.sample_successes) + " successes (" + s.criterion + " = " + format_number(s.success_value) +
         "), base rate " + fmt("%.3f", double(e.sample_successes) / double(e.sample_n)) + "\n";
    if (!e.found)
      t += "expectancy cut: none: no score reaches a success rate of " + format_number(e.target) +
           " among the hires at or above it\n";
  }
  if (rep.ratio && !rep.ratio->reached)
    t += "ratio cut: only " + std::to_string(rep.ratio->eligible) + " applicants are eligible, fewer than the " +
         std::to_string(rep.ratio->target_count) + " the ratio asks; all of them pass\n";
  if (rep.cuts.empty()) return t;
  const std::size_t W = 26;
  auto row = [&](const std::string& label, auto cell) {
    std::string line = pad(label, 30);
    for (const auto& q : rep.cuts) line += pad(cell(q), W);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    t += line + "\n";
  };
  t += "\n";
  row("", [](const io::cut_consequence& q) { return q.rule; });
  row("rule", [&](const io::cut_consequence& q) {
    if (q.rule == "expectancy") return "success rate >= " + format_number(s.target_success);
    if (q.rule == "ratio") return "top " + format_number(s.selection_ratio) + " of the pool";
    return std::string("chosen value");
  });
  row("cut", [](const io::cut_consequence& q) { return format_number(q.cut); });
  if (rep.expectancy)
    row("hires >= cut: success rate", [&](const io::cut_consequence& q) {
      if (q.rule != "expectancy") return std::string();
      const auto& e = *rep.expectancy;
      return fmt("%.3f", e.rate) + " [" + fmt("%.3f", e.lower) + ", " + fmt("%.3f", e.upper) + "] n=" +
             std::to_string(e.n);
    });
  row("selected", [](const io::cut_consequence& q) {
    return std::to_string(q.selected) + " of " + std::to_string(q.applicants);
  });
  row("selection rate", [](const io::cut_consequence& q) { return fmt("%.4f", q.selection_rate); });
  if (!rep.cuts.front().impact) return t;
  t += "\nadverse impact: selection rate, impact ratio (* reference category, 4/5 = ratio below 0.8)\n";
  const auto& first = rep.cuts.front().impact->categories;
  std::string dim;
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (first[i].dimension != dim) {
      dim = first[i].dimension;
      t += dim + "\n";
    }
    std::string line = pad("  " + first[i].name + " (" + std::to_string(first[i].applicants) + ")", 30);
    for (const auto& q : rep.cuts) {
      const auto& c = q.impact->categories[i];
      line += pad(fmt("%.3f", c.selection_rate) + "  " + fmt("%.3f", c.impact_ratio) + (c.reference ? " *" : "") +
                      (c.four_fifths_flag ? " 4/5" : ""),
                  W);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    t += line + "\n";
  }
  if (rep.groups_without_scores)
    t += "(" + std::to_string(rep.groups_without_scores) + " ids of the groups file have no score and are not counted)\n";
  return t;
}

/// Appends `record` to the decision log at `path`, which must hold a
/// merit.decision-log/1 header record first.
void append_to_log(const std::string& path, const nlohmann::ordered_json& record) {
  std::string text = read_file(path);
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text.substr(0, text.find('\n')));
  } catch (const nlohmann::json::exception&) {
  }
  if (!header.is_object() || header.value("record", std::string()) != "header" ||
      header.value("format", std::string()) != decision_log_format)
    throw input_error(errc::schema, path + ":1",
                      std::string("not a decision log: the first line is not a ") + decision_log_format +
                          " header record (write one with 'merit score --audit-log')");
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += record.dump() + "\n";
  write_output(path, text);
}

int run_cut(args& a) {
  io::cut_settings s;
  s.scores = a.required("--scores");
  s.predictor = a.value("--predictor").value_or("fit");
  s.outcomes = a.value("--outcomes").value_or("");
  s.outcome_scores = a.value("--outcome-scores").value_or("");
  s.criterion = a.value("--criterion").value_or("");
  const auto success_value = a.choice("--success-value", {"1", "0"}, "1");
  s.success_value = success_value == "1" ? 1 : 0;
  const auto target = a.number("--target-success");
  const auto ratio = a.number("--selection-ratio");
  s.groups = a.value("--groups").value_or("");
  s.by = a.values("--by");
  const auto choose = a.value("--choose");
  const auto rationale = a.value("--rationale");
  const auto log_path = a.value("--audit-log");
  const bool json = a.flag("--json");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();

  if (!s.outcomes.empty() && (s.criterion.empty() || !target))
    throw usage_error{"--outcomes needs --criterion and --target-success"};
  if (s.outcomes.empty() && (!s.criterion.empty() || target || !s.outcome_scores.empty()))
    throw usage_error{"--criterion, --target-success and --outcome-scores go with --outcomes"};
  if (target && !(*target > 0 && *target <= 1))
    throw usage_error{"--target-success must lie in (0, 1], got " + format_number(*target)};
  if (ratio && !(*ratio > 0 && *ratio <= 1))
    throw usage_error{"--selection-ratio must lie in (0, 1], got " + format_number(*ratio)};
  if (s.groups.empty() != s.by.empty()) throw usage_error{"--groups and --by go together"};
  if (choose.has_value() != rationale.has_value() || choose.has_value() != log_path.has_value())
    throw usage_error{"--choose, --rationale and --audit-log go together: the chosen cut and why go into the log"};
  if (rationale && rationale->find_first_not_of(" \t") == std::string::npos)
    throw usage_error{"--rationale is empty; say why this cut was chosen"};
  if (target) s.target_success = *target;
  if (ratio) s.selection_ratio = *ratio;
  std::string choice;
  if (choose) {
    if (*choose == "expectancy" || *choose == "ratio") {
      choice = *choose;
    } else {
      double v = 0;
      if (!io::parse_double(*choose, v) || !std::isfinite(v))
        throw usage_error{"--choose takes expectancy, ratio or a score, got '" + *choose + "'"};
      choice = "value";
      s.value = v;
    }
    if (choice == "expectancy" && s.outcomes.empty())
      throw usage_error{"--choose expectancy needs --outcomes, --criterion and --target-success"};
    if (choice == "ratio" && !ratio) throw usage_error{"--choose ratio needs --selection-ratio"};
  }
  if (s.outcomes.empty() && !ratio && !s.value)
    throw usage_error{"nothing to compute: give --outcomes (expectancy cut), --selection-ratio or --choose VALUE"};

  const io::cut_report rep = io::compute_cut_report(s);
  if (rep.outcomes_unmatched)
    std::fprintf(stderr, "merit cut: note: %zu candidate(s) of %s have no score and are left out\n",
                 rep.outcomes_unmatched, s.outcomes.c_str());
  if (rep.outcomes_missing)
    std::fprintf(stderr, "merit cut: note: %zu hire(s) with an empty score or criterion left out\n",
                 rep.outcomes_missing);
  if (rep.groups_without_scores)
    std::fprintf(stderr, "merit cut: note: %zu candidate id(s) of %s have no score; they are not counted\n",
                 rep.groups_without_scores, s.groups.c_str());

  if (choose) {
    double cut = std::nan("");
    for (const auto& q : rep.cuts)
      if (q.rule == choice) cut = q.cut;
    if (std::isnan(cut))
      throw input_error(errc::value, s.outcomes,
                        "no expectancy cut reaches a success rate of " + format_number(s.target_success) +
                            ", so it cannot be chosen");
    append_to_log(*log_path, io::cut_record(rep, choice, cut, *rationale, a.command_line()));
    std::fprintf(stderr, "merit cut: the %s cut %s and its rationale are recorded in %s\n", choice.c_str(),
                 format_number(cut).c_str(), log_path->c_str());
  }
  write_output(out_path, json ? io::cut_report_json(rep).dump(2) + "\n" : table(rep));
  return exit_ok;
}

const registrar reg{{"cut", "cut scores side by side: expectancy, selection ratio, their adverse impact",
                     help_text, &run_cut}};

}  // namespace
}  // namespace merit::cli
