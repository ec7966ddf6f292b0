#pragma once
/// \file protected.hpp
/// Names of protected characteristics, so that no competency, method, tag or
/// input column that names one can enter a score (Title VII, ADEA, ADA, PDA;
/// NYC Local Law 144; PRC Employment Promotion Law art. 3, 27-30). The list
/// and its rationale are in docs/fairness.md.
///
/// Matching. English terms match whole tokens: an identifier is split at `_`,
/// `-`, `.`, `/`, spaces and any other ASCII punctuation, at camelCase humps
/// (`candidateAge` -> candidate, age; `DOBField` -> dob, field) and at
/// letter/digit boundaries; tokens are compared in ASCII lower case. Terms of
/// several words (`date_of_birth`) match consecutive tokens. So `age`,
/// `candidate_age` and `ageBand` match, while `page`, `manage`, `agent`,
/// `coverage` and `engagement` do not. Chinese terms match as substrings
/// (Chinese identifiers are not split into words).

#include <merit/errors.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace merit {

/// English terms, as `_`-joined lower-case tokens. Several words must appear
/// as consecutive tokens.
inline constexpr std::string_view protected_terms_en[] = {
    // sex and gender
    "sex", "gender", "sexual_orientation", "gender_identity", "transgender",
    // race, colour, ethnicity, national origin
    "race", "racial", "ethnicity", "ethnic", "colour", "color", "skin_tone", "national_origin", "nationality",
    "country_of_birth", "place_of_birth", "birthplace", "ancestry",
    // age
    "age", "dob", "date_of_birth", "birth_date", "birthdate", "birthday", "year_of_birth", "birth_year",
    "yob",
    // religion
    "religion", "religious",
    // disability
    "disability", "disabilities", "disabled", "handicap", "handicapped",
    // pregnancy
    "pregnancy", "pregnant", "maternity",
    // marital status
    "marital_status", "marital", "married", "spouse",
};

/// Chinese terms (simplified, then traditional forms), matched as substrings.
inline constexpr std::string_view protected_terms_zh[] = {
    "性别", "年龄", "种族", "民族", "宗教", "残疾", "怀孕", "婚姻", "国籍", "出生日期", "性取向", "肤色",
    "性別", "年齡", "種族", "殘疾", "懷孕", "國籍", "膚色",
};

namespace detail {
inline bool is_ascii_upper_letter(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_ascii_lower_letter(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_ascii_digit_char(char c) { return c >= '0' && c <= '9'; }
inline bool is_token_char(char c) { return is_ascii_upper_letter(c) || is_ascii_lower_letter(c) || is_ascii_digit_char(c); }

/// The next word token of identifier `s` at or after `pos` (see the file
/// comment): sets [begin, end) to its bytes and `pos` past it; false when
/// none is left. Bytes >= 0x80 (non-ASCII letters) separate tokens too. No
/// allocation: tokens stay views, compared in lower case by token_is.
inline bool next_identifier_token(std::string_view s, std::size_t& pos, std::size_t& begin, std::size_t& end) {
  while (pos < s.size() && !is_token_char(s[pos])) ++pos;
  if (pos >= s.size()) return false;
  begin = pos++;
  for (; pos < s.size() && is_token_char(s[pos]); ++pos) {
    const char c = s[pos], p = s[pos - 1];
    const bool up = is_ascii_upper_letter(c);
    const bool hump = up && is_ascii_lower_letter(p);  // candidateAge
    const bool acronym_end = up && is_ascii_upper_letter(p) && pos + 1 < s.size() && is_ascii_lower_letter(s[pos + 1]);  // DOBField
    const bool digit_edge = is_ascii_digit_char(c) != is_ascii_digit_char(p);
    if (hump || acronym_end || digit_edge) break;
  }
  end = pos;
  return true;
}

/// Whether the token s[begin, end) is `word` (lower-case ASCII) in ASCII lower case.
inline bool token_is(std::string_view s, std::size_t begin, std::size_t end, std::string_view word) {
  if (end - begin != word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    const char c = s[begin + k];
    if ((is_ascii_upper_letter(c) ? static_cast<char>(c - 'A' + 'a') : c) != word[k]) return false;
  }
  return true;
}

/// Whether the `_`-joined words of `term` appear as consecutive tokens of `s`.
inline bool has_token_run(std::string_view s, std::string_view term) {
  std::size_t pos = 0, b = 0, e = 0;
  while (next_identifier_token(s, pos, b, e)) {
    std::size_t at = pos, wb = b, we = e, a = 0;
    for (;;) {
      const std::size_t u = term.find('_', a);
      if (!token_is(s, wb, we, term.substr(a, u == std::string_view::npos ? std::string_view::npos : u - a))) break;
      if (u == std::string_view::npos) return true;
      a = u + 1;
      if (!next_identifier_token(s, at, wb, we)) return false;
    }
  }
  return false;
}
}  // namespace detail

/// The protected term that `name` (an id, label, tag or column name) names,
/// as listed in `protected_terms_en` / `protected_terms_zh` (a view of the
/// list's static text); nullopt when it names none. Allocates nothing.
inline std::optional<std::string_view> protected_term_view(std::string_view name) noexcept {
  for (std::string_view t : protected_terms_zh)
    if (name.find(t) != std::string_view::npos) return t;
  // Longer terms first, so `date_of_birth` is reported rather than a part of it.
  std::optional<std::string_view> best;
  std::size_t best_words = 0;
  for (std::string_view term : protected_terms_en) {
    const std::size_t words = 1 + static_cast<std::size_t>(std::count(term.begin(), term.end(), '_'));
    if (words > best_words && detail::has_token_run(name, term)) {
      best = term;
      best_words = words;
    }
  }
  return best;
}

/// protected_term_view as an owned string.
inline std::optional<std::string> protected_term(std::string_view name) {
  if (auto t = protected_term_view(name)) return std::string(*t);
  return std::nullopt;
}

/// The one rule, and its one message, for a name that names a protected
/// characteristic: every reader (model, evidence, candidates, the C ABI's and
/// the Python binding's inputs) asks here. `what` says what the name is
/// (`competency id`, `method id`, `tag`, `column`, `key`). Returns, when
/// `name` names one, the message
/// `<what> '<name>' names a protected characteristic ('<term>'); demographic data never enters a score`
/// and nullopt otherwise.
inline std::optional<std::string> protected_name_problem(std::string_view what, std::string_view name) {
  auto term = protected_term_view(name);
  if (!term) return std::nullopt;
  return std::string(what) + " '" + std::string(name) + "' names a protected characteristic ('" + std::string(*term) +
         "'); demographic data never enters a score";
}

/// Throws `Error` (model_error for a model, input_error for an input) with
/// errc::protected_attribute, placed at `place` (a JSON pointer or
/// file:line:column), when `name` names a protected characteristic; the
/// message is protected_name_problem's.
template <class Error = model_error>
void check_not_protected(std::string_view what, std::string_view name, const std::string& place) {
  if (auto message = protected_name_problem(what, name)) throw Error(errc::protected_attribute, place, *message);
}

}  // namespace merit
