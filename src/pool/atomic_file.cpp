// Output files that appear only when complete.
#include <merit/pool/atomic_file.hpp>

#include <merit/errors.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
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

/// Closes an uncommitted output and removes its temporary file: nothing is left.
void discard(std::FILE* f, const std::string& temp) noexcept {
  if (!f || f == stdout) return;
  std::fclose(f);
  if (!temp.empty()) ::unlink(temp.c_str());
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
  struct stat st {};
  const bool exists = ::stat(path_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw input_error(errc::io, path_, "is a directory; give the path of a file to write");
  if (exists && !S_ISREG(st.st_mode)) {  // a device or a pipe: written as is
    file_ = std::fopen(path_.c_str(), "wb");
    if (!file_) throw input_error(errc::io, path_, std::string("cannot open for writing: ") + std::strerror(errno));
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
    throw input_error(errc::io, path_,
                      "cannot create a file in " + (dir.empty() ? std::string("the current folder") : "'" + dir + "'") +
                          ": " + std::strerror(errno) + "; choose a folder you can write to");
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
  if (!committed_) discard(file_, temp_);
  if (!temp_.empty()) unregister_pending(temp_);
}

void atomic_file::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) write_failed(errno);
}

void atomic_file::write_failed(int err) {
  if (!committed_) discard(file_, temp_);
  committed_ = true;
  throw input_error(errc::io, path_, std::string("cannot write: ") + std::strerror(err) + "; nothing was written");
}

void atomic_file::commit() {
  if (file_ == stdout) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) write_failed(errno);
    committed_ = true;
    return;
  }
  // A failed fwrite (a full disk) sets the stream's error flag: checked
  // here, so a writer that did not check each write still loses nothing.
  if (std::fflush(file_) != 0 || std::ferror(file_)) write_failed(errno);
  committed_ = true;
  const bool closed = std::fclose(file_) == 0;
  const int e = errno;
  if (!closed || (!temp_.empty() && std::rename(temp_.c_str(), path_.c_str()) != 0)) {
    const int err = closed ? errno : e;
    if (!temp_.empty()) ::unlink(temp_.c_str());
    throw input_error(errc::io, path_, std::string("cannot write: ") + std::strerror(err) + "; nothing was written");
  }
}

namespace {
struct file_identity {
  bool exists = false, regular = false;
  dev_t dev = 0;
  ino_t ino = 0;
  std::string canonical;
};

file_identity identify(const std::string& path) {
  file_identity id;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    id.exists = true;
    id.regular = S_ISREG(st.st_mode);
    id.dev = st.st_dev;
    id.ino = st.st_ino;
  }
  std::error_code ec;
  id.canonical = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) id.canonical = path;
  return id;
}

bool same_file(const file_identity& a, const file_identity& b) {
  if (a.exists && b.exists) return a.regular && b.regular && a.dev == b.dev && a.ino == b.ino;
  return a.canonical == b.canonical;
}
}  // namespace

void check_distinct_files(const std::vector<run_file>& inputs, const std::vector<run_file>& outputs) {
  std::vector<file_identity> in, out;
  for (const auto& f : inputs) in.push_back(identify(f.path));
  for (const auto& f : outputs) out.push_back(identify(f.path));
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    const bool to_stdout = outputs[o].path == "-";
    auto clash = [&](const run_file& other, const std::string& why) {
      throw argument_error(outputs[o].role + " '" + outputs[o].path + "' is the same file as " + other.role + " '" +
                           other.path + "': " + why);
    };
    for (std::size_t i = 0; i < inputs.size(); ++i)
      if (!to_stdout && inputs[i].path != "-" && same_file(out[o], in[i]))
        clash(inputs[i], "writing it would destroy the " + inputs[i].role + "; choose another path");
    for (std::size_t k = 0; k < o; ++k)
      if (to_stdout ? outputs[k].path == "-" : outputs[k].path != "-" && same_file(out[o], out[k]))
        clash(outputs[k], "one would overwrite the other; give each its own path");
  }
}

}  // namespace merit::pool
