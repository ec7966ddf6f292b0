#pragma once
/// \file io/roles.hpp
/// The role answer as JSON, one schema for every interface (the `merit
/// roles` lines, the C ABI's result, Python, the reports and the service):
///
///     {"best_profile": "<profile id>" | null, "margin": <standard errors> | null,
///      "fits": ["<profile id>", ...],
///      "profiles": {"<id>": {"fit": .. | null, "status": "..", "coverage": .., "pattern": .. | null}},
///      "reason": ".."}

#include <merit/roles.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace merit::io {

/// A finite number, or null.
inline nlohmann::ordered_json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

/// Writes the role answer's members into `out` (an object), in schema order.
inline void put_role_answer(nlohmann::ordered_json& out, const role_rule& rule, const role_answer& a) {
  using oj = nlohmann::ordered_json;
  const auto& plans = rule.plans();
  out["best_profile"] = a.best ? oj(plans[*a.best].profile_id()) : oj(nullptr);
  out["margin"] = number_or_null(a.margin);
  oj& fits = out["fits"] = oj::array();
  for (std::size_t p : a.fitting) fits.push_back(plans[p].profile_id());
  oj& ps = out["profiles"] = oj::object();
  for (std::size_t p = 0; p < plans.size(); ++p)
    ps[plans[p].profile_id()] = {{"fit", number_or_null(a.fits[p].fit)},
                                 {"status", to_string(a.fits[p].status)},
                                 {"coverage", a.fits[p].coverage},
                                 {"pattern", number_or_null(a.pattern[p])}};
  out["reason"] = a.reason;
}

}  // namespace merit::io
