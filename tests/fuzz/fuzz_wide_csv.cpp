// Wide CSV candidate scores, as `merit score --candidates` reads them: the
// streaming engine with rejects collected (contributions, gaps and bands on)
// and without, and the whole-file reader.
#include "fuzz_pool.hpp"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  merit_fuzz::score_every_way({reinterpret_cast<const char*>(data), size}, merit_fuzz::pool_kind::wide_csv);
  return 0;
}
