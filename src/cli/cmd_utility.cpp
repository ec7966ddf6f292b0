// `merit utility`: what a selection procedure is worth, from its validity,
// the selection ratio and the base rate (merit/utility.hpp).
#include "cli.hpp"

#include <merit/errors.hpp>
#include <merit/number.hpp>
#include <merit/utility.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace merit::cli {
namespace {

const char* const help_text =
    "usage: merit utility --validity R --selection-ratio SR --base-rate BR\n"
    "                     [--sd-performance USD --hires N --cost-per-applicant C] [--json] [--out FILE]\n"
    "\n"
    "What an assessment is worth (see docs/validity.md).\n"
    "\n"
    "Taylor-Russell (1939): the success ratio, the share of those selected who\n"
    "succeed, computed exactly from the bivariate normal (Owen's T function):\n"
    "P(X > z_SR, Y > z_BR) / SR with correlation R.\n"
    "Brogden (1949) / Cronbach & Gleser (1965): the gain in money of N hires,\n"
    "N R USD phi(z_c)/SR - C N/SR, where phi(z_c)/SR is the mean standard\n"
    "score of those selected and N/SR the applicants assessed.\n"
    "\n"
    "options:\n"
    "  --validity R             the (operational) validity, in (-1, 1)\n"
    "  --selection-ratio SR     hires / applicants, in (0, 1)\n"
    "  --base-rate BR           share who would succeed if hired at random, in (0, 1)\n"
    "  --sd-performance USD     SD of yearly job performance in money (> 0)\n"
    "  --hires N                number hired (> 0)\n"
    "  --cost-per-applicant C   cost of assessing one applicant (>= 0)\n"
    "                           (the three go together; utility is null without them)\n"
    "  --json                   {\"success_ratio\", \"mean_z_selected\", \"utility\"}\n"
    "  --out FILE               write there instead of stdout (only once complete)\n"
    "\n"
    "example:\n"
    "  merit utility --validity 0.35 --selection-ratio 0.2 --base-rate 0.5 \\\n"
    "      --sd-performance 40000 --hires 10 --cost-per-applicant 300\n";

/// A probability-like option: strictly between 0 and 1.
void check_open_unit(const std::optional<double>& v, const char* name) {
  if (!(*v > 0 && *v < 1))
    throw usage_error{std::string(name) + " must lie strictly between 0 and 1, got " + format_number(*v)};
}

int run_utility(args& a) {
  const auto r = a.number("--validity");
  const auto sr = a.number("--selection-ratio");
  const auto br = a.number("--base-rate");
  const auto usd = a.number("--sd-performance");
  const auto hires = a.number("--hires");
  const auto cost = a.number("--cost-per-applicant");
  const bool json = a.flag("--json");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();
  if (!r) throw usage_error{"missing --validity"};
  if (!sr) throw usage_error{"missing --selection-ratio"};
  if (!br) throw usage_error{"missing --base-rate"};
  if (!(*r > -1 && *r < 1)) throw usage_error{"--validity must lie strictly between -1 and 1, got " + format_number(*r)};
  check_open_unit(sr, "--selection-ratio");
  check_open_unit(br, "--base-rate");
  const int given = int(bool(usd)) + int(bool(hires)) + int(bool(cost));
  if (given != 0 && given != 3)
    throw usage_error{"--sd-performance, --hires and --cost-per-applicant go together; give all three"};
  if (usd && !(*usd > 0)) throw usage_error{"--sd-performance must be > 0, got " + format_number(*usd)};
  if (hires && !(*hires > 0)) throw usage_error{"--hires must be > 0, got " + format_number(*hires)};
  if (cost && !(*cost >= 0)) throw usage_error{"--cost-per-applicant must be >= 0, got " + format_number(*cost)};

  const utility_result u =
      given == 3 ? selection_utility(*r, *sr, *br, *usd, *hires, *cost) : selection_utility(*r, *sr, *br);
  std::string text;
  if (json) {
    nlohmann::ordered_json j;
    j["success_ratio"] = u.success_ratio;
    j["mean_z_selected"] = u.mean_z_selected;
    j["utility"] = u.utility ? nlohmann::ordered_json(*u.utility) : nlohmann::ordered_json();
    text = j.dump(2) + "\n";
  } else {
    char line[200];
    std::snprintf(line, sizeof line,
                  "validity %s, selection ratio %s, base rate %s\n"
                  "  success ratio (Taylor-Russell)   %.4f  (base rate %.4f)\n"
                  "  mean z of those selected         %.4f  (cut at z = %.4f)\n",
                  format_number(*r).c_str(), format_number(*sr).c_str(), format_number(*br).c_str(), u.success_ratio,
                  *br, u.mean_z_selected, u.z_cut);
    text = line;
    if (u.utility) {
      std::snprintf(line, sizeof line, "  utility (Brogden-Cronbach-Gleser) %.2f  (%s hires from %.1f applicants)\n",
                    *u.utility, format_number(*hires).c_str(), *u.applicants);
      text += line;
    } else {
      text += "  utility: give --sd-performance, --hires and --cost-per-applicant\n";
    }
  }
  write_output(out_path, text);
  return exit_ok;
}

const registrar reg{{"utility", "Taylor-Russell success ratio and Brogden-Cronbach-Gleser utility", help_text,
                     &run_utility}};

}  // namespace
}  // namespace merit::cli
