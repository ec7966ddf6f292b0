// Model JSON: the reader and validator every command loads a model with
// (io::parse_model_text, as load_model), then each profile compiled for
// scoring, as `merit score` does.
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  merit_fuzz::accepts([&] {
    const merit::competency_model m = merit::parse_model_text(merit_fuzz::text(data, size), "model.json");
    for (const auto& p : m.profiles) (void)merit::compile(m, p.id);
  });
  return 0;
}
