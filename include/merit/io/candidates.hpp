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

#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/fit.hpp>
#include <merit/fwd.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/json.hpp>
#include <merit/model.hpp>
#include <merit/protected.hpp>

#include <functional>
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
      check_score_on_scale(v, names_[j - 1], levels_, r.place(j));
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

/// Reads one candidate object `{"candidate_id", "scores"}` located at JSON
/// pointer `ptr` of document `source` (places are `source#ptr...`, or bare
/// pointers when `source` is empty). Scores go to `row` (model order, one
/// entry per model competency, pre-filled with NaN by the caller); returns the
/// candidate id. Keys other than candidate_id and scores are left to the caller.
inline std::string read_candidate_json(const nlohmann::json& c, const competency_model& m, const std::string& source,
                                       const std::string& ptr, double* row) {
  auto place = [&](const std::string& p) { return source.empty() ? p : source + "#" + p; };
  if (!c.is_object()) throw input_error(errc::schema, place(ptr), "a candidate must be an object");
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
    const std::string sp = ptr + "/scores/" + pointer_token(s.key());
    check_not_protected<input_error>("key", s.key(), place(sp));
    auto ci = m.find_competency(s.key());
    if (!ci) throw input_error(errc::reference, place(sp), "'" + s.key() + "' names no competency of model '" + m.id + "'");
    if (s->is_null()) continue;
    if (!s->is_number()) throw input_error(errc::value, place(sp), "score must be a number or null");
    double v = s->get<double>();
    check_score_on_scale(v, s.key(), m.levels, place(sp));
    row[*ci] = v;
  }
  return cid;
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
