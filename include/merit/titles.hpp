#pragma once
// Job titles to profiles: pure functions over a model's title aliases,
// not_aliases and title rules (model.hpp). No file format here; the CLI
// (`merit match-title`, `merit score --title`), the C ABI and Python all call
// match_title. The rules and their bases are documented in docs/titles.md.

#include <merit/errors.hpp>
#include <merit/model.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace merit {

/// A profile the title could also mean, with its score.
struct title_alternative {
  std::string profile;
  double score = 0;
};

/// What a job title maps to: a profile id or none, a score in 0..1 (0 when
/// there is no profile), the other profiles it could mean, and why.
struct title_match {
  std::string title;
  std::optional<std::string> profile;
  double score = 0;
  std::vector<title_alternative> alternatives;
  std::string reason;
};

/// Scores of the matcher (recorded judgments, docs/titles.md): a title equal
/// to a model alias is certain; a route match is strong; a route match that
/// also names a neighbouring field is weaker; a title is decided (usable
/// instead of --profile) only at or above `title_decided`.
inline constexpr double title_alias_score = 1.0;
inline constexpr double title_route_score = 0.9;
inline constexpr double title_mixed_field_score = 0.7;
inline constexpr double title_hint_score = 0.3;
inline constexpr double title_decided = 0.75;

/// A title can stand in for a profile: it maps to one, with a score of at
/// least title_decided.
inline bool decided(const title_match& m) { return m.profile && m.score >= title_decided; }

namespace titles_impl {

inline bool is_cjk(std::uint32_t cp) { return cp >= 0x2E80; }

/// Decodes valid UTF-8 (throws argument_error naming the byte otherwise).
inline std::vector<std::uint32_t> decode(std::string_view s) {
  std::vector<std::uint32_t> out;
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      ok = (d & 0xC0) == 0x80;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (ok) ok = !((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                   (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF);
    if (!ok)
      throw argument_error("job title is not valid UTF-8 at byte " + std::to_string(i + 1) +
                           "; pass the title as UTF-8 text");
    out.push_back(cp);
    i += len;
  }
  return out;
}

inline void encode(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Width and case folding: full-width ASCII and the ideographic space become
/// ASCII; letters become lower case.
inline std::uint32_t fold(std::uint32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
  if (cp == 0x3000) cp = ' ';
  if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
  return cp;
}

inline bool opens(std::uint32_t c) { return c == '(' || c == '[' || c == '{' || c == 0x3010 || c == 0x300C; }
inline bool closes(std::uint32_t c) { return c == ')' || c == ']' || c == '}' || c == 0x3011 || c == 0x300D; }
inline bool word_char(std::uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || is_cjk(c); }

/// One part of a title between separators, normalised: ASCII words separated
/// by single spaces, CJK runs kept whole, a space at each script change.
inline std::string normalise_part(const std::vector<std::uint32_t>& cps) {
  std::string out;
  std::uint32_t prev = ' ';
  for (std::uint32_t c : cps) {
    if (!word_char(c)) c = ' ';
    if (c == ' ') {
      if (prev != ' ') out += ' ';
    } else {
      if (prev != ' ' && is_cjk(prev) != is_cjk(c)) out += ' ';
      encode(c, out);
    }
    prev = c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  // Spaces between two CJK characters carry nothing ("销售 赋能" = "销售赋能").
  std::string joined;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == ' ' && i > 0 && i + 1 < out.size() && static_cast<unsigned char>(out[i - 1]) >= 0x80 &&
        static_cast<unsigned char>(out[i + 1]) >= 0x80)
      continue;
    joined += out[i];
  }
  return joined;
}

}  // namespace titles_impl

/// Splits a title into its normalised parts: bracketed text is dropped, and
/// the title is cut at commas, bars, semicolons, dashes (a hyphen next to a
/// space or a CJK character, or an en/em dash). Each part is width- and
/// case-folded, punctuation becomes spaces.
inline std::vector<std::string> title_parts(std::string_view title) {
  using namespace titles_impl;
  std::vector<std::uint32_t> cps = decode(title);
  for (auto& c : cps) c = fold(c);
  std::vector<std::string> parts;
  std::vector<std::uint32_t> cur;
  int depth = 0;
  auto flush = [&] {
    std::string p = normalise_part(cur);
    if (!p.empty()) parts.push_back(p);
    cur.clear();
  };
  for (std::size_t i = 0; i < cps.size(); ++i) {
    std::uint32_t c = cps[i];
    if (opens(c)) {
      ++depth;
      continue;
    }
    if (closes(c)) {
      if (depth > 0) --depth;
      continue;
    }
    if (depth > 0) continue;
    // Full-width comma, bar and semicolon were folded to ASCII above.
    bool sep = c == ',' || c == '|' || c == ';' || c == 0x2013 || c == 0x2014;
    if (c == '-') {
      std::uint32_t before = i > 0 ? cps[i - 1] : ' ', after = i + 1 < cps.size() ? cps[i + 1] : ' ';
      sep = before == ' ' || after == ' ' || is_cjk(before) || is_cjk(after);
    }
    if (sep)
      flush();
    else
      cur.push_back(c);
  }
  flush();
  return parts;
}

/// A title (or an alias) as one normalised string: its parts joined by spaces.
inline std::string normalise_title(std::string_view title) {
  std::string out;
  for (const auto& p : title_parts(title)) out += (out.empty() ? "" : " ") + p;
  return out;
}

namespace titles_impl {

/// Does normalised `text` contain normalised `term`? ASCII terms match whole
/// words; terms with CJK characters match inside a CJK run.
inline bool contains_term(const std::string& text, const std::string& term) {
  if (term.empty()) return false;
  bool cjk = std::any_of(term.begin(), term.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; });
  if (cjk) return text.find(term) != std::string::npos;
  return (" " + text + " ").find(" " + term + " ") != std::string::npos;
}

inline std::string round2(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

inline double rounded(double v) { return std::round(v * 100) / 100; }

}  // namespace titles_impl

/// Maps a job title to a profile of the model. Deterministic: the same model
/// and title give the same result. Steps (docs/titles.md): not_aliases and
/// excluded terms give no profile; a title equal to an alias gives its
/// profile with score 1; otherwise the title's terms select the route with
/// the most kinds. Throws argument_error when the title is not UTF-8 or is
/// empty.
inline title_match match_title(const competency_model& m, std::string_view title) {
  using namespace titles_impl;
  title_match r;
  r.title = std::string(title);
  std::vector<std::string> parts = title_parts(title);
  if (parts.empty()) throw argument_error("job title is empty; pass a title such as \"Sales Enablement Manager\"");

  // Which kinds each part carries; parts with no term (places, teams,
  // contract words) are ignored unless no part has a term.
  struct hit {
    std::string term;
    title_kind kind;
  };
  std::vector<std::vector<hit>> hits(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (const auto& g : m.titles.terms)
      for (const auto& t : g.terms)
        if (contains_term(parts[i], normalise_title(t)))
          for (title_kind k : g.kinds) hits[i].push_back({t, k});
  std::string kept, ignored;
  std::vector<hit> found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (hits[i].empty() && std::any_of(hits.begin(), hits.end(), [](const auto& h) { return !h.empty(); })) {
      ignored += (ignored.empty() ? "'" : ", '") + parts[i] + "'";
      continue;
    }
    kept += (kept.empty() ? "" : " ") + parts[i];
    found.insert(found.end(), hits[i].begin(), hits[i].end());
  }
  const std::string ignored_note = ignored.empty() ? "" : "; ignored " + ignored;
  auto has = [&](title_kind k) {
    return std::any_of(found.begin(), found.end(), [k](const hit& h) { return h.kind == k; });
  };
  auto first = [&](title_kind k) {
    for (const auto& h : found)
      if (h.kind == k) return h.term;
    return std::string();
  };

  // 1. Titles the model says are not aliases, and excluded terms.
  for (const auto& p : m.profiles)
    for (const auto& na : p.not_aliases)
      if (contains_term(kept, normalise_title(na))) {
        r.reason = "'" + na + "' is a not_alias of " + p.id + ": " + p.not_aliases_note.en;
        return r;
      }
  if (has(title_kind::excluded)) {
    for (const auto& g : m.titles.terms)
      if (std::find(g.kinds.begin(), g.kinds.end(), title_kind::excluded) != g.kinds.end() &&
          std::find(g.terms.begin(), g.terms.end(), first(title_kind::excluded)) != g.terms.end()) {
        r.reason = "'" + first(title_kind::excluded) + "' is excluded: " + g.basis.en;
        break;
      }
    return r;
  }

  // 2. Routes whose kinds the title has; the most specific wins.
  auto kinds_text = [&](const std::vector<title_kind>& ks) {
    std::string s;
    for (title_kind k : ks) s += (s.empty() ? "" : "+") + std::string(to_string(k));
    return s;
  };
  std::vector<const title_route*> matched;
  for (const auto& rt : m.titles.routes)
    if (std::all_of(rt.when.begin(), rt.when.end(), [&](title_kind k) { return has(k); })) matched.push_back(&rt);
  std::size_t best = 0;
  for (const auto* rt : matched) best = std::max(best, rt->when.size());
  std::vector<std::string> winners;
  for (const auto* rt : matched)
    if (rt->when.size() == best && std::find(winners.begin(), winners.end(), rt->profile) == winners.end())
      winners.push_back(rt->profile);
  auto add_alternative = [&](const std::string& pid, double score) {
    if (r.profile && *r.profile == pid) return;
    for (auto& a : r.alternatives)
      if (a.profile == pid) {
        a.score = std::max(a.score, rounded(score));
        return;
      }
    r.alternatives.push_back({pid, rounded(score)});
  };

  if (matched.empty()) {
    bool function = has(title_kind::enablement) || has(title_kind::operations);
    if (!function) {
      r.reason = has(title_kind::sales)
                     ? "a sales title with no enablement or operations term ('" + first(title_kind::sales) +
                           "' alone names another role, such as the sales VP the seed keeps apart)"
                     : "a generic title: no sales, enablement or operations term";
    } else {
      std::string fterm = has(title_kind::enablement) ? first(title_kind::enablement) : first(title_kind::operations);
      r.reason = has(title_kind::other_field)
                     ? "'" + fterm + "' of a neighbouring field ('" + first(title_kind::other_field) +
                           "'), not of sales"
                     : "'" + fterm + "' with no sales term: enablement or operations of what?";
      // Hint: what the title would mean with a sales term.
      for (const auto& rt : m.titles.routes)
        if (std::all_of(rt.when.begin(), rt.when.end(),
                        [&](title_kind k) { return k == title_kind::sales || has(k); }))
          add_alternative(rt.profile, title_hint_score);
    }
    r.reason += ignored_note;
  } else if (winners.size() > 1) {
    r.reason = "ambiguous: the routes " + kinds_text(matched.front()->when) + " and others tie";
    for (const auto& w : winners) add_alternative(w, title_mixed_field_score);
    r.reason += ignored_note;
  } else {
    const title_route* route = nullptr;
    for (const auto* rt : matched)
      if (rt->when.size() == best) route = rt;
    r.profile = route->profile;
    bool alias = false;
    for (const auto& p : m.profiles)
      if (p.id == route->profile)
        for (const auto& a : p.title_aliases)
          if (normalise_title(a) == kept) alias = true;
    bool mixed = has(title_kind::other_field);
    r.score = alias ? title_alias_score : mixed ? title_mixed_field_score : title_route_score;
    if (alias)
      r.reason = "title alias of " + route->profile;
    else
      r.reason = "terms " + kinds_text(route->when) + " route to " + route->profile + ": " + route->basis.en;
    if (mixed && !alias)
      r.reason += " (but '" + first(title_kind::other_field) + "' names a neighbouring field)";
    r.reason += ignored_note;
    for (const auto* rt : matched)
      if (rt != route)
        add_alternative(rt->profile, r.score * static_cast<double>(rt->when.size()) / static_cast<double>(best));
  }
  std::stable_sort(r.alternatives.begin(), r.alternatives.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.profile < b.profile;
  });
  return r;
}

/// The profile a title decides (see decided()); throws argument_error when it
/// maps to none, or is ambiguous, naming the candidate profiles and their
/// scores so the caller can choose one explicitly.
inline std::string profile_for_title(const competency_model& m, std::string_view title) {
  title_match t = match_title(m, title);
  if (decided(t)) return *t.profile;
  std::vector<title_alternative> could;
  if (t.profile) could.push_back({*t.profile, t.score});
  could.insert(could.end(), t.alternatives.begin(), t.alternatives.end());
  const std::string quoted = "title '" + std::string(title) + "'";
  if (could.empty()) throw argument_error(quoted + " maps to no profile (" + t.reason + "); choose the profile explicitly");
  std::string list;
  for (const auto& c : could) list += (list.empty() ? "" : ", ") + c.profile + " (" + titles_impl::round2(c.score) + ")";
  throw argument_error(quoted + " is ambiguous (" + t.reason + "); it could be " + list +
                       "; choose one of them explicitly");
}

/// Checks a model's title data against its own rules: every title alias must
/// map to its profile and every not_alias to none. Returns the problems as
/// pointer and message (empty when consistent).
inline std::vector<problem> check_title_rules(const competency_model& m) {
  std::vector<problem> out;
  if (m.titles.routes.empty()) return out;
  for (std::size_t i = 0; i < m.profiles.size(); ++i) {
    const profile& p = m.profiles[i];
    for (std::size_t a = 0; a < p.title_aliases.size(); ++a) {
      title_match t;
      try {
        t = match_title(m, p.title_aliases[a]);
      } catch (const argument_error& e) {
        out.push_back({"/profiles/" + std::to_string(i) + "/title_aliases/" + std::to_string(a), e.detail(),
                       errc::value});
        continue;
      }
      if (!t.profile || *t.profile != p.id)
        out.push_back({"/profiles/" + std::to_string(i) + "/title_aliases/" + std::to_string(a),
                       "title alias '" + p.title_aliases[a] + "' maps to " + (t.profile ? *t.profile : "no profile") +
                           " under title_rules, not to " + p.id + " (" + t.reason +
                           "); add a term or route to title_rules, or move the alias",
                       errc::inconsistent});
    }
    for (std::size_t a = 0; a < p.not_aliases.size(); ++a) {
      title_match t;
      try {
        t = match_title(m, p.not_aliases[a]);
      } catch (const argument_error& e) {
        out.push_back({"/profiles/" + std::to_string(i) + "/not_aliases/" + std::to_string(a), e.detail(),
                       errc::value});
        continue;
      }
      if (t.profile)
        out.push_back({"/profiles/" + std::to_string(i) + "/not_aliases/" + std::to_string(a),
                       "not_alias '" + p.not_aliases[a] + "' maps to " + *t.profile + " under title_rules",
                       errc::inconsistent});
    }
  }
  return out;
}

}  // namespace merit
