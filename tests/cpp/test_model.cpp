#include <merit/model.hpp>

#include <catch2/catch.hpp>

#include <dirent.h>

#include <string>
#include <vector>

using namespace merit;

TEST_CASE("model: every file in competency_models/ loads and validates", "[model]") {
  const std::string dir = MERIT_SOURCE_DIR "/competency_models/";
  DIR* d = opendir(dir.c_str());
  REQUIRE(d);
  std::vector<std::string> files;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > 5 && name.substr(name.size() - 5) == ".json" && name.find(".schema.") == std::string::npos)
      files.push_back(name);
  }
  closedir(d);
  REQUIRE(!files.empty());
  for (const auto& f : files) {
    INFO(f);
    auto doc = nlohmann::json::parse(read_text_file(dir + f));
    CHECK(check_model(doc).empty());
    auto m = load_model(dir + f);
    for (const auto& c : m.competencies) {
      INFO(c.id);
      CHECK(!c.name.zh.empty());
      CHECK(!c.definition.en.empty());
      CHECK(!c.definition.zh.empty());
      CHECK(!c.source_quote.empty());
      CHECK(c.levels.size() == static_cast<std::size_t>(m.levels));
      for (const auto& l : c.levels) CHECK((!l.en.empty() && !l.zh.empty()));
    }
    for (const auto& p : m.profiles) {
      double sum = 0;
      for (const auto& t : p.targets) sum += t.weight;
      CHECK(sum == Approx(1.0).epsilon(1e-12));
    }
  }
}

TEST_CASE("model: weights default from ownership and normalise to 1", "[model]") {
  auto m = load_model(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  const auto& q = m.get_profile("q");  // no weights given: primary 3, supporting 2, participant 1
  REQUIRE(q.targets.size() == 3);
  CHECK(q.targets[0].weight == Approx(0.5));
  CHECK(q.targets[1].weight == Approx(1.0 / 3));
  CHECK(q.targets[2].weight == Approx(1.0 / 6));
  CHECK(m.evidence(1, 0) == 2.0);  // work_sample -> alpha
  CHECK(m.methods[2].scale.kind == method_scale::levels);
  CHECK(m.content_hash.size() == 64);
  CHECK_THROWS_WITH(m.get_profile("zzz"), "unknown profile 'zzz' (the model has: p, q, r)");
}

TEST_CASE("model: the content hash ignores formatting but not content", "[model]") {
  auto text = read_text_file(MERIT_SOURCE_DIR "/tests/data/models/mini.json");
  auto doc = nlohmann::json::parse(text);
  auto a = parse_model_text(text), b = parse_model_text(doc.dump());
  CHECK(a.content_hash == b.content_hash);
  doc["version"] = "0.1.1";
  CHECK(parse_model(doc).content_hash != a.content_hash);
  CHECK(detail::sha256::of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

