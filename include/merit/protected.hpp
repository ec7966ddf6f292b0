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

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// Splits an identifier into lower-case ASCII word tokens (see the file
/// comment). Bytes >= 0x80 (non-ASCII letters) separate tokens too.
inline std::vector<std::string> identifier_tokens(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool up = is_ascii_upper_letter(c), low = is_ascii_lower_letter(c), dig = is_ascii_digit_char(c);
    if (!up && !low && !dig) {
      flush();
      continue;
    }
    if (!cur.empty()) {
      const char p = s[i - 1];
      const bool hump = up && is_ascii_lower_letter(p);  // candidateAge
      const bool acronym_end = up && is_ascii_upper_letter(p) && i + 1 < s.size() && is_ascii_lower_letter(s[i + 1]);  // DOBField
      const bool digit_edge = dig != is_ascii_digit_char(p);
      if (hump || acronym_end || digit_edge) flush();
    }
    cur.push_back(up ? static_cast<char>(c - 'A' + 'a') : c);
  }
  flush();
  return out;
}
}  // namespace detail

/// The protected term that `name` (an id, label, tag or column name) names,
/// as listed in `protected_terms_en` / `protected_terms_zh`; nullopt when it
/// names none.
inline std::optional<std::string> protected_term(std::string_view name) {
  for (std::string_view t : protected_terms_zh)
    if (name.find(t) != std::string_view::npos) return std::string(t);
  const auto tokens = detail::identifier_tokens(name);
  // Longer terms first, so `date_of_birth` is reported rather than a part of it.
  std::optional<std::string> best;
  std::size_t best_words = 0;
  for (std::string_view term : protected_terms_en) {
    std::vector<std::string_view> words;
    for (std::size_t a = 0;;) {
      std::size_t b = term.find('_', a);
      words.push_back(term.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a));
      if (b == std::string_view::npos) break;
      a = b + 1;
    }
    if (words.size() <= best_words || words.size() > tokens.size()) continue;
    for (std::size_t i = 0; i + words.size() <= tokens.size(); ++i) {
      bool all = true;
      for (std::size_t j = 0; j < words.size() && all; ++j) all = tokens[i + j] == words[j];
      if (all) {
        best = std::string(term);
        best_words = words.size();
        break;
      }
    }
  }
  return best;
}

/// The one rule, and its one message, for a name that names a protected
/// characteristic: every reader (model, evidence, candidates, the C ABI's and
/// the Python binding's inputs) asks here. `what` says what the name is
/// (`competency id`, `method id`, `tag`, `column`, `key`). Returns, when
/// `name` names one, the message
/// `<what> '<name>' names a protected characteristic ('<term>'); demographic data never enters a score`
/// and nullopt otherwise.
inline std::optional<std::string> protected_name_problem(std::string_view what, std::string_view name) {
  auto term = protected_term(name);
  if (!term) return std::nullopt;
  return std::string(what) + " '" + std::string(name) + "' names a protected characteristic ('" + *term +
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
