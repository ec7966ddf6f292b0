#pragma once
/// \file io/ahp_json.hpp
/// AHP results as JSON, in the layout `merit weights ahp --json` prints
/// (docs/weights.md): one writer for the CLI and the Python package, so both
/// name and round-trip every number alike. The numbers are merit/weights.hpp's.

#include <merit/io/judgments.hpp>
#include <merit/weights.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace merit::io {

/// A number for JSON: NaN (no RI for this order, AIP's group CR) becomes null.
inline nlohmann::ordered_json json_number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

/// `{"weights": {"<item>": w, ...}, "lambda_max", "ci", "cr", "ri_table", "gci"
/// (geometric only), "missing_judgments"}`; `items` name the weights in order.
inline nlohmann::ordered_json ahp_json(const ahp_result& r, const std::vector<std::string>& items) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  nlohmann::ordered_json w = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < items.size(); ++k) w[items[k]] = json_number(r.weights[static_cast<Eigen::Index>(k)]);
  out["weights"] = w;
  out["lambda_max"] = json_number(r.lambda_max);
  out["ci"] = json_number(r.ci);
  out["cr"] = json_number(r.cr);
  out["ri_table"] = r.ri_table;
  if (r.method == ahp_method::geometric) out["gci"] = json_number(r.gci);
  out["missing_judgments"] = r.missing;
  return out;
}

/// The result of one judgments document: `ahp_json` of the group's weights,
/// `method`, `n` and, for more than one decision maker, `aggregation` and
/// `decision_makers` (each one's own `ahp_json` with `id`, `weight`,
/// `max_abs_difference`, `compatibility`).
inline nlohmann::ordered_json ahp_group_json(const ahp_group_result& g, const judgments& J) {
  nlohmann::ordered_json out = ahp_json(g.group, J.items);
  out["method"] = to_string(g.group.method);
  out["n"] = J.items.size();
  if (J.decision_makers.size() > 1) {
    out["aggregation"] = to_string(g.aggregation);
    nlohmann::ordered_json members = nlohmann::ordered_json::array();
    for (const auto& m : g.members) {
      nlohmann::ordered_json mj = ahp_json(m.own, J.items);
      mj["id"] = m.id;
      mj["weight"] = m.weight;
      mj["max_abs_difference"] = json_number(m.max_abs_difference);
      mj["compatibility"] = json_number(m.compatibility);
      members.push_back(mj);
    }
    out["decision_makers"] = members;
  }
  return out;
}

/// A two-level hierarchy: the global `weights`, the hierarchy `cr`
/// (`lambda_max` and `ci` null: no single matrix), `ri_table`, `method`, and
/// each level's own `ahp_json` under `clusters` and `local`.
inline nlohmann::ordered_json ahp_hierarchy_json(const hierarchy_result& h, const judgments_hierarchy& H) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  nlohmann::ordered_json w = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < h.global.items.size(); ++k)
    w[h.global.items[k]] = h.global.weights[static_cast<Eigen::Index>(k)];
  out["weights"] = w;
  out["lambda_max"] = nullptr;
  out["ci"] = nullptr;
  out["cr"] = json_number(h.cr);
  out["ri_table"] = h.clusters.group.ri_table;
  out["method"] = to_string(h.clusters.group.method);
  out["clusters"] = ahp_json(h.clusters.group, H.clusters.items);
  nlohmann::ordered_json local = nlohmann::ordered_json::object();
  for (std::size_t c = 0; c < h.local.size(); ++c) local[H.local[c].first] = ahp_json(h.local[c], H.local[c].second.items);
  out["local"] = local;
  return out;
}

}  // namespace merit::io
