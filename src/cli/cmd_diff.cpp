// merit diff: what changed between two versions of a competency model. The
// comparison is the library's (diff_models); this file only prints it.
#include "cli.hpp"

#include <merit/io/model.hpp>
#include <merit/model.hpp>
#include <merit/model_diff.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

const char* const diff_help =
    "usage: merit diff OLD NEW [--json] [--lang en|zh-CN]\n"
    "\n"
    "Lists what changed from competency model file OLD to NEW: the model's id,\n"
    "version and content hash; its scale; clusters; competencies (names,\n"
    "definition, cluster, ownership, source quote, level anchors, ATS aliases,\n"
    "tags); methods and their rating scales; evidence-matrix weights; and per\n"
    "profile its own fields (name, fit model, min coverage, reliability, title\n"
    "aliases) and its targets (target level, weight, minimum).\n"
    "\n"
    "+ added, - removed, ~ changed. Fields are named as in the model file\n"
    "(name.zh-CN, levels.3.en, scale.max). Items follow NEW's order; removed\n"
    "ones come after them, in OLD's order. Target weights are compared as\n"
    "scoring uses them, normalised to sum 1 (so rescaling a profile's raw\n"
    "weights changes nothing), and printed to six significant digits with the\n"
    "raw weights beside them.\n"
    "\n"
    "options:\n"
    "  --json      JSON instead of the listing:\n"
    "              {\"old\": {\"id\", \"version\", \"hash\"}, \"new\": {...},\n"
    "               \"changes\": [{\"kind\", \"what\", \"profile\", \"competency\", \"method\",\n"
    "                            \"cluster\", \"field\", \"before\", \"after\", \"note\"}]}\n"
    "              every key always there, null where it does not apply; kind:\n"
    "              added, removed, changed; what: model, scale, cluster, competency,\n"
    "              method, evidence, profile, target\n"
    "  --lang L    en (default) or zh-CN: the language of the names shown for\n"
    "              items added or removed (the JSON does not depend on it)\n"
    "\n"
    "exit status: 0 no differences, 1 the models differ, 2 bad command line,\n"
    "             3 a model is not valid, 4 a file cannot be read\n"
    "\n"
    "examples:\n"
    "  merit diff tests/data/models/sales_enablement-1.0.0.json \\\n"
    "      competency_models/sales_enablement.json\n"
    "  merit diff old.json new.json --json > changes.json\n";

/// The listing's section of a change.
std::string section_of(const model_change& c) {
  switch (c.what) {
    case change_subject::model: return "model";
    case change_subject::scale: return "scale";
    case change_subject::cluster: return "clusters";
    case change_subject::competency: return "competencies";
    case change_subject::method: return "methods";
    case change_subject::evidence: return "evidence matrix";
    case change_subject::profile:
    case change_subject::target: return "profiles / " + c.profile;
  }
  return "?";
}

/// What the change is about within its section.
std::string item_of(const model_change& c) {
  switch (c.what) {
    case change_subject::model:
    case change_subject::scale: return {};
    case change_subject::cluster: return c.cluster;
    case change_subject::competency: return c.competency;
    case change_subject::method: return c.method;
    case change_subject::evidence: return c.method + "/" + c.competency;
    case change_subject::profile: return c.field.empty() ? "profile" : "";
    case change_subject::target: return "target " + c.competency;
  }
  return {};
}

/// A field's value as typed when it is a plain token, quoted (JSON-style) when
/// it holds spaces, punctuation or other scripts, so that " -> " is never ambiguous.
std::string shown(const std::string& v) {
  bool plain = !v.empty();
  for (unsigned char ch : v)
    plain = plain && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                      ch == '_' || ch == '.' || ch == '-' || ch == '+');
  return plain ? v : nlohmann::json(v).dump();
}

/// The name, in the chosen language, of a whole item added or removed (from
/// the model that has it); empty for items without a name.
std::string name_of(const model_change& c, const competency_model& m, bool zh) {
  auto pick = [zh](const label& l) { return zh && !l.zh.empty() ? l.zh : l.en; };
  switch (c.what) {
    case change_subject::cluster:
      for (const auto& k : m.clusters)
        if (k.id == c.cluster) return pick(k.name);
      break;
    case change_subject::competency:
      if (auto i = m.find_competency(c.competency)) return pick(m.competencies[*i].name);
      break;
    case change_subject::method:
      if (auto i = m.find_method(c.method)) return pick(m.methods[*i].name);
      break;
    case change_subject::profile: return pick(m.get_profile(c.profile).name);
    default: break;
  }
  return {};
}

void print_listing(const std::vector<model_change>& changes, const competency_model& before,
                   const competency_model& after, bool zh) {
  std::printf("%s %s -> %s %s: %zu change%s\n", before.id.c_str(), before.version.c_str(), after.id.c_str(),
              after.version.c_str(), changes.size(), changes.size() == 1 ? "" : "s");
  std::string section;
  for (const auto& c : changes) {
    if (section_of(c) != section) {
      section = section_of(c);
      std::printf("\n%s\n", section.c_str());
    }
    const char mark = c.kind == change_kind::added ? '+' : c.kind == change_kind::removed ? '-' : '~';
    std::string what = item_of(c);
    if (!c.field.empty()) what += (what.empty() ? "" : " ") + c.field;
    std::string value;
    if (c.field.empty()) {
      // A whole item: its name, or its summary (a target).
      std::string name = name_of(c, c.kind == change_kind::added ? after : before, zh);
      value = !name.empty() ? name : c.after ? *c.after : c.before.value_or("");
    } else {
      auto show = [&](const std::optional<std::string>& v) {
        return c.field == "hash" ? v->substr(0, 12) : shown(*v);
      };
      value = c.kind == change_kind::changed ? show(c.before) + " -> " + show(c.after)
                                             : show(c.after ? c.after : c.before);
    }
    if (!c.note.empty()) value += " (" + c.note + ")";
    std::printf("  %c %s: %s\n", mark, what.c_str(), value.c_str());
  }
}

nlohmann::ordered_json to_json(const std::vector<model_change>& changes, const competency_model& before,
                               const competency_model& after) {
  using ojson = nlohmann::ordered_json;
  auto model = [](const competency_model& m) {
    return ojson{{"id", m.id}, {"version", m.version}, {"hash", m.content_hash}};
  };
  auto text = [](const std::string& s) { return s.empty() ? ojson(nullptr) : ojson(s); };
  auto value = [](const std::optional<std::string>& v) { return v ? ojson(*v) : ojson(nullptr); };
  ojson j;
  j["old"] = model(before);
  j["new"] = model(after);
  auto& list = j["changes"] = ojson::array();
  for (const auto& c : changes) {
    list.push_back(ojson{{"kind", to_string(c.kind)},
                         {"what", to_string(c.what)},
                         {"profile", text(c.profile)},
                         {"competency", text(c.competency)},
                         {"method", text(c.method)},
                         {"cluster", text(c.cluster)},
                         {"field", text(c.field)},
                         {"before", value(c.before)},
                         {"after", value(c.after)},
                         {"note", text(c.note)}});
  }
  return j;
}

int run_diff(args& a) {
  const bool json = a.flag("--json");
  const std::string lang = a.choice("--lang", {"en", "zh-CN"}, "en");
  auto old_path = a.positional();
  auto new_path = a.positional();
  a.finish();
  if (!old_path || !new_path) throw usage_error{"name two model files, OLD and NEW"};
  const competency_model before = load_model(*old_path);
  const competency_model after = load_model(*new_path);
  const std::vector<model_change> changes = diff_models(before, after);
  if (json) {
    std::printf("%s\n", to_json(changes, before, after).dump(2).c_str());
  } else if (changes.empty()) {
    std::printf("no differences between %s %s and %s %s\n", before.id.c_str(), before.version.c_str(),
                after.id.c_str(), after.version.c_str());
  } else {
    print_listing(changes, before, after, lang == "zh-CN");
  }
  return changes.empty() ? exit_ok : exit_different;
}

registrar reg_diff{{"diff", "list what changed between two versions of a competency model", diff_help, &run_diff}};

}  // namespace
}  // namespace merit::cli
