// The floor under `merit score` in bench/run.sh: what reading the input, a minimal
// parse of the same bytes and writing the same output bytes cost on this machine.
//   bench_floor read  FILE       read(2) the file in 1 MiB pieces, nothing else
//   bench_floor parse FILE       the same, counting newlines and commas with memchr
//   bench_floor write SRC DST    read SRC into memory, then write its bytes to DST
// Prints one line, "engine_seconds=S bytes=B lines=L fields=F", where S is the time
// inside main after the process started (for write: the write alone).
// Single thread. Built by bench/run.sh (g++ -O2) or with -DMERIT_BUILD_BENCH=ON.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int open_or_die(const char* path, int flags) {
  const int fd = ::open(path, flags, 0644);
  if (fd < 0) {
    std::perror(path);
    std::exit(2);
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_floor read|parse FILE | write SRC DST\n");
    return 2;
  }
  const std::string mode = argv[1];
  constexpr std::size_t piece = 1 << 20;
  unsigned long long bytes = 0, lines = 0, fields = 0;
  double t0 = now();
  if (mode == "read" || mode == "parse") {
    const bool parse = mode == "parse";
    const int fd = open_or_die(argv[2], O_RDONLY);
    std::vector<char> buf(piece);
    for (;;) {
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0) {
        std::perror("read");
        return 2;
      }
      if (n == 0) break;
      bytes += static_cast<unsigned long long>(n);
      if (parse) {
        const char* p = buf.data();
        const char* end = p + n;
        for (const char* q = p; (q = static_cast<const char*>(std::memchr(q, '\n', end - q))); ++q) ++lines;
        for (const char* q = p; (q = static_cast<const char*>(std::memchr(q, ',', end - q))); ++q) ++fields;
      }
    }
    ::close(fd);
    if (parse) fields += lines;  // a record has one field more than commas
  } else if (mode == "write" && argc >= 4) {
    const int in = open_or_die(argv[2], O_RDONLY);
    std::string data;
    std::vector<char> buf(piece);
    for (ssize_t n; (n = ::read(in, buf.data(), buf.size())) > 0;) data.append(buf.data(), static_cast<std::size_t>(n));
    ::close(in);
    t0 = now();
    const int out = open_or_die(argv[3], O_WRONLY | O_CREAT | O_TRUNC);
    for (std::size_t off = 0; off < data.size();) {
      const ssize_t n = ::write(out, data.data() + off, data.size() - off);
      if (n <= 0) {
        std::perror("write");
        return 2;
      }
      off += static_cast<std::size_t>(n);
    }
    ::close(out);
    bytes = data.size();
  } else {
    std::fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
  }
  std::printf("engine_seconds=%.6f bytes=%llu lines=%llu fields=%llu\n", now() - t0, bytes, lines, fields);
  return 0;
}
