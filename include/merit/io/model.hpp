#pragma once
/// \file io/model.hpp
/// Reading a competency model from JSON: validates everything once, at the
/// edge, and reports every problem with its JSON pointer (build_model,
/// check_model), or throws model_error for the first (parse_model,
/// parse_model_text, load_model). The model's types are merit/model.hpp.
///
/// Format: docs/model-format.md and competency_models/merit.competency-model.schema.json.

#include <merit/detail/format.hpp>
#include <merit/detail/sha256.hpp>
#include <merit/errors.hpp>
#include <merit/fwd.hpp>
#include <merit/io/file.hpp>
#include <merit/io/json.hpp>
#include <merit/model.hpp>
#include <merit/protected.hpp>
#include <merit/titles.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace merit {

inline constexpr const char* model_format_v1 = "merit.competency-model/1";

namespace detail {

using nlohmann::json;

inline std::string json_type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a number";
  }
}

inline bool valid_id(const std::string& s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

/// Collects problems while walking a model document.
class model_checker {
 public:
  std::vector<problem> problems;
  std::vector<problem> warnings;

  void add(const std::string& ptr, std::string msg, errc code = errc::schema) {
    problems.push_back({ptr.empty() ? "/" : ptr, std::move(msg), code});
  }
  void warn(const std::string& ptr, std::string msg, errc code = errc::value) {
    warnings.push_back({ptr.empty() ? "/" : ptr, std::move(msg), code});
  }

  const json* member(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) add(ptr, std::string("missing required key '") + key + "'");
      return nullptr;
    }
    return &*it;
  }
  const json* object(const json& obj, const std::string& ptr, const char* key, bool required = true) {
    const json* j = member(obj, ptr, key, required);
    if (j && !j->is_object()) {
      add(ptr + "/" + key, "must be an object, got " + json_type_name(*j));
      return nullptr;
    }
    return j;
  }
  const json* array(const json& obj, const std::string& ptr, const char* key, bool required = true) {
    const json* j = member(obj, ptr, key, required);
    if (j && !j->is_array()) {
      add(ptr + "/" + key, "must be an array, got " + json_type_name(*j));
      return nullptr;
    }
    return j;
  }
  std::optional<std::string> string(const json& obj, const std::string& ptr, const char* key, bool required = true) {
    const json* j = member(obj, ptr, key, required);
    if (!j) return std::nullopt;
    if (!j->is_string()) {
      add(ptr + "/" + key, "must be a string, got " + json_type_name(*j));
      return std::nullopt;
    }
    return j->get<std::string>();
  }
  std::optional<double> number(const json& obj, const std::string& ptr, const char* key, bool required = true) {
    const json* j = member(obj, ptr, key, required);
    if (!j) return std::nullopt;
    if (!j->is_number()) {
      add(ptr + "/" + key, "must be a number, got " + json_type_name(*j), errc::value);
      return std::nullopt;
    }
    return j->get<double>();
  }
  std::optional<bool> boolean(const json& obj, const std::string& ptr, const char* key) {
    const json* j = member(obj, ptr, key, false);
    if (!j) return std::nullopt;
    if (!j->is_boolean()) {
      add(ptr + "/" + key, "must be a boolean, got " + json_type_name(*j));
      return std::nullopt;
    }
    return j->get<bool>();
  }
  std::optional<std::string> id(const json& obj, const std::string& ptr) {
    auto s = string(obj, ptr, "id");
    if (s && !valid_id(*s)) {
      add(ptr + "/id", "id '" + *s + "' must match ^[a-z][a-z0-9_]*$");
      return std::nullopt;
    }
    return s;
  }
  label bilingual(const json& obj, const std::string& ptr, const char* key, bool required = true) {
    const json* j = object(obj, ptr, key, required);
    return j ? label_of(*j, ptr + "/" + key) : label{};
  }
  /// A label object {"en": ..., "zh-CN": ...} at pointer p.
  label label_of(const json& j, const std::string& p) {
    label out;
    if (!j.is_object()) {
      add(p, "must be an object, got " + json_type_name(j));
      return out;
    }
    if (auto en = string(j, p, "en")) {
      if (en->empty()) add(p + "/en", "must not be empty");
      out.en = *en;
    }
    if (auto zh = string(j, p, "zh-CN", false)) out.zh = *zh;
    return out;
  }
  void no_protected(const std::string& ptr, const std::string& what, const std::string& text) {
    if (auto message = protected_name_problem(what, text)) add(ptr, std::move(*message), errc::protected_attribute);
  }
};

inline ownership parse_ownership(model_checker& ck, const json& j, const std::string& ptr, bool& ok) {
  ok = false;
  if (!j.is_string()) {
    ck.add(ptr, "must be a string, got " + json_type_name(j));
    return ownership::primary;
  }
  auto s = j.get<std::string>();
  ok = true;
  if (s == "primary") return ownership::primary;
  if (s == "supporting") return ownership::supporting;
  if (s == "participant") return ownership::participant;
  ok = false;
  ck.add(ptr, "unknown ownership level '" + s + "' (expected primary, supporting or participant)");
  return ownership::primary;
}

/// A rating scale at `sp` (a method's, or an evidence source's) for the model
/// scale 1..L; its problems and warnings go to `ck`.
inline method_scale parse_scale(model_checker& ck, const json& sc, const std::string& sp, int L) {
  method_scale out;
  auto type = ck.string(sc, sp, "type");
  if (type && *type == "numeric") {
    out.kind = method_scale::numeric;
    auto lo = ck.number(sc, sp, "min");
    auto hi = ck.number(sc, sp, "max");
    const bool range = lo && hi && *lo < *hi;
    if (lo && hi) {
      if (!range)
        ck.add(sp, "numeric scale needs min < max, got min " + number_text(*lo) + " and max " + number_text(*hi),
               errc::value);
      out.min = *lo;
      out.max = *hi;
    }
    if (const json* cuts = ck.array(sc, sp, "cut_points", false)) {
      const std::string cp = sp + "/cut_points";
      if (cuts->size() != static_cast<std::size_t>(L - 1))
        ck.add(cp, "expected " + std::to_string(L - 1) + " cut points (the lowest value of each level 2.." +
                       std::to_string(L) + "), got " + std::to_string(cuts->size()),
               errc::value);
      bool ok = true;
      for (std::size_t k = 0; k < cuts->size(); ++k) {
        const std::string kp = cp + "/" + std::to_string(k);
        const json& c = (*cuts)[k];
        if (!c.is_number()) {
          ck.add(kp, "must be a number, got " + json_type_name(c), errc::value);
          ok = false;
          continue;
        }
        const double v = c.get<double>();
        if (range && !(v > out.min && v <= out.max)) {
          ck.add(kp, "cut point " + number_text(v) + " must lie above min " + number_text(out.min) +
                         " and at most max " + number_text(out.max) + ", so that min is level 1 and max level " +
                         std::to_string(L),
                 errc::value);
          ok = false;
        }
        if (!out.cut_points.empty() && !(v > out.cut_points.back())) {
          ck.add(kp, "cut point " + number_text(v) + " must be above the one before it (" +
                         number_text(out.cut_points.back()) + ")",
                 errc::value);
          ok = false;
        }
        out.cut_points.push_back(v);
      }
      if (!ok || cuts->size() != static_cast<std::size_t>(L - 1)) out.cut_points.clear();
      if (!sc.contains("basis"))
        ck.add(sp, "cut_points need a 'basis': the rubric's level definitions, or a provisional basis until an "
                   "organisation sets its own");
    }
    if (auto lin = ck.boolean(sc, sp, "linear")) {
      out.linear = *lin;
      if (*lin && sc.contains("cut_points"))
        ck.add(sp + "/linear", "a scale maps through cut_points or linearly, not both");
      else if (*lin && !sc.contains("basis"))
        ck.add(sp, "\"linear\": true needs a 'basis': why equal steps of the scale are equal steps of level");
    }
    const bool identity = range && out.min == 1 && out.max == L;
    if (range && !sc.contains("cut_points") && !out.linear && !identity)
      ck.warn(sp, "numeric scale " + number_text(out.min) + ".." + number_text(out.max) + " is mapped linearly onto 1.." +
                      std::to_string(L) + " with no stated basis; give cut_points with a basis, or \"linear\": true "
                      "with a basis");
  } else if (type && *type == "levels") {
    out.kind = method_scale::levels;
    if (const json* lv = ck.object(sc, sp, "levels")) {
      if (lv->size() < 2) ck.add(sp + "/levels", "a level table needs at least two levels");
      double lo = INFINITY, hi = -INFINITY;
      for (auto it = lv->begin(); it != lv->end(); ++it) {
        std::string lp = sp + "/levels/" + io::pointer_token(it.key());
        if (!it->is_number()) {
          ck.add(lp, "must be a number, got " + json_type_name(*it), errc::value);
          continue;
        }
        double v = it->get<double>();
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        out.named.emplace_back(it.key(), v);
      }
      if (out.named.size() >= 2 && !(lo < hi))
        ck.add(sp + "/levels", "level numbers must not all be equal", errc::value);
      else if (out.named.size() >= 2 && (lo != 1 || hi != L))
        ck.warn(sp + "/levels", "level numbers run from " + number_text(lo) + " to " + number_text(hi) + ", not 1.." +
                                    std::to_string(L) + ": the worst level should map to 1 and the best to " +
                                    std::to_string(L));
      // Listed by number (JSON objects do not keep the file's order).
      std::stable_sort(out.named.begin(), out.named.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
      out.named_min = lo;
      out.named_max = hi;
    }
    if (const json* miss = ck.array(sc, sp, "missing", false)) {
      for (std::size_t a = 0; a < miss->size(); ++a) {
        if (!(*miss)[a].is_string())
          ck.add(sp + "/missing/" + std::to_string(a), "must be a string");
        else
          out.missing.push_back((*miss)[a].get<std::string>());
      }
    }
  } else if (type) {
    ck.add(sp + "/type", "unknown scale type '" + *type + "' (expected numeric or levels)");
  }
  if (type && (*type == "numeric" || *type == "levels")) {
    if (sc.contains("basis")) out.basis = ck.bilingual(sc, sp, "basis");
    if (auto prov = ck.boolean(sc, sp, "provisional")) out.provisional = *prov;
  }
  return out;
}

/// The question bank of the competency at `p` (its `questions`, optional):
/// structural faults are problems; thin coverage (fewer than 3 behavioural or
/// 2 situational questions, a text or probe without zh-CN, a question without
/// probes) is a warning, which check_models.py holds shipped models to.
/// `first_at` maps question ids to the pointer of their first use (ids are
/// unique within the model).
inline std::vector<interview_question> parse_questions(model_checker& ck, const json& c, const std::string& p, int L,
                                                       std::unordered_map<std::string, std::string>& first_at) {
  std::vector<interview_question> out;
  const json* qs = ck.array(c, p, "questions", false);
  if (!qs) return out;
  const std::string qp = p + "/questions";
  auto zh_expected = [&](const label& l, const std::string& ptr) {
    if (!l.en.empty() && l.zh.empty())
      ck.warn(ptr, "no zh-CN text: every question and probe is asked in English and Chinese");
  };
  std::size_t behavioural = 0, situational = 0;
  for (std::size_t i = 0; i < qs->size(); ++i) {
    const std::string ip = qp + "/" + std::to_string(i);
    const json& qj = (*qs)[i];
    if (!qj.is_object()) {
      ck.add(ip, "must be an object, got " + json_type_name(qj));
      continue;
    }
    interview_question q;
    if (auto id = ck.id(qj, ip)) {
      q.id = *id;
      auto [it, fresh] = first_at.emplace(q.id, ip + "/id");
      if (!fresh)
        ck.add(ip + "/id", "duplicate question id '" + q.id + "' (first at " + it->second + ")", errc::duplicate);
    }
    if (auto kind = ck.string(qj, ip, "kind")) {
      if (*kind == "behavioural") {
        q.kind = question_kind::behavioural;
        ++behavioural;
      } else if (*kind == "situational") {
        q.kind = question_kind::situational;
        ++situational;
      } else {
        ck.add(ip + "/kind", "unknown question kind '" + *kind + "' (expected behavioural or situational)");
      }
    }
    q.text = ck.bilingual(qj, ip, "text");
    zh_expected(q.text, ip + "/text");
    if (const json* pr = ck.array(qj, ip, "probes", false)) {
      for (std::size_t k = 0; k < pr->size(); ++k) {
        q.probes.push_back(ck.label_of((*pr)[k], ip + "/probes/" + std::to_string(k)));
        zh_expected(q.probes.back(), ip + "/probes/" + std::to_string(k));
      }
    }
    if (q.probes.empty())
      ck.warn(ip, "no follow-up probes: give at least one probe that asks for what the candidate did, said or decided");
    if (const json* sep = ck.array(qj, ip, "separates")) {
      for (std::size_t k = 0; k < sep->size(); ++k) {
        const std::string sp = ip + "/separates/" + std::to_string(k);
        const json& v = (*sep)[k];
        if (!v.is_number() || v.get<double>() != std::floor(v.get<double>())) {
          ck.add(sp, "must be a whole anchor level, got " + (v.is_number() ? number_text(v.get<double>()) : json_type_name(v)),
                 errc::value);
          continue;
        }
        const double level = v.get<double>();
        if (level < 1 || level > L) {
          ck.add(sp, "level " + number_text(level) + " is not an anchor level of this competency (1.." +
                         std::to_string(L) + ")", errc::reference);
          continue;
        }
        if (std::find(q.separates.begin(), q.separates.end(), static_cast<int>(level)) != q.separates.end()) {
          ck.add(sp, "level " + number_text(level) + " is named twice", errc::value);
          continue;
        }
        q.separates.push_back(static_cast<int>(level));
      }
      if (sep->size() < 2)
        ck.add(ip + "/separates", "a question separates at least two anchor levels, got " + std::to_string(sep->size()),
               errc::value);
    }
    if (auto basis = ck.string(qj, ip, "basis")) {
      if (basis->empty()) ck.add(ip + "/basis", "must not be empty: name the anchor or the seed sentence the question comes from");
      q.basis = *basis;
    }
    for (auto it = qj.begin(); it != qj.end(); ++it)
      if (it.key() != "id" && it.key() != "kind" && it.key() != "text" && it.key() != "probes" &&
          it.key() != "separates" && it.key() != "basis")
        ck.add(ip + "/" + io::pointer_token(it.key()),
               "unknown key '" + it.key() + "' (a question has id, kind, text, probes, separates, basis)");
    out.push_back(std::move(q));
  }
  auto few = [](std::size_t n, const char* kind) {
    return std::to_string(n) + " " + kind + (n == 1 ? " question" : " questions");
  };
  if (behavioural < min_behavioural_questions)
    ck.warn(qp, few(behavioural, "behavioural") + ", fewer than " + std::to_string(min_behavioural_questions) +
                    ": add past-behaviour questions (\"Tell me about a time...\") so that each interviewer asks their own");
  if (situational < min_situational_questions)
    ck.warn(qp, few(situational, "situational") + ", fewer than " + std::to_string(min_situational_questions) +
                    ": add situational questions (\"What would you do if...\")");
  return out;
}

}  // namespace detail

/// Validates a model document and builds the model. Every problem found is
/// appended to `problems`; the returned model is meaningful only when no
/// problem was found.
inline competency_model build_model(const nlohmann::json& doc, std::vector<problem>& problems) {
  using nlohmann::json;
  using detail::number_text;
  detail::model_checker ck;
  competency_model m;
  if (!doc.is_object()) {
    ck.add("", "a competency model must be a JSON object, got " + detail::json_type_name(doc));
    problems = std::move(ck.problems);
    return m;
  }

  if (auto f = ck.string(doc, "", "format")) {
    if (*f != model_format_v1)
      ck.add("/format", "format must be \"" + std::string(model_format_v1) + "\", got \"" + *f + "\"");
    m.format = *f;
  }
  if (auto id = ck.id(doc, "")) m.id = *id;
  if (auto v = ck.string(doc, "", "version")) m.version = *v;
  m.name = ck.bilingual(doc, "", "name");

  // Scale.
  if (const json* scale = ck.object(doc, "", "scale")) {
    if (auto L = ck.number(*scale, "/scale", "levels")) {
      if (*L != std::floor(*L) || *L < 2 || *L > 100)
        ck.add("/scale/levels", "levels must be a whole number from 2 to 100, got " + number_text(*L), errc::value);
      else
        m.levels = static_cast<int>(*L);
    }
    if (const json* labels = ck.array(*scale, "/scale", "labels", false)) {
      if (labels->size() != static_cast<std::size_t>(m.levels))
        ck.add("/scale/labels", "expected " + std::to_string(m.levels) + " labels, got " + std::to_string(labels->size()));
      for (std::size_t i = 0; i < labels->size(); ++i)
        m.level_labels.push_back(ck.label_of((*labels)[i], "/scale/labels/" + std::to_string(i)));
    }
  }
  const double L = m.levels;

  // Ownership weights (extension): default importance per ownership level.
  std::map<std::string, double> own_w = {{"primary", 3.0}, {"supporting", 2.0}, {"participant", 1.0}};
  if (const json* ow = ck.object(doc, "", "ownership_weights", false)) {
    for (auto it = ow->begin(); it != ow->end(); ++it) {
      std::string p = "/ownership_weights/" + io::pointer_token(it.key());
      if (!own_w.count(it.key())) {
        ck.add(p, "unknown ownership level '" + it.key() + "' (expected primary, supporting or participant)");
      } else if (!it->is_number() || !(it->get<double>() >= 0)) {
        ck.add(p, "ownership weight must be a number >= 0", errc::value);
      } else {
        own_w[it.key()] = it->get<double>();
      }
    }
  }

  // Clusters.
  std::unordered_map<std::string, std::size_t> cluster_at;
  if (const json* cl = ck.array(doc, "", "clusters")) {
    for (std::size_t i = 0; i < cl->size(); ++i) {
      std::string p = "/clusters/" + std::to_string(i);
      const json& c = (*cl)[i];
      if (!c.is_object()) {
        ck.add(p, "must be an object, got " + detail::json_type_name(c));
        continue;
      }
      cluster k;
      if (auto id = ck.id(c, p)) {
        k.id = *id;
        auto [it, fresh] = cluster_at.emplace(k.id, i);
        if (!fresh)
          ck.add(p + "/id", "duplicate cluster id '" + k.id + "' (first at /clusters/" + std::to_string(it->second) + ")",
                 errc::duplicate);
        ck.no_protected(p + "/id", "cluster id", k.id);
      }
      k.name = ck.bilingual(c, p, "name");
      m.clusters.push_back(std::move(k));
    }
  }

  // Competencies.
  std::unordered_map<std::string, std::size_t> comp_at;
  std::vector<std::string> comp_ptr;
  std::unordered_map<std::string, std::string> question_at;  // question id -> pointer of its first use
  std::vector<bool> has_bank;                                 // the competency gives `questions`
  if (const json* cs = ck.array(doc, "", "competencies")) {
    if (cs->empty()) ck.add("/competencies", "a model needs at least one competency");
    for (std::size_t i = 0; i < cs->size(); ++i) {
      std::string p = "/competencies/" + std::to_string(i);
      const json& c = (*cs)[i];
      if (!c.is_object()) {
        ck.add(p, "must be an object, got " + detail::json_type_name(c));
        continue;
      }
      competency k;
      if (auto id = ck.id(c, p)) {
        k.id = *id;
        ck.no_protected(p + "/id", "competency id", k.id);
      }
      k.name = ck.bilingual(c, p, "name");
      if (!k.name.en.empty()) ck.no_protected(p + "/name/en", "competency name", k.name.en);
      k.definition = ck.bilingual(c, p, "definition");
      if (auto cl = ck.string(c, p, "cluster", false)) {
        if (!cluster_at.count(*cl)) ck.add(p + "/cluster", "unknown cluster '" + *cl + "'", errc::reference);
        k.cluster = *cl;
      }
      if (const json* o = ck.member(c, p, "ownership", false)) {
        bool ok;
        const ownership own = detail::parse_ownership(ck, *o, p + "/ownership", ok);
        if (ok) k.ownership = own;
      }
      if (const json* src = ck.object(c, p, "source")) {
        if (auto q = ck.string(*src, p + "/source", "quote")) {
          if (q->empty()) ck.add(p + "/source/quote", "must not be empty");
          k.source_quote = *q;
        }
        if (auto en = ck.string(*src, p + "/source", "en", false)) k.source_en = *en;
      }
      if (const json* lv = ck.array(c, p, "levels")) {
        if (lv->size() != static_cast<std::size_t>(m.levels))
          ck.add(p + "/levels", "expected " + std::to_string(m.levels) + " level anchors, got " +
                                    std::to_string(lv->size()));
        for (std::size_t l = 0; l < lv->size(); ++l) {
          std::string lp = p + "/levels/" + std::to_string(l);
          const json& a = (*lv)[l];
          if (!a.is_object()) {
            ck.add(lp, "must be an object, got " + detail::json_type_name(a));
            continue;
          }
          if (auto n = ck.number(a, lp, "level")) {
            if (*n != static_cast<double>(l + 1))
              ck.add(lp + "/level", "anchors must be listed for levels 1.." + std::to_string(m.levels) +
                                        " in order; expected " + std::to_string(l + 1) + ", got " + number_text(*n));
          }
          label txt;
          if (auto en = ck.string(a, lp, "en")) {
            if (en->empty()) ck.add(lp + "/en", "must not be empty");
            txt.en = *en;
          }
          if (auto zh = ck.string(a, lp, "zh-CN", false)) txt.zh = *zh;
          k.levels.push_back(std::move(txt));
        }
      }
      k.questions = detail::parse_questions(ck, c, p, m.levels, question_at);
      if (const json* al = ck.array(c, p, "ats_aliases", false)) {
        for (std::size_t a = 0; a < al->size(); ++a) {
          if (!(*al)[a].is_string())
            ck.add(p + "/ats_aliases/" + std::to_string(a), "must be a string, got " + detail::json_type_name((*al)[a]));
          else
            k.ats_aliases.push_back((*al)[a].get<std::string>());
        }
      }
      if (const json* tg = ck.array(c, p, "tags", false)) {
        for (std::size_t a = 0; a < tg->size(); ++a) {
          std::string tp = p + "/tags/" + std::to_string(a);
          if (!(*tg)[a].is_string()) {
            ck.add(tp, "must be a string, got " + detail::json_type_name((*tg)[a]));
            continue;
          }
          k.tags.push_back((*tg)[a].get<std::string>());
          ck.no_protected(tp, "tag", k.tags.back());
        }
      }
      if (!k.id.empty()) {
        auto [it, fresh] = comp_at.emplace(k.id, m.competencies.size());
        if (!fresh)
          ck.add(p + "/id", "duplicate competency id '" + k.id + "' (first at " + comp_ptr[it->second] + ")",
                 errc::duplicate);
      }
      comp_ptr.push_back(p);
      has_bank.push_back(c.contains("questions"));
      m.competencies.push_back(std::move(k));
    }
  }
  // A model with a question bank has one for every competency (merit kit
  // plans interviews from it); a model without any loads as before.
  if (!question_at.empty())
    for (std::size_t i = 0; i < m.competencies.size() && i < comp_ptr.size(); ++i)
      if (!has_bank[i])
        ck.warn(comp_ptr[i], "no interview questions, while other competencies have them: give at least " +
                                 std::to_string(min_behavioural_questions) + " behavioural and " +
                                 std::to_string(min_situational_questions) + " situational questions");
  // Map competency id -> index in m.competencies (first occurrence).
  auto comp_index = [&](const std::string& cid) -> std::optional<std::size_t> {
    auto it = comp_at.find(cid);
    if (it == comp_at.end()) return std::nullopt;
    return it->second;
  };

  // Methods.
  std::unordered_map<std::string, std::size_t> method_at;
  if (const json* ms = ck.array(doc, "", "methods")) {
    for (std::size_t i = 0; i < ms->size(); ++i) {
      std::string p = "/methods/" + std::to_string(i);
      const json& mj = (*ms)[i];
      if (!mj.is_object()) {
        ck.add(p, "must be an object, got " + detail::json_type_name(mj));
        continue;
      }
      method k;
      if (auto id = ck.id(mj, p)) {
        k.id = *id;
        ck.no_protected(p + "/id", "method id", k.id);
        auto [it, fresh] = method_at.emplace(k.id, m.methods.size());
        if (!fresh)
          ck.add(p + "/id", "duplicate method id '" + k.id + "' (first at /methods/" + std::to_string(it->second) + ")",
                 errc::duplicate);
      }
      k.name = ck.bilingual(mj, p, "name");
      if (const json* sc = ck.object(mj, p, "scale")) k.scale = detail::parse_scale(ck, *sc, p + "/scale", m.levels);
      if (const json* v = ck.object(mj, p, "validity", false)) {
        const std::string vp = p + "/validity";
        method_validity val;
        if (auto r = ck.number(*v, vp, "value")) {
          if (!(*r >= -1 && *r <= 1))
            ck.add(vp + "/value", "validity is a correlation and must lie in -1..1, got " + number_text(*r), errc::value);
          val.value = *r;
        }
        if (auto src = ck.string(*v, vp, "source")) {
          if (src->empty()) ck.add(vp + "/source", "must not be empty");
          val.source = *src;
        }
        k.validity = val;
      }
      m.methods.push_back(std::move(k));
    }
  }

  // Evidence matrix.
  m.evidence = RowMatrix::Zero(static_cast<Eigen::Index>(m.methods.size()),
                               static_cast<Eigen::Index>(m.competencies.size()));
  if (const json* em = ck.object(doc, "", "evidence_matrix")) {
    for (auto it = em->begin(); it != em->end(); ++it) {
      std::string p = "/evidence_matrix/" + io::pointer_token(it.key());
      auto mi = method_at.find(it.key());
      if (mi == method_at.end()) {
        ck.add(p, "unknown method '" + it.key() + "'", errc::reference);
        continue;
      }
      if (!it->is_object()) {
        ck.add(p, "must be an object, got " + detail::json_type_name(*it));
        continue;
      }
      for (auto ct = it->begin(); ct != it->end(); ++ct) {
        std::string cp = p + "/" + io::pointer_token(ct.key());
        auto ci = comp_index(ct.key());
        if (!ci) {
          ck.add(cp, "unknown competency '" + ct.key() + "'" + m.suggest_competency(ct.key()), errc::reference);
          continue;
        }
        if (!ct->is_number() || !(ct->get<double>() > 0) || !std::isfinite(ct->get<double>())) {
          ck.add(cp, "evidence weight must be a number > 0", errc::value);
          continue;
        }
        m.evidence(static_cast<Eigen::Index>(mi->second), static_cast<Eigen::Index>(*ci)) = ct->get<double>();
      }
    }
  }

  // Evidence sources: ATS formats and how their records map onto methods.
  auto method_named = [&](const json& j, const std::string& ptr) -> std::optional<std::size_t> {
    if (!j.is_string()) {
      ck.add(ptr, "must be a method id, got " + detail::json_type_name(j));
      return std::nullopt;
    }
    auto it = method_at.find(j.get<std::string>());
    if (it != method_at.end()) return it->second;
    std::string known;
    for (const auto& k : m.methods) known += (known.empty() ? "" : ", ") + k.id;
    ck.add(ptr, "unknown method '" + j.get<std::string>() + "' (the model has: " + known + ")", errc::reference);
    return std::nullopt;
  };
  if (const json* src = ck.object(doc, "", "sources", false)) {
    for (auto it = src->begin(); it != src->end(); ++it)
      if (it.key() != "greenhouse")
        ck.warn("/sources/" + io::pointer_token(it.key()),
                "unknown source '" + it.key() + "' is not read (merit reads sources.greenhouse)");
    if (const json* gh = ck.object(*src, "/sources", "greenhouse", false)) {
      const std::string gp = "/sources/greenhouse";
      greenhouse_source g;
      for (auto it = gh->begin(); it != gh->end(); ++it)
        if (it.key() != "scale" && it.key() != "interviews" && it.key() != "default_method" && it.key() != "rater")
          ck.add(gp + "/" + io::pointer_token(it.key()),
                 "unknown key '" + it.key() + "' (sources.greenhouse has scale, interviews, default_method, rater)");
      if (const json* sc = ck.object(*gh, gp, "scale")) g.scale = detail::parse_scale(ck, *sc, gp + "/scale", m.levels);
      if (const json* iv = ck.object(*gh, gp, "interviews", false)) {
        for (auto it = iv->begin(); it != iv->end(); ++it) {
          const std::string ip = gp + "/interviews/" + io::pointer_token(it.key());
          auto mi = method_named(*it, ip);
          if (!mi) continue;
          // Names are matched exactly, then in any case: two names that differ
          // only in case must not lead to different methods.
          for (const auto& [name, other] : g.interviews)
            if (other != *mi && detail::same_name_any_case(name, it.key()))
              ck.add(ip, "interview '" + it.key() + "' differs from '" + name +
                             "' only in case but maps to another method ('" + m.methods[*mi].id + "', not '" +
                             m.methods[other].id + "')");
          g.interviews.emplace_back(it.key(), *mi);
        }
      }
      if (const json* dm = ck.member(*gh, gp, "default_method", false))
        g.default_method = method_named(*dm, gp + "/default_method");
      const auto iv = gh->find("interviews");
      if (!gh->contains("default_method") && (iv == gh->end() || (iv->is_object() && iv->empty())))
        ck.add(gp, "sources.greenhouse needs interviews or a default_method: every scorecard's interview must lead to a "
                   "method");
      if (auto r = ck.string(*gh, gp, "rater", false)) {
        if (*r == "employee_id")
          g.rater = greenhouse_rater::employee_id;
        else if (*r == "id")
          g.rater = greenhouse_rater::id;
        else
          ck.add(gp + "/rater", "unknown rater key '" + *r + "' (expected employee_id or id)");
      }
      m.sources.greenhouse = std::move(g);
    }
  }

  // Profiles.
  std::unordered_map<std::string, std::size_t> profile_at;
  if (const json* ps = ck.array(doc, "", "profiles")) {
    if (ps->empty()) ck.add("/profiles", "a model needs at least one profile");
    for (std::size_t i = 0; i < ps->size(); ++i) {
      std::string p = "/profiles/" + std::to_string(i);
      const json& pj = (*ps)[i];
      if (!pj.is_object()) {
        ck.add(p, "must be an object, got " + detail::json_type_name(pj));
        continue;
      }
      profile k;
      if (auto id = ck.id(pj, p)) {
        k.id = *id;
        auto [it, fresh] = profile_at.emplace(k.id, i);
        if (!fresh)
          ck.add(p + "/id", "duplicate profile id '" + k.id + "' (first at /profiles/" + std::to_string(it->second) + ")",
                 errc::duplicate);
      }
      k.name = ck.bilingual(pj, p, "name");
      k.description = ck.bilingual(pj, p, "description", false);
      if (const json* al = ck.array(pj, p, "title_aliases", false)) {
        for (std::size_t a = 0; a < al->size(); ++a) {
          if (!(*al)[a].is_string())
            ck.add(p + "/title_aliases/" + std::to_string(a), "must be a string, got " + detail::json_type_name((*al)[a]));
          else
            k.title_aliases.push_back((*al)[a].get<std::string>());
        }
      }
      if (const json* na = ck.array(pj, p, "not_aliases", false)) {
        for (std::size_t a = 0; a < na->size(); ++a) {
          if (!(*na)[a].is_string())
            ck.add(p + "/not_aliases/" + std::to_string(a), "must be a string, got " + detail::json_type_name((*na)[a]));
          else
            k.not_aliases.push_back((*na)[a].get<std::string>());
        }
        k.not_aliases_note = ck.bilingual(pj, p, "not_aliases_note");
      }
      if (auto fm = ck.string(pj, p, "fit_model", false)) {
        if (*fm == "attainment") k.fit_model = fit_model::attainment;
        else if (*fm == "weighted_mean") k.fit_model = fit_model::weighted_mean;
        else if (*fm == "profile_match") k.fit_model = fit_model::profile_match;
        else
          ck.add(p + "/fit_model", "unknown fit model '" + *fm + "' (expected attainment, weighted_mean or profile_match)");
      }
      if (auto mc = ck.number(pj, p, "min_coverage", false)) {
        if (!(*mc >= 0 && *mc <= 1))
          ck.add(p + "/min_coverage", "min_coverage must lie in 0..1, got " + number_text(*mc), errc::value);
        else
          k.min_coverage = *mc;
      }
      if (const json* rel = ck.object(pj, p, "reliability", false)) {
        if (auto r = ck.number(*rel, p + "/reliability", "value")) {
          if (!(*r >= 0 && *r <= 1))
            ck.add(p + "/reliability/value", "reliability must lie in 0..1, got " + number_text(*r), errc::value);
          else
            k.reliability = *r;
        }
        if (auto s = ck.string(*rel, p + "/reliability", "source", false)) k.reliability_source = *s;
      }
      if (const json* ws = ck.object(pj, p, "weights_source", false)) {
        if (auto f = ck.string(*ws, p + "/weights_source", "judgments")) k.weights_source = *f;
        if (const json* pv = ck.member(*ws, p + "/weights_source", "provisional", false)) {
          if (!pv->is_boolean())
            ck.add(p + "/weights_source/provisional", "must be true or false, got " + detail::json_type_name(*pv));
          else
            k.provisional = pv->get<bool>();
        }
      }
      if (const json* ts = ck.object(pj, p, "targets")) {
        if (ts->empty()) ck.add(p + "/targets", "a profile needs at least one target");
        double total = 0;
        bool weights_ok = true;
        for (auto it = ts->begin(); it != ts->end(); ++it) {
          std::string tp = p + "/targets/" + io::pointer_token(it.key());
          auto ci = comp_index(it.key());
          if (!ci) {
            ck.add(tp, "unknown competency '" + it.key() + "'" + m.suggest_competency(it.key()),
                 errc::reference);
            weights_ok = false;
            continue;
          }
          if (!it->is_object()) {
            ck.add(tp, "must be an object, got " + detail::json_type_name(*it));
            weights_ok = false;
            continue;
          }
          target t{*ci, 0, 0, 0, std::nullopt, {}};
          if (auto tv = ck.number(*it, tp, "target")) {
            if (!(*tv >= 1 && *tv <= L))
              ck.add(tp + "/target", "target " + number_text(*tv) + " is outside the scale 1.." + std::to_string(m.levels),
                     errc::value);
            t.target = *tv;
          }
          if (auto mv = ck.number(*it, tp, "minimum", false)) {
            if (!(*mv >= 1 && *mv <= L))
              ck.add(tp + "/minimum", "minimum " + number_text(*mv) + " is outside the scale 1.." + std::to_string(m.levels),
                     errc::value);
            t.minimum = *mv;
          }
          if (const json* wj = ck.member(*it, tp, "weight", false)) {
            if (!wj->is_number()) {
              ck.add(tp + "/weight", "must be a number, got " + detail::json_type_name(*wj), errc::value);
              weights_ok = false;
            } else if (!(wj->get<double>() >= 0) || !std::isfinite(wj->get<double>())) {
              ck.add(tp + "/weight", "weight must be finite and >= 0, got " + number_text(wj->get<double>()), errc::value);
              weights_ok = false;
            } else {
              t.raw_weight = wj->get<double>();
            }
          } else {
            std::optional<ownership> o = m.competencies[*ci].ownership;
            if (const json* oj = ck.member(*it, tp, "ownership", false)) {
              bool ok;
              ownership o2 = detail::parse_ownership(ck, *oj, tp + "/ownership", ok);
              if (ok) o = o2;
            }
            if (o) {
              t.raw_weight = own_w[to_string(*o)];
            } else {
              ck.add(tp, "target '" + it.key() +
                             "' needs a weight: the competency has no ownership level in the job analysis, so its "
                             "importance must come from recorded judgments (merit weights ahp --write-profile)",
                     errc::value);
              weights_ok = false;
            }
          }
          if (const json* bj = ck.member(*it, tp, "basis", false)) t.basis = ck.label_of(*bj, tp + "/basis");
          for (auto kt = it->begin(); kt != it->end(); ++kt)
            if (kt.key() != "target" && kt.key() != "weight" && kt.key() != "minimum" && kt.key() != "ownership" &&
                kt.key() != "basis")
              ck.add(tp + "/" + io::pointer_token(kt.key()),
                     "unknown key '" + kt.key() + "' (a target has target, weight, minimum, ownership, basis)");
          total += t.raw_weight;
          k.targets.push_back(t);
        }
        if (weights_ok && !ts->empty() && !(total > 0))
          ck.add(p + "/targets", "weights sum to zero; at least one weight must be positive", errc::value);
        if (total > 0)
          for (auto& t : k.targets) t.weight = t.raw_weight / total;
        std::sort(k.targets.begin(), k.targets.end(),
                  [](const target& a, const target& b) { return a.competency < b.competency; });
      }
      m.profiles.push_back(std::move(k));
    }
  }

  // How the role answer decides (roles.hpp); each number with its basis.
  if (const json* ra = ck.object(doc, "", "role_answer", false)) {
    m.roles.recorded = true;
    auto setting = [&](const char* key, double lo, double hi, double& value, label* basis) {
      const std::string sp = std::string("/role_answer/") + key;
      const json* sj = ck.object(*ra, "/role_answer", key, basis != nullptr);
      if (!sj) return;
      if (auto v = ck.number(*sj, sp, "value")) {
        if (!(*v >= lo && *v <= hi))
          ck.add(sp + "/value", std::string(key) + " must lie in " + number_text(lo) + ".." + number_text(hi) +
                                    ", got " + number_text(*v), errc::value);
        else
          value = *v;
      }
      if (basis) *basis = ck.bilingual(*sj, sp, "basis");
    };
    setting("sem", 0.01, L - 1, m.roles.sem, &m.roles.sem_basis);
    setting("fit_cut", 0, 100, m.roles.fit_cut, &m.roles.fit_cut_basis);
    setting("z", 0.5, 10, m.roles.z, nullptr);
    setting("min_shape", 0, L - 1, m.roles.min_shape, nullptr);
    for (auto it = ra->begin(); it != ra->end(); ++it)
      if (it.key() != "sem" && it.key() != "fit_cut" && it.key() != "z" && it.key() != "min_shape")
        ck.add("/role_answer/" + io::pointer_token(it.key()),
               "unknown key '" + it.key() + "' (role_answer has sem, fit_cut, z, min_shape)");
  }
  // How job titles map to profiles (titles.hpp): terms and routes, each with its basis.
  if (const json* tr = ck.object(doc, "", "title_rules", false)) {
    auto kind_of = [&](const json& v, const std::string& at) -> std::optional<title_kind> {
      static const title_kind all[] = {title_kind::sales, title_kind::enablement, title_kind::operations,
                                       title_kind::senior, title_kind::other_field, title_kind::excluded};
      if (v.is_string())
        for (title_kind k : all)
          if (v.get<std::string>() == to_string(k)) return k;
      ck.add(at, "unknown title kind " + v.dump() +
                     " (expected sales, enablement, operations, senior, other_field or excluded)");
      return std::nullopt;
    };
    auto kinds_of = [&](const json& obj, const std::string& at, const char* key) {
      std::vector<title_kind> out;
      if (const json* ks = ck.array(obj, at, key)) {
        if (ks->empty()) ck.add(at + "/" + key, "needs at least one kind");
        for (std::size_t j = 0; j < ks->size(); ++j)
          if (auto k = kind_of((*ks)[j], at + "/" + key + "/" + std::to_string(j))) out.push_back(*k);
      }
      return out;
    };
    if (const json* ts = ck.array(*tr, "/title_rules", "terms")) {
      for (std::size_t i = 0; i < ts->size(); ++i) {
        const std::string tp = "/title_rules/terms/" + std::to_string(i);
        const json& tj = (*ts)[i];
        if (!tj.is_object()) {
          ck.add(tp, "must be an object, got " + detail::json_type_name(tj));
          continue;
        }
        title_terms g;
        if (const json* ws = ck.array(tj, tp, "terms")) {
          if (ws->empty()) ck.add(tp + "/terms", "needs at least one term");
          for (std::size_t j = 0; j < ws->size(); ++j) {
            if (!(*ws)[j].is_string() || (*ws)[j].get<std::string>().empty())
              ck.add(tp + "/terms/" + std::to_string(j), "must be a non-empty string, got " + (*ws)[j].dump());
            else
              g.terms.push_back((*ws)[j].get<std::string>());
          }
        }
        g.kinds = kinds_of(tj, tp, "kinds");
        g.basis = ck.bilingual(tj, tp, "basis");
        m.titles.terms.push_back(std::move(g));
      }
    }
    if (const json* rs = ck.array(*tr, "/title_rules", "routes")) {
      for (std::size_t i = 0; i < rs->size(); ++i) {
        const std::string rp = "/title_rules/routes/" + std::to_string(i);
        const json& rj = (*rs)[i];
        if (!rj.is_object()) {
          ck.add(rp, "must be an object, got " + detail::json_type_name(rj));
          continue;
        }
        title_route r;
        r.when = kinds_of(rj, rp, "when");
        if (auto pid = ck.string(rj, rp, "profile")) {
          r.profile = *pid;
          if (!profile_at.count(*pid))
            ck.add(rp + "/profile", "unknown profile '" + *pid + "'", errc::not_found);
        }
        r.basis = ck.bilingual(rj, rp, "basis");
        m.titles.routes.push_back(std::move(r));
      }
    }
  }
  if (const json* cl = ck.array(doc, "", "changelog", false)) {
    for (std::size_t i = 0; i < cl->size(); ++i) {
      const std::string p = "/changelog/" + std::to_string(i);
      const json& e = (*cl)[i];
      if (!e.is_object()) {
        ck.add(p, "must be an object, got " + detail::json_type_name(e));
        continue;
      }
      change_note n;
      if (auto v = ck.string(e, p, "version")) n.version = *v;
      if (auto d = ck.string(e, p, "date", false)) n.date = *d;
      if (const json* ch = ck.array(e, p, "changes"))
        for (std::size_t k = 0; k < ch->size(); ++k) n.changes.push_back(ck.label_of((*ch)[k], p + "/changes/" + std::to_string(k)));
      m.changelog.push_back(std::move(n));
    }
    if (!m.changelog.empty() && m.changelog.front().version != m.version)
      ck.add("/changelog/0/version", "the newest changelog entry is for version '" + m.changelog.front().version +
                                         "', but the model is version '" + m.version + "'");
  }

  // Title aliases and not_aliases must agree with the model's own title rules.
  if (ck.problems.empty())
    for (auto& pr : check_title_rules(m)) ck.problems.push_back(std::move(pr));
  m.content_hash = merit::detail::sha256::of(doc.dump());
  problems = std::move(ck.problems);
  m.warnings = std::move(ck.warnings);
  return m;
}

/// Every problem of a model document (empty when it is valid).
inline std::vector<problem> check_model(const nlohmann::json& doc) {
  std::vector<problem> out;
  build_model(doc, out);
  return out;
}

/// Builds a model from a parsed document; throws model_error for the first
/// problem, placed `source#<pointer>` (or the bare pointer without a source).
inline competency_model parse_model(const nlohmann::json& doc, const std::string& source = {}) {
  std::vector<problem> problems;
  competency_model m = build_model(doc, problems);
  if (!problems.empty()) {
    const problem& p = problems.front();
    throw model_error(p.code, source.empty() ? p.pointer : source + "#" + p.pointer, p.message);
  }
  m.source = source;
  return m;
}

/// Parses model JSON text (strictly: duplicate keys are errors).
inline competency_model parse_model_text(std::string_view text, const std::string& source = {}) {
  return parse_model(io::parse_json<model_error>(text, source), source);
}

/// Loads and validates a model file.
inline competency_model load_model(const std::string& path) {
  return parse_model_text(read_text_file<model_error>(path), path);
}

}  // namespace merit
