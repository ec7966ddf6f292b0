// Greenhouse Harvest scorecards (a JSON array), as `merit score --evidence --format greenhouse`
// reads them: through score_pool (streamed, or read whole where the format
// is not streamed; with rejects collected and without), and read whole.
#include "fuzz_pool.hpp"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  merit_fuzz::score_every_way({reinterpret_cast<const char*>(data), size}, merit_fuzz::pool_kind::greenhouse);
  return 0;
}
