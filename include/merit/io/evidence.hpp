#pragma once
/// \file io/evidence.hpp
/// Reading assessment evidence into an observation_table:
/// - long CSV with columns `candidate_id,competency_id,method,rater,value`
///   (any order; other columns are ignored unless they name a protected
///   characteristic, which is an error);
/// - JSON Lines, one object per line with the same keys (`value` a number,
///   a level name, or null);
/// - Greenhouse Harvest scorecards (`GET /v1/scorecards`): attribute names
///   map to competencies through the model's `ats_aliases` (also the
///   competency id and English name), case-insensitively; each scorecard's
///   interview maps to a method through the model's `sources.greenhouse`
///   (without it, the model's `greenhouse_scorecard` method takes every
///   rating). Attributes that map to no competency are reported in
///   `unmapped`, never dropped silently.

#include <merit/detail/text.hpp>
#include <merit/evidence.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/json.hpp>
#include <merit/protected.hpp>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace merit::io {

enum class evidence_format { wide, long_csv, jsonl, greenhouse };

/// Parses `wide|long|jsonl|greenhouse`; throws argument_error otherwise.
inline evidence_format parse_evidence_format(std::string_view s) {
  if (s == "wide") return evidence_format::wide;
  if (s == "long") return evidence_format::long_csv;
  if (s == "jsonl") return evidence_format::jsonl;
  if (s == "greenhouse") return evidence_format::greenhouse;
  throw argument_error("unknown evidence format '" + std::string(s) + "' (expected wide, long, jsonl or greenhouse)");
}

/// What reading evidence found besides the observations.
struct evidence_report {
  std::size_t rows = 0;  ///< rows / lines / attributes read
  /// Attribute names that map to no competency, with how often they occurred.
  std::map<std::string, std::size_t> unmapped;
  std::size_t scorecards = 0;
};

namespace detail {

using merit::detail::lower_ascii;

inline std::string known_ids(const std::vector<method>& ms) {
  std::string s;
  for (const auto& m : ms) s += (s.empty() ? "" : ", ") + m.id;
  return s;
}

/// Equality and byte order of short strings (ids, a few bytes) without a
/// library call: these comparisons run several times for every evidence row.
inline bool same_bytes(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {  // two 8-byte words (overlapping when n < 16)
    std::uint64_t a0, b0, a1, b1;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&a1, a.data() + n - 8, 8);
    std::memcpy(&b1, b.data() + n - 8, 8);
    return a0 == b0 && a1 == b1;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}
inline bool bytes_less(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  return a.size() < b.size();
}

/// Looks up a model id in `list` (competencies or methods), trying the last
/// hit and the one after it first: rows repeat their competency and method, or
/// go through them in the model's order. Returns nullopt for an unknown id.
template <class List>
[[gnu::always_inline]] inline std::optional<std::size_t> cached_find(std::string_view id, std::size_t& last, const List& list) {
  const std::size_t n = list.size();
  if (last < n && same_bytes(list[last].id, id)) return last;
  if (last + 1 < n && same_bytes(list[last + 1].id, id)) return ++last;
  for (std::size_t i = 0; i < n; ++i)
    if (same_bytes(list[i].id, id)) return last = i;
  return std::nullopt;
}

/// Resolves evidence rows against a model: operator() checks one row's ids
/// and maps its value, and sets out.competency, out.method and out.level;
/// false when the value is missing. `place(k)` names field k (0 candidate,
/// 1 competency, 2 method, 3 rater, 4 value) and is called only for an error.
/// With `check_evidence`, a method the evidence matrix does not allow for the
/// competency is an error here (otherwise merit::aggregate finds it).
class row_resolver {
 public:
  /// Levels of the whole numbers of each numeric method whose scale spans at
  /// most 1,000 of them, computed by map_to_level itself (so they are its
  /// values exactly): ratings are mostly such numbers.
  row_resolver(const competency_model& model, bool check_evidence)
      : m(model), check_evidence_(check_evidence), whole(model.methods.size()), whole_from(model.methods.size()) {
    for (std::size_t k = 0; k < m.methods.size(); ++k) {
      const method_scale& s = m.methods[k].scale;
      if (s.kind != method_scale::numeric || !(s.min >= 0 && s.max <= 9999 && s.max - s.min <= 1000) ||
          s.min != std::floor(s.min))
        continue;
      whole_from[k] = static_cast<int>(s.min);
      for (int v = whole_from[k]; v <= s.max; ++v)
        whole[k].push_back(*map_to_level(m.methods[k], m.levels, std::to_string(v), std::string()));
    }
  }

  /// Checks one row's ids (fields 0 to 3) and sets out.competency and out.method.
  template <class Place, class Out>
  void ids(std::string_view cand, std::string_view comp, std::string_view meth, std::string_view rater,
           const Place& place, Out& out) {
    if (cand.empty()) throw input_error(errc::value, place(0), "empty candidate_id");
    auto ci = cached_find(comp, comp_at, m.competencies);
    if (!ci)
      throw input_error(errc::reference, place(1),
                        "unknown competency '" + std::string(comp) + "'" +
                            m.suggest_competency(comp));
    auto mi = cached_find(meth, meth_at, m.methods);
    if (!mi)
      throw input_error(errc::reference, place(2),
                        "unknown method '" + std::string(meth) + "' (the model has: " + known_ids(m.methods) + ")");
    if (rater.empty()) throw input_error(errc::value, place(3), "missing rater: every rating needs its rater");
    if (check_evidence_ && m.evidence(static_cast<Eigen::Index>(*mi), static_cast<Eigen::Index>(*ci)) <= 0)
      throw merit::detail::not_measured(m, *mi, *ci, place(2));
    out.competency = static_cast<std::uint32_t>(*ci);
    out.method = static_cast<std::uint32_t>(*mi);
  }

  /// Checks one row's ids and maps its value through its method's scale.
  template <class Place, class Out>
  bool operator()(std::string_view cand, std::string_view comp, std::string_view meth, std::string_view rater,
                  std::string_view raw, const Place& place, Out& out) {
    ids(cand, comp, meth, rater, place, out);
    const std::vector<double>& table = whole[out.method];
    const std::size_t mi = out.method;
    if (!table.empty() && !raw.empty() && raw.size() <= 4) {
      int v = 0;
      bool digits = true;
      for (char c : raw) {
        digits = digits && c >= '0' && c <= '9';
        v = v * 10 + (c - '0');
      }
      if (digits && v >= whole_from[mi] && static_cast<std::size_t>(v - whole_from[mi]) < table.size()) {
        out.level = table[static_cast<std::size_t>(v - whole_from[mi])];
        return true;
      }
    }
    std::optional<double> level;
    try {
      level = map_to_level(m.methods[mi], m.levels, raw, std::string());
    } catch (const input_error& e) {
      throw input_error(e.code(), place(4), e.detail());
    }
    if (!level) return false;
    out.level = *level;
    return true;
  }


 private:
  const competency_model& m;
  bool check_evidence_;
  std::size_t comp_at = 0, meth_at = 0;    ///< the last competency and method found
  std::vector<std::vector<double>> whole;  ///< per method: the level of whole_from + i
  std::vector<int> whole_from;
};

}  // namespace detail

/// Builds an observation_table from observations given as text, one at a
/// time, as every evidence reader does (long CSV, JSON Lines, Greenhouse, the
/// C ABI's evidence array, the Python binding's columns): add() resolves the
/// candidate, competency, method and rater ids against the model, maps the
/// value onto 1..L through the method's scale (map_to_level) and appends the
/// row, or counts it as missing (the missing-value rule of evidence.hpp);
/// throws input_error placed at the `place_*` of the field at fault.
class observation_builder {
 public:
  observation_builder(const competency_model& m, observation_table& t) : resolve_(m, false), t_(t) {}

  void add(std::string_view cand, std::string_view comp, std::string_view meth, std::string_view rater,
           std::string_view raw, const std::string& place_cand, const std::string& place_comp,
           const std::string& place_meth, const std::string& place_rater, const std::string& place_value,
           const std::string& where) {
    const std::string* places[5] = {&place_cand, &place_comp, &place_meth, &place_rater, &place_value};
    struct {
      std::uint32_t competency, method;
      double level;
    } row{};
    if (!resolve_(cand, comp, meth, rater, raw, [&](int k) { return *places[k]; }, row)) {
      ++t_.missing;
      return;
    }
    t_.add(t_.candidate_index(cand), row.competency, row.method, t_.rater_index(rater), row.level, where);
  }

  /// Appends one observation whose value is already a level on 1..L (a
  /// rating an ATS source mapped through its own scale); nullopt is missing.
  /// The ids are checked as add() checks them.
  void add_level(std::string_view cand, std::string_view comp, std::string_view meth, std::string_view rater,
                 std::optional<double> level, const std::string& place_cand, const std::string& place_comp,
                 const std::string& place_meth, const std::string& place_rater, const std::string& where) {
    const std::string* places[4] = {&place_cand, &place_comp, &place_meth, &place_rater};
    struct {
      std::uint32_t competency, method;
    } row{};
    resolve_.ids(cand, comp, meth, rater, [&](int k) { return *places[k]; }, row);
    if (!level) {
      ++t_.missing;
      return;
    }
    t_.add(t_.candidate_index(cand), row.competency, row.method, t_.rater_index(rater), *level, where);
  }

 private:
  detail::row_resolver resolve_;
  observation_table& t_;
};


/// Reads long CSV evidence. Without a sink the first bad row throws.
inline observation_table read_long_csv(csv_reader& r, const competency_model& m, evidence_report* report = nullptr,
                                       const std::function<void(const input_error&)>& sink = {}) {
  if (!r.next()) throw input_error(errc::schema, r.source(), "file is empty");
  const char* names[5] = {"candidate_id", "competency_id", "method", "rater", "value"};
  std::size_t col[5];
  for (int k = 0; k < 5; ++k) col[k] = SIZE_MAX;
  for (std::size_t j = 0; j < r.size(); ++j) {
    std::string name(r[j]);
    bool known = false;
    for (int k = 0; k < 5; ++k) {
      if (name != names[k]) continue;
      if (col[k] != SIZE_MAX)
        throw input_error(errc::duplicate, r.place(j), "duplicate column '" + name + "'");
      col[k] = j;
      known = true;
    }
    if (!known) {
      check_not_protected<input_error>("column", name, r.place(j));
    }
  }
  for (int k = 0; k < 5; ++k)
    if (col[k] == SIZE_MAX)
      throw input_error(errc::schema, r.place_at(r.line(), 1),
                        std::string("missing column '") + names[k] +
                            "' (long evidence needs candidate_id,competency_id,method,rater,value)");
  const std::size_t width = r.size();
  observation_table t;
  observation_builder b(m, t);
  std::size_t rows = 0;
  while (r.next()) {
    ++rows;
    try {
      if (r.size() != width)
        throw input_error(errc::schema, r.place_at(r.line(), 1),
                          "expected " + std::to_string(width) + " fields, got " + std::to_string(r.size()));
      b.add(r[col[0]], r[col[1]], r[col[2]], r[col[3]], r[col[4]], r.place(col[0]), r.place(col[1]), r.place(col[2]),
            r.place(col[3]), r.place(col[4]), r.source() + ":" + std::to_string(r.line()));
    } catch (const input_error& e) {
      if (!sink) throw;
      sink(e);
    }
  }
  if (rows == 0 && !sink) throw input_error(errc::schema, r.source(), "no evidence rows after the header");
  if (report) report->rows += rows;
  return t;
}

/// The text of a JSON field as the evidence readers see it: a string as is,
/// an integer in decimal, any other number in 17 significant digits, null as
/// "" (missing); anything else as its JSON.
inline std::string json_field_text(const nlohmann::json& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v.get<double>());
    return buf;
  }
  return v.dump();
}

/// One observation of a JSON Lines file, its fields as text (value empty for
/// null or absent), and its place `file:line:1`.
struct jsonl_row {
  std::string candidate_id, competency_id, method, rater, value, place;
};

/// Parses one non-blank line of JSON Lines evidence; throws input_error.
inline jsonl_row parse_jsonl_line(std::string_view ln, const std::string& source, std::size_t line) {
  jsonl_row r;
  r.place = source + ":" + std::to_string(line) + ":1";
  auto bad = detail::utf8_invalid_at(reinterpret_cast<const unsigned char*>(ln.data()), ln.size());
  if (bad != ln.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(ln.data());
    const char* other = line == 1 ? detail::foreign_bom(p, ln.size()) : nullptr;
    throw input_error(errc::parse, source + ":" + std::to_string(line) + ":" + std::to_string(other ? 1 : bad + 1),
                      other ? detail::foreign_bom_message(other) : detail::invalid_utf8_message(p, ln.size(), bad));
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ln);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    auto colon = what.find(": ", what.find("column"));
    throw input_error(errc::parse, r.place, "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
  } catch (const nlohmann::json::out_of_range& e) {  // a number too large for a double (1e3084); found by fuzz_jsonl
    std::string what = e.what();
    auto bracket = what.find("] ");
    throw input_error(errc::parse, r.place, "invalid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2)));
  }
  if (!j.is_object()) throw input_error(errc::schema, r.place, "each line must be a JSON object");
  auto field = [&](const char* key, bool required) -> std::string {
    auto it = j.find(key);
    if (it == j.end()) {
      if (!required) return {};
      throw input_error(errc::schema, r.place, std::string("missing key '") + key + "'");
    }
    return json_field_text(*it);
  };
  r.candidate_id = field("candidate_id", true);
  r.competency_id = field("competency_id", true);
  r.method = field("method", true);
  r.rater = field("rater", true);
  r.value = field("value", false);
  return r;
}

/// Reads JSON Lines evidence from text.
inline observation_table read_jsonl(std::string_view text, const std::string& source, const competency_model& m,
                                    evidence_report* report = nullptr) {
  observation_table t;
  observation_builder b(m, t);
  std::size_t line = 0, rows = 0, pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view ln = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!ln.empty() && ln.back() == '\r') ln.remove_suffix(1);
    if (ln.find_first_not_of(" \t") == std::string_view::npos) continue;
    const jsonl_row f = parse_jsonl_line(ln, source, line);
    b.add(f.candidate_id, f.competency_id, f.method, f.rater, f.value, f.place, f.place, f.place, f.place, f.place,
          source + ":" + std::to_string(line));
    ++rows;
  }
  if (rows == 0) throw input_error(errc::schema, source, "no evidence lines");
  if (report) report->rows += rows;
  return t;
}

/// The method Greenhouse ratings are read with when the model has no
/// Scorecard attribute name (ASCII letters in lower case) -> competency: its
/// id, English and Chinese names and ATS aliases, the first competency to
/// claim a name keeping it. read_greenhouse maps attributes through it, and
/// merit kit names its Greenhouse attributes so that they map back.
inline std::unordered_map<std::string, std::size_t> greenhouse_attributes(const competency_model& m) {
  std::unordered_map<std::string, std::size_t> alias;
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    const auto& comp = m.competencies[c];
    alias.emplace(detail::lower_ascii(comp.id), c);
    alias.emplace(detail::lower_ascii(comp.name.en), c);
    if (!comp.name.zh.empty()) alias.emplace(detail::lower_ascii(comp.name.zh), c);  // "CRM、..." in any case, as looked up
    for (const auto& a : comp.ats_aliases) alias.emplace(detail::lower_ascii(a), c);
  }
  return alias;
}

/// `sources.greenhouse` (the first format's way: an ATS as a method).
inline constexpr const char* greenhouse_method = "greenhouse_scorecard";

/// Reads Greenhouse Harvest scorecards (a JSON array). With the model's
/// `sources.greenhouse`, each scorecard's interview (`interview`, else
/// `interview_step.name`) maps to a method through its `interviews` (exact
/// name, then any case), else its `default_method`; ratings map onto 1..L
/// through the source's scale; the rater is the interviewer's (else the
/// submitter's) `id` or `employee_id`, as the source says. Without it, every
/// rating goes to the method `greenhouse_scorecard` and the rater is the
/// interviewer's (else the submitter's) `id`.
inline observation_table read_greenhouse(const nlohmann::json& doc, const std::string& source,
                                         const competency_model& m, evidence_report* report = nullptr) {
  auto place = [&](const std::string& ptr) { return source + "#" + ptr; };
  if (!doc.is_array()) throw input_error(errc::schema, place(""), "expected a JSON array of scorecards");
  const greenhouse_source* gh = m.sources.greenhouse ? &*m.sources.greenhouse : nullptr;
  if (!gh && !m.find_method(greenhouse_method))
    throw input_error(errc::reference, place(""),
                      std::string("the model has no sources.greenhouse and no method '") + greenhouse_method +
                          "' to read Greenhouse ratings with");
  const char* rater_key = gh && gh->rater == greenhouse_rater::employee_id ? "employee_id" : "id";
  std::string interview_names;
  if (gh)
    for (const auto& [name, method] : gh->interviews) interview_names += (interview_names.empty() ? "" : ", ") + name;
  const auto alias = greenhouse_attributes(m);
  observation_table t;
  observation_builder b(m, t);
  evidence_report local;
  evidence_report& rep = report ? *report : local;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const std::string p = "/" + std::to_string(i);
    const auto& sc = doc[i];
    if (!sc.is_object()) throw input_error(errc::schema, place(p), "a scorecard must be an object");
    auto cid = sc.find("candidate_id");
    if (cid == sc.end() || cid->is_null())
      throw input_error(errc::reference, place(p), "scorecard names no candidate (candidate_id is missing or null)");
    if (!cid->is_number_integer() && !cid->is_number_unsigned() && !cid->is_string())
      throw input_error(errc::schema, place(p + "/candidate_id"), "candidate_id must be an integer or a string");
    const std::string cand = json_field_text(*cid);
    std::string rater;
    for (const char* who : {"interviewer", "submitted_by"}) {
      auto it = sc.find(who);
      if (it != sc.end() && it->is_object() && it->contains(rater_key) && !(*it)[rater_key].is_null()) {
        rater = json_field_text((*it)[rater_key]);
        if (!rater.empty()) break;
      }
    }
    if (rater.empty())
      throw input_error(errc::value, place(p),
                        std::string("scorecard names no interviewer (interviewer.") + rater_key + " and submitted_by." +
                            rater_key + " are missing)");
    std::string method_id = greenhouse_method;
    if (gh) {
      std::string interview, interview_at = p;
      auto iv = sc.find("interview");
      auto step = sc.find("interview_step");
      if (iv != sc.end() && iv->is_string()) {
        interview = iv->get<std::string>();
        interview_at = p + "/interview";
      } else if (step != sc.end() && step->is_object() && step->contains("name") && (*step)["name"].is_string()) {
        interview = (*step)["name"].get<std::string>();
        interview_at = p + "/interview_step/name";
      }
      auto mi = gh->method_for(interview);
      if (!mi)
        throw input_error(errc::reference, place(interview_at),
                          (interview_at == p ? std::string("scorecard names no interview (interview and "
                                                           "interview_step.name are missing) to map to a method")
                                             : "interview '" + interview + "' maps to no method") +
                              " (sources.greenhouse.interviews has: " +
                              (interview_names.empty() ? std::string("none") : interview_names) + "; no default_method)");
      method_id = m.methods[*mi].id;
    }
    auto attrs = sc.find("attributes");
    if (attrs == sc.end() || !attrs->is_array() || attrs->empty())
      throw input_error(errc::schema, place(p + "/attributes"), "scorecard has no attributes");
    ++rep.scorecards;
    for (std::size_t a = 0; a < attrs->size(); ++a) {
      const std::string ap = p + "/attributes/" + std::to_string(a);
      const auto& at = (*attrs)[a];
      if (!at.is_object() || !at.contains("name") || !at["name"].is_string())
        throw input_error(errc::schema, place(ap), "an attribute needs a string 'name'");
      const std::string name = at["name"].get<std::string>();
      ++rep.rows;
      auto hit = alias.find(detail::lower_ascii(name));
      if (hit == alias.end()) {
        ++rep.unmapped[name];
        continue;
      }
      const std::string rating = at.contains("rating") ? json_field_text(at["rating"]) : std::string();
      const std::string& comp = m.competencies[hit->second].id;
      if (gh)
        b.add_level(cand, comp, method_id, rater,
                    map_to_level(gh->scale, m.levels, rating, place(ap + "/rating"), "source 'greenhouse'"),
                    place(p + "/candidate_id"), place(ap + "/name"), place(ap), place(p), place(ap));
      else
        b.add(cand, comp, method_id, rater, rating, place(p + "/candidate_id"), place(ap + "/name"), place(ap), place(p),
              place(ap + "/rating"), place(ap));
    }
  }
  return t;
}

}  // namespace merit::io
