// merit norms build / merit norms apply: percentile ranks of scores against a
// norm sample (merit/norms.hpp), the norms file in merit/io/norms.hpp.
#include "cli.hpp"

#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/io/model.hpp>
#include <merit/io/norms.hpp>
#include <merit/io/results.hpp>
#include <merit/norms.hpp>
#include <merit/scoring_hash.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

const char* const help_text =
    "usage: merit norms build --model FILE [--profile ID] --scores S.csv [--column COL]\n"
    "                         [--by COL] --out NORMS.json\n"
    "       merit norms apply --model FILE --norms NORMS.json --scores S.csv [--column COL]\n"
    "                         [--out FILE]\n"
    "\n"
    "Norms say where a score stands in a reference sample: its percentile rank by the\n"
    "mid-rank rule, 100 x (scores below + half of the scores equal) / n, scores\n"
    "compared at the 6 decimals merit prints (docs/norms.md).\n"
    "\n"
    "build: reads the scores file (a CSV with a header, e.g. the output of 'merit\n"
    "  score') and writes the norm sample's distribution (distinct values with\n"
    "  counts) with its date, n per group, the model and the profile's scoring hash.\n"
    "  Rows whose score cell is empty or NA are left out (counted on stderr). Every\n"
    "  group needs at least 100 scores (docs/norms.md says why).\n"
    "apply: copies the scores file and adds a 'percentile' column (empty where the\n"
    "  score is). A score below the norm sample's lowest gets 0, above its highest\n"
    "  100 (counted on stderr). Norms built under another scoring hash, profile or\n"
    "  column are refused, as is a row whose group has no norms.\n"
    "\n"
    "options:\n"
    "  --model FILE     the competency model the scores come from\n"
    "  --profile ID     build: the profile scored against (default: the model's first)\n"
    "  --scores FILE    a CSV of scores with a header row ('-': standard input)\n"
    "  --column COL     the score column (default fit)\n"
    "  --by COL         build: one norm group per value of COL (a job, level or region).\n"
    "                   A protected characteristic is refused: norming by race, color, \n"
    "                   religion, sex or national origin is unlawful in the US\n"
    "                   (42 U.S.C. 2000e-2(l)). apply reads the same column\n"
    "  --norms FILE     apply: a file written by 'merit norms build'\n"
    "  --out FILE       where to write (apply default '-': standard output); the file\n"
    "                   appears only when complete\n"
    "\n"
    "exit status: 0 ok, 2 bad command line, 3 bad model, scores or norms (nothing\n"
    "             written), 4 file error\n"
    "\n"
    "examples:\n"
    "  merit score --model competency_models/sales_enablement.json \\\n"
    "      --candidates examples/pool.csv --out scores.csv\n"
    "  merit norms build --model competency_models/sales_enablement.json \\\n"
    "      --scores scores.csv --by region --out norms.json\n"
    "  merit norms apply --model competency_models/sales_enablement.json \\\n"
    "      --norms norms.json --scores scores.csv --out with_percentiles.csv\n";

/// The scores file's header and where the score and group columns are.
struct scores_header {
  io::csv_reader reader;
  std::vector<std::string> names;
  std::size_t value_at = 0;
  std::optional<std::size_t> group_at;
};

scores_header open_scores(const std::string& path, const std::string& column, const std::optional<std::string>& by,
                          const char* by_why) {
  scores_header h{io::csv_reader::open(path), {}, 0, std::nullopt};
  if (!h.reader.next()) throw input_error(errc::schema, h.reader.source(), "the file is empty; expected a header row");
  h.names.assign(h.reader.fields().begin(), h.reader.fields().end());
  auto find = [&](const std::string& name, const std::string& why) {
    auto it = std::find(h.names.begin(), h.names.end(), name);
    if (it == h.names.end())
      throw input_error(errc::not_found, h.reader.place(0), "no column '" + name + "' in the header" + why);
    return static_cast<std::size_t>(it - h.names.begin());
  };
  h.value_at = find(column, "");
  if (by) h.group_at = find(*by, by_why);
  return h;
}

/// The current row's score (NaN when the cell is empty or NA) and group.
double row_score(const scores_header& h, const std::string& column) {
  const io::csv_reader& r = h.reader;
  if (r.size() != h.names.size())
    throw input_error(errc::schema, r.place(std::min(r.size(), h.names.size()) - 1),
                      "row has " + std::to_string(r.size()) + " fields, the header has " + std::to_string(h.names.size()));
  const std::string_view cell = r[h.value_at];
  double v = std::numeric_limits<double>::quiet_NaN();
  if (!is_missing_field(cell) && !io::parse_double(cell, v))
    throw input_error(errc::parse, r.place(h.value_at), "'" + std::string(cell) + "' in column '" + column + "' is not a number");
  return v;
}

std::string row_group(const scores_header& h) {
  if (!h.group_at) return norm_table::all;
  std::string g(trim_field(h.reader[*h.group_at]));
  if (g.empty())
    throw input_error(errc::value, h.reader.place(*h.group_at),
                      "empty norm group in column '" + h.names[*h.group_at] + "'; every row needs its group");
  return g;
}

int run_build(args& a) {
  const std::string model_path = a.required("--model");
  const auto profile_arg = a.value("--profile");
  const std::string scores_path = a.required("--scores");
  const std::string column = a.value("--column").value_or("fit");
  const auto by = a.value("--by");
  const std::string out_path = a.required("--out");
  a.finish();
  if (by)
    if (auto problem = norms_group_column_problem(*by)) throw input_error(errc::protected_attribute, "", *problem);

  const competency_model model = load_model(model_path);
  const profile& prof = profile_arg ? model.get_profile(*profile_arg) : model.profiles.front();
  scores_header h = open_scores(scores_path, column, by, "");
  std::vector<double> scores;
  std::vector<std::string> groups;
  while (h.reader.next()) {
    scores.push_back(row_score(h, column));
    if (by) groups.push_back(row_group(h));
  }
  norm_table t;
  t.model_id = model.id;
  t.model_version = model.version;
  t.scoring_hash = scoring_hash(model, prof);
  t.profile = prof.id;
  t.column = column;
  t.by = by;
  t.built = utc_timestamp();
  norms_build_report report;
  t.groups = on_input(scores_path, [&] { return build_norm_groups(scores, groups, norms_min_n, &report); });
  write_output(out_path, io::to_json(t).dump() + "\n");

  std::string sizes;
  std::size_t n = 0;
  for (const auto& g : t.groups) {
    sizes += (sizes.empty() ? "" : ", ") + g.name() + " " + std::to_string(g.n());
    n += g.n();
  }
  std::fprintf(stderr, "merit norms: built norms of %zu scores in %zu group%s (%s)", n, t.groups.size(),
               t.groups.size() == 1 ? "" : "s", sizes.c_str());
  if (report.missing) std::fprintf(stderr, "; %zu rows without a score left out", report.missing);
  std::fprintf(stderr, "\n");
  return exit_ok;
}

int run_apply(args& a) {
  const std::string model_path = a.required("--model");
  const std::string norms_path = a.required("--norms");
  const std::string scores_path = a.required("--scores");
  const auto column_arg = a.value("--column");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();

  const norm_table t = io::load_norms(norms_path);
  const competency_model model = load_model(model_path);
  const std::string column = column_arg.value_or(t.column);
  on_input(norms_path, [&] { check_norms(t, t.profile, scoring_hash(model, t.profile), column); });
  scores_header h = open_scores(scores_path, column, t.by, " (the norms are grouped by it)");
  if (std::find(h.names.begin(), h.names.end(), "percentile") != h.names.end())
    throw input_error(errc::duplicate, h.reader.place(0), "the scores already have a 'percentile' column");

  atomic_output out(out_path);
  auto flush = [&](std::string& b) {
    if (std::fwrite(b.data(), 1, b.size(), out.get()) != b.size())
      throw input_error(errc::io, out_path, std::string("cannot write: ") + std::strerror(errno));
    b.clear();
  };
  std::string buf(h.reader.record());
  buf += ",percentile\n";
  std::size_t rows = 0, missing = 0, outside = 0;
  while (h.reader.next()) {
    const double v = row_score(h, column);
    const std::string g = row_group(h);
    const norm_group* group = t.find(g);
    if (!group)  // the library's message, placed at the row
      on_input(h.reader.place(h.group_at.value_or(h.value_at)), [&] { norms_group(t, g); });
    ++rows;
    missing += std::isnan(v) ? 1 : 0;
    outside += group->outside(v) ? 1 : 0;
    for (std::size_t i = 0; i < h.reader.size(); ++i) {
      io::append_csv_field(buf, h.reader[i]);
      buf += ',';
    }
    io::append_fixed6(buf, group->percentile(v));
    buf += '\n';
    if (buf.size() >= (1u << 20)) flush(buf);
  }
  flush(buf);
  out.commit();
  std::fprintf(stderr, "merit norms: %zu rows", rows);
  if (missing) std::fprintf(stderr, "; %zu without a score (empty percentile)", missing);
  if (outside)
    std::fprintf(stderr, "; %zu outside the norm sample's range (percentile 0 below it, 100 above it)", outside);
  std::fprintf(stderr, "\n");
  return exit_ok;
}

int run_norms(args& a) {
  const auto sub = a.positional();
  if (!sub) throw usage_error{"missing subcommand (merit norms build ... or merit norms apply ...)"};
  if (*sub == "build") return run_build(a);
  if (*sub == "apply") return run_apply(a);
  throw usage_error{"unknown subcommand '" + *sub + "'; expected build or apply"};
}

registrar reg{{"norms", "percentile ranks against a norm sample (build, apply)", help_text, &run_norms}};

}  // namespace
}  // namespace merit::cli
