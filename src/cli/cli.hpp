#pragma once
// Shared plumbing of the `merit` command-line tool: the command registry, a
// small argument parser, atomic output files and exit codes. Commands live in
// src/cli/cmd_<name>.cpp and register themselves. A command parses its
// arguments, calls the library (the pool engine for `merit score`) and prints:
// scoring, parsing and every rule live in the library, so the C ABI and
// Python give the same results.

#include <merit/errors.hpp>
#include <merit/pool/atomic_file.hpp>

#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace merit::cli {

/// Exit codes, documented in README.md (CLI reference).
enum exit_code : int {
  exit_ok = 0,
  exit_rejected = 1,   ///< ran to the end, but some input rows were rejected
  exit_different = 1,  ///< merit diff: the models differ (as diff(1))
  exit_usage = 2,      ///< bad command line
  exit_input = 3,      ///< bad model or input data: nothing was written
  exit_io = 4,         ///< a file could not be read or written
  exit_interrupted = 130,
};

/// Raised for a malformed command line; main prints it with the usage hint.
struct usage_error {
  std::string message;
};

/// A parsed command line: `--name value`, `--name=value`, `--flag`, positionals.
class args {
 public:
  args(std::string command, std::vector<std::string> tokens);

  const std::string& command() const { return command_; }
  /// True (and consumed) when the flag is present.
  bool flag(const std::string& name);
  /// The option's value, if given (consumed); repeated options: the last wins.
  std::optional<std::string> value(const std::string& name);
  /// The option's value, or a usage error naming it.
  std::string required(const std::string& name);
  /// Every value of a repeatable option (`--reverse A --reverse B` or `--reverse A,B`).
  std::vector<std::string> values(const std::string& name);
  /// Integer / floating option values with range-checked parsing.
  std::optional<long long> integer(const std::string& name, long long lo, long long hi);
  std::optional<double> number(const std::string& name);
  /// The option's value, which must be one of `allowed`; otherwise the usage
  /// error "option NAME takes A, B or C, got 'V'" (every choice-valued option
  /// of every command is checked here, so the message has one spelling).
  std::optional<std::string> choice(const std::string& name, std::initializer_list<const char*> allowed);
  /// As above, with the value used when the option is absent.
  std::string choice(const std::string& name, std::initializer_list<const char*> allowed, const char* fallback);
  /// The next positional argument, if any (consumed).
  std::optional<std::string> positional();
  /// Throws usage_error for anything not consumed (unknown option, extra argument).
  void finish() const;
  /// True when --help or -h was given anywhere.
  bool wants_help() const;
  /// The full command line as typed, for audit records.
  std::string command_line() const;

 private:
  std::string command_;
  std::vector<std::string> tokens_;
  std::vector<bool> used_;
};

struct command {
  const char* name;
  const char* summary;
  const char* help;  ///< full --help text
  int (*run)(args&);
};

std::vector<command>& registry();

/// `static registrar r{{"score", "...", help, &run_score}};` in a command's file.
struct registrar {
  explicit registrar(command c);
};

/// True when `s` ends with `suffix` (file extensions).
bool ends_with(const std::string& s, const char* suffix);

/// True when the stream is an interactive terminal.
bool is_terminal(std::FILE* f);

/// A file that appears under its final name only when complete (the pool
/// layer's atomic_file): removed on destruction, on a fatal error and on
/// SIGINT/SIGTERM, so no half-written output is ever left behind. The path
/// "-" writes to stdout directly.
using atomic_output = merit::pool::atomic_file;

/// Writes `text` to `path` ("-": stdout) whole, through an atomic_output:
/// the file appears complete or not at all; a failed write is an input_error
/// (errc::io) naming the path.
void write_output(const std::string& path, const std::string& text);

/// Installs SIGINT/SIGTERM/SIGPIPE handlers that remove pending temporary
/// outputs and end the process at once (exit 128 + signal: 130 for Ctrl-C,
/// 141 without a word for a closed pipe).
void install_signal_handlers();

/// Runs a library computation on input read from `place` (a file or
/// file:line:column): its domain errors (merit::argument_error) become input
/// errors there, so the message says which file to fix.
template <class F>
auto on_input(const std::string& place, F compute) {
  try {
    return compute();
  } catch (const argument_error& e) {
    throw input_error(errc::value, place, e.detail());
  }
}

/// Reads a whole file, or stdin for "-"; throws merit::input_error (errc::io).
std::string read_file(const std::string& path);

}  // namespace merit::cli
