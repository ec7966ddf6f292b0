#pragma once
// What the fuzz targets share: the model they read against, the input as a
// file (the streaming engine reads files), and the one rule of every target:
// bad input may throw merit::error (typed, placed), nothing else may escape.
// Anything else - another exception, a crash, a sanitizer report - is a
// finding (tests/fuzz/README.md).

#include <merit/errors.hpp>
#include <merit/fit.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace merit_fuzz {

/// The shipped model (it has every method kind and sources.greenhouse),
/// loaded once per process.
inline const merit::competency_model& model() {
  static const merit::competency_model m =
      merit::load_model(MERIT_SOURCE_DIR "/competency_models/sales_enablement.json");
  return m;
}

/// The model's first profile, compiled once.
inline const merit::scoring_plan& plan() {
  static const merit::scoring_plan p = merit::compile(model(), model().profiles.front().id);
  return p;
}

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// `data` written to this process's scratch file (under TMPDIR, else /tmp),
/// named with `extension`; returns its path.
inline std::string as_file(std::string_view data, const char* extension) {
  const char* dir = std::getenv("TMPDIR");
  const std::string path = std::string(dir && *dir ? dir : "/tmp") + "/merit-fuzz-" + std::to_string(::getpid()) + extension;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(data.data(), 1, data.size(), f) != data.size() || std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();  // the harness's own failure, not a finding in merit
  }
  return path;
}

/// Runs `f`; a merit::error is the expected answer to bad input and is
/// swallowed (returns false), any other exception escapes and aborts the run.
template <class F>
bool accepts(const F& f) {
  try {
    f();
    return true;
  } catch (const merit::error&) {
    return false;
  }
}

/// Fails the run with `what` when `ok` is false (the differential targets'
/// check: a disagreement is a finding like a crash).
inline void require(bool ok, const char* what, const std::string& detail = {}) {
  if (ok) return;
  std::fprintf(stderr, "merit fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace merit_fuzz
