#pragma once
/// \file pool/atomic_file.hpp
/// An output file that appears under its final name only when complete.

#include <cstdio>
#include <string>

namespace merit::pool {

/// A file that appears under its final name only when `commit()` is called.
/// Until then it is a hidden temporary file in the same folder; it is removed
/// on destruction (an error, a cancelled run), so no half-written output is
/// ever left behind. The path "-" writes to stdout directly. Errors throw
/// merit::input_error (errc::io).
class atomic_file {
 public:
  explicit atomic_file(const std::string& path);
  ~atomic_file();
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;

  std::FILE* get() const { return file_; }
  bool is_stdout() const { return path_ == "-"; }
  const std::string& path() const { return path_; }
  /// Flushes, closes and renames the file into place; throws input_error
  /// (errc::io) when any write to it failed.
  void commit();

 private:
  std::string path_;
  std::string temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

/// Removes every pending (uncommitted) temporary file. Async-signal-safe: a
/// SIGINT/SIGTERM handler calls it before it exits.
void unlink_pending_outputs() noexcept;

}  // namespace merit::pool
