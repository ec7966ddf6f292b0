// Differential: a wide CSV read by the streaming engine at 2 threads with
// tiny blocks, at 1 thread with one block, and by the whole-file reader. The
// first byte picks the tiny block size (1..16 bytes); the rest is the file.
#include "fuzz_pool.hpp"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view file(reinterpret_cast<const char*>(data) + 1, size - 1);
  merit_fuzz::same_everywhere(file, merit_fuzz::pool_kind::wide_csv, 1 + data[0] % 16);
  return 0;
}
