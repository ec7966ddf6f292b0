// Output files that appear only when complete.
#include <merit/pool/atomic_file.hpp>

#include <merit/errors.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace merit::pool {
namespace {
// Pending temporary files, in fixed storage so that a signal handler can
// remove them (unlink is async-signal-safe; the registry takes no locks).
constexpr int max_pending = 8;
char pending[max_pending][4096];

void register_pending(const std::string& path) {
  for (auto& slot : pending) {
    if (slot[0] == '\0' && path.size() < sizeof(slot)) {
      std::memcpy(slot, path.c_str(), path.size() + 1);
      return;
    }
  }
}
void unregister_pending(const std::string& path) {
  for (auto& slot : pending)
    if (path == slot) slot[0] = '\0';
}
}  // namespace

void unlink_pending_outputs() noexcept {
  for (auto& slot : pending)
    if (slot[0] != '\0') ::unlink(slot);
}

atomic_file::atomic_file(const std::string& path) : path_(path) {
  if (path_ == "-") {
    file_ = stdout;
    return;
  }
  auto slash = path_.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  std::string templ = dir + "." + base + ".tmp.XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0)
    throw input_error(errc::io, path_, std::string("cannot create output file: ") + std::strerror(errno));
  temp_ = buf.data();
  register_pending(temp_);
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    ::close(fd);
    ::unlink(temp_.c_str());
    unregister_pending(temp_);
    throw input_error(errc::io, path_, "cannot open output file");
  }
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

atomic_file::~atomic_file() {
  if (file_ && file_ != stdout) {
    if (!committed_) {
      std::fclose(file_);
      ::unlink(temp_.c_str());
    }
    unregister_pending(temp_);
  }
}

void atomic_file::commit() {
  if (file_ == stdout) {
    std::fflush(stdout);
    committed_ = true;
    return;
  }
  // A failed fwrite (a full disk) sets the stream's error flag: checked
  // here, so a writer that did not check each write still loses nothing.
  bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
  ok = (std::fclose(file_) == 0) && ok;
  committed_ = true;
  if (!ok || std::rename(temp_.c_str(), path_.c_str()) != 0) {
    int e = errno;
    ::unlink(temp_.c_str());
    throw input_error(errc::io, path_, std::string("cannot write output file: ") + std::strerror(e));
  }
}

}  // namespace merit::pool
