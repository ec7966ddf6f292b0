#pragma once
/// \file io/judgments.hpp
/// Reading AHP judgments from JSON (`merit weights ahp`, a profile's
/// weights_source): one decision maker's or a group's pairwise judgments, as a
/// list or a matrix, or a two-level hierarchy of them. The judgments' types
/// and all the arithmetic on them are merit/weights.hpp. Format:
/// docs/weights.md.

#include <merit/detail/format.hpp>
#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/fwd.hpp>
#include <merit/weights.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace merit {

namespace detail {

class judgments_parser {
 public:
  judgments_parser(std::string source, std::string prefix) : source_(std::move(source)), prefix_(std::move(prefix)) {}

  /// `pointer` is relative to the document parsed; places carry the prefix.
  std::string place(const std::string& pointer) const {
    return source_.empty() ? prefix_ + pointer : source_ + "#" + prefix_ + pointer;
  }

  [[noreturn]] void fail(errc code, const std::string& pointer, const std::string& detail) const {
    throw model_error(code, place(pointer), detail);
  }

  const nlohmann::json& member(const nlohmann::json& obj, const char* key, const std::string& ptr) const {
    auto it = obj.find(key);
    if (it == obj.end()) fail(errc::schema, ptr, std::string("missing \"") + key + "\"");
    return *it;
  }

  std::string text(const nlohmann::json& j, const std::string& ptr, const char* what) const {
    if (!j.is_string()) fail(errc::schema, ptr, std::string(what) + " must be a string");
    return j.get<std::string>();
  }

  /// A judgment value: a JSON number, or a string "3" or "1/3". Checked for
  /// sign and scale; returns the value.
  double value(const nlohmann::json& j, const std::string& ptr) const {
    double v = 0;
    std::string spelled;
    if (j.is_number()) {
      v = j.get<double>();
      spelled = j.dump();
    } else if (j.is_string()) {
      spelled = j.get<std::string>();
      if (!parse_ratio(spelled, v))
        fail(errc::schema, ptr, "value \"" + spelled + "\" is not a number or a fraction like \"1/3\"");
    } else {
      fail(errc::schema, ptr, "value must be a number or a fraction like \"1/3\"");
    }
    if (!(v > 0)) fail(errc::value, ptr, "value " + spelled + " is not positive");
    if (!on_saaty_scale(v)) fail(errc::value, ptr, saaty_scale_message(spelled));
    return v;
  }

  static bool parse_number(std::string_view s, double& out) {
    s = trim_field(s);
    if (s.empty()) return false;
    auto res = std::from_chars(s.data(), s.data() + s.size(), out);
    return res.ec == std::errc() && res.ptr == s.data() + s.size() && std::isfinite(out);
  }
  static bool parse_ratio(const std::string& s, double& out) {
    auto slash = s.find('/');
    if (slash == std::string::npos) return parse_number(s, out);
    double p = 0, q = 0;
    if (!parse_number(std::string_view(s).substr(0, slash), p) ||
        !parse_number(std::string_view(s).substr(slash + 1), q) || q == 0)
      return false;
    out = p / q;
    return true;
  }

  judgments parse(const nlohmann::json& doc) {
    judgments out;
    out.source = source_;
    out.pointer = prefix_;
    if (!doc.is_object()) fail(errc::schema, "", "a judgments file must be a JSON object");
    const auto& items = member(doc, "items", "");
    if (!items.is_array() || items.empty()) fail(errc::schema, "/items", "items must be a non-empty array of ids");
    for (std::size_t k = 0; k < items.size(); ++k) {
      const std::string ptr = "/items/" + std::to_string(k);
      std::string id = text(items[k], ptr, "an item");
      if (id.empty()) fail(errc::schema, ptr, "an item id must not be empty");
      if (index_.count(id)) fail(errc::duplicate, ptr, "duplicate item '" + id + "'");
      index_.emplace(id, static_cast<Eigen::Index>(k));
      out.items.push_back(id);
    }
    if (doc.contains("decision_makers")) {
      if (doc.contains("judgments") || doc.contains("matrix"))
        fail(errc::schema, "", "give \"decision_makers\" or top-level \"judgments\"/\"matrix\", not both");
      const auto& dms = doc["decision_makers"];
      if (!dms.is_array() || dms.empty())
        fail(errc::schema, "/decision_makers", "decision_makers must be a non-empty array");
      for (std::size_t k = 0; k < dms.size(); ++k) {
        const std::string ptr = "/decision_makers/" + std::to_string(k);
        const auto& dm = dms[k];
        if (!dm.is_object()) fail(errc::schema, ptr, "a decision maker must be an object");
        decision_maker_judgments d;
        d.id = text(member(dm, "id", ptr), ptr + "/id", "id");
        for (const auto& other : out.decision_makers)
          if (other.id == d.id) fail(errc::duplicate, ptr + "/id", "duplicate decision maker '" + d.id + "'");
        if (dm.contains("weight")) {
          const auto& w = dm["weight"];
          if (!w.is_number() || !(w.get<double>() > 0) || !std::isfinite(w.get<double>()))
            fail(errc::value, ptr + "/weight", "decision-maker weight " + w.dump() + " must be a positive number");
          d.weight = w.get<double>();
        }
        read_judgments(dm, ptr, d);
        out.decision_makers.push_back(std::move(d));
      }
    } else {
      decision_maker_judgments d;
      read_judgments(doc, "", d);
      out.decision_makers.push_back(std::move(d));
    }
    return out;
  }

 private:
  void read_judgments(const nlohmann::json& obj, const std::string& ptr, decision_maker_judgments& d) {
    const Eigen::Index n = static_cast<Eigen::Index>(index_.size());
    d.place = place(ptr);
    d.matrix = RowMatrix::Constant(n, n, std::numeric_limits<double>::quiet_NaN());
    d.matrix.diagonal().setOnes();
    const bool has_list = obj.contains("judgments"), has_matrix = obj.contains("matrix");
    if (has_list == has_matrix)
      fail(errc::schema, ptr, has_list ? "give either \"judgments\" or \"matrix\", not both"
                                       : "missing \"judgments\" (or \"matrix\")");
    if (has_list)
      read_list(obj["judgments"], ptr + "/judgments", d.matrix);
    else
      read_matrix(obj["matrix"], ptr + "/matrix", d.matrix);
  }

  Eigen::Index item(const nlohmann::json& j, const std::string& ptr) const {
    std::string id = text(j, ptr, "an item");
    auto it = index_.find(id);
    if (it == index_.end()) fail(errc::reference, ptr, "unknown item '" + id + "'");
    return it->second;
  }

  void read_list(const nlohmann::json& list, const std::string& ptr, RowMatrix& M) const {
    if (!list.is_array()) fail(errc::schema, ptr, "judgments must be an array");
    // where each pair (i < j) was first judged, for conflict messages
    std::map<std::pair<Eigen::Index, Eigen::Index>, std::size_t> first;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string jp = ptr + "/" + std::to_string(k);
      const auto& jd = list[k];
      if (!jd.is_object()) fail(errc::schema, jp, "a judgment must be an object {\"a\", \"b\", \"value\"}");
      const Eigen::Index a = item(member(jd, "a", jp), jp + "/a");
      const Eigen::Index b = item(member(jd, "b", jp), jp + "/b");
      const double v = value(member(jd, "value", jp), jp + "/value");
      const std::string& an = names()[static_cast<std::size_t>(a)];
      const std::string& bn = names()[static_cast<std::size_t>(b)];
      if (a == b) fail(errc::value, jp, "judgment of '" + an + "' against itself");
      if (!std::isnan(M(a, b))) {
        const double earlier = M(a, b);
        if (std::abs(earlier / v - 1) > reciprocity_tolerance)
          fail(errc::inconsistent, jp,
               "conflicting judgments of '" + an + "' against '" + bn + "': " + format_number(v) + " here, " +
                   format_number(earlier) + " in " + prefix_ + ptr + "/" +
                   std::to_string(first.at({std::min(a, b), std::max(a, b)})));
        continue;  // an agreeing repetition
      }
      first.emplace(std::make_pair(std::min(a, b), std::max(a, b)), k);
      M(a, b) = v;
      M(b, a) = 1 / v;
    }
  }

  void read_matrix(const nlohmann::json& rows, const std::string& ptr, RowMatrix& M) const {
    const std::size_t n = index_.size();
    if (!rows.is_array()) fail(errc::schema, ptr, "matrix must be an array of rows");
    if (rows.size() != n)
      fail(errc::schema, ptr,
           "matrix has " + std::to_string(rows.size()) + " rows; expected " + std::to_string(n) + ", one per item");
    for (std::size_t i = 0; i < n; ++i) {
      const std::string rp = ptr + "/" + std::to_string(i);
      if (!rows[i].is_array() || rows[i].size() != n)
        fail(errc::schema, rp, "row must be an array of " + std::to_string(n) + " entries, one per item");
      for (std::size_t j = 0; j < n; ++j) {
        const auto& e = rows[i][j];
        const std::string ep = rp + "/" + std::to_string(j);
        // Missing as in every reader (fields.hpp): null, or a blank, "NA" or "null" string.
        if (e.is_null() || (e.is_string() && is_missing_field(e.get<std::string>()))) {
          if (i == j) fail(errc::value, ep, "diagonal entry of '" + names()[i] + "' must be 1, not missing");
          continue;
        }
        if (i == j) {
          double v = 0;
          const bool ok = e.is_number() ? (v = e.get<double>(), true)
                                        : (e.is_string() && parse_ratio(e.get<std::string>(), v));
          if (!ok || std::abs(v - 1) > reciprocity_tolerance)
            fail(errc::value, ep,
                 "diagonal entry of '" + names()[i] + "' is " + (e.is_string() ? e.get<std::string>() : e.dump()) +
                     "; an item against itself must be 1");
          continue;
        }
        M(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = value(e, ep);
      }
    }
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < i; ++j) {
        const auto I = static_cast<Eigen::Index>(i), J = static_cast<Eigen::Index>(j);
        const double lo = M(I, J), up = M(J, I);
        if (std::isnan(lo) && std::isnan(up)) continue;
        if (!std::isnan(lo) && !std::isnan(up) && !reciprocal(lo, up))
          fail(errc::inconsistent, ptr + "/" + std::to_string(i) + "/" + std::to_string(j),
               reciprocity_message("'" + names()[i] + "'", "'" + names()[j] + "'", lo, up));
        const double v = !std::isnan(up) ? up : 1 / lo;  // the upper triangle is authoritative
        M(J, I) = v;
        M(I, J) = 1 / v;
      }
  }

  const std::vector<std::string>& names() const {
    if (names_.size() != index_.size()) {
      names_.assign(index_.size(), {});
      for (const auto& [id, k] : index_) names_[static_cast<std::size_t>(k)] = id;
    }
    return names_;
  }

  std::string source_;
  std::string prefix_;
  std::map<std::string, Eigen::Index> index_;
  mutable std::vector<std::string> names_;
};

}  // namespace detail

/// Parses a judgments document:
/// `{"items": [ids], "decision_makers": [{"id", "weight"?, "judgments": [{"a", "b", "value"}] | "matrix": [[..]]}]}`
/// or, for one decision maker, `{"items", "judgments" | "matrix"}`. A judgment
/// `{"a": x, "b": y, "value": v}` says x is v times as important as y; values
/// are numbers or fractions like "1/3"; `null` in a matrix is a missing
/// judgment. Throws model_error with place `source#<JSON pointer>`.
inline judgments parse_judgments(const nlohmann::json& doc, const std::string& source) {
  return detail::judgments_parser(source, "").parse(doc);
}

/// Parses `{"hierarchy": {"clusters": <judgments>, "local": {"<cluster>": <judgments>, ...}}}`
/// where each <judgments> has the form `parse_judgments` reads. Every cluster
/// needs local judgments, and every local entry must be a cluster.
inline judgments_hierarchy parse_judgments_hierarchy(const nlohmann::json& doc, const std::string& source) {
  const auto fail = [&](errc code, const std::string& ptr, const std::string& detail) {
    throw model_error(code, source.empty() ? ptr : source + "#" + ptr, detail);
  };
  if (!doc.is_object() || !doc.contains("hierarchy") || !doc["hierarchy"].is_object())
    fail(errc::schema, "/hierarchy", "missing \"hierarchy\" object");
  const auto& h = doc["hierarchy"];
  if (!h.contains("clusters")) fail(errc::schema, "/hierarchy", "missing \"clusters\"");
  if (!h.contains("local") || !h["local"].is_object()) fail(errc::schema, "/hierarchy", "missing \"local\" object");
  judgments_hierarchy out;
  out.clusters = detail::judgments_parser(source, "/hierarchy/clusters").parse(h["clusters"]);
  const auto& local = h["local"];
  for (const auto& cluster : out.clusters.items) {
    if (!local.contains(cluster))
      fail(errc::reference, "/hierarchy/local", "cluster '" + cluster + "' has no local judgments");
    out.local.emplace_back(cluster, detail::judgments_parser(source, "/hierarchy/local/" + cluster).parse(local[cluster]));
  }
  for (const auto& [key, value] : local.items()) {
    (void)value;
    if (std::find(out.clusters.items.begin(), out.clusters.items.end(), key) == out.clusters.items.end())
      fail(errc::reference, "/hierarchy/local/" + key, "'" + key + "' is not one of the clusters");
  }
  return out;
}

}  // namespace merit
