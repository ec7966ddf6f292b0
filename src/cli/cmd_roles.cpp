// merit roles: which role each candidate's own pattern of strengths shows,
// and on which profiles the candidate is qualified (include/merit/roles.hpp).
#include "cli.hpp"
#include "pool.hpp"

#include <merit/io/model.hpp>
#include <merit/io/roles.hpp>

#include <cstdio>
#include <string>

namespace merit::cli {
namespace {

std::string roles_help_text() {
  return std::string(
             "usage: merit roles --model M (--candidates F | --evidence F) [--out F]\n"
             "\n"
             "For every candidate, the role answer: the profile the candidate's own pattern of\n"
             "strengths shows (best_profile, or null when no profile's pattern stands out from\n"
             "measurement error), how many standard errors it stands out from the next\n"
             "(margin), the profiles the candidate is qualified on with a fit at or above the\n"
             "model's cut (fits: 'fits several' and 'none' are answers too), each profile's fit,\n"
             "status, coverage and pattern correlation, and the reason in one sentence. A\n"
             "profile's higher or lower targets never decide the answer: a candidate rated the\n"
             "same on everything shows no role. docs/roles.md gives the rule.\n"
             "\n"
             "Writes JSON Lines, one object per candidate in input order:\n"
             "  {\"candidate_id\": .., \"best_profile\": .. | null, \"margin\": .. | null, \"fits\": [..],\n"
             "   \"profiles\": {\"<id>\": {\"fit\", \"status\", \"coverage\", \"pattern\"}}, \"reason\": ..}\n"
             "\n"
             "options:\n"
             "  --model M          competency model (JSON)\n") +
         pool_help +
         "  --out F            write to F (appears only when complete); default: standard output\n"
         "\n"
         "example:\n"
         "  merit roles --model competency_models/sales_enablement.json --candidates examples/pool.csv\n";
}
const std::string roles_help = roles_help_text();

int run_roles(args& a) {
  const std::string model_path = a.required("--model");
  const pool_options pool_opt = pool_options::from(a);
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();
  const competency_model model = load_model(model_path);
  const pool_input input = read_pool(model, pool_opt);
  print_evidence_summary(stderr, model, input);
  const role_rule rule(model);
  const io::candidate_table& pool = input.table;
  const RowMatrix* se = input.evidence ? &input.evidence->se : nullptr;
  atomic_output out(out_path);
  std::string line;
  for (std::size_t i = 0; i < pool.ids.size(); ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    const role_answer ans = rule.answer(pool.scores.row(r).data(), 1, se ? se->row(r).data() : nullptr);
    nlohmann::ordered_json j;
    j["candidate_id"] = pool.ids[i];
    io::put_role_answer(j, rule, ans);
    line = j.dump();
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), out.get()) != line.size())
      throw input_error(errc::io, out_path, "could not write the output");
  }
  out.commit();
  return exit_ok;
}

registrar reg_roles{{"roles", "which role each candidate's own pattern of strengths shows", roles_help.c_str(),
                     &run_roles}};

}  // namespace
}  // namespace merit::cli
