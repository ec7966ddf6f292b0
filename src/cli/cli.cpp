#include "cli.hpp"

#include <merit/errors.hpp>
#include <merit/io/file.hpp>

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>

namespace merit::cli {

args::args(std::string command, std::vector<std::string> tokens)
    : command_(std::move(command)), tokens_(std::move(tokens)), used_(tokens_.size(), false) {}

namespace {
// Splits "--name=value"; returns the option name part.
std::string option_name(const std::string& t) {
  auto eq = t.find('=');
  return (t.rfind("--", 0) == 0 && eq != std::string::npos) ? t.substr(0, eq) : t;
}
}  // namespace

bool args::flag(const std::string& name) {
  bool found = false;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (!used_[i] && tokens_[i] == name) {
      used_[i] = true;
      found = true;
    }
  }
  return found;
}

std::optional<std::string> args::value(const std::string& name) {
  std::optional<std::string> out;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (used_[i]) continue;
    const std::string& t = tokens_[i];
    if (t == name) {
      if (i + 1 >= tokens_.size()) throw usage_error{"option " + name + " needs a value"};
      used_[i] = used_[i + 1] = true;
      out = tokens_[i + 1];
      ++i;
    } else if (option_name(t) == name && t.size() > name.size()) {
      used_[i] = true;
      out = t.substr(name.size() + 1);
    }
  }
  return out;
}

std::string args::required(const std::string& name) {
  auto v = value(name);
  if (!v) throw usage_error{"missing required option " + name};
  return *v;
}

std::vector<std::string> args::values(const std::string& name) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (used_[i]) continue;
    std::string v;
    if (tokens_[i] == name) {
      if (i + 1 >= tokens_.size()) throw usage_error{"option " + name + " needs a value"};
      used_[i] = used_[i + 1] = true;
      v = tokens_[++i];
    } else if (option_name(tokens_[i]) == name && tokens_[i].size() > name.size()) {
      used_[i] = true;
      v = tokens_[i].substr(name.size() + 1);
    } else {
      continue;
    }
    std::stringstream ss(v);
    for (std::string part; std::getline(ss, part, ',');)
      if (!part.empty()) out.push_back(part);
  }
  return out;
}

std::optional<long long> args::integer(const std::string& name, long long lo, long long hi) {
  auto v = value(name);
  if (!v) return std::nullopt;
  long long x = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc() || p != v->data() + v->size() || x < lo || x > hi)
    throw usage_error{"option " + name + " takes a whole number from " + std::to_string(lo) +
                      " to " + std::to_string(hi) + ", got '" + *v + "'"};
  return x;
}

std::optional<double> args::number(const std::string& name) {
  auto v = value(name);
  if (!v) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double x = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || errno != 0 || !std::isfinite(x))
    throw usage_error{"option " + name + " takes a number, got '" + *v + "'"};
  return x;
}

std::optional<std::string> args::choice(const std::string& name, std::initializer_list<const char*> allowed) {
  auto v = value(name);
  if (!v) return std::nullopt;
  for (const char* ok : allowed)
    if (*v == ok) return v;
  std::string list;
  std::size_t i = 0;
  for (const char* ok : allowed) {
    if (i) list += i + 1 == allowed.size() ? " or " : ", ";
    list += ok;
    ++i;
  }
  throw usage_error{"option " + name + " takes " + list + ", got '" + *v + "'"};
}

std::string args::choice(const std::string& name, std::initializer_list<const char*> allowed, const char* fallback) {
  auto v = choice(name, allowed);
  return v ? *v : std::string(fallback);
}

std::optional<std::string> args::positional() {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (used_[i]) continue;
    const std::string& t = tokens_[i];
    if (t.size() > 1 && t[0] == '-') continue;
    used_[i] = true;
    return t;
  }
  return std::nullopt;
}

void args::finish() const {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (used_[i]) continue;
    const std::string& t = tokens_[i];
    if (t.size() > 1 && t[0] == '-')
      throw usage_error{"unknown option " + option_name(t) + " for 'merit " + command_ + "'"};
    throw usage_error{"unexpected argument '" + t + "' for 'merit " + command_ + "'"};
  }
}

bool args::wants_help() const {
  for (const auto& t : tokens_)
    if (t == "--help" || t == "-h") return true;
  return false;
}

std::string args::command_line() const {
  std::string out = "merit " + command_;
  for (const auto& t : tokens_) out += " " + t;
  return out;
}

std::vector<command>& registry() {
  static std::vector<command> commands;
  return commands;
}

registrar::registrar(command c) { registry().push_back(c); }

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

bool is_terminal(std::FILE* f) { return ::isatty(::fileno(f)) == 1; }

// ---- atomic outputs and signals ---------------------------------------------
namespace {
extern "C" void on_signal(int sig) {
  merit::pool::unlink_pending_outputs();  // async-signal-safe
  // A closed pipe (`merit score | head`) is the reader's choice, not an
  // error: end quietly, as a tool killed by SIGPIPE does.
  if (sig != SIGPIPE) {
    static const char msg[] = "merit: interrupted; no output was written\n";
    ssize_t ignored = ::write(2, msg, sizeof(msg) - 1);
    (void)ignored;
  }
  ::_exit(128 + sig);
}
}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // Also when the parent ignores SIGPIPE: a write to a closed pipe would
  // otherwise fail with EPIPE and be reported as a file error.
  sigaction(SIGPIPE, &sa, nullptr);
}

std::string read_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  return read_text_file<input_error>(path);
}

void write_output(const std::string& path, const std::string& text) {
  atomic_output out(path);
  out.write(text);
  out.commit();
}

}  // namespace merit::cli
