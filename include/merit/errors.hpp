#pragma once
/// \file errors.hpp
/// One error hierarchy for all of merit. Every error carries a stable code
/// (for programs), a place (a JSON pointer such as `/profiles/0/targets/x`,
/// or `file:line:column` for delimited text) and a human-readable detail.
///
/// `what()` reads `<place>: <detail>` (or just `<detail>` without a place),
/// the way compilers print diagnostics, so that the CLI can print it as one line.

#include <stdexcept>
#include <string>
#include <utility>

namespace merit {

/// Stable error codes. Their names (see `to_string`) are part of the API: the
/// C ABI and the Python package expose them unchanged.
enum class errc : int {
  ok = 0,
  invalid_argument = 1,  ///< a caller passed a value outside a function's domain
  io = 2,                ///< a file could not be opened, read or written
  parse = 3,             ///< text is not well-formed JSON / CSV / UTF-8
  schema = 4,            ///< well-formed, but not the shape the format requires
  reference = 5,         ///< an id names nothing that exists
  duplicate = 6,         ///< an id or column appears twice
  value = 7,             ///< a value is outside its allowed range
  protected_attribute = 8,  ///< demographic data where only evidence may go
  inconsistent = 9,      ///< numbers that contradict each other (e.g. a non-reciprocal matrix)
  not_found = 10,        ///< a requested profile, item or file does not exist
  interrupted = 11,      ///< the run was stopped by a signal
};

inline const char* to_string(errc c) noexcept {
  switch (c) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::io: return "io";
    case errc::parse: return "parse";
    case errc::schema: return "schema";
    case errc::reference: return "reference";
    case errc::duplicate: return "duplicate";
    case errc::value: return "value";
    case errc::protected_attribute: return "protected_attribute";
    case errc::inconsistent: return "inconsistent";
    case errc::not_found: return "not_found";
    case errc::interrupted: return "interrupted";
  }
  return "unknown";
}

/// Base of every exception merit throws.
class error : public std::runtime_error {
 public:
  /// Control bytes of `place` and `detail` (a NUL, a tab, an escape
  /// sequence copied from the input) are shown escaped (`\x00`, `\t`), so
  /// a message is always one printable line.
  error(errc code, std::string place, std::string detail)
      : error(code, escaped(std::move(place)), escaped(std::move(detail)), 0) {}

  errc code() const noexcept { return code_; }
  /// JSON pointer or `file:line:column`; empty when the error has no place.
  const std::string& place() const noexcept { return place_; }
  /// The message without its place.
  const std::string& detail() const noexcept { return detail_; }

 private:
  error(errc code, std::string place, std::string detail, int)
      : std::runtime_error(compose(place, detail)),
        code_(code),
        place_(std::move(place)),
        detail_(std::move(detail)) {}
  static std::string compose(const std::string& place, const std::string& detail) {
    return place.empty() ? detail : place + ": " + detail;
  }
  static std::string escaped(std::string s) {
    auto control = [](unsigned char c) { return c < 0x20 || c == 0x7F; };
    std::size_t i = 0;
    while (i < s.size() && !control(static_cast<unsigned char>(s[i]))) ++i;
    if (i == s.size()) return s;
    std::string out = s.substr(0, i);
    static const char hex[] = "0123456789abcdef";
    for (; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (!control(c)) out += s[i];
      else if (c == '\t') out += "\\t";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else out += {'\\', 'x', hex[c >> 4], hex[c & 15]};
    }
    return out;
  }
  errc code_;
  std::string place_;
  std::string detail_;
};

/// A competency model (or a judgments file) is malformed; place is
/// `<file>#<JSON pointer>` or a bare JSON pointer for in-memory documents.
class model_error : public error {
 public:
  using error::error;
};

/// Candidate data or evidence is malformed; place is `file:line:column`
/// for delimited text, `file#<JSON pointer>` for JSON.
class input_error : public error {
 public:
  using error::error;
};

/// A function was called outside its domain (programming error of the caller).
class argument_error : public error {
 public:
  explicit argument_error(std::string detail)
      : error(errc::invalid_argument, {}, std::move(detail)) {}
};

namespace detail {
/// Cold path for precondition checks; keeps the hot code small.
[[noreturn]] inline void raise_argument(const char* detail) { throw argument_error(detail); }
}  // namespace detail

}  // namespace merit

/// Precondition check for public numeric functions.
#define MERIT_EXPECTS(cond, msg)                   \
  do {                                             \
    if (!(cond)) ::merit::detail::raise_argument(msg); \
  } while (0)
