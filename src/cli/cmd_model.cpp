// merit validate / merit profiles: inspecting competency model files.
#include "cli.hpp"

#include <merit/io/json.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>
#include <merit/scoring_hash.hpp>

#include <cstdio>
#include <string>

namespace merit::cli {
namespace {

const char* validate_help =
    "usage: merit validate FILE...\n"
    "\n"
    "Checks competency model files and prints every problem found (not only the\n"
    "first), one per line as FILE#/json/pointer: message, then every warning as\n"
    "FILE#/json/pointer: warning: message (what loads but should be stated, such\n"
    "as a numeric scale mapped linearly with no basis; docs/model-format.md).\n"
    "Exit status 0 when all files are valid (warnings or not), 4 when a file cannot\n"
    "be read (missing, a directory), 3 otherwise.\n"
    "\n"
    "example:\n"
    "  merit validate competency_models/sales_enablement.json\n";

int run_validate(args& a) {
  std::vector<std::string> files;
  while (auto f = a.positional()) files.push_back(*f);
  a.finish();
  if (files.empty()) throw usage_error{"name at least one model file"};
  bool all_ok = true, io_failed = false;  // a file that cannot be read: exit 4, as everywhere
  for (const auto& f : files) {
    std::vector<problem> problems;
    competency_model m;
    try {
      auto doc = io::parse_json<model_error>(read_text_file<model_error>(f), f);
      m = build_model(doc, problems);
    } catch (const model_error& e) {
      std::fprintf(stdout, "%s\n", e.what());
      all_ok = false;
      io_failed = io_failed || e.code() == errc::io;
      continue;
    }
    for (const auto& p : problems) std::fprintf(stdout, "%s#%s: %s\n", f.c_str(), p.pointer.c_str(), p.message.c_str());
    for (const auto& w : m.warnings)
      std::fprintf(stdout, "%s#%s: warning: %s\n", f.c_str(), w.pointer.c_str(), w.message.c_str());
    if (problems.empty()) {
      const std::size_t nw = m.warnings.size();
      const std::string warned = nw == 0 ? "" : "; " + std::to_string(nw) + (nw == 1 ? " warning" : " warnings");
      std::fprintf(stdout, "%s: valid: model %s %s, %zu competencies, %zu methods, %zu profiles%s\n", f.c_str(),
                   m.id.c_str(), m.version.c_str(), m.competencies.size(), m.methods.size(), m.profiles.size(),
                   warned.c_str());
    } else {
      std::fprintf(stdout, "%s: %zu problem%s\n", f.c_str(), problems.size(), problems.size() == 1 ? "" : "s");
      all_ok = false;
    }
  }
  return io_failed ? exit_io : all_ok ? exit_ok : exit_input;
}

const char* profiles_help =
    "usage: merit profiles FILE\n"
    "\n"
    "Lists the profiles of a competency model: id, name (en / zh-CN), fit model,\n"
    "minimum coverage, number of targets and hurdles, the job titles that map to it,\n"
    "and its scoring hash: SHA-256 of what turns evidence into its fits (targets,\n"
    "weights, hurdles, coverage rule, scale mappings, evidence weights), which norms\n"
    "record; rewording a question or a label keeps it (docs/model-format.md).\n"
    "\n"
    "example:\n"
    "  merit profiles competency_models/sales_enablement.json\n";

int run_profiles(args& a) {
  auto f = a.positional();
  a.finish();
  if (!f) throw usage_error{"name a model file"};
  const competency_model m = load_model(*f);
  std::printf("%s %s - %s%s%s\n\n", m.id.c_str(), m.version.c_str(), m.name.en.c_str(), m.name.zh.empty() ? "" : " / ",
              m.name.zh.c_str());
  for (const auto& p : m.profiles) {
    std::size_t hurdles = 0;
    for (const auto& t : p.targets) hurdles += t.minimum ? 1 : 0;
    std::printf("%s\n  name:      %s%s%s\n  fit model: %s, min coverage %.0f%%, %zu targets, %zu hurdles\n", p.id.c_str(),
                p.name.en.c_str(), p.name.zh.empty() ? "" : " / ", p.name.zh.c_str(), to_string(p.fit_model),
                100 * p.min_coverage, p.targets.size(), hurdles);
    std::string aliases;
    for (const auto& al : p.title_aliases) aliases += (aliases.empty() ? "" : ", ") + al;
    std::printf("  titles:    %s\n", aliases.empty() ? "-" : aliases.c_str());
    std::printf("  scoring:   sha256 %s\n", scoring_hash(m, p).c_str());
    if (!p.weights_source.empty())
      std::printf("  weights:   from %s%s\n", p.weights_source.c_str(),
                  p.provisional ? " (the maintainers' provisional judgments: replace them with your panel's)" : "");
    std::printf("\n");
  }
  return exit_ok;
}

registrar reg_validate{{"validate", "check competency model files, listing every problem", validate_help, &run_validate}};
registrar reg_profiles{{"profiles", "list a model's profiles and their job-title aliases", profiles_help, &run_profiles}};

}  // namespace
}  // namespace merit::cli
