// `merit audit`: adverse-impact audit of a selection. Joins the scored
// results with the demographic groups file here and nowhere else, then
// reports merit::audit's tables (see include/merit/fairness.hpp and
// docs/fairness.md).
#include "cli.hpp"

#include <merit/errors.hpp>
#include <merit/fairness.hpp>
#include <merit/io/csv.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace merit::cli {
namespace {

const char* const audit_help =
    "usage: merit audit --results SCORED.csv [--groups GROUPS.csv] --by COL[,COL...]\n"
    "                   (--selected-column COL | --top K | --threshold FIT)\n"
    "                   [--json] [--out FILE]\n"
    "\n"
    "Adverse-impact audit of a selection (29 CFR 1607.4(D); NYC Local Law 144).\n"
    "Per category of each --by column, and per intersection of all of them:\n"
    "applicants, selected, selection rate, impact ratio, scoring rate (share\n"
    "with a fit above the median fit of the whole sample), scoring impact ratio,\n"
    "four-fifths flag (impact ratio < 0.8), Fisher's exact p with the conditional\n"
    "odds ratio and the pooled two-proportion z-test against the category with\n"
    "the highest selection rate; categories under 2% of the sample are marked\n"
    "small and never serve as that reference.\n"
    "\n"
    "  --results FILE         what 'merit score' writes (candidate_id, rank, fit,\n"
    "                         status, ...); any CSV with the columns used\n"
    "  --groups FILE          CSV: candidate_id plus demographic columns; an empty\n"
    "                         cell is an unknown category. Without it the --by\n"
    "                         columns are read from the results file itself\n"
    "  --by COL[,COL...]      demographic columns to audit by\n"
    "  --selected-column COL  selected = 1/true/yes, not = 0/false/no (any case);\n"
    "                         looked up in the results file, then the groups file\n"
    "  --top K                selected = rank <= K and status 'qualified'; fewer\n"
    "                         than K are selected when ranks 1..K include\n"
    "                         candidates screened out or incomplete (the summary\n"
    "                         says how many)\n"
    "  --threshold FIT        selected = fit >= FIT and status 'qualified'\n"
    "  --json                 JSON instead of the table\n"
    "  --out FILE             write there (atomically) instead of stdout\n"
    "\n"
    "Candidates in the results but not in the groups file count as unknown; ids\n"
    "of the groups file with no result are counted (stderr, JSON\n"
    "groups_without_results). Without a fit column the scoring figures are null.\n"
    "See docs/fairness.md.\n";

struct selection_rule {
  enum kind_t { column, top, threshold } kind;
  std::string column_name;
  long long k = 0;
  double fit = 0;
};

// What the selection gave (merit::top_k_summary for --top).
struct selection_counts {
  top_k_summary top;
  std::uint64_t selected = 0;
};

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The header of a CSV file as a column -> index map; duplicates are errors.
std::unordered_map<std::string, std::size_t> read_header(io::csv_reader& r) {
  if (!r.next()) throw input_error(errc::schema, r.source(), "the file is empty (no header)");
  std::unordered_map<std::string, std::size_t> cols;
  for (std::size_t i = 0; i < r.size(); ++i) {
    std::string name = trim(r[i]);
    if (!cols.emplace(name, i).second)
      throw input_error(errc::duplicate, r.place(i), "duplicate column '" + name + "'");
  }
  return cols;
}

std::size_t need_column(const std::unordered_map<std::string, std::size_t>& cols, const io::csv_reader& r,
                        const std::string& name, const std::string& why) {
  auto it = cols.find(name);
  if (it == cols.end())
    throw input_error(errc::schema, r.place_at(1, 1), "missing column '" + name + "' " + why);
  return it->second;
}

void check_width(const io::csv_reader& r, std::size_t width) {
  if (r.size() != width)
    throw input_error(errc::schema, r.place_at(r.line(), 1),
                      "expected " + std::to_string(width) + " fields, got " + std::to_string(r.size()));
}

bool parse_selected(const io::csv_reader& r, std::size_t col, const std::string& name) {
  const std::string v = lower(trim(r[col]));
  if (v == "1" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "false" || v == "no") return false;
  throw input_error(errc::value, r.place(col),
                    "--selected-column '" + name + "' must be 0/1, true/false or yes/no, got '" +
                        std::string(r[col]) + "'");
}

// Whether a results row's status is `qualified`; any text but the three
// statuses is an error at its place.
bool is_qualified(const io::csv_reader& r, std::size_t col) {
  const std::string text = trim(r[col]);
  const std::optional<status> s = parse_result_status(text);
  if (!s) throw input_error(errc::value, r.place(col), unknown_status_message(text));
  return *s == status::qualified;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

struct joined_data {
  audit_data data;
  std::uint64_t groups_without_results = 0;
  selection_counts selection;
};

joined_data read_inputs(const std::string& results_path, const std::optional<std::string>& groups_path,
                        const std::vector<std::string>& by, const selection_rule& rule) {
  joined_data out;
  audit_data& d = out.data;
  d.dimensions = by;

  auto res = io::csv_reader::open(results_path);
  const auto rcols = read_header(res);
  const std::size_t width = res.size();
  auto find = [&](const std::string& name) -> std::optional<std::size_t> {
    auto it = rcols.find(name);
    return it == rcols.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  };

  // Single-file mode: the results file carries the --by columns itself.
  std::vector<std::size_t> by_cols;
  if (!groups_path) {
    for (const auto& b : by) {
      auto c = find(b);
      if (!c)
        throw input_error(errc::schema, res.place_at(1, 1),
                          "unknown --by column '" + b + "'; columns are: " + joined(std::vector<std::string>(
                                                                                res.fields().begin(), res.fields().end())));
      by_cols.push_back(*c);
    }
  }
  std::optional<std::size_t> id_col = find("candidate_id");
  if (groups_path && !id_col) need_column(rcols, res, "candidate_id", "(needed to join the groups file)");
  std::optional<std::size_t> fit_col = find("fit");
  std::optional<std::size_t> sel_col, rank_col, status_col;
  switch (rule.kind) {
    case selection_rule::column:
      sel_col = find(rule.column_name);
      if (!sel_col && !groups_path)
        throw input_error(errc::schema, res.place_at(1, 1),
                          "missing column '" + rule.column_name + "' named by --selected-column");
      break;
    case selection_rule::top:
      rank_col = need_column(rcols, res, "rank", "needed by --top");
      status_col = need_column(rcols, res, "status", "needed by --top (only qualified candidates are selected)");
      out.selection.top.k = static_cast<std::uint64_t>(rule.k);
      break;
    case selection_rule::threshold:
      fit_col = need_column(rcols, res, "fit", "needed by --threshold");
      status_col = need_column(rcols, res, "status", "needed by --threshold");
      break;
  }
  const bool selection_in_groups = rule.kind == selection_rule::column && !sel_col;

  std::unordered_map<std::string, std::size_t> index;  // candidate_id -> row
  std::unordered_map<std::string, std::size_t> first_line;
  while (res.next()) {
    check_width(res, width);
    if (id_col) {
      std::string id = trim(res[*id_col]);
      if (id.empty()) throw input_error(errc::value, res.place(*id_col), "empty candidate_id");
      auto [it, fresh] = first_line.emplace(id, res.line());
      if (!fresh)
        throw input_error(errc::duplicate, res.place(*id_col),
                          "duplicate candidate_id '" + id + "' (first on line " + std::to_string(it->second) + ")");
      index.emplace(std::move(id), d.selected.size());
    }
    double fit = std::numeric_limits<double>::quiet_NaN();
    if (fit_col) {
      std::string_view cell = res[*fit_col];
      if (!trim(cell).empty() && !io::parse_double(cell, fit))
        throw input_error(errc::value, res.place(*fit_col), "fit '" + std::string(cell) + "' is not a number");
      d.fits.push_back(fit);
    }
    bool selected = false;
    switch (rule.kind) {
      case selection_rule::column:
        if (sel_col) selected = parse_selected(res, *sel_col, rule.column_name);
        break;
      case selection_rule::top: {
        std::string v = trim(res[*rank_col]);
        double rank = std::numeric_limits<double>::quiet_NaN();
        if (!v.empty() && (!io::parse_double(v, rank) || rank < 1 || rank != std::floor(rank)))
          throw input_error(errc::value, res.place(*rank_col),
                            "rank '" + std::string(res[*rank_col]) + "' is not a whole number >= 1");
        selected = out.selection.top.add(rank, is_qualified(res, *status_col));
        break;
      }
      case selection_rule::threshold:
        selected = threshold_selects(fit, is_qualified(res, *status_col), rule.fit);
        break;
    }
    d.selected.push_back(selected);
    std::vector<std::string> labels(by.size());
    for (std::size_t j = 0; j < by_cols.size(); ++j) labels[j] = trim(res[by_cols[j]]);
    d.labels.push_back(std::move(labels));
  }

  if (!groups_path) return out;

  auto grp = io::csv_reader::open(*groups_path);
  const auto gcols = read_header(grp);
  const std::size_t gwidth = grp.size();
  const std::size_t gid = need_column(gcols, grp, "candidate_id", "(the key that joins the results)");
  for (const auto& b : by) {
    auto it = gcols.find(b);
    if (it == gcols.end())
      throw input_error(errc::schema, grp.place_at(1, 1),
                        "unknown --by column '" + b + "'; columns are: " +
                            joined(std::vector<std::string>(grp.fields().begin(), grp.fields().end())));
    by_cols.push_back(it->second);
  }
  std::optional<std::size_t> gsel;
  if (selection_in_groups) {
    auto it = gcols.find(rule.column_name);
    if (it == gcols.end())
      throw input_error(errc::schema, grp.place_at(1, 1),
                        "missing column '" + rule.column_name +
                            "' named by --selected-column (in neither the results nor the groups file)");
    gsel = it->second;
  }
  std::unordered_map<std::string, std::size_t> seen;
  while (grp.next()) {
    check_width(grp, gwidth);
    std::string id = trim(grp[gid]);
    if (id.empty()) throw input_error(errc::value, grp.place(gid), "empty candidate_id");
    auto [it, fresh] = seen.emplace(id, grp.line());
    if (!fresh)
      throw input_error(errc::duplicate, grp.place(gid),
                        "duplicate candidate_id '" + id + "' (first on line " + std::to_string(it->second) + ")");
    std::vector<std::string> labels(by.size());
    for (std::size_t j = 0; j < by.size(); ++j) labels[j] = trim(grp[by_cols[j]]);
    bool selected = gsel ? parse_selected(grp, *gsel, rule.column_name) : false;
    auto row = index.find(id);
    if (row == index.end()) {
      ++out.groups_without_results;
      d.absent_labels.push_back(std::move(labels));
      continue;
    }
    d.labels[row->second] = std::move(labels);
    if (gsel) d.selected[row->second] = selected;
  }
  return out;
}

nlohmann::ordered_json number(double x) { return std::isfinite(x) ? nlohmann::ordered_json(x) : nullptr; }

nlohmann::ordered_json to_json(const audit_result& r, const joined_data& in, const selection_rule& rule) {
  nlohmann::ordered_json j;
  j["format"] = "merit.audit/1";
  j["n"] = r.n;
  j["unknown"] = r.unknown;
  auto& ub = j["unknown_by"] = nlohmann::ordered_json::object();
  for (const auto& [dim, count] : r.unknown_by) ub[dim] = count;
  j["groups_without_results"] = in.groups_without_results;
  nlohmann::ordered_json sel;
  switch (rule.kind) {
    case selection_rule::column: sel = {{"method", "column"}, {"column", rule.column_name}}; break;
    case selection_rule::top:
      sel = {{"method", "top"}, {"k", rule.k}, {"rule", "rank <= k and status qualified"},
             {"in_top_k", in.selection.top.in_top_k}, {"not_qualified", in.selection.top.not_qualified()}};
      break;
    case selection_rule::threshold:
      sel = {{"method", "threshold"}, {"fit", rule.fit}, {"rule", "fit >= threshold and status qualified"}};
      break;
  }
  sel["selected"] = r.selected;
  j["selection"] = sel;
  j["median_fit"] = number(r.median_fit);
  auto& cats = j["categories"] = nlohmann::ordered_json::array();
  for (const auto& c : r.categories) {
    cats.push_back({{"dimension", c.dimension},
                    {"name", c.name},
                    {"applicants", c.applicants},
                    {"selected", c.selected},
                    {"selection_rate", number(c.selection_rate)},
                    {"impact_ratio", number(c.impact_ratio)},
                    {"scored", c.scored},
                    {"scoring_rate", number(c.scoring_rate)},
                    {"scoring_impact_ratio", number(c.scoring_impact_ratio)},
                    {"four_fifths_flag", c.four_fifths_flag},
                    {"fisher_p", number(c.fisher_p)},
                    {"odds_ratio", number(c.odds_ratio)},
                    {"z", number(c.z)},
                    {"z_p", number(c.z_p)},
                    {"small_category", c.small_category},
                    {"reference", c.reference}});
  }
  return j;
}

std::string fmt(const char* f, double x) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

void print_table(std::FILE* out, const audit_result& r, const joined_data& in, const selection_rule& rule) {
  std::string how;
  switch (rule.kind) {
    case selection_rule::column: how = "column '" + rule.column_name + "'"; break;
    case selection_rule::top: how = "top " + std::to_string(rule.k) + " (rank <= K and qualified)"; break;
    case selection_rule::threshold: how = "fit >= " + fmt("%g", rule.fit) + " and qualified"; break;
  }
  std::fprintf(out, "adverse-impact audit: %llu applicants, selected by %s, median fit %s\n",
               static_cast<unsigned long long>(r.n), how.c_str(), fmt("%.6f", r.median_fit).c_str());
  std::fprintf(out, "selected: %llu", static_cast<unsigned long long>(r.selected));
  const top_k_summary& top = in.selection.top;
  if (rule.kind == selection_rule::top && top.selected < top.k)
    std::fprintf(out, ", fewer than %llu: ranks 1..%llu hold %llu candidates, %llu of them not qualified",
                 static_cast<unsigned long long>(top.k), static_cast<unsigned long long>(top.k),
                 static_cast<unsigned long long>(top.in_top_k), static_cast<unsigned long long>(top.not_qualified()));
  std::fprintf(out, "\n");
  std::fprintf(out, "unknown category:");
  for (const auto& [dim, count] : r.unknown_by)
    std::fprintf(out, " %s %llu;", dim.c_str(), static_cast<unsigned long long>(count));
  std::fprintf(out, " groups without results: %llu\n", static_cast<unsigned long long>(in.groups_without_results));
  std::fprintf(out, "(* reference category; 4/5 = impact ratio below 0.8; small = under 2%% of applicants)\n");

  std::size_t width = 8;
  for (const auto& c : r.categories) width = std::max({width, c.name.size() + 2, c.dimension.size()});
  std::string current;
  for (const auto& c : r.categories) {
    if (c.dimension != current || &c == &r.categories.front()) {
      current = c.dimension;
      std::fprintf(out, "\n%-*s %10s %9s %8s %7s %8s %7s %4s %10s %9s %7s %10s %5s\n", static_cast<int>(width),
                   current.c_str(), "applicants", "selected", "sel_rate", "impact", "sc_rate", "sc_imp", "4/5",
                   "fisher_p", "odds_r", "z", "z_p", "small");
    }
    std::string name = (c.reference ? "* " : "  ") + c.name;
    char line[512];
    std::snprintf(line, sizeof line, "%-*s %10llu %9llu %8s %7s %8s %7s %4s %10s %9s %7s %10s %5s",
                  static_cast<int>(width), name.c_str(), static_cast<unsigned long long>(c.applicants),
                  static_cast<unsigned long long>(c.selected), fmt("%.4f", c.selection_rate).c_str(),
                  fmt("%.4f", c.impact_ratio).c_str(), fmt("%.4f", c.scoring_rate).c_str(),
                  fmt("%.4f", c.scoring_impact_ratio).c_str(), c.four_fifths_flag ? "yes" : "",
                  fmt("%.4g", c.fisher_p).c_str(), fmt("%.4g", c.odds_ratio).c_str(), fmt("%.3f", c.z).c_str(),
                  fmt("%.4g", c.z_p).c_str(), c.small_category ? "yes" : "");
    std::string text = line;
    text.erase(text.find_last_not_of(' ') + 1);
    std::fprintf(out, "%s\n", text.c_str());
  }
}

int run_audit(args& a) {
  const std::string results = a.required("--results");
  const std::optional<std::string> groups = a.value("--groups");
  const std::vector<std::string> by = a.values("--by");
  if (by.empty()) throw usage_error{"missing required option --by"};
  for (std::size_t i = 0; i < by.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (by[i] == by[j]) throw usage_error{"--by names column '" + by[i] + "' twice"};

  auto column = a.value("--selected-column");
  auto top = a.integer("--top", 0, 1000000000000LL);
  auto threshold = a.number("--threshold");
  if (int(column.has_value()) + int(top.has_value()) + int(threshold.has_value()) != 1)
    throw usage_error{"give exactly one of --selected-column, --top and --threshold"};
  selection_rule rule{selection_rule::column, {}, 0, 0};
  if (column) rule.column_name = *column;
  if (top) rule = {selection_rule::top, {}, *top, 0};
  if (threshold) rule = {selection_rule::threshold, {}, 0, *threshold};

  const bool json = a.flag("--json");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();

  joined_data in = read_inputs(results, groups, by, rule);
  const audit_result r = audit(in.data);
  if (in.groups_without_results > 0)
    std::fprintf(stderr, "merit audit: %llu candidate ids in %s have no result; they are not counted\n",
                 static_cast<unsigned long long>(in.groups_without_results), groups->c_str());

  atomic_output out(out_path);
  if (json) {
    std::string text = to_json(r, in, rule).dump(2);
    text += '\n';
    std::fputs(text.c_str(), out.get());
  } else {
    print_table(out.get(), r, in, rule);
  }
  out.commit();
  return exit_ok;
}

const registrar reg{{"audit", "adverse-impact audit of a selection by demographic group", audit_help, &run_audit}};

}  // namespace
}  // namespace merit::cli
