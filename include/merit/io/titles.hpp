#pragma once
// JSON form of a title match (titles.hpp), one object per title as
// `merit match-title` writes it, the C ABI returns it and Python reads it:
// {"title", "profile": id | null, "score", "alternatives": [{"profile", "score"}], "reason"}.

#include <merit/titles.hpp>

#include <nlohmann/json.hpp>

namespace merit::io {

inline nlohmann::ordered_json title_match_json(const title_match& t) {
  nlohmann::ordered_json j;
  j["title"] = t.title;
  j["profile"] = t.profile ? nlohmann::ordered_json(*t.profile) : nlohmann::ordered_json(nullptr);
  j["score"] = t.score;
  j["alternatives"] = nlohmann::ordered_json::array();
  for (const auto& a : t.alternatives) j["alternatives"].push_back({{"profile", a.profile}, {"score", a.score}});
  j["reason"] = t.reason;
  return j;
}

}  // namespace merit::io
