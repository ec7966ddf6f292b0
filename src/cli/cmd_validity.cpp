// `merit validity`: criterion-related validity of a score against outcomes
// measured after the hire. Reads two CSV files, joins them on candidate_id,
// calls merit/validity.hpp and prints a table or JSON.
#include "cli.hpp"

#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/io/csv.hpp>
#include <merit/number.hpp>
#include <merit/protected.hpp>
#include <merit/validity.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

const char* const help_text =
    "usage: merit validity --scores S.csv --outcomes O.csv --criterion COL\n"
    "                      [--predictor COL|all] [--criterion-reliability R]\n"
    "                      [--applicants FILE | --applicant-sd SD] [--restriction direct|indirect]\n"
    "                      [--json] [--out FILE]\n"
    "\n"
    "Criterion-related validity of a score: how well it forecast an outcome\n"
    "measured after the hire (see docs/validity.md).\n"
    "\n"
    "The two files are joined on candidate_id (a header column in each). A row\n"
    "whose predictor or criterion cell is empty or NA is left out, and counted\n"
    "on stderr; so are ids found in only one file.\n"
    "\n"
    "Continuous criterion: Pearson r with its Fisher-z 95% interval and p,\n"
    "Spearman's rho, r corrected for criterion unreliability, r corrected for\n"
    "direct range restriction (Thorndike Case II) and the operational validity\n"
    "(criterion correction first, then Case II: Hunter & Schmidt 2004).\n"
    "Binary criterion (every value 0 or 1): point-biserial r, logistic\n"
    "regression (odds ratio per 10 predictor points), AUC, and an expectancy\n"
    "table: success rate by predictor quintile with Wilson 95% intervals.\n"
    "At least 30 matched cases are needed (docs/validity.md says why).\n"
    "\n"
    "options:\n"
    "  --scores FILE        scores: candidate_id and the predictor column(s),\n"
    "                       e.g. the output of 'merit score'\n"
    "  --outcomes FILE      outcomes: candidate_id and the criterion column\n"
    "  --criterion COL      the criterion column of the outcomes file\n"
    "  --predictor COL|all  the predictor column of the scores file (default fit);\n"
    "                       all: fit and every other column of the scores file\n"
    "                       except rank, status, coverage, band, contrib_* and gap_*,\n"
    "                       each one's validity, and the 10-fold cross-validated\n"
    "                       multiple R of least-squares weights on the competencies\n"
    "                       (10 cases per competency needed)\n"
    "  --criterion-reliability R  the criterion's reliability among the hires, in (0, 1]\n"
    "  --applicant-sd SD    the predictor's SD among all applicants (> 0), for Case II\n"
    "  --applicants FILE    or a CSV of all applicants (candidate_id and the predictor\n"
    "                       column); the predictor's sample SD there\n"
    "  --restriction KIND   direct (default): hires were selected on this predictor.\n"
    "                       indirect is refused: Case II would mis-correct it\n"
    "  --json               JSON instead of a table; keys: continuous criterion\n"
    "                       n, r, r_lower, r_upper, p, spearman, r_corrected_criterion,\n"
    "                       r_corrected_range, r_operational (null when not computed);\n"
    "                       binary criterion n, point_biserial, odds_ratio_per_10, auc,\n"
    "                       expectancy. --predictor all: {\"predictors\": {COL: {...}},\n"
    "                       \"multiple\": {n, predictors, folds, multiple_r,\n"
    "                       cross_validated_r, fit_r}}\n"
    "  --out FILE           write there instead of stdout (only once complete)\n"
    "\n"
    "example (synthetic outcomes of the example pool):\n"
    "  merit score --model competency_models/sales_enablement.json \\\n"
    "      --candidates examples/pool.csv --out scores.csv\n"
    "  merit validity --scores scores.csv --outcomes examples/outcomes.csv \\\n"
    "      --criterion performance --criterion-reliability 0.52 --applicant-sd 20\n"
    "  merit validity --scores scores.csv --outcomes examples/outcomes.csv --criterion left_within_year\n";

/// One CSV file's numeric columns by candidate_id, in file order.
struct keyed_table {
  std::string path;
  std::vector<std::string> columns;
  std::vector<std::string> ids;
  std::vector<std::vector<double>> values;  ///< values[row][column], NaN = missing
  std::vector<std::size_t> lines;
};

bool is_score_metadata(const std::string& c) {
  return c == "candidate_id" || c == "rank" || c == "status" || c == "coverage" || c == "band" ||
         c.rfind("contrib_", 0) == 0 || c.rfind("gap_", 0) == 0;
}

/// Reads `path`: candidate_id and the `wanted` columns (empty with `all`:
/// every column that is not score metadata, "fit" first).
keyed_table read_keyed(const std::string& path, std::vector<std::string> wanted, bool all = false,
                       bool predictors = false) {
  auto reader = io::csv_reader::open(path);
  if (!reader.next()) throw input_error(errc::schema, reader.source(), "the file is empty; expected a header row");
  const std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  const std::string header_place = reader.place(0);
  auto find = [&](const std::string& name) {
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw input_error(errc::not_found, header_place, "no column '" + name + "' in the header");
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t id_at = find("candidate_id");
  if (all)
    for (const auto& c : header)
      if (!is_score_metadata(c) && std::find(wanted.begin(), wanted.end(), c) == wanted.end()) wanted.push_back(c);
  std::vector<std::size_t> at;
  for (const auto& name : wanted) {
    at.push_back(find(name));
    if (predictors) check_not_protected<input_error>("predictor column", name, reader.place(at.back()));
  }
  keyed_table t;
  t.path = path;
  t.columns = wanted;
  std::map<std::string, std::size_t> seen;
  while (reader.next()) {
    if (reader.size() != header.size())
      throw input_error(errc::schema, reader.place(std::min(reader.size(), header.size()) - 1),
                        "row has " + std::to_string(reader.size()) + " fields, the header has " +
                            std::to_string(header.size()));
    const std::string id(trim_field(reader[id_at]));
    if (id.empty()) throw input_error(errc::value, reader.place(id_at), "empty candidate_id");
    auto [it, fresh] = seen.emplace(id, reader.line());
    if (!fresh)
      throw input_error(errc::duplicate, reader.place(id_at),
                        "candidate_id '" + id + "' appears twice (first on line " + std::to_string(it->second) + ")");
    std::vector<double> row;
    for (std::size_t c = 0; c < at.size(); ++c) {
      const std::string_view cell = reader[at[c]];
      double v = std::numeric_limits<double>::quiet_NaN();
      if (!is_missing_field(cell) && !io::parse_double(cell, v))
        throw input_error(errc::parse, reader.place(at[c]),
                          "'" + std::string(cell) + "' in column '" + wanted[c] + "' is not a number");
      row.push_back(v);
    }
    t.ids.push_back(id);
    t.values.push_back(std::move(row));
    t.lines.push_back(reader.line());
  }
  return t;
}

nlohmann::ordered_json number_or_null(double v) { return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v); }

nlohmann::ordered_json to_json(const continuous_validity& v) {
  return {{"n", v.pearson.n},
          {"r", v.pearson.r},
          {"r_lower", v.pearson.lower},
          {"r_upper", v.pearson.upper},
          {"p", v.pearson.p},
          {"spearman", v.spearman},
          {"r_corrected_criterion", number_or_null(v.r_corrected_criterion)},
          {"r_corrected_range", number_or_null(v.r_corrected_range)},
          {"r_operational", number_or_null(v.r_operational)}};
}

nlohmann::ordered_json to_json(const binary_validity& b) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& r : b.expectancy)
    rows.push_back({{"band", r.band}, {"score_min", r.score_min}, {"score_max", r.score_max}, {"n", r.n},
                    {"successes", r.successes}, {"rate", r.rate}, {"lower", r.lower}, {"upper", r.upper}});
  return {{"n", b.n}, {"point_biserial", b.point_biserial}, {"odds_ratio_per_10", b.logistic.odds_ratio_per_10},
          {"auc", b.auc}, {"expectancy", rows}};
}

std::string fmt(const char* f, double v) {
  if (std::isnan(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string table(const std::string& predictor, const continuous_validity& v) {
  std::string t = "predictor " + predictor + ", n = " + std::to_string(v.pearson.n) + "\n";
  t += "  Pearson r                      " + fmt("%.4f", v.pearson.r) + "  95% CI [" + fmt("%.4f", v.pearson.lower) +
       ", " + fmt("%.4f", v.pearson.upper) + "]  p = " + fmt("%.3g", v.pearson.p) + "\n";
  t += "  Spearman's rho                 " + fmt("%.4f", v.spearman) + "\n";
  t += "  corrected: criterion           " + fmt("%.4f", v.r_corrected_criterion) + "\n";
  t += "  corrected: range (Case II)     " + fmt("%.4f", v.r_corrected_range) + "\n";
  t += "  operational validity           " + fmt("%.4f", v.r_operational) + "\n";
  return t;
}

std::string table(const std::string& predictor, const binary_validity& b) {
  std::string t = "predictor " + predictor + ", n = " + std::to_string(b.n) + " (" + std::to_string(b.successes) +
                  " with criterion 1)\n";
  t += "  point-biserial r               " + fmt("%.4f", b.point_biserial) + "\n";
  t += "  odds ratio per 10 points       " + fmt("%.4f", b.logistic.odds_ratio_per_10) + "\n";
  t += "  AUC                            " + fmt("%.4f", b.auc) + "\n";
  t += "  expectancy (quintiles of the predictor):\n  band  scores            n   rate   95% CI (Wilson)\n";
  for (const auto& r : b.expectancy) {
    char line[160];
    std::snprintf(line, sizeof line, "  %4d  %7.3g-%-7.3g  %4zu  %5.3f  [%5.3f, %5.3f]\n", r.band, r.score_min,
                  r.score_max, r.n, r.rate, r.lower, r.upper);
    t += line;
  }
  return t;
}

int run_validity(args& a) {
  const std::string scores_path = a.required("--scores");
  const std::string outcomes_path = a.required("--outcomes");
  const std::string criterion = a.required("--criterion");
  const std::string predictor = a.value("--predictor").value_or("fit");
  const auto ryy = a.number("--criterion-reliability");
  const auto sd_arg = a.number("--applicant-sd");
  const auto applicants_path = a.value("--applicants");
  const std::string restriction = a.choice("--restriction", {"direct", "indirect"}, "direct");
  const bool json = a.flag("--json");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();

  if (ryy && !(*ryy > 0 && *ryy <= 1))
    throw usage_error{"--criterion-reliability must lie in (0, 1], got " + format_number(*ryy)};
  if (sd_arg && !(*sd_arg > 0)) throw usage_error{"--applicant-sd must be > 0, got " + format_number(*sd_arg)};
  if (sd_arg && applicants_path) throw usage_error{"give --applicants or --applicant-sd, not both"};
  if (restriction == "indirect")
    throw usage_error{"indirect range restriction is not corrected: Case II would mis-correct it (Hunter, Schmidt & "
                      "Le 2006); report the uncorrected r, or the criterion-corrected r alone"};
  const bool all = predictor == "all";

  keyed_table scores = read_keyed(scores_path, {all ? "fit" : predictor}, all, true);
  const keyed_table outcomes = read_keyed(outcomes_path, {criterion});

  // Join in the outcomes file's order (the fold assignment follows it).
  std::map<std::string, std::size_t> score_row;
  for (std::size_t i = 0; i < scores.ids.size(); ++i) score_row[scores.ids[i]] = i;
  std::vector<std::vector<double>> x(scores.columns.size());
  std::vector<double> y;
  std::size_t unmatched = 0, missing = 0, matched = 0;
  for (std::size_t i = 0; i < outcomes.ids.size(); ++i) {
    auto it = score_row.find(outcomes.ids[i]);
    if (it == score_row.end()) {
      ++unmatched;
      continue;
    }
    ++matched;
    const auto& s = scores.values[it->second];
    const double c = outcomes.values[i][0];
    if (std::isnan(c) || std::any_of(s.begin(), s.end(), [](double v) { return std::isnan(v); })) {
      ++missing;
      continue;
    }
    for (std::size_t k = 0; k < s.size(); ++k) x[k].push_back(s[k]);
    y.push_back(c);
  }
  if (matched == 0)
    throw input_error(errc::not_found, outcomes_path,
                      "no candidate_id of this file is in " + scores_path + "; check that both files use the same ids");
  if (unmatched > 0)
    std::fprintf(stderr, "merit validity: note: %zu candidate(s) of %s have no row in %s and are left out\n", unmatched,
                 outcomes_path.c_str(), scores_path.c_str());
  if (missing > 0)
    std::fprintf(stderr, "merit validity: note: %zu matched candidate(s) with an empty or NA cell left out\n", missing);

  double sd_applicants = sd_arg.value_or(std::nan(""));
  if (applicants_path) {
    const keyed_table app = read_keyed(*applicants_path, {scores.columns[0]});
    std::vector<double> v;
    for (const auto& row : app.values)
      if (!std::isnan(row[0])) v.push_back(row[0]);
    sd_applicants = on_input(*applicants_path, [&] { return applicant_sd(v); });
  }
  const bool binary = is_binary(y);
  const double r_yy = ryy.value_or(std::nan(""));
  if (binary && (ryy || !std::isnan(sd_applicants)))
    std::fprintf(stderr, "merit validity: note: the criterion is binary (0/1); the corrections apply to a "
                         "continuous criterion and are not computed\n");

  const std::string join_place = outcomes_path;
  auto one = [&](std::size_t k) {
    return binary ? to_json(on_input(join_place, [&] { return validity_binary(x[k], y); }))
                  : to_json(on_input(join_place, [&] { return validity_continuous(x[k], y, r_yy, sd_applicants); }));
  };
  auto one_table = [&](std::size_t k) {
    return binary ? table(scores.columns[k], on_input(join_place, [&] { return validity_binary(x[k], y); }))
                  : table(scores.columns[k],
                          on_input(join_place, [&] { return validity_continuous(x[k], y, r_yy, sd_applicants); }));
  };

  std::string text;
  if (!all) {
    text = json ? one(0).dump(2) + "\n"
                : "Validity against '" + criterion + "' (" + (binary ? "binary" : "continuous") + ")\n" + one_table(0);
  } else {
    const std::size_t p = scores.columns.size() - 1;
    if (p == 0) throw input_error(errc::schema, scores_path, "--predictor all needs competency columns besides fit");
    Eigen::MatrixXd X(y.size(), p);
    for (std::size_t k = 0; k < p; ++k)
      for (std::size_t i = 0; i < y.size(); ++i) X(i, k) = x[k + 1][i];
    const multiple_validity m = on_input(join_place, [&] { return cross_validated_multiple_r(X, y); });
    const double fit_r = on_input(join_place, [&] { return pearson(x[0], y).r; });
    if (json) {
      nlohmann::ordered_json j;
      for (std::size_t k = 0; k < scores.columns.size(); ++k) j["predictors"][scores.columns[k]] = one(k);
      j["multiple"] = {{"n", m.n},
                       {"predictors", m.predictors},
                       {"folds", m.folds},
                       {"multiple_r", m.multiple_r},
                       {"cross_validated_r", m.cross_validated_r},
                       {"fit_r", fit_r}};
      text = j.dump(2) + "\n";
    } else {
      text = "Validity against '" + criterion + "' (" + (binary ? "binary" : "continuous") + ")\n";
      for (std::size_t k = 0; k < scores.columns.size(); ++k) text += one_table(k);
      text += "least-squares weights on " + std::to_string(p) + " competencies, n = " + std::to_string(m.n) + "\n";
      text += "  multiple R (in sample)         " + fmt("%.4f", m.multiple_r) + "\n";
      text += "  cross-validated R (10-fold)    " + fmt("%.4f", m.cross_validated_r) + "\n";
      text += "  the model's fit: r             " + fmt("%.4f", fit_r) + "\n";
    }
  }
  write_output(out_path, text);
  return exit_ok;
}

const registrar reg{{"validity", "criterion-related validity against outcomes, with the field's corrections",
                     help_text, &run_validity}};

}  // namespace
}  // namespace merit::cli
