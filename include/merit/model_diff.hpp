#pragma once
/// \file model_diff.hpp
/// What changed between two versions of a competency model: competencies,
/// methods and their scales, evidence weights, profiles with their targets,
/// weights and hurdles. Works on loaded models (the core reads no file), so an
/// ATS can show what changed between two decisions made with two versions.
///
/// Every change names its subject (`what`) and the item by id, and the field
/// by its name in the file ("name.zh-CN", "levels.3.en", "scale.min",
/// "weight"). Values are printed: comparing printed forms makes every field
/// comparable the same way, and a value that is absent (an optional field not
/// given, an empty text) is a field added or removed rather than a change.

#include <merit/detail/format.hpp>
#include <merit/model.hpp>

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace merit {

enum class change_kind { added, removed, changed };

/// The part of the model a change belongs to.
enum class change_subject {
  model,       ///< id, version, format, name, content hash
  scale,       ///< the proficiency scale: levels and their labels
  cluster,
  competency,
  method,      ///< a method, its name and its rating scale
  evidence,    ///< one (method, competency) weight of the evidence matrix
  profile,     ///< a profile and its own fields (fit model, coverage, reliability...)
  target,      ///< one competency of a profile: target level, weight, minimum (hurdle)
};

inline const char* to_string(change_kind k) {
  switch (k) {
    case change_kind::added: return "added";
    case change_kind::removed: return "removed";
    case change_kind::changed: return "changed";
  }
  return "?";
}
inline const char* to_string(change_subject s) {
  switch (s) {
    case change_subject::model: return "model";
    case change_subject::scale: return "scale";
    case change_subject::cluster: return "cluster";
    case change_subject::competency: return "competency";
    case change_subject::method: return "method";
    case change_subject::evidence: return "evidence";
    case change_subject::profile: return "profile";
    case change_subject::target: return "target";
  }
  return "?";
}

/// One difference between two models.
struct model_change {
  change_kind kind = change_kind::changed;
  change_subject what = change_subject::model;
  /// The item, by id; empty where it does not apply (a target has a profile
  /// and a competency, an evidence weight a method and a competency).
  std::string profile, competency, method, cluster;
  /// The field, named as in the file; empty when a whole item was added or removed.
  std::string field;
  /// Printed values, absent on the side where the item or field does not
  /// exist. A whole item added or removed carries its English name (cluster,
  /// competency, method, profile) or a summary (a target: "target 4, weight
  /// 0.25, minimum 3").
  std::optional<std::string> before, after;
  /// Context, such as the raw weights beside a normalised weight.
  std::string note;
};

/// Normalised target weights closer than this are equal.
inline constexpr double weight_tolerance = 1e-12;

namespace detail::diff {

using printed = std::optional<std::string>;

/// Printed forms of field values; an empty text is an absent value.
inline printed print(const std::string& s) { return s.empty() ? printed{} : printed{s}; }
inline printed print(double v) { return format_number(v); }
inline printed print(ownership o) { return std::string(to_string(o)); }
inline printed print(fit_model m) { return std::string(to_string(m)); }
inline printed print(method_scale::kind_t k) {
  return std::string(k == method_scale::numeric ? "numeric" : "levels");
}
template <class T>
printed print(const std::optional<T>& v) {
  return v ? print(*v) : printed{};
}

/// Normalised weights: six significant digits, as the listing shows them.
inline std::string print_weight(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", w);
  return buf;
}

/// One comparable field: its name, the key that identifies it among its
/// item's fields (the name; name and element for a set such as ats_aliases,
/// so elements are added and removed one by one, whatever their order), its value.
struct field {
  std::string name;
  std::string key;
  printed value;
};

/// An item's fields, in display order.
struct fields {
  std::vector<field> list;

  template <class T>
  fields& add(const std::string& name, const T& value) {
    list.push_back({name, name, print(value)});
    return *this;
  }
  fields& add(const std::string& name, const merit::label& l) {
    add(name + ".en", l.en);
    return add(name + ".zh-CN", l.zh);
  }
  fields& set(const std::string& name, const std::vector<std::string>& elements) {
    for (const auto& e : elements) list.push_back({name, name + '\n' + e, e});
    return *this;
  }
};

inline fields model_fields(const competency_model& m) {
  fields f;
  f.add("id", m.id).add("version", m.version).add("format", m.format).add("name", m.name);
  return f.add("hash", m.content_hash);
}

inline fields scale_fields(const competency_model& m) {
  fields f;
  f.add("levels", static_cast<double>(m.levels));
  for (std::size_t l = 0; l < m.level_labels.size(); ++l) f.add("labels." + std::to_string(l + 1), m.level_labels[l]);
  return f;
}

inline fields cluster_fields(const cluster& c) { return fields{}.add("name", c.name); }

inline fields competency_fields(const competency& c) {
  fields f;
  f.add("name", c.name).add("definition", c.definition).add("cluster", c.cluster).add("ownership", c.ownership);
  f.add("source.quote", c.source_quote).add("source.en", c.source_en);
  for (std::size_t l = 0; l < c.levels.size(); ++l) f.add("levels." + std::to_string(l + 1), c.levels[l]);
  return f.set("ats_aliases", c.ats_aliases).set("tags", c.tags);
}

/// A method's fields, its rating scale included: a new field of method_scale
/// is one line here.
inline fields method_fields(const method& m) {
  const method_scale& s = m.scale;
  fields f;
  f.add("name", m.name).add("scale.type", s.kind);
  if (s.kind == method_scale::numeric) f.add("scale.min", s.min).add("scale.max", s.max);
  for (const auto& [name, number] : s.named) f.add("scale.levels." + name, number);
  return f.set("scale.missing", s.missing);
}

inline fields profile_fields(const profile& p) {
  fields f;
  f.add("name", p.name).add("description", p.description).add("fit_model", p.fit_model);
  f.add("min_coverage", p.min_coverage).add("reliability.value", p.reliability);
  return f.add("reliability.source", p.reliability_source).set("title_aliases", p.title_aliases);
}

inline change_kind kind_of(const printed& before, const printed& after) {
  return !before ? change_kind::added : !after ? change_kind::removed : change_kind::changed;
}

/// Pairs items by id: the new model's items in its order (with their old
/// version, if any), then the removed ones in the old model's order.
template <class Item, class Id>
std::vector<std::pair<const Item*, const Item*>> pair_by_id(const std::vector<Item>& before,
                                                            const std::vector<Item>& after, Id id) {
  std::unordered_map<std::string, const Item*> old_at, new_at;
  for (const auto& x : before) old_at.emplace(id(x), &x);
  for (const auto& x : after) new_at.emplace(id(x), &x);
  std::vector<std::pair<const Item*, const Item*>> out;
  for (const auto& x : after) {
    auto it = old_at.find(id(x));
    out.emplace_back(it == old_at.end() ? nullptr : it->second, &x);
  }
  for (const auto& x : before)
    if (!new_at.count(id(x))) out.emplace_back(&x, nullptr);
  return out;
}

/// Builds the list of changes; `item` is the change every entry starts from
/// (its subject and ids).
class differ {
 public:
  std::vector<model_change> changes;

  void whole(model_change item, printed before, printed after, std::string note = {}) {
    item.kind = kind_of(before, after);
    item.before = std::move(before);
    item.after = std::move(after);
    item.note = std::move(note);
    changes.push_back(std::move(item));
  }

  /// Field by field: the new fields in order, then the removed ones.
  void compare(const model_change& item, const fields& before, const fields& after) {
    std::unordered_map<std::string, const field*> old_at, new_at;
    for (const auto& f : before.list) old_at.emplace(f.key, &f);
    for (const auto& f : after.list) new_at.emplace(f.key, &f);
    for (const auto& f : after.list) {
      auto it = old_at.find(f.key);
      emit(item, f.name, it == old_at.end() ? printed{} : it->second->value, f.value);
    }
    for (const auto& f : before.list)
      if (!new_at.count(f.key)) emit(item, f.name, f.value, printed{});
  }

 private:
  void emit(model_change item, const std::string& name, const printed& before, const printed& after) {
    if (before == after) return;
    item.field = name;
    whole(std::move(item), before, after);
  }
};

inline std::string target_summary(const target& t) {
  std::string s = "target " + format_number(t.target) + ", weight " + print_weight(t.weight);
  if (t.minimum) s += ", minimum " + format_number(*t.minimum);
  return s;
}

}  // namespace detail::diff

/// Every difference from `before` to `after`, in a fixed order: the model
/// (id, version, format, name, hash), its scale, clusters, competencies,
/// methods, the evidence matrix, profiles. Items are listed in `after`'s
/// order, removed ones after them in `before`'s order; a profile's targets in
/// that competency order. A whole item added or removed is one change (its
/// fields are not listed); evidence weights and targets of an added or removed
/// competency are, because they belong to methods and profiles.
///
/// Target weights are compared normalised (what scoring uses), within
/// `weight_tolerance`, so rescaling every raw weight of a profile changes
/// nothing; a change prints both to six significant digits with the raw
/// weights in `note`. Everything else is compared in its printed form
/// (numbers as their shortest exact spelling).
inline std::vector<model_change> diff_models(const competency_model& before, const competency_model& after) {
  using namespace detail::diff;
  differ d;
  auto item = [](change_subject what) {
    model_change c;
    c.what = what;
    return c;
  };

  d.compare(item(change_subject::model), model_fields(before), model_fields(after));
  d.compare(item(change_subject::scale), scale_fields(before), scale_fields(after));

  for (auto [a, b] : pair_by_id(before.clusters, after.clusters, [](const cluster& c) { return c.id; })) {
    model_change c = item(change_subject::cluster);
    c.cluster = (b ? b : a)->id;
    if (a && b) d.compare(c, cluster_fields(*a), cluster_fields(*b));
    else d.whole(c, a ? print(a->name.en) : printed{}, b ? print(b->name.en) : printed{});
  }

  const auto competencies =
      pair_by_id(before.competencies, after.competencies, [](const competency& c) { return c.id; });
  for (auto [a, b] : competencies) {
    model_change c = item(change_subject::competency);
    c.competency = (b ? b : a)->id;
    if (a && b) d.compare(c, competency_fields(*a), competency_fields(*b));
    else d.whole(c, a ? print(a->name.en) : printed{}, b ? print(b->name.en) : printed{});
  }

  const auto methods = pair_by_id(before.methods, after.methods, [](const method& m) { return m.id; });
  for (auto [a, b] : methods) {
    model_change c = item(change_subject::method);
    c.method = (b ? b : a)->id;
    if (a && b) d.compare(c, method_fields(*a), method_fields(*b));
    else d.whole(c, a ? print(a->name.en) : printed{}, b ? print(b->name.en) : printed{});
  }

  // The evidence weight of a (method, competency) pair in one model; absent when
  // either is not in that model or the method does not measure the competency.
  auto evidence = [](const competency_model& m, const method* mt, const competency* ct) -> printed {
    if (!mt || !ct) return {};
    double w = m.evidence(static_cast<Eigen::Index>(mt - m.methods.data()),
                          static_cast<Eigen::Index>(ct - m.competencies.data()));
    return w > 0 ? print(w) : printed{};
  };
  for (auto [ma, mb] : methods) {
    for (auto [ca, cb] : competencies) {
      printed wa = evidence(before, ma, ca), wb = evidence(after, mb, cb);
      if (wa == wb) continue;
      model_change c = item(change_subject::evidence);
      c.method = (mb ? mb : ma)->id;
      c.competency = (cb ? cb : ca)->id;
      c.field = "weight";
      d.whole(c, wa, wb);
    }
  }

  for (auto [a, b] : pair_by_id(before.profiles, after.profiles, [](const profile& p) { return p.id; })) {
    model_change c = item(change_subject::profile);
    c.profile = (b ? b : a)->id;
    if (!(a && b)) {
      d.whole(c, a ? print(a->name.en) : printed{}, b ? print(b->name.en) : printed{});
      continue;
    }
    d.compare(c, profile_fields(*a), profile_fields(*b));

    // Targets, keyed by competency id, in the competency order above.
    auto target_of = [](const competency_model& m, const profile& p, const competency* ct) -> const target* {
      if (!ct) return nullptr;
      const std::size_t index = static_cast<std::size_t>(ct - m.competencies.data());
      for (const auto& t : p.targets)
        if (t.competency == index) return &t;
      return nullptr;
    };
    for (auto [ca, cb] : competencies) {
      const target* ta = target_of(before, *a, ca);
      const target* tb = target_of(after, *b, cb);
      if (!ta && !tb) continue;
      model_change t = item(change_subject::target);
      t.profile = c.profile;
      t.competency = (cb ? cb : ca)->id;
      if (!(ta && tb)) {
        const target& x = ta ? *ta : *tb;
        printed summary = target_summary(x);
        d.whole(t, ta ? summary : printed{}, tb ? summary : printed{},
                "raw weight " + detail::format_number(x.raw_weight));
        continue;
      }
      d.compare(t, fields{}.add("target", ta->target), fields{}.add("target", tb->target));
      if (std::abs(ta->weight - tb->weight) > weight_tolerance) {
        t.field = "weight";
        d.whole(t, print_weight(ta->weight), print_weight(tb->weight),
                "raw weight " + detail::format_number(ta->raw_weight) +
                    (ta->raw_weight == tb->raw_weight ? " in both" : " -> " + detail::format_number(tb->raw_weight)));
        t.field.clear();
      }
      d.compare(t, fields{}.add("minimum", ta->minimum), fields{}.add("minimum", tb->minimum));
    }
  }
  return std::move(d.changes);
}

}  // namespace merit
