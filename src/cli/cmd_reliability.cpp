// `merit reliability <subcommand>`: reliability of ratings and scales from a
// wide CSV file. Each subcommand reads its table, calls merit/reliability.hpp
// and prints a table or JSON; a further subcommand is one more function and
// one more row in `subcommands`.
#include "cli.hpp"
#include "pool.hpp"

#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/number.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/evidence.hpp>
#include <merit/io/model.hpp>
#include <merit/panel.hpp>
#include <merit/reliability.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

const char* const help_text =
    "usage: merit reliability icc   --wide FILE.csv [--judges COL,...] [--json] [--out FILE]\n"
    "       merit reliability panel --model FILE --evidence FILE [--format long|jsonl|greenhouse]\n"
    "                               [--method ID] [--json] [--out FILE]\n"
    "       merit reliability alpha --wide FILE.csv [--items COL,...] [--reverse COL,...]\n"
    "                               [--reverse-min N] [--reverse-max N]\n"
    "                               [--missing pairwise|listwise] [--json] [--out FILE]\n"
    "\n"
    "Reliability of interview ratings and of multi-item scales (see docs/reliability.md).\n"
    "\n"
    "icc     Intraclass correlations in Shrout & Fleiss's (1979) six forms with 95%\n"
    "        confidence intervals and F tests (F, df1, df2, p), computed as R\n"
    "        psych::ICC does.\n"
    "        FILE: a header row; then one row per target (candidate): the first\n"
    "        column is the target id, every other column one judge (rater).\n"
    "        Targets missing any judge's rating are left out (noted on stderr).\n"
    "panel   Inter-rater reliability of an interview panel, per competency: the\n"
    "        ratings of one method (--method; default: the method with the most\n"
    "        ratings) as candidates by rater slots; ICC(1,1) and ICC(1,k) with 95%\n"
    "        intervals, and a flag: ICC(1,1) < .40 (Cicchetti 1994) is flagged,\n"
    "        confirmed when even the upper limit is below .50 (Koo & Li 2016);\n"
    "        fewer than 5 candidates is insufficient data.\n"
    "alpha   Cronbach's alpha, standardised alpha and Feldt's 95% interval.\n"
    "        FILE: a header row; then one row per respondent: the first column is\n"
    "        an id, the other columns items.\n"
    "\n"
    "options:\n"
    "  --wide FILE          the wide CSV file (\"-\" for stdin)\n"
    "  --judges COL,...     icc: the judge columns (default: every column but the first)\n"
    "  --items COL,...      alpha: the item columns (default: every column but the first)\n"
    "  --reverse COL,...    alpha: reverse-keyed items, recoded x -> min + max - x\n"
    "  --reverse-max N      alpha: top of the items' scale; required with --reverse\n"
    "  --reverse-min N      alpha: bottom of the items' scale (default 1), so a 1..6 item\n"
    "                       with --reverse-max 6 becomes 7 - x\n"
    "  --missing POLICY     alpha: pairwise (default; each covariance from the rows where\n"
    "                       both items are present, as R psych) or listwise (only rows\n"
    "                       where every item is present)\n"
    "  --json               JSON instead of a table:\n"
    "                       icc:   {\"icc1\": {\"value\", \"lower\", \"upper\", \"f\", \"df1\", \"df2\",\n"
    "                               \"p\"}, \"icc2\", \"icc3\", \"icc1k\", \"icc2k\", \"icc3k\",\n"
    "                               \"n_targets\", \"n_judges\"} (F test of no target variance)\n"
    "                       alpha: {\"alpha\", \"std_alpha\", \"lower\", \"upper\", \"n\"}\n"
    "  --out FILE           write there instead of stdout (only once complete)\n"
    "\n"
    "Cells: numbers; an empty or blank cell, NA or null is missing (spaces and\n"
    "tabs around a cell are ignored); anything else is an error naming\n"
    "file:line:column.\n"
    "Reading the ICC: Koo & Li (2016): below .50 poor, .50-.75 moderate,\n"
    ".75-.90 good, above .90 excellent.\n"
    "\n"
    "examples:\n"
    "  merit reliability icc --wide shrout_fleiss_1979.csv\n"
    "  merit reliability panel --model competency_models/sales_enablement.json \\\n"
    "      --evidence examples/evidence_long.csv --method structured_interview\n"
    "  merit reliability alpha --wide bfi.csv --items A1,A2,A3,A4,A5 --reverse A1 --reverse-max 6\n";

/// Selected numeric columns of a wide CSV file, one row per record.
struct wide_table {
  std::vector<std::string> columns;
  RowMatrix values;  ///< #rows by #columns, NaN = missing
};

/// How to recode reverse-keyed columns while reading, so that a value
/// outside the scale is reported at its place in the file.
struct reverse_keying {
  std::vector<std::string> columns;
  double lo = 1, hi = 0;
};

/// Reads `path`; `wanted` names the columns to keep (empty: all but the first).
wide_table read_wide(const std::string& path, const std::vector<std::string>& wanted, const reverse_keying& rev = {}) {
  auto reader = io::csv_reader::open(path);
  if (!reader.next()) throw input_error(errc::schema, reader.source(), "the file is empty; expected a header row");
  const std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  const std::string header_place = reader.place(0);
  if (header.size() < 2)
    throw input_error(errc::schema, header_place, "expected an id column and at least one more column");

  std::vector<std::size_t> at;
  if (wanted.empty()) {
    for (std::size_t j = 1; j < header.size(); ++j) at.push_back(j);
  } else {
    for (const auto& name : wanted) {
      auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) throw input_error(errc::not_found, header_place, "no column '" + name + "' in the header");
      at.push_back(static_cast<std::size_t>(it - header.begin()));
    }
  }
  wide_table t;
  for (std::size_t c = 0; c < at.size(); ++c) {
    const std::string& name = header[at[c]];
    for (std::size_t d = 0; d < c; ++d)
      if (t.columns[d] == name)
        throw input_error(errc::duplicate, reader.place(at[c]), "column '" + name + "' appears twice");
    t.columns.push_back(name);
  }
  std::vector<bool> reversed(at.size(), false);
  for (const auto& name : rev.columns) {
    auto it = std::find(t.columns.begin(), t.columns.end(), name);
    if (it == t.columns.end())
      throw input_error(errc::not_found, header_place, "reverse-keyed column '" + name + "' is not among the items");
    reversed[static_cast<std::size_t>(it - t.columns.begin())] = true;
  }

  std::vector<double> cells;
  while (reader.next()) {
    if (reader.size() != header.size())
      throw input_error(errc::schema, reader.place(std::min(reader.size(), header.size()) - 1),
                        "row has " + std::to_string(reader.size()) + " fields, the header has " +
                            std::to_string(header.size()));
    for (std::size_t c = 0; c < at.size(); ++c) {
      const std::string_view cell = reader[at[c]];
      double v = std::numeric_limits<double>::quiet_NaN();
      if (!is_missing_field(cell)) {
        if (!io::parse_double(cell, v))
          throw input_error(errc::parse, reader.place(at[c]),
                            "'" + std::string(cell) + "' in column '" + t.columns[c] + "' is not a number");
        if (reversed[c] && (v < rev.lo || v > rev.hi))
          throw input_error(errc::value, reader.place(at[c]),
                            std::string(cell) + " in reverse-keyed column '" + t.columns[c] +
                                "' lies outside the scale " + format_number(rev.lo) + ".." +
                                format_number(rev.hi));
      }
      cells.push_back(v);
    }
  }
  const auto cols = static_cast<Eigen::Index>(at.size());
  t.values = Eigen::Map<RowMatrix>(cells.data(), static_cast<Eigen::Index>(cells.size()) / cols, cols);
  for (std::size_t c = 0; c < at.size(); ++c)
    if (reversed[c]) reverse_key(t.values, static_cast<Eigen::Index>(c), rev.lo, rev.hi);
  return t;
}

/// Koo & Li (2016), J Chiropr Med 15(2):155-163.
const char* koo_li(double icc) {
  if (!(icc >= .5)) return "poor";
  if (icc < .75) return "moderate";
  if (icc <= .9) return "good";
  return "excellent";
}

nlohmann::ordered_json to_json(const icc_form& f) {
  const interval_estimate& e = *f.estimate;
  const icc_f_test& t = *f.test;
  return {{"value", e.value}, {"lower", e.lower}, {"upper", e.upper},
          {"f", t.f},         {"df1", std::llround(t.df1)}, {"df2", std::llround(t.df2)}, {"p", t.p}};
}

int run_icc(args& a) {
  const std::string path = a.required("--wide");
  const auto judges = a.values("--judges");
  const bool json = a.flag("--json");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();

  const wide_table t = read_wide(path, judges);
  const icc_result r = on_input(path, [&] { return icc(t.values); });
  if (r.n_dropped > 0)
    std::fprintf(stderr, "merit reliability icc: note: %lld target(s) with a missing rating left out\n",
                 static_cast<long long>(r.n_dropped));

  std::string text;
  if (json) {
    nlohmann::ordered_json j;
    for (const icc_form& f : icc_forms(r)) j[f.name] = to_json(f);
    j["n_targets"] = r.n_targets;
    j["n_judges"] = r.n_judges;
    text = j.dump(2) + "\n";
  } else {
    char line[256];
    std::snprintf(line, sizeof line, "Intraclass correlations (Shrout & Fleiss 1979): %lld targets x %lld judges\n\n",
                  static_cast<long long>(r.n_targets), static_cast<long long>(r.n_judges));
    text += line;
    const auto forms = icc_forms(r);
    std::vector<std::string> described;
    int width = 5;
    for (const icc_form& f : forms) {
      described.push_back(icc_description(f, r.n_judges));
      width = std::max(width, static_cast<int>(described.back().size()));
    }
    std::snprintf(line, sizeof line, "%-6s %-*s  %6s  %-18s  %8s  %4s  %4s  %9s  %s\n", "form", width, "model", "value",
                  "95% CI", "F", "df1", "df2", "p", "Koo & Li");
    text += line;
    for (std::size_t i = 0; i < forms.size(); ++i) {
      const icc_form& f = forms[i];
      std::snprintf(line, sizeof line, "%-6s %-*s  %6.3f  [%6.3f, %6.3f]  %8.3f  %4g  %4g  %9.3g  %s\n", f.type, width,
                    described[i].c_str(), f.estimate->value, f.estimate->lower, f.estimate->upper, f.test->f,
                    f.test->df1, f.test->df2, f.test->p, koo_li(f.estimate->value));
      text += line;
    }
    std::snprintf(line, sizeof line,
                  "\nmean squares: targets %.6g, judges %.6g, residual %.6g, within targets %.6g\n", r.msb, r.msj,
                  r.mse, r.msw);
    text += line;
    text += "Koo & Li (2016): below .50 poor, .50-.75 moderate, .75-.90 good, above .90 excellent.\n";
  }
  write_output(out_path, text);
  return exit_ok;
}

int run_alpha(args& a) {
  const std::string path = a.required("--wide");
  const auto items = a.values("--items");
  reverse_keying rev;
  rev.columns = a.values("--reverse");
  const auto lo = a.number("--reverse-min");
  const auto hi = a.number("--reverse-max");
  const std::string missing = a.choice("--missing", {"pairwise", "listwise"}, "pairwise");
  const bool json = a.flag("--json");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();

  if (!rev.columns.empty() && !hi) throw usage_error{"--reverse needs --reverse-max (the top of the items' scale)"};
  if (rev.columns.empty() && (lo || hi)) throw usage_error{"--reverse-min and --reverse-max need --reverse"};
  rev.lo = lo.value_or(1);
  rev.hi = hi.value_or(0);
  if (!rev.columns.empty() && !(rev.lo < rev.hi))
    throw usage_error{"--reverse-min must be below --reverse-max"};
  const auto policy = missing == "listwise" ? missing_policy::listwise : missing_policy::pairwise;

  const wide_table t = read_wide(path, items, rev);
  const alpha_result r = on_input(path, [&] { return cronbach_alpha(t.values, policy, 0.95, t.columns); });

  std::string text;
  if (json) {
    nlohmann::ordered_json j;
    j["alpha"] = r.alpha;
    j["std_alpha"] = r.std_alpha;
    j["lower"] = r.lower;
    j["upper"] = r.upper;
    j["n"] = r.n;
    text = j.dump(2) + "\n";
  } else {
    std::string names;
    for (const auto& c : t.columns) {
      if (!names.empty()) names += ", ";
      names += c;
      if (std::find(rev.columns.begin(), rev.columns.end(), c) != rev.columns.end()) names += " (reversed)";
    }
    char line[256];
    text += "Cronbach's alpha of " + std::to_string(r.n_items) + " items: " + names + "\n";
    std::snprintf(line, sizeof line, "%s covariances, n = %lld\n\n",
                  policy == missing_policy::pairwise ? "pairwise-complete" : "listwise-complete",
                  static_cast<long long>(r.n));
    text += line;
    std::snprintf(line, sizeof line, "alpha               %.4f   95%% CI [%.4f, %.4f] (Feldt)\n", r.alpha, r.lower,
                  r.upper);
    text += line;
    std::snprintf(line, sizeof line, "standardised alpha  %.4f\n", r.std_alpha);
    text += line;
  }
  write_output(out_path, text);
  return exit_ok;
}

int run_panel(args& a) {
  const std::string model_path = a.required("--model");
  const std::string ev_path = a.required("--evidence");
  const auto fmt = a.value("--format");
  const auto method_arg = a.value("--method");
  const bool json = a.flag("--json");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();
  const competency_model model = load_model(model_path);
  const std::string f = evidence_format_name(ev_path, fmt);
  observation_table obs;
  if (f == "long") {
    auto reader = io::csv_reader::open(ev_path);
    obs = io::read_long_csv(reader, model);
  } else if (f == "jsonl" || f == "greenhouse") {
    auto text = read_text_file<input_error>(ev_path);
    obs = f == "jsonl" ? io::read_jsonl(text, ev_path, model)
                       : io::read_greenhouse(io::parse_json<input_error>(text, ev_path), ev_path, model);
  } else {
    throw usage_error{"--format takes long, jsonl or greenhouse, got '" + f + "'"};
  }
  std::size_t method = 0;
  if (method_arg) {
    auto mi = model.find_method(*method_arg);
    if (!mi) throw usage_error{"unknown method '" + *method_arg + "'"};
    method = *mi;
  } else {
    method = most_used_method(obs, model.methods.size());
  }
  const auto results = panel_reliability(model, obs, method);
  std::string text;
  char line[512];
  if (json) {
    nlohmann::ordered_json j;
    j["method"] = model.methods[method].id;
    j["flag_rule"] = {{"flag_below", panel_flag_below}, {"confirm_upper_below", panel_confirm_upper},
                      {"min_candidates", panel_min_candidates}};
    j["competencies"] = nlohmann::ordered_json::array();
    for (const auto& r : results) {
      nlohmann::ordered_json c;
      c["competency"] = model.competencies[r.competency].id;
      c["candidates"] = r.candidates;
      c["raters_per_candidate"] = r.raters_per_candidate;
      if (r.icc) {
        c["icc1"] = {{"value", r.icc->icc1.value}, {"lower", r.icc->icc1.lower}, {"upper", r.icc->icc1.upper}};
        c["icc1k"] = {{"value", r.icc->icc1k.value}, {"lower", r.icc->icc1k.lower}, {"upper", r.icc->icc1k.upper}};
      } else {
        c["icc1"] = nullptr;
        c["icc1k"] = nullptr;
      }
      c["flag"] = to_string(r.flag);
      j["competencies"].push_back(c);
    }
    text = j.dump(2) + "\n";
  } else {
    std::snprintf(line, sizeof line, "Panel reliability of '%s' ratings, per competency (one-way ICC, 95%% CI)\n\n",
                  model.methods[method].id.c_str());
    text += line;
    std::snprintf(line, sizeof line, "%-32s %5s %3s  %-24s %-24s %s\n", "competency", "cands", "k", "ICC(1,1)",
                  "ICC(1,k)", "flag");
    text += line;
    std::size_t flagged = 0;
    for (const auto& r : results) {
      std::string a1 = "-", ak = "-";
      if (r.icc) {
        char b[64];
        std::snprintf(b, sizeof b, "%.3f [%.3f, %.3f]", r.icc->icc1.value, r.icc->icc1.lower, r.icc->icc1.upper);
        a1 = b;
        std::snprintf(b, sizeof b, "%.3f [%.3f, %.3f]", r.icc->icc1k.value, r.icc->icc1k.lower, r.icc->icc1k.upper);
        ak = b;
      }
      flagged += r.flag == panel_flag::flagged || r.flag == panel_flag::confirmed;
      std::snprintf(line, sizeof line, "%-32s %5lld %3lld  %-24s %-24s %s\n",
                    model.competencies[r.competency].id.c_str(), static_cast<long long>(r.candidates),
                    static_cast<long long>(r.raters_per_candidate), a1.c_str(), ak.c_str(), to_string(r.flag));
      text += line;
    }
    std::snprintf(line, sizeof line,
                  "\n%zu of %zu competencies flagged. Flag: ICC(1,1) < .40 (Cicchetti 1994); confirmed when the upper\n"
                  "limit is below .50 (Koo & Li 2016). ICC(1,k) is the reliability of the panel's averaged rating.\n",
                  flagged, results.size());
    text += line;
  }
  write_output(out_path, text);
  return exit_ok;
}

struct subcommand {
  const char* name;
  int (*run)(args&);
};
const subcommand subcommands[] = {
    {"icc", &run_icc},
    {"alpha", &run_alpha},
    {"panel", &run_panel},
};

int run_reliability(args& a) {
  const auto name = a.positional();
  if (!name) throw usage_error{"missing subcommand: icc, alpha or panel"};
  for (const auto& s : subcommands)
    if (*name == s.name) return s.run(a);
  throw usage_error{"unknown subcommand '" + *name + "': icc, alpha or panel"};
}

const registrar reg{{"reliability", "ICC (six Shrout & Fleiss forms) and Cronbach's alpha with intervals",
                     help_text, &run_reliability}};

}  // namespace
}  // namespace merit::cli
