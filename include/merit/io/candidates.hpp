#pragma once
/// \file io/candidates.hpp
/// Reading competency scores of candidates: wide CSV (`candidate_id,<competency
/// id>...`, values on 1..L, empty = missing) or a JSON array of
/// `{"candidate_id": ..., "scores": {"<competency id>": value | null}}`.
/// Columns are matched to the model's competencies; the resulting matrix is
/// in the model's competency order, so it serves every profile.
///
/// Bad data is an input_error placed `file:line:column` (CSV) or
/// `file#<JSON pointer>` (JSON). With a reject sink, a bad row is handed to the
/// sink (line and reason) and skipped instead; header problems stay fatal.

#include <merit/detail/text.hpp>
#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/fit.hpp>
#include <merit/fwd.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/json.hpp>
#include <merit/model.hpp>
#include <merit/protected.hpp>

#include <charconv>
#include <cstring>
#include <functional>
#include <optional>
#include <string_view>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace merit::io {

/// Candidates with competency scores in model order.
struct candidate_table {
  std::vector<std::string> ids;
  RowMatrix scores;  ///< #candidates by #model competencies, NaN = missing
  std::vector<std::size_t> lines;  ///< line (CSV) or array index (JSON) of each candidate
};

/// Receives rejected rows: the error (its place names line and column).
using reject_sink = std::function<void(const input_error&)>;

/// Maps a wide CSV header onto the model. Fatal problems throw.
class wide_header {
 public:
  wide_header(const csv_reader& r, const competency_model& m) : levels_(m.levels) {
    if (r.size() == 0 || r[0] != "candidate_id")
      throw input_error(errc::schema, r.place(0),
                        "first column must be 'candidate_id', got '" + std::string(r.size() ? r[0] : "") + "'");
    std::unordered_map<std::string, std::size_t> seen;
    column_.assign(r.size(), -1);
    for (std::size_t j = 1; j < r.size(); ++j) {
      std::string name(r[j]);
      auto [it, fresh] = seen.emplace(name, j);
      if (!fresh)
        throw input_error(errc::duplicate, r.place(j),
                          "duplicate column '" + name + "' (first at column " + std::to_string(r.column(it->second)) + ")");
      if (name == "candidate_id")
        throw input_error(errc::duplicate, r.place(j), "duplicate column 'candidate_id'");
      check_not_protected<input_error>("column", name, r.place(j));
      auto ci = m.find_competency(name);
      if (!ci)
        throw input_error(errc::reference, r.place(j),
                          "column '" + name + "' names no competency of model '" + m.id + "'" + m.suggest_competency(name));
      column_[j] = static_cast<Eigen::Index>(*ci);
      names_.push_back(std::move(name));
    }
  }

  std::size_t fields() const { return column_.size(); }

  /// Parses the current record into `out` (model order, pre-filled with NaN
  /// by the caller) and returns the candidate id. Throws input_error.
  std::string_view parse_row(const csv_reader& r, double* out) const {
    if (r.size() != column_.size())
      throw input_error(errc::schema, r.place_at(r.line(), 1),
                        "expected " + std::to_string(column_.size()) + " fields, got " + std::to_string(r.size()));
    std::string_view id = r[0];
    if (id.empty()) throw input_error(errc::value, r.place(0), "empty candidate_id");
    for (std::size_t j = 1; j < column_.size(); ++j) {
      std::string_view cell = r[j];
      if (is_missing_field(cell)) continue;  // the readers' one rule (fields.hpp)
      double v;
      if (!parse_double(cell, v))
        throw input_error(errc::value, r.place(j),
                          "non-numeric value '" + std::string(cell) + "' for competency '" + names_[j - 1] + "'");
      // The place is made only for a value off the scale: making it for every
      // cell was ~20% of reading a million-row pool (bench/README.md).
      if (!on_model_scale(v, levels_)) check_score_on_scale(v, names_[j - 1], levels_, r.place(j));
      out[column_[j]] = v;
    }
    return id;
  }

  /// The fast path of parse_row for a plain record [p, e): no quotes, no
  /// line end, valid UTF-8. Parses it like parse_row and returns true; returns
  /// false (with `out` partly written) when the record has any problem or is
  /// not plain - parse_row on the record then says what is wrong.
  bool parse_plain(const char* p, const char* e, double* out, std::string_view& id) const {
    const char* f = p;
    while (f < e && *f != ',') ++f;
    id = std::string_view(p, static_cast<std::size_t>(f - p));
    if (id.empty()) return false;
    for (std::size_t j = 1; j < column_.size(); ++j) {
      if (f == e) return false;  // too few fields
      const char* b = ++f;
      detail::decimal_digits d;  // read while the field's end is sought
      for (; f < e && *f != ','; ++f) d.add(*f);
      if (f == b) continue;  // empty: missing
      double v;
      if (!d.value(v) && !parse_double(std::string_view(b, static_cast<std::size_t>(f - b)), v)) return false;
      if (!on_model_scale(v, levels_)) return false;
      out[column_[j]] = v;
    }
    return f == e;  // otherwise more fields than the header has
  }

 private:
  int levels_;
  std::vector<Eigen::Index> column_;  ///< CSV field -> model competency (-1 for the id)
  std::vector<std::string> names_;
};

/// Reads a whole wide CSV. Without a sink, the first bad row throws.
inline candidate_table read_wide_csv(csv_reader& r, const competency_model& m, const reject_sink& sink = {}) {
  if (!r.next()) throw input_error(errc::schema, r.source(), "file is empty");
  wide_header header(r, m);
  const auto C = static_cast<Eigen::Index>(m.competencies.size());
  candidate_table t;
  std::vector<double> data;
  std::unordered_map<std::string, std::size_t> first_line;
  std::vector<double> row(static_cast<std::size_t>(C));
  while (r.next()) {
    std::fill(row.begin(), row.end(), std::numeric_limits<double>::quiet_NaN());
    try {
      std::string_view id = header.parse_row(r, row.data());
      auto [it, fresh] = first_line.emplace(std::string(id), r.line());
      if (!fresh)
        throw input_error(errc::duplicate, r.place(0),
                          "duplicate candidate id '" + std::string(id) + "' (first at line " + std::to_string(it->second) + ")");
      t.ids.emplace_back(id);
      t.lines.push_back(r.line());
      data.insert(data.end(), row.begin(), row.end());
    } catch (const input_error& e) {
      if (!sink) throw;
      sink(e);
    }
  }
  if (t.ids.empty() && !sink) throw input_error(errc::schema, r.source(), "no candidate rows after the header");
  t.scores = Eigen::Map<RowMatrix>(data.data(), static_cast<Eigen::Index>(t.ids.size()), C);
  return t;
}

/// The keys a candidate document may carry: the id, the optional echoed
/// ids, one form of evidence, and the evidence forms' calibration.
inline constexpr std::string_view candidate_keys[] = {"candidate_id", "scores",       "evidence",
                                                      "greenhouse_scorecards", "calibration", "application_id",
                                                      "correlation_id"};

inline bool is_candidate_key(std::string_view k) {
  for (std::string_view known : candidate_keys)
    if (k == known) return true;
  return false;
}

/// Refuses a protected characteristic named by any key of `v`, at any depth
/// (`v` sits at JSON pointer `ptr`; places are made by `place`).
template <class Place>
void check_no_protected_keys(const nlohmann::json& v, const std::string& ptr, const Place& place) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string p = ptr + "/" + pointer_token(it.key());
      check_not_protected<input_error>("key", it.key(), place(p));
      check_no_protected_keys(*it, p, place);
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) check_no_protected_keys(v[i], ptr + "/" + std::to_string(i), place);
  }
}

/// Refuses a candidate object (at `ptr` of document `source`) that names a
/// protected characteristic in a key of its own, or in any key nested under a
/// key merit does not read: demographic data has no place anywhere in a
/// scoring input, so it is refused rather than ignored. The known keys
/// (candidate_keys) are skipped first; their readers check what is inside.
inline void check_candidate_keys(const nlohmann::json& c, const std::string& source, const std::string& ptr) {
  auto place = [&](const std::string& p) { return source.empty() ? p : source + "#" + p; };
  for (auto it = c.begin(); it != c.end(); ++it) {
    if (is_candidate_key(it.key())) continue;
    const std::string p = ptr + "/" + pointer_token(it.key());
    check_not_protected<input_error>("key", it.key(), place(p));
    check_no_protected_keys(*it, p, place);
  }
}

/// Reads one candidate object `{"candidate_id", "scores"}` located at JSON
/// pointer `ptr` of document `source` (places are `source#ptr...`, or bare
/// pointers when `source` is empty). Scores go to `row` (model order, one
/// entry per model competency, pre-filled with NaN by the caller); returns the
/// candidate id. Other keys are left to the caller, but none may name a
/// protected characteristic (check_candidate_keys).
inline std::string read_candidate_json(const nlohmann::json& c, const competency_model& m, const std::string& source,
                                       const std::string& ptr, double* row) {
  auto place = [&](const std::string& p) { return source.empty() ? p : source + "#" + p; };
  if (!c.is_object()) throw input_error(errc::schema, place(ptr), "a candidate must be an object");
  check_candidate_keys(c, source, ptr);
  auto id = c.find("candidate_id");
  if (id == c.end()) throw input_error(errc::schema, place(ptr), "missing required key 'candidate_id'");
  std::string cid;
  if (id->is_string()) cid = id->get<std::string>();
  else if (id->is_number_integer()) cid = id->dump();
  else throw input_error(errc::schema, place(ptr + "/candidate_id"), "candidate_id must be a string or an integer");
  if (cid.empty()) throw input_error(errc::value, place(ptr + "/candidate_id"), "empty candidate_id");
  auto sc = c.find("scores");
  if (sc == c.end()) throw input_error(errc::schema, place(ptr), "missing required key 'scores'");
  if (!sc->is_object()) throw input_error(errc::schema, place(ptr + "/scores"), "scores must be an object");
  for (auto s = sc->begin(); s != sc->end(); ++s) {
    // A competency id never names a protected characteristic (the model
    // reader refuses one), so only a key that is none is checked.
    auto ci = m.find_competency(s.key());
    auto sp = [&] { return place(ptr + "/scores/" + pointer_token(s.key())); };
    if (!ci) {
      check_not_protected<input_error>("key", s.key(), sp());
      throw input_error(errc::reference, sp(), "'" + s.key() + "' names no competency of model '" + m.id + "'");
    }
    if (s->is_null()) continue;
    if (!s->is_number()) throw input_error(errc::value, sp(), "score must be a number or null");
    const double v = s->get<double>();
    if (!on_model_scale(v, m.levels)) check_score_on_scale(v, s.key(), m.levels, sp());
    row[*ci] = v;
  }
  return cid;
}

/// What read_plain_candidate found besides the scores: views into the text.
/// Its buffers are reused from call to call, so a caller that keeps one per
/// thread reads without allocating.
struct plain_candidate {
  std::string_view candidate_id;             ///< a string's bytes or an integer's digits
  std::optional<std::string_view> application_id;  ///< the same; absent or null: none
  std::optional<std::string_view> correlation_id;  ///< a string's bytes; absent or null: none
  std::vector<unsigned char> seen;           ///< per model competency: its key was read
  std::vector<std::string_view> other_keys;  ///< keys merit does not read, to refuse duplicates
};

namespace plain_json {
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline void skip_space(const char*& p, const char* e) {
  while (p < e && is_space(*p)) ++p;
}
/// Bytes that end the plain part of a string: '"', '\\', control and non-ASCII bytes.
struct stop_table {
  bool stop[256] = {};
  constexpr stop_table() {
    for (int c = 0; c < 256; ++c) stop[c] = c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
  }
};
inline constexpr stop_table stops{};
/// A string without escapes, control or non-ASCII bytes at p (on '"'): its body.
inline bool string(const char*& p, const char* e, std::string_view& out) {
  if (p == e || *p != '"') return false;
  const char* b = ++p;
  while (p < e && !stops.stop[static_cast<unsigned char>(*p)]) ++p;
  if (p == e || *p != '"') return false;
  out = std::string_view(b, static_cast<std::size_t>(p++ - b));
  return true;
}
/// Byte equality, inlined (the reader compares many short keys).
inline bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}
/// A JSON number at p (RFC 8259 grammar); `integer` says it has neither
/// fraction nor exponent. Its text is [b, p).
inline bool number(const char*& p, const char* e, const char*& b, bool& integer) {
  auto digits = [&] {
    const char* d = p;
    while (p < e && *p >= '0' && *p <= '9') ++p;
    return p > d;
  };
  b = p;
  if (p < e && *p == '-') ++p;
  if (p < e && *p == '0') ++p;
  else if (!digits()) return false;
  integer = true;
  if (p < e && *p == '.') {
    ++p;
    integer = false;
    if (!digits()) return false;
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    integer = false;
    if (p < e && (*p == '+' || *p == '-')) ++p;
    if (!digits()) return false;
  }
  return true;
}
inline bool literal(const char*& p, const char* e, std::string_view word) {
  if (static_cast<std::size_t>(e - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0) return false;
  p += word.size();
  return true;
}
/// An id: a string, or an integer whose digits read back the same (no `-0`,
/// at most 18 digits, so it is an int64 whose text is these digits).
inline bool id(const char*& p, const char* e, std::string_view& out) {
  if (p < e && *p == '"') return string(p, e, out);
  const char* b;
  bool integer;
  if (!number(p, e, b, integer) || !integer || p - b > 18 || std::string_view(b, static_cast<std::size_t>(p - b)) == "-0")
    return false;
  out = std::string_view(b, static_cast<std::size_t>(p - b));
  return true;
}
/// Any scalar (string without escapes, number, true, false, null).
inline bool scalar(const char*& p, const char* e) {
  std::string_view s;
  const char* b;
  bool integer;
  if (p < e && *p == '"') return string(p, e, s);
  if (p < e && (*p == 't' || *p == 'f' || *p == 'n'))
    return literal(p, e, "true") || literal(p, e, "false") || literal(p, e, "null");
  return number(p, e, b, integer);
}
/// Reads `{ "key": <value>, ... }` at p, calling member(key) with p on each
/// value; member reads the value and returns false to give up.
template <class Member>
bool object(const char*& p, const char* e, Member&& member) {
  skip_space(p, e);
  if (p == e || *p != '{') return false;
  ++p;
  skip_space(p, e);
  if (p < e && *p == '}') return ++p, true;
  for (;;) {
    std::string_view key;
    skip_space(p, e);
    if (!string(p, e, key)) return false;
    skip_space(p, e);
    if (p == e || *p != ':') return false;
    ++p;
    skip_space(p, e);
    if (!member(key)) return false;
    skip_space(p, e);
    if (p == e) return false;
    if (*p == '}') return ++p, true;
    if (*p++ != ',') return false;
  }
}
}  // namespace plain_json

/// The fast path of a candidate document with "scores", for a plain text:
/// ASCII strings without escapes, scalar values besides "scores", every
/// score key a competency once, every score null or a number on the scale,
/// no protected key, "calibration" absent or "none", and neither "evidence"
/// nor "greenhouse_scorecards". Reads it as the strict JSON parser and
/// read_candidate_json would, without allocating once `c`'s buffers have
/// grown, and returns true; returns false (with `row` and `c` partly
/// written) for any other text - a valid one or not -, which the caller then
/// reads the full way, so its errors are worded and placed as always.
inline bool read_plain_candidate(std::string_view text, const competency_model& m, double* row, plain_candidate& c) {
  const char* p = text.data();
  const char* const e = p + text.size();
  const std::size_t C = m.competencies.size();
  c.seen.assign(C, 0);
  c.other_keys.clear();
  c.application_id.reset();
  c.correlation_id.reset();
  bool has_id = false, has_scores = false, has_calibration = false;
  std::size_t next = 0;  // keys usually come in model order: try the next competency first
  auto score = [&](std::string_view key) {
    std::size_t ci = next < C && plain_json::same(m.competencies[next].id, key) ? next : C;
    for (std::size_t k = 0; ci == C && k < C; ++k)
      if (plain_json::same(m.competencies[k].id, key)) ci = k;
    if (ci == C || c.seen[ci]) return false;
    c.seen[ci] = 1;
    next = ci + 1;
    if (plain_json::literal(p, e, "null")) return true;
    const char* b;
    bool integer;
    double v;
    if (!plain_json::number(p, e, b, integer)) return false;
    // "4", "3.5": exact without from_chars (detail::plain_decimal gives its double).
    if (!detail::plain_decimal(std::string_view(b, static_cast<std::size_t>(p - b)), v)) {
      const auto r = std::from_chars(b, p, v);
      if (r.ec != std::errc() || r.ptr != p) return false;
    }
    if (!on_model_scale(v, m.levels)) return false;
    row[ci] = v;
    return true;
  };
  bool has_application = false, has_correlation = false;
  auto optional_id = [&](bool& seen, std::optional<std::string_view>& out, bool integer_too) {
    if (seen) return false;  // a duplicate key
    seen = true;
    if (plain_json::literal(p, e, "null")) return true;
    std::string_view v;
    if (integer_too ? !plain_json::id(p, e, v) : !plain_json::string(p, e, v)) return false;
    out = v;
    return true;
  };
  const bool ok = plain_json::object(p, e, [&](std::string_view key) {
    if (key == "candidate_id") return !has_id && (has_id = true) && plain_json::id(p, e, c.candidate_id);
    if (key == "scores") return !has_scores && (has_scores = true) && plain_json::object(p, e, score);
    if (key == "application_id") return optional_id(has_application, c.application_id, true);
    if (key == "correlation_id") return optional_id(has_correlation, c.correlation_id, false);
    if (key == "calibration") {
      std::string_view v;
      return !has_calibration && (has_calibration = true) && plain_json::string(p, e, v) && v == "none";
    }
    if (is_candidate_key(key) || protected_term_view(key)) return false;  // evidence forms; refusals
    for (std::string_view k : c.other_keys)
      if (k == key) return false;
    c.other_keys.push_back(key);
    return plain_json::scalar(p, e);
  });
  plain_json::skip_space(p, e);
  return ok && p == e && has_id && has_scores && !c.candidate_id.empty() &&
         !(c.application_id && c.application_id->empty());
}

/// Reads candidates from a JSON array (see file comment).
inline candidate_table read_candidates_json(const nlohmann::json& doc, const competency_model& m,
                                            const std::string& source) {
  auto place = [&](const std::string& ptr) { return source + "#" + ptr; };
  if (!doc.is_array())
    throw input_error(errc::schema, place(""), "expected a JSON array of candidates");
  if (doc.empty()) throw input_error(errc::schema, place(""), "no candidates in the array");
  const auto C = static_cast<Eigen::Index>(m.competencies.size());
  candidate_table t;
  t.scores = RowMatrix::Constant(static_cast<Eigen::Index>(doc.size()), C, std::numeric_limits<double>::quiet_NaN());
  std::unordered_map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const std::string p = "/" + std::to_string(i);
    std::string cid = read_candidate_json(doc[i], m, source, p, t.scores.row(static_cast<Eigen::Index>(i)).data());
    auto [it, fresh] = first.emplace(cid, i);
    if (!fresh)
      throw input_error(errc::duplicate, place(p + "/candidate_id"),
                        "duplicate candidate id '" + cid + "' (first at /" + std::to_string(it->second) + ")");
    t.ids.push_back(std::move(cid));
    t.lines.push_back(i);
  }
  return t;
}

}  // namespace merit::io
