// merit report: a candidate against a role, or a pool with its adverse impact,
// as one self-contained HTML file with charts: the pool layer's
// candidate_report and pool_report (include/merit/pool/report.hpp, docs/reports.md).
#include "cli.hpp"
#include "pool.hpp"

#include <merit/io/html.hpp>
#include <merit/io/model.hpp>
#include <merit/pool/report.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

std::string report_help_text() {
  return std::string(
             "usage: merit report candidate --model M [--profile P] (--candidates F | --evidence F) --id ID\n"
             "                              [--decision-log LOG.jsonl] [--out FILE.html] [--lang en|zh-CN]\n"
             "       merit report pool --model M [--profile P] (--candidates F | --evidence F)\n"
             "                         [--top K] [--groups G --by COL[,COL...]] [--out FILE.html]\n"
             "                         [--lang en|zh-CN]\n"
             "\n"
             "Writes one self-contained HTML file (inline SVG charts and CSS, no script, no\n"
             "network reference) that prints on A4 (docs/reports.md).\n"
             "\n"
             "candidate: the fit, status and band of candidate ID; each competency's level\n"
             "  against its target and minimum (standard error as a whisker, from evidence);\n"
             "  each competency's contribution to the fit, stacked so that the parts add up to\n"
             "  the fit; the fit on every profile and the role the candidate's pattern shows;\n"
             "  strengths, gaps with the fit points they cost and the questions of the model's\n"
             "  question bank that probe each gap; the methods, raters and ratings behind the\n"
             "  scores; the model's id, version and hash. At most 2 A4 pages.\n"
             "pool: the distribution of fits by status with the top band and the shortlist\n"
             "  cut; the status funnel (qualified, screened out by which hurdle, incomplete);\n"
             "  each competency's distribution against its target; with raw ratings, rater\n"
             "  leniency and panel reliability; with --groups, the adverse impact of the\n"
             "  shortlist (selection rates, impact ratios, the four-fifths line), as 'merit\n"
             "  audit' computes it. Aggregates only, whatever the pool's size.\n"
             "  At most 3 A4 pages.\n"
             "\n"
             "options:\n"
             "  --model M          competency model (JSON)\n"
             "  --profile P        profile to report against (default: the model's first)\n") +
         pool_help +
         "  --id ID            candidate: the candidate to report on\n"
         "  --decision-log LOG candidate: the decision log of the run that scored this pool\n"
         "                     ('merit score --audit-log'); the report checks the candidate's\n"
         "                     record against what it computes (model hash, profile, fit,\n"
         "                     status) and shows its id (docs/reports.md)\n"
         "  --top K            pool: the shortlist is the first K of the ranking that are\n"
         "                     qualified (default: qualified with a fit at or above the\n"
         "                     model's fit cut, role_answer.fit_cut)\n"
         "  --groups G         pool: CSV with candidate_id and demographic columns (an empty\n"
         "                     cell is an unknown category); read only for the audit\n"
         "  --by COL[,COL...]  pool: the columns of G to audit by (and their intersection)\n"
         "  --lang L           labels in en (default) or zh-CN, from the model\n"
         "  --out FILE         write to FILE (appears only when complete); default: standard output\n"
         "\n"
         "exit status: 0 ok, 2 bad command line, 3 bad model or input (or ID not in the pool),\n"
         "             4 file error\n"
         "\n"
         "examples:\n"
         "  merit report candidate --model competency_models/sales_enablement.json \\\n"
         "      --profile sales_enablement --evidence examples/evidence_long.csv --id C001 --out C001.html\n"
         "  merit report pool --model competency_models/sales_enablement.json \\\n"
         "      --profile sales_enablement --candidates examples/pool.csv --top 5 --lang zh-CN --out pool.html\n"
         "  merit score --model competency_models/sales_enablement.json --candidates examples/pool.csv \\\n"
         "      --out scores.csv --audit-log decisions.jsonl\n"
         "  merit report candidate --model competency_models/sales_enablement.json \\\n"
         "      --candidates examples/pool.csv --id C003 --decision-log decisions.jsonl --out C003.html\n";
}
const std::string report_help = report_help_text();

/// The options both reports share: the model file, the profile, the pool, the language.
struct common {
  std::string model_path;
  pool::pool_source source;
  pool::report_options opt;
};

common read_common(args& a) {
  common c;
  c.model_path = a.required("--model");
  if (auto p = a.value("--profile")) c.opt.profile = *p;
  const pool_options pool_opt = pool_options::from(a);
  c.opt.lang = io::parse_lang(a.choice("--lang", {"en", "zh-CN"}, "en"));
  c.source = pool_opt.stream_source();
  return c;
}

int run_candidate(args& a) {
  const std::string id = a.required("--id");
  const auto log = a.value("--decision-log");
  const std::string out_path = a.value("--out").value_or("-");
  common c = read_common(a);
  a.finish();
  c.opt.decision_log = log;
  write_output(out_path, pool::candidate_report(load_model(c.model_path), c.source, id, c.opt));
  return exit_ok;
}

int run_pool(args& a) {
  const auto top = a.integer("--top", 1, 1'000'000'000'000LL);
  const auto groups = a.value("--groups");
  const std::vector<std::string> by = a.values("--by");
  const std::string out_path = a.value("--out").value_or("-");
  common c = read_common(a);
  a.finish();
  if (top) c.opt.top = static_cast<std::uint64_t>(*top);
  // Checked here to name the options and exit 2 before any work; pool_report
  // checks again (argument_error) for every edge, Python's keywords included.
  if (groups && by.empty()) throw usage_error{"--groups needs --by COL[,COL...]: the columns to audit by"};
  if (!groups && !by.empty()) throw usage_error{"--by needs --groups FILE: the file with those columns"};
  c.opt.groups = groups;
  c.opt.by = by;
  write_output(out_path, pool::pool_report(load_model(c.model_path), c.source, c.opt));
  return exit_ok;
}

const struct {
  const char* name;
  int (*run)(args&);
} subcommands[] = {
    {"candidate", &run_candidate},
    {"pool", &run_pool},
};

int run_report(args& a) {
  const auto name = a.positional();
  if (!name) throw usage_error{"missing subcommand: candidate or pool"};
  for (const auto& s : subcommands)
    if (*name == s.name) return s.run(a);
  throw usage_error{"unknown subcommand '" + *name + "': candidate or pool"};
}

const registrar reg{{"report", "HTML reports with charts: one candidate against a role, or a pool",
                     report_help.c_str(), &run_report}};

}  // namespace
}  // namespace merit::cli
