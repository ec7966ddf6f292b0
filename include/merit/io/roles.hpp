#pragma once
/// \file io/roles.hpp
/// The role answer as JSON, one schema for every interface (the `merit
/// roles` lines, the C ABI's result, Python, the reports and the service):
///
///     {"best_profile": "<profile id>" | null, "margin": <standard errors> | null,
///      "fits": ["<profile id>", ...],
///      "profiles": {"<id>": {"fit": .. | null, "status": "..", "coverage": .., "pattern": .. | null}},
///      "reason": ".."}

#include <merit/io/json_text.hpp>
#include <merit/roles.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace merit::io {

/// Writes the role answer's members into the object `out` is in, in schema order.
inline void put_role_answer(json_text& out, const role_rule& rule, const role_answer& a) {
  const auto& plans = rule.plans();
  out.key("best_profile");
  if (a.best) out.string(plans[*a.best].profile_id());
  else out.null();
  out.key("margin").number(a.margin);
  out.key("fits").begin_array();
  for (std::size_t p : a.fitting) out.string(plans[p].profile_id());
  out.end_array();
  out.key("profiles").begin_object();
  for (std::size_t p = 0; p < plans.size(); ++p)
    out.key(plans[p].profile_id())
        .begin_object()
        .key("fit").number(a.fits[p].fit)
        .key("status").string(to_string(a.fits[p].status))
        .key("coverage").number(a.fits[p].coverage)
        .key("pattern").number(a.pattern[p])
        .end_object();
  out.end_object();
  out.key("reason").string(a.reason);
}

/// The same members written into `out` (an object), in schema order.
inline void put_role_answer(nlohmann::ordered_json& out, const role_rule& rule, const role_answer& a) {
  std::string text;
  json_text w(text);
  w.begin_object();
  put_role_answer(w, rule, a);
  w.end_object();
  // One writer for the schema; numbers read back to the same doubles (shortest round trip).
  nlohmann::ordered_json members = nlohmann::ordered_json::parse(w.view());
  for (auto it = members.begin(); it != members.end(); ++it) out[it.key()] = std::move(*it);
}

}  // namespace merit::io
