#pragma once
/// \file pool/atomic_file.hpp
/// An output file that appears under its final name only when complete.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace merit::pool {

/// A file that appears under its final name only when `commit()` is called.
/// Until then it is a hidden temporary file in the same folder,
/// `.<name>.tmp.XXXXXX`; it is removed on destruction (an error, a cancelled
/// run) and by the CLI's signal handlers, so no half-written output is ever
/// left behind (a process killed with SIGKILL can leave only such a
/// temporary file, never a file at the output path). The path "-" writes to
/// stdout directly, and so does a path that exists and is not a regular file
/// (/dev/null, a named pipe), which a rename would replace. Errors throw
/// merit::input_error (errc::io) placed at the path.
class atomic_file {
 public:
  explicit atomic_file(const std::string& path);
  ~atomic_file();
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;

  std::FILE* get() const { return file_; }
  bool is_stdout() const { return path_ == "-"; }
  /// True when writing goes straight to the path (stdout, a device, a pipe).
  bool is_direct() const { return temp_.empty(); }
  const std::string& path() const { return path_; }
  /// Writes `text`; on failure (a full disk) removes the temporary file and
  /// throws input_error (errc::io) naming the path and the reason.
  void write(std::string_view text);
  /// Flushes, closes and renames the file into place; throws input_error
  /// (errc::io) when any write to it failed.
  void commit();

 private:
  [[noreturn]] void write_failed(int err);
  std::string path_;
  std::string temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

/// A file a run reads or writes, with its role for messages ("input",
/// "output", "rejects file", "audit log", "model").
struct run_file {
  std::string role;
  std::string path;
};

/// Refuses, before any work, a run that would lose a file: an output that is
/// the same file as an input or as another output (the same path, or the same
/// device and inode - a hard link, another spelling of the path). Throws
/// argument_error naming both ("output 'pool.csv' is the same file as input
/// 'pool.csv': ..."). Standard streams ("-") and files that are not regular
/// (a terminal, /dev/null, a pipe) are never the same file. Every edge's
/// score_file calls it; the CLI calls it first with the model too.
void check_distinct_files(const std::vector<run_file>& inputs, const std::vector<run_file>& outputs);

/// Removes every pending (uncommitted) temporary file. Async-signal-safe: a
/// SIGINT/SIGTERM handler calls it before it exits.
void unlink_pending_outputs() noexcept;

}  // namespace merit::pool
