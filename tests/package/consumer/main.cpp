// A minimal program using merit as an installed package: load a model and
// score one candidate at every competency's target; link the pool layer
// (merit::pool) and name an output format through it.
#include <merit/merit.hpp>
#include <merit/pool/options.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const merit::competency_model model = merit::load_model(argv[1]);
  const merit::scoring_plan plan = merit::compile(model, "sales_enablement");
  std::vector<double> x(model.competencies.size(), 3.0);
  const merit::fit_result r = merit::score_one(plan, x.data());
  std::printf("%s: %.6f\n", plan.profile_id().c_str(), r.fit);
  if (std::string(merit::pool::to_string(merit::pool::output_format_for("ranked.ndjson"))) != "jsonl") return 1;
  return r.has_fit() ? 0 : 1;
}
