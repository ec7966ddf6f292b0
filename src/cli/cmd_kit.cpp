// merit kit: a structured-interview plan for one profile (include/merit/kit.hpp),
// printed as JSON, Markdown, a printable HTML guide or Greenhouse attributes
// (include/merit/io/kit.hpp).
#include "cli.hpp"

#include <merit/io/kit.hpp>
#include <merit/io/model.hpp>
#include <merit/kit.hpp>

#include <cstdio>
#include <string>

namespace merit::cli {
namespace {

const char* kit_help =
    "usage: merit kit --model M --profile P [--stages N] [--lang en|zh-CN]\n"
    "                 [--format json|md|html|greenhouse] [--out F]\n"
    "\n"
    "Builds a structured-interview plan for profile P from the model's question bank:\n"
    "which competencies each stage assesses and with which method, the questions (with\n"
    "probes) of each interview, minutes per stage, a scoring guide with the anchors and\n"
    "what \"no decision\" means. The plan meets these rules (docs/interview-kit.md):\n"
    "  - at most 6 competencies per interview;\n"
    "  - every hurdle competency (a minimum) has two independent sources: two interviews\n"
    "    with different interviewers, or an interview and a work sample or test;\n"
    "  - the competencies with the profile's highest weight are rated by two people;\n"
    "  - the work sample and the knowledge test assess what the evidence matrix says.\n"
    "Without --stages it uses the fewest stages that meet the rules. The same model\n"
    "and options always give the same kit.\n"
    "\n"
    "options:\n"
    "  --model M       competency model (JSON) with a question bank\n"
    "  --profile P     profile id (merit profiles M lists them)\n"
    "  --stages N      number of stages (interviews, work sample, test); exit 2 with\n"
    "                  the reason and the fewest stages that can when N cannot meet the rules\n"
    "  --lang L        language of md, html and greenhouse: en (default) or zh-CN;\n"
    "                  JSON carries both\n"
    "  --format F      json (default): {\"profile\", \"stages\": [{\"id\", \"method\",\n"
    "                  \"competencies\", \"minutes\", \"questions\": [{\"id\", \"competency\",\n"
    "                  \"text\", \"probes\"}]}], \"coverage\": {\"<competency>\": sources}};\n"
    "                  md: the kit for people; html: a printable interviewer guide, one\n"
    "                  A4 page per stage; greenhouse: each interview's name and scorecard\n"
    "                  attributes, which merit score --evidence reads back with none unmapped\n"
    "  --out F         write to F (appears only when complete); default: standard output\n"
    "\n"
    "exit status: 0 ok, 2 bad command line or --stages too few, 3 bad model, 4 file error\n"
    "\n"
    "examples:\n"
    "  merit kit --model competency_models/sales_enablement.json --profile sales_enablement\n"
    "  merit kit --model competency_models/sales_enablement.json --profile sales_operations \\\n"
    "      --stages 4 --lang zh-CN --format html --out kit.html\n";

int run_kit(args& a) {
  const std::string model_path = a.required("--model");
  const std::string profile = a.required("--profile");
  kit_options opt;
  if (auto n = a.integer("--stages", 1, 64)) opt.stages = static_cast<int>(*n);
  const io::kit_lang lang = a.choice("--lang", {"en", "zh-CN"}, "en") == "zh-CN" ? io::kit_lang::zh : io::kit_lang::en;
  const std::string format = a.choice("--format", {"json", "md", "html", "greenhouse"}, "json");
  const std::string out_path = a.value("--out").value_or("-");
  a.finish();
  const competency_model model = load_model(model_path);
  interview_kit kit;
  try {
    kit = plan_kit(model, profile, opt);
  } catch (const kit_infeasible& e) {
    throw usage_error{e.what()};
  }
  std::string text;
  if (format == "json")
    text = io::kit_json(kit).dump(2) + "\n";
  else if (format == "greenhouse")
    text = io::kit_greenhouse(kit, lang).dump(2) + "\n";
  else if (format == "md")
    text = io::kit_markdown(kit, lang);
  else
    text = io::kit_html(kit, lang);
  write_output(out_path, text);
  return exit_ok;
}

registrar reg_kit{{"kit", "a structured-interview plan for a profile, from the model's question bank", kit_help,
                   &run_kit}};

}  // namespace
}  // namespace merit::cli
