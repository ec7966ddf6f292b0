// Entry point of the `merit` tool: dispatches to the registered commands and
// turns every error into one clear line on stderr and a documented exit code.
#include "cli.hpp"

#include <merit/errors.hpp>
#include <merit/version.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace {

void print_overview(std::FILE* out) {
  auto commands = merit::cli::registry();
  std::sort(commands.begin(), commands.end(),
            [](const auto& a, const auto& b) { return std::strcmp(a.name, b.name) < 0; });
  std::fprintf(out,
               "merit %s - structured, explainable, fair competency assessment for hiring\n\n"
               "usage: merit <command> [options]\n       merit <command> --help\n\ncommands:\n",
               merit::version());
  for (const auto& c : commands) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
  std::fprintf(out,
               "\noptions:\n  --version    print the version and exit\n  --help       print this help\n\n"
               "exit status: 0 ok, 1 some input rows rejected (diff: the models differ),\n"
               "             2 bad command line, 3 bad model or input (nothing written),\n"
               "             4 file error, 130 interrupted\n");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace merit::cli;
  std::vector<std::string> tokens(argv + 1, argv + argc);
  if (tokens.empty()) {
    print_overview(stderr);
    return exit_usage;
  }
  const std::string name = tokens.front();
  if (name == "--version" || name == "version") {
    std::printf("merit %s\n", merit::version());
    return exit_ok;
  }
  if (name == "--help" || name == "-h" || name == "help") {
    print_overview(stdout);
    return exit_ok;
  }
  const command* cmd = nullptr;
  for (const auto& c : registry())
    if (name == c.name) cmd = &c;
  if (!cmd) {
    std::fprintf(stderr, "merit: unknown command '%s'; see 'merit --help'\n", name.c_str());
    return exit_usage;
  }
  args a(name, std::vector<std::string>(tokens.begin() + 1, tokens.end()));
  if (a.wants_help()) {
    std::fputs(cmd->help, stdout);
    return exit_ok;
  }
  install_signal_handlers();
  try {
    return cmd->run(a);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "merit %s: %s (see 'merit %s --help')\n", name.c_str(), e.message.c_str(), name.c_str());
    return exit_usage;
  } catch (const merit::error& e) {
    std::fprintf(stderr, "merit %s: error: %s\n", name.c_str(), e.what());
    return e.code() == merit::errc::io ? exit_io : exit_input;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "merit %s: error: out of memory\n", name.c_str());
    return exit_io;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "merit %s: internal error: %s\n", name.c_str(), e.what());
    return exit_input;
  }
}
