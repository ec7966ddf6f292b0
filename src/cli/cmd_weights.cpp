// `merit weights ahp`: competency weights from pairwise judgments (AHP).
// Everything numeric is merit/weights.hpp; this file reads, prints and writes.
#include "cli.hpp"

#include <merit/errors.hpp>
#include <merit/io/ahp_json.hpp>
#include <merit/io/judgments.hpp>
#include <merit/weights.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

const char* const weights_help =
    "usage: merit weights ahp --judgments FILE.json [options]\n"
    "\n"
    "Competency weights from pairwise judgments by the Analytic Hierarchy Process.\n"
    "FILE.json lists the items and each decision maker's judgments, as a list\n"
    "{\"a\": x, \"b\": y, \"value\": v} (x is v times as important as y, v in 1/9..9)\n"
    "or as a full matrix; see docs/weights.md. Missing judgments are completed by\n"
    "Harker's method (eigen) or logarithmic least squares (geometric).\n"
    "A file {\"hierarchy\": {\"clusters\": <judgments>, \"local\": {\"<cluster>\":\n"
    "<judgments>, ...}}} has two levels: a competency's global weight is its\n"
    "cluster's weight times its weight within the cluster; the CR printed is the\n"
    "hierarchy's, (CI_clusters + sum w_c CI_c) / (RI_clusters + sum w_c RI_c).\n"
    "\n"
    "options:\n"
    "  --judgments FILE     the judgments file (\"-\" reads stdin)\n"
    "  --method M           eigen (principal eigenvector, default) or geometric\n"
    "                       (row geometric mean; also reports the GCI)\n"
    "  --ri TABLE           random-index table for CR: saaty1980 (default),\n"
    "                       saaty2005, donegan_dodd, tummala_ling\n"
    "  --aggregate A        several decision makers: aij (geometric mean of the\n"
    "                       judgments, default) or aip (of the priorities)\n"
    "  --diagnose N         list the N judgments that add most to the inconsistency\n"
    "                       (default 3; shown when CR > 0.10, or always with --json)\n"
    "  --json               print JSON: {\"weights\": {item: w}, \"lambda_max\", \"ci\",\n"
    "                       \"cr\", \"ri_table\", ...}\n"
    "  --write-profile MODEL.json:PROFILE\n"
    "                       write the weights into PROFILE's targets of a copy of\n"
    "                       MODEL.json; the items must be exactly its target\n"
    "                       competencies; needs --out\n"
    "  --out NEW.json       where that copy goes (written whole or not at all)\n"
    "\n"
    "A CR above 0.10 prints a warning on stderr; the weights are still given.\n"
    "\n"
    "examples:\n"
    "  merit weights ahp --judgments examples/judgments_sales_enablement.json\n"
    "  merit weights ahp --judgments judgments.json --method geometric --json\n"
    "  merit weights ahp --judgments judgments.json \\\n"
    "      --write-profile model.json:sales_enablement --out model.weighted.json\n"
    "\n"
    "exit status: 0 ok, 2 bad command line, 3 bad judgments or model, 4 file error\n";

using io::json_number;

/// Reads a JSON file; ordered_json keeps a model's key order in the copy we write.
template <class Json = nlohmann::json>
Json load_json(const std::string& path) {
  const std::string text = read_file(path);
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw model_error(errc::parse, path, std::string("not valid JSON: ") + e.what());
  }
}

void print_table(const ahp_result& r, const std::vector<std::string>& items) {
  std::size_t width = 4;
  for (const auto& s : items) width = std::max(width, s.size());
  std::printf("%-*s  %7s\n", int(width), "item", "weight");
  for (std::size_t k = 0; k < items.size(); ++k) {
    const double w = r.weights[static_cast<Eigen::Index>(k)];
    std::string bar(static_cast<std::size_t>(std::lround(std::isfinite(w) ? w * 50 : 0)), '#');
    std::printf("%-*s  %6.2f%%  %s\n", int(width), items[k].c_str(), 100 * w, bar.c_str());
  }
}

void print_consistency(const ahp_result& r, Eigen::Index n) {
  if (!std::isfinite(r.lambda_max)) return;
  std::printf("lambda_max %.6f   CI %.6f   CR ", r.lambda_max, r.ci);
  if (std::isfinite(r.cr))
    std::printf("%.6f (RI %.4g, %s, n = %ld)", r.cr, r.ri, r.ri_table.c_str(), static_cast<long>(n));
  else
    std::printf("n/a (%s has no RI for n = %ld)", r.ri_table.c_str(), static_cast<long>(n));
  if (r.method == ahp_method::geometric)
    std::printf("   GCI %.6f (threshold %.2f)", r.gci, gci_threshold(n));
  std::printf("\n");
}

/// "MODEL.json:PROFILE" -> the model with the weights written into PROFILE.
nlohmann::ordered_json weighted_model(const std::string& spec, const std::vector<std::string>& items, const Vector& w,
                              const std::string& judgments_path) {
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
    throw usage_error{"--write-profile takes MODEL.json:PROFILE, got '" + spec + "'"};
  const std::string path = spec.substr(0, colon), profile = spec.substr(colon + 1);
  nlohmann::ordered_json model = load_json<nlohmann::ordered_json>(path);
  if (!model.is_object() || !model.contains("profiles") || !model["profiles"].is_array())
    throw model_error(errc::schema, path + "#/profiles", "the model has no \"profiles\" array");
  auto& profiles = model["profiles"];
  for (std::size_t p = 0; p < profiles.size(); ++p) {
    auto& prof = profiles[p];
    if (!prof.is_object() || prof.value("id", std::string()) != profile) continue;
    const std::string ptr = path + "#/profiles/" + std::to_string(p) + "/targets";
    if (!prof.contains("targets") || !prof["targets"].is_object())
      throw model_error(errc::schema, ptr, "profile '" + profile + "' has no \"targets\" object");
    auto& targets = prof["targets"];
    for (const auto& item : items)
      if (!targets.contains(item))
        throw model_error(errc::reference, judgments_path + "#/items",
                          "item '" + item + "' is not a target competency of profile '" + profile + "' in " + path);
    for (const auto& [id, target] : targets.items()) {
      if (std::find(items.begin(), items.end(), id) == items.end())
        throw model_error(errc::reference, ptr + "/" + id,
                          "target '" + id + "' of profile '" + profile + "' has no weight in " + judgments_path +
                              "; the judgments must cover every target");
      if (!target.is_object()) throw model_error(errc::schema, ptr + "/" + id, "a target must be an object");
    }
    for (std::size_t k = 0; k < items.size(); ++k) targets[items[k]]["weight"] = w[static_cast<Eigen::Index>(k)];
    return model;
  }
  throw model_error(errc::not_found, path + "#/profiles", "no profile '" + profile + "' in the model");
}

void write_model(const std::optional<std::string>& spec, const std::optional<std::string>& out_path,
                 const std::vector<std::string>& items, const Vector& w, const std::string& judgments_path) {
  if (!spec) return;
  const nlohmann::ordered_json model = weighted_model(*spec, items, w, judgments_path);
  atomic_output out(*out_path);
  const std::string text = model.dump(2) + "\n";
  if (std::fwrite(text.data(), 1, text.size(), out.get()) != text.size())
    throw input_error(errc::io, *out_path, "cannot write output file");
  out.commit();
}

/// Two levels: weights between clusters times weights within each cluster.
int run_hierarchy(const judgments_hierarchy& H, ahp_method method, ahp_aggregation aggregation,
                  const random_index_table& ri, bool as_json, const std::optional<std::string>& write_profile,
                  const std::optional<std::string>& out_path, const std::string& path) {
  const hierarchy_result h = hierarchy_weights(H, method, aggregation, ri);
  const ahp_group_result& top = h.clusters;
  const std::vector<ahp_result>& local = h.local;
  const named_weights& global = h.global;
  const double cr = h.cr;
  write_model(write_profile, out_path, global.items, global.weights, path);

  std::vector<std::pair<std::string, double>> inconsistent;  // levels with CR > 0.10
  if (top.group.cr > 0.1) inconsistent.emplace_back("clusters", top.group.cr);
  for (std::size_t c = 0; c < local.size(); ++c)
    if (local[c].cr > 0.1) inconsistent.emplace_back(H.local[c].first, local[c].cr);

  if (as_json) {
    const nlohmann::ordered_json out = io::ahp_hierarchy_json(h, H);
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("AHP weights (%s method, two levels) from %s\n\nclusters:\n", to_string(method), path.c_str());
    print_table(top.group, H.clusters.items);
    print_consistency(top.group, static_cast<Eigen::Index>(H.clusters.items.size()));
    for (std::size_t c = 0; c < local.size(); ++c) {
      std::printf("\nwithin %s:\n", H.local[c].first.c_str());
      print_table(local[c], H.local[c].second.items);
      print_consistency(local[c], static_cast<Eigen::Index>(H.local[c].second.items.size()));
    }
    std::printf("\nglobal weights (cluster weight x local weight):\n");
    ahp_result g;
    g.weights = global.weights;
    print_table(g, global.items);
    if (std::isfinite(cr)) std::printf("\nhierarchy CR %.6f (%s)\n", cr, std::string(ri.name).c_str());
    if (write_profile) std::printf("\nwrote %s\n", out_path->c_str());
  }
  for (const auto& [level, level_cr] : inconsistent)
    std::fprintf(stderr, "merit weights: warning: CR %.4f of %s is above 0.10; consider revising the judgments\n",
                 level_cr, level.c_str());
  return exit_ok;
}

int run_ahp(args& a) {
  const std::string path = a.required("--judgments");
  const std::string method_name = a.choice("--method", {"eigen", "geometric"}, "eigen");
  const std::string ri_name = a.choice("--ri", {"saaty1980", "saaty2005", "donegan_dodd", "tummala_ling"}, "saaty1980");
  const std::string agg_name = a.choice("--aggregate", {"aij", "aip"}, "aij");
  const auto diagnose = a.integer("--diagnose", 0, 1000).value_or(3);
  const bool as_json = a.flag("--json");
  const auto write_profile = a.value("--write-profile");
  const auto out_path = a.value("--out");
  a.finish();

  const ahp_method method = method_name == "eigen" ? ahp_method::eigen : ahp_method::geometric;
  const ahp_aggregation aggregation = agg_name == "aij" ? ahp_aggregation::aij : ahp_aggregation::aip;
  const random_index_table* ri = nullptr;
  for (const auto* t : random_index_tables)
    if (t->name == ri_name) ri = t;
  if (!ri) throw std::logic_error("--ri: the choices and random_index_tables differ");
  if (write_profile.has_value() != out_path.has_value())
    throw usage_error{"--write-profile and --out go together"};

  const nlohmann::json doc = load_json(path);
  if (doc.is_object() && doc.contains("hierarchy"))
    return run_hierarchy(parse_judgments_hierarchy(doc, path), method, aggregation, *ri, as_json, write_profile,
                         out_path, path);
  const judgments J = parse_judgments(doc, path);
  const ahp_group_result g = ahp_weights(J, method, aggregation, *ri);
  const auto n = static_cast<Eigen::Index>(J.items.size());
  const bool group = J.decision_makers.size() > 1;

  // The matrix the diagnostics look at: the one the group weights come from.
  std::vector<judgment_diagnostic> diag;
  if (diagnose > 0 && (!group || aggregation == ahp_aggregation::aij))
    diag = ahp_diagnose(group ? g.aggregated : J.decision_makers.front().matrix, method, *ri,
                        static_cast<std::size_t>(diagnose));

  write_model(write_profile, out_path, J.items, g.group.weights, path);

  if (as_json) {
    nlohmann::ordered_json out = io::ahp_group_json(g, J);
    nlohmann::ordered_json dj = nlohmann::ordered_json::array();
    for (const auto& d : diag)
      dj.push_back(nlohmann::ordered_json{{"a", J.items[static_cast<std::size_t>(d.row)]},
                    {"b", J.items[static_cast<std::size_t>(d.col)]},
                    {"value", d.value},
                    {"suggested", d.suggested},
                    {"cr_if_suggested", json_number(d.cr_without)}});
    out["diagnostics"] = dj;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("AHP weights (%s method%s) from %s\n\n", to_string(method),
                group ? (std::string(", ") + to_string(aggregation) + " of " +
                         std::to_string(J.decision_makers.size()) + " decision makers")
                            .c_str()
                      : "",
                path.c_str());
    print_table(g.group, J.items);
    std::printf("\n");
    if (g.group.missing > 0)
      std::printf("%zu of %ld judgments missing: completed from the others\n", g.group.missing,
                  static_cast<long>(n * (n - 1) / 2));
    print_consistency(g.group, n);
    if (group && aggregation == ahp_aggregation::aip)
      std::printf("AIP has no group matrix, so no group CR: see each decision maker's below\n");
    if (group) {
      std::printf("\ndecision maker     weight      CR   max |w - group|   compatibility\n");
      for (const auto& m : g.members) {
        std::printf("%-16s %7.3f %8.4f %17.4f %15.4f%s\n", m.id.c_str(), m.weight, m.own.cr, m.max_abs_difference,
                    m.compatibility, m.own.cr > 0.1 ? "   CR > 0.10" : "");
      }
    }
    if (g.group.cr > 0.1 && !diag.empty()) {
      std::printf("\njudgments that add most to the inconsistency:\n");
      for (const auto& d : diag)
        std::printf("  %s vs %s: %.4g; the other judgments imply %.4g (CR would be %.4f)\n",
                    J.items[static_cast<std::size_t>(d.row)].c_str(), J.items[static_cast<std::size_t>(d.col)].c_str(),
                    d.value, d.suggested, d.cr_without);
    }
    if (write_profile) std::printf("\nwrote %s\n", out_path->c_str());
  }
  if (g.group.cr > 0.1)
    std::fprintf(stderr, "merit weights: warning: CR %.4f is above 0.10; consider revising the judgments\n",
                 g.group.cr);
  for (const auto& m : g.members)
    if (group && m.own.cr > 0.1)
      std::fprintf(stderr, "merit weights: warning: decision maker '%s' has CR %.4f, above 0.10\n", m.id.c_str(),
                   m.own.cr);
  return exit_ok;
}

int run_weights(args& a) {
  const auto sub = a.positional();
  if (!sub) throw usage_error{"missing subcommand (merit weights ahp ...)"};
  if (*sub != "ahp") throw usage_error{"unknown subcommand '" + *sub + "'; the only one is 'ahp'"};
  return run_ahp(a);
}

const registrar weights_command{
    {"weights", "competency weights from stakeholders' pairwise judgments (AHP)", weights_help, &run_weights}};

}  // namespace
}  // namespace merit::cli
