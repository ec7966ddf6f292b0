#pragma once
// The model files shipped in competency_models/ (the schema excepted), for
// tests that must hold for every one of them.
#include <dirent.h>

#include <string>
#include <vector>

namespace merit::test {

/// File names (not paths) of competency_models/*.json, the schema excepted.
inline std::vector<std::string> shipped_model_files() {
  std::vector<std::string> files;
  if (DIR* d = opendir(MERIT_SOURCE_DIR "/competency_models/")) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() > 5 && name.substr(name.size() - 5) == ".json" && name.find(".schema.") == std::string::npos)
        files.push_back(name);
    }
    closedir(d);
  }
  return files;
}

}  // namespace merit::test
