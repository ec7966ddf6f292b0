// AHP judgments JSON, read as `merit weights ahp` reads it: a hierarchy or a
// list/matrix of judgments, then the weights, the diagnostics and the JSON the
// command prints.
#include "fuzz.hpp"

#include <merit/io/ahp_json.hpp>
#include <merit/io/json.hpp>
#include <merit/io/judgments.hpp>
#include <merit/weights.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  merit_fuzz::accepts([&] {
    const nlohmann::json doc = merit::io::parse_json<merit::model_error>(merit_fuzz::text(data, size), "j.json");
    const auto& ri = merit::ri_saaty1980;
    if (doc.is_object() && doc.contains("hierarchy")) {
      const merit::judgments_hierarchy H = merit::parse_judgments_hierarchy(doc, "j.json");
      (void)merit::io::ahp_hierarchy_json(merit::hierarchy_weights(H, merit::ahp_method::eigen, merit::ahp_aggregation::aij, ri), H)
          .dump();
      return;
    }
    const merit::judgments J = merit::parse_judgments(doc, "j.json");
    for (auto agg : {merit::ahp_aggregation::aij, merit::ahp_aggregation::aip}) {
      const merit::ahp_group_result g = merit::ahp_weights(J, merit::ahp_method::eigen, agg, ri);
      (void)merit::io::ahp_group_json(g, J).dump();
    }
    (void)merit::ahp_weights(J, merit::ahp_method::geometric, merit::ahp_aggregation::aij, ri);
    (void)merit::ahp_diagnose(J.decision_makers.front().matrix, merit::ahp_method::eigen, ri, 3);
  });
  return 0;
}
