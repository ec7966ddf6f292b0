// `merit criterion 360`: one criterion score per person from 360-degree
// ratings weighted by rater group (merit/criterion.hpp), with each group's
// inter-rater reliability and Mosier's reliability of the composite. Reads
// and writes through merit/io/ratings_360.hpp.
#include "cli.hpp"

#include <merit/criterion.hpp>
#include <merit/errors.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/ratings_360.hpp>
#include <merit/number.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace merit::cli {
namespace {

const char* const help_text =
    "usage: merit criterion 360 --ratings FILE --weights GROUP=W[,GROUP=W...]\n"
    "                           [--exclude GROUP[,GROUP...]] [--missing-group refuse|renormalise|drop]\n"
    "                           [--group-reliability GROUP=R[,...]] [--json] [--out FILE]\n"
    "\n"
    "A criterion from 360-degree ratings (see docs/criterion.md): each person's\n"
    "ratings are averaged within each rater group, and the group means are\n"
    "combined with the rater-group weights: composite = sum of w_group x mean_group.\n"
    "Each group's inter-rater reliability is the one-way random ICC (raters are\n"
    "nested in persons): ICC(1) for one rater, ICC(1,k) for the mean of k; the\n"
    "composite's reliability is Mosier's (1943).\n"
    "\n"
    "options:\n"
    "  --ratings FILE       long CSV, one row a rating: candidate_id (the person\n"
    "                       rated), rater_group, rater_id, rating; an empty or NA\n"
    "                       rating is left out and counted\n"
    "  --weights G=W,...    every rater group's weight, each > 0, summing to 1\n"
    "                       (e.g. salespeople=0.5,manager=0.3,peer=0.2)\n"
    "  --exclude G,...      leave the rows of these groups out (e.g. self)\n"
    "  --missing-group P    a person with no rating from a weighted group:\n"
    "                       refuse (default: an error naming them), renormalise\n"
    "                       (the weights of the groups present rescaled to sum\n"
    "                       to 1; the row's missing_groups names the rest), or\n"
    "                       drop (left out, counted)\n"
    "  --group-reliability G=R,...  a reliability in (0, 1] for a group, used\n"
    "                       instead of its estimate (for a group with one rater\n"
    "                       per person, whose agreement cannot be estimated)\n"
    "  --out FILE           the criterion CSV (default stdout): candidate_id,\n"
    "                       composite, <group>_mean and <group>_raters per group,\n"
    "                       missing_groups; 'merit validity --outcomes FILE\n"
    "                       --criterion composite' reads it\n"
    "  --json               print the summary as JSON on stdout (needs --out):\n"
    "                       format, persons, incomplete, dropped, missing_group,\n"
    "                       weights, groups [{group, weight, persons, ratings,\n"
    "                       raters_min, raters_max, balanced, model, k, icc1,\n"
    "                       icc1k, f, df1, df2, p, reliability, reliability_source,\n"
    "                       note}], composite {n, variance, reliability, method, note}\n"
    "\n"
    "Without --json the summary is a table: on stdout with --out, else on stderr.\n"
    "\n"
    "example:\n"
    "  merit criterion 360 --ratings examples/ratings_360.csv \\\n"
    "      --weights salespeople=0.5,manager=0.3,peer=0.2 --out criterion.csv\n"
    "  merit validity --scores scores.csv --outcomes criterion.csv --criterion composite\n";

/// GROUP=NUMBER pairs of an option, in the order given.
std::vector<std::pair<std::string, double>> group_numbers(const std::vector<std::string>& items,
                                                          const std::string& option) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    const std::string group = eq == std::string::npos ? item : item.substr(0, eq);
    double v = 0;
    if (eq == std::string::npos || group.empty() || !io::parse_double(item.substr(eq + 1), v) || !std::isfinite(v))
      throw usage_error{"option " + option + " takes GROUP=NUMBER pairs separated by commas, got '" + item + "'"};
    out.emplace_back(group, v);
  }
  return out;
}

std::string fmt(const char* f, double v) {
  if (std::isnan(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string summary_table(const criterion_360_result& r, const io::ratings_360_file& in) {
  std::string t = "360-degree criterion: " + std::to_string(r.persons.size()) + " persons, " +
                  std::to_string(in.ratings.size()) + " ratings";
  if (r.incomplete) t += ", " + std::to_string(r.incomplete) + " with a group missing (weights renormalised)";
  if (r.dropped) t += ", " + std::to_string(r.dropped) + " dropped for a missing group";
  t += "\n\ngroup          weight  persons  raters   ICC(1)  ICC(1,k)   k     95% CI of ICC(1,k)  reliability used\n";
  for (const auto& g : r.reliability) {
    char line[256];
    const std::string raters = g.raters_min == g.raters_max ? std::to_string(g.raters_min)
                                                            : std::to_string(g.raters_min) + "-" + std::to_string(g.raters_max);
    const std::string ci = g.estimable ? "[" + fmt("%.3f", g.icc1k.lower) + ", " + fmt("%.3f", g.icc1k.upper) + "]" : "-";
    const std::string used = std::isnan(g.reliability) ? "none" : fmt("%.3f", g.reliability) + " (" + g.reliability_source + ")";
    std::snprintf(line, sizeof line, "%-14s %6.3f  %7zu  %6s  %7s  %8s  %5s  %-18s  %s\n", g.group.c_str(), g.weight,
                  g.persons, raters.c_str(), fmt("%.3f", g.icc1.value).c_str(), fmt("%.3f", g.icc1k.value).c_str(),
                  fmt("%.2f", g.k).c_str(), ci.c_str(), used.c_str());
    t += line;
    if (!g.note.empty()) t += "  " + g.group + ": " + g.note + "\n";
  }
  t += "\ncomposite reliability (Mosier 1943), over the " + std::to_string(r.composite.n) +
       " persons rated by every group: " + fmt("%.4f", r.composite.reliability) + "\n";
  if (!r.composite.note.empty()) t += "  " + r.composite.note + "\n";
  return t;
}

int run_criterion(args& a) {
  const auto kind = a.positional();
  if (!kind) throw usage_error{"missing the criterion kind: merit criterion 360 ..."};
  if (*kind != "360") throw usage_error{"unknown criterion kind '" + *kind + "'; the kind merit knows is 360"};
  const std::string ratings_path = a.required("--ratings");
  const auto weight_items = a.values("--weights");
  if (weight_items.empty()) throw usage_error{"missing required option --weights"};
  const std::vector<std::string> excluded = a.values("--exclude");
  const std::string missing = a.choice("--missing-group", {"refuse", "renormalise", "drop"}, "refuse");
  const auto reliability_items = a.values("--group-reliability");
  const bool json = a.flag("--json");
  const auto out_path = a.value("--out");
  a.finish();
  if (json && !out_path) throw usage_error{"--json prints the summary on stdout; give --out for the criterion CSV"};

  std::vector<rater_group_weight> weights;
  for (const auto& [g, w] : group_numbers(weight_items, "--weights")) weights.push_back({g, w});
  for (const auto& e : excluded)
    for (const auto& w : weights)
      if (w.group == e) throw usage_error{"rater group '" + e + "' has a weight and is excluded; choose one"};
  try {
    check_rater_group_weights(weights);
  } catch (const argument_error& e) {
    throw usage_error{"--weights: " + e.detail()};
  }
  criterion_360_options opt;
  opt.missing = missing == "renormalise" ? missing_group_policy::renormalise
                : missing == "drop"      ? missing_group_policy::drop
                                         : missing_group_policy::refuse;
  opt.given_reliability = group_numbers(reliability_items, "--group-reliability");
  for (const auto& [g, r] : opt.given_reliability) {
    bool known = false;
    for (const auto& w : weights) known = known || w.group == g;
    if (!known) throw usage_error{"--group-reliability names rater group '" + g + "', which has no weight"};
    if (!(r > 0 && r <= 1))
      throw usage_error{"--group-reliability for '" + g + "' must lie in (0, 1], got " + format_number(r)};
  }

  std::vector<std::string> groups;
  for (const auto& w : weights) groups.push_back(w.group);
  const io::ratings_360_file in = io::read_ratings_360(ratings_path, groups, excluded);
  if (in.missing)
    std::fprintf(stderr, "merit criterion: note: %zu row(s) with an empty or NA rating left out\n", in.missing);
  if (in.excluded)
    std::fprintf(stderr, "merit criterion: note: %zu row(s) of excluded groups left out\n", in.excluded);
  const criterion_360_result r = on_input(ratings_path, [&] { return criterion_360(in.ratings, weights, opt); });
  if (r.dropped)
    std::fprintf(stderr, "merit criterion: note: %zu person(s) without a rating from every group dropped\n", r.dropped);
  if (r.incomplete)
    std::fprintf(stderr,
                 "merit criterion: note: %zu person(s) without a rating from every group: weights renormalised over "
                 "the groups present (see missing_groups)\n",
                 r.incomplete);

  write_output(out_path.value_or("-"), io::criterion_360_csv(r));
  if (json)
    write_output("-", io::criterion_360_json(r, missing).dump(2) + "\n");
  else if (out_path)
    write_output("-", summary_table(r, in));
  else
    std::fputs(summary_table(r, in).c_str(), stderr);
  return exit_ok;
}

const registrar reg{{"criterion", "a criterion from 360-degree ratings weighted by rater group, with its reliability",
                     help_text, &run_criterion}};

}  // namespace
}  // namespace merit::cli
