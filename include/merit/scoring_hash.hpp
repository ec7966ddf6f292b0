#pragma once
/// \file scoring_hash.hpp
/// The scoring hash of a profile: SHA-256 of a canonical text of exactly
/// what turns evidence into that profile's fits and statuses, and nothing
/// else. Two models whose profiles have the same scoring hash score every
/// input the same, so results made with one (norms, above all) stay valid
/// with the other: rewording a question, a definition, a label or a basis
/// keeps the hash; a target, weight, hurdle, coverage rule, fit model, scale
/// mapping or evidence weight changes it. The model's content_hash, by
/// contrast, changes with every byte of meaning in the file.
///
/// What is hashed (docs/model-format.md, "Scoring hash"), in this order:
/// - the scale's number of levels L;
/// - the profile's fit model and min_coverage;
/// - each target in the model's competency order (the order the fit's sums
///   run in): competency id, target, normalised weight, minimum or none;
/// - each method that measures one of the profile's competencies (a non-zero
///   evidence weight), in model order: id, scale kind, min and max, cut
///   points, named levels (by name) and missing names (sorted), and its
///   evidence weights on the profile's competencies;
/// - the Greenhouse source, when the model has one: its scale, its
///   interview-to-method map (sorted), default method and rater identifier.
/// Numbers are written in their shortest round-trip spelling (format_number),
/// strings as `<byte length>:<bytes>`, so the text is unambiguous.

#include <merit/detail/sha256.hpp>
#include <merit/model.hpp>
#include <merit/number.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace merit {

namespace detail {
inline void scoring_text_string(std::string& out, const std::string& s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

inline void scoring_text_scale(std::string& out, const method_scale& s) {
  out += s.kind == method_scale::numeric ? " numeric " : " levels ";
  out += format_number(s.min) + " " + format_number(s.max) + " cut";
  for (double c : s.cut_points) out += " " + format_number(c);
  auto named = s.named;
  std::sort(named.begin(), named.end());
  out += " named";
  for (const auto& [name, number] : named) {
    out += ' ';
    scoring_text_string(out, name);
    out += "=" + format_number(number);
  }
  auto missing = s.missing;
  std::sort(missing.begin(), missing.end());
  out += " missing";
  for (const auto& name : missing) {
    out += ' ';
    scoring_text_string(out, name);
  }
}
}  // namespace detail

/// The canonical text the scoring hash is taken of (see the file comment).
/// `p` must be a profile of `m`.
inline std::string scoring_text(const competency_model& m, const profile& p) {
  std::string out = "merit.scoring/1\nlevels " + std::to_string(m.levels) + "\n";
  out += std::string("fit_model ") + to_string(p.fit_model) + "\nmin_coverage " + format_number(p.min_coverage) + "\n";
  std::vector<bool> in_profile(m.competencies.size(), false);
  for (const target& t : p.targets) {
    in_profile[t.competency] = true;
    out += "target ";
    detail::scoring_text_string(out, m.competencies[t.competency].id);
    out += " " + format_number(t.target) + " " + format_number(t.weight) + " " +
           (t.minimum ? format_number(*t.minimum) : std::string("none")) + "\n";
  }
  for (std::size_t k = 0; k < m.methods.size(); ++k) {
    std::string weights;
    for (std::size_t c = 0; c < m.competencies.size(); ++c) {
      const double w = m.evidence(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(c));
      if (!in_profile[c] || w == 0) continue;
      weights += " ";
      detail::scoring_text_string(weights, m.competencies[c].id);
      weights += "=" + format_number(w);
    }
    if (weights.empty()) continue;
    out += "method ";
    detail::scoring_text_string(out, m.methods[k].id);
    detail::scoring_text_scale(out, m.methods[k].scale);
    out += " evidence" + weights + "\n";
  }
  if (const auto& gh = m.sources.greenhouse) {
    out += "greenhouse";
    detail::scoring_text_scale(out, gh->scale);
    std::vector<std::pair<std::string, std::string>> interviews;
    for (const auto& [name, method] : gh->interviews) interviews.emplace_back(name, m.methods[method].id);
    std::sort(interviews.begin(), interviews.end());
    out += " interviews";
    for (const auto& [name, method] : interviews) {
      out += ' ';
      detail::scoring_text_string(out, name);
      out += '=';
      detail::scoring_text_string(out, method);
    }
    out += " default ";
    if (gh->default_method) detail::scoring_text_string(out, m.methods[*gh->default_method].id);
    else out += "none";
    out += gh->rater == greenhouse_rater::id ? " rater id\n" : " rater employee_id\n";
  }
  return out;
}

/// SHA-256 (hex) of scoring_text(m, p): what norms and other results that
/// depend only on how fits are computed record, and check, instead of the
/// model's content_hash.
inline std::string scoring_hash(const competency_model& m, const profile& p) {
  return detail::sha256::of(scoring_text(m, p));
}

/// The scoring hash of profile `profile_id` (throws merit::error not_found).
inline std::string scoring_hash(const competency_model& m, std::string_view profile_id) {
  return scoring_hash(m, m.get_profile(profile_id));
}

}  // namespace merit
