// merit score: competency scores in, ranked and explained fit out.
#include "cli.hpp"
#include "pool.hpp"
#include "shortlist.hpp"

#include <merit/fit.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/results.hpp>
#include <merit/model.hpp>
#include <merit/rank.hpp>
#include <merit/roles.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

const std::string score_help = std::string(
    "usage: merit score --model FILE [--profile ID] (--candidates FILE | --evidence FILE)\n"
    "                   [--out FILE|-] [--explain] [--top K] [--table | --csv] [--quiet]\n"
    "\n"
    "Scores candidates against a profile of a competency model and ranks them.\n"
    "\n"
    "  --model FILE       competency model (JSON), e.g. competency_models/sales_enablement.json\n"
    "  --profile ID       profile to score against (default: the model's first profile;\n"
    "                     'merit profiles FILE' lists them)\n") + pool_help + std::string(
    "  --out FILE|-       where to write the results (default '-': standard output). A file\n"
    "                     appears only when complete.\n"
    "  --explain          add contrib_<id> and gap_<id> columns: each competency's share of\n"
    "                     the fit and the fit points lost below target\n"
    "  --top K            write only the K best-ranked candidates\n"
    "  --table            print the readable shortlist even when stdout is not a terminal\n"
    "  --csv              print CSV even when stdout is a terminal\n"
    "  --quiet            no summary of the evidence on stderr\n"
    "\n"
    "Output CSV: rank,candidate_id,fit,status,coverage (6 decimals). fit is 0..100;\n"
    "status is qualified, screened_out (a hurdle failed) or incomplete (coverage below\n"
    "the profile's min_coverage, or a hurdle competency not observed). Ranking: fit\n"
    "descending after rounding to 6 decimals, ties by candidate id; no fit ranks last.\n"
    "When the output is a terminal, a shortlist with each candidate's strengths, gaps\n"
    "and best-fitting role is printed instead.\n"
    "\n"
    "examples:\n"
    "  merit score --model competency_models/sales_enablement.json \\\n"
    "      --profile sales_enablement --candidates examples/pool.csv --explain --top 10\n"
    "  merit score --model competency_models/sales_enablement.json \\\n"
    "      --evidence examples/evidence_long.csv --calibrate leniency --out ranked.csv\n");

int run_score(args& a) {
  const std::string model_path = a.required("--model");
  const auto profile_arg = a.value("--profile");
  const pool_options pool_opt = pool_options::from(a);
  const std::string out_path = a.value("--out").value_or("-");
  const bool explain = a.flag("--explain");
  const auto top = a.integer("--top", 1, 1'000'000'000'000LL);
  const bool force_table = a.flag("--table");
  const bool force_csv = a.flag("--csv");
  const bool quiet = a.flag("--quiet");
  a.finish();
  if (force_table && force_csv) throw usage_error{"--table and --csv exclude each other"};

  const competency_model model = load_model(model_path);
  const std::string profile_id = profile_arg ? *profile_arg : model.profiles.front().id;
  const scoring_plan plan = compile(model, profile_id);

  const pool_input input = read_pool(model, pool_opt);
  if (!quiet) print_evidence_summary(stderr, model, input);
  const io::candidate_table& pool = input.table;

  const auto n = static_cast<Eigen::Index>(pool.ids.size());
  Vector fit(n), coverage(n);
  std::vector<std::int8_t> st(static_cast<std::size_t>(n));
  RowMatrix contrib, gaps;
  score(plan, pool.scores, fit, coverage, st.data(), &contrib, &gaps);

  std::vector<std::size_t> order =
      top ? top_k(pool.ids, fit, static_cast<std::size_t>(*top)) : rank_order(pool.ids, fit);

  const bool table = force_table || (!force_csv && out_path == "-" && is_terminal(stdout));
  atomic_output out(out_path);
  if (table) {
    shortlist_view view{model, plan, pool, fit, coverage, st, contrib, gaps, order};
    print_shortlist(out.get(), view);
  } else {
    io::result_columns cols{explain, false};
    std::string buf;
    io::append_csv_header(buf, plan, cols);
    for (std::size_t r = 0; r < order.size(); ++r) {
      const std::size_t i = order[r];
      const auto ii = static_cast<Eigen::Index>(i);
      io::scored_row row{r + 1, pool.ids[i], fit_result{fit[ii], coverage[ii], static_cast<status>(st[i])},
                         contrib.row(ii).data(), gaps.row(ii).data(), std::nullopt};
      io::append_csv_row(buf, plan, row, cols);
      if (buf.size() > (1 << 20)) {
        std::fwrite(buf.data(), 1, buf.size(), out.get());
        buf.clear();
      }
    }
    std::fwrite(buf.data(), 1, buf.size(), out.get());
  }
  out.commit();
  return exit_ok;
}

registrar reg_score{{"score", "score and rank candidates against a profile", score_help.c_str(), &run_score}};

}  // namespace
}  // namespace merit::cli
