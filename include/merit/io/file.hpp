#pragma once
/// \file io/file.hpp
/// Opening and reading input files, with the error type of the caller's
/// domain (model_error for models and judgments, input_error for inputs).
/// Every reader opens its file through `open_input_file` and reports a failed
/// read through `read_error`, so a directory, a missing file and an I/O error
/// in the middle of a file get one wording everywhere.

#include <merit/errors.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace merit {

/// Opens the file `path` for reading in binary. Throws `Error` (errc::io)
/// placed at the path when it cannot be opened or is a directory.
template <class Error = input_error>
std::FILE* open_input_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error(errc::io, path, std::string("cannot open file: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(::fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    std::fclose(f);
    throw Error(errc::io, path, "is a directory; give the path of a file");
  }
  return f;
}

/// The error for a read of `path` that failed after `offset` bytes, with
/// `err` the errno of the failed call.
template <class Error = input_error>
Error read_error(const std::string& path, std::size_t offset, int err) {
  return Error(errc::io, path,
               "cannot read the file after " + std::to_string(offset) + " bytes: " + std::strerror(err));
}

/// Reads a whole file into memory; throws `Error` with errc::io.
template <class Error = model_error>
std::string read_text_file(const std::string& path) {
  std::FILE* f = open_input_file<Error>(path);
  std::string text;
  char buf[1 << 16];
  for (;;) {
    const std::size_t got = std::fread(buf, 1, sizeof buf, f);
    text.append(buf, got);
    if (got < sizeof buf) break;
  }
  const int err = errno;
  const bool bad = std::ferror(f) != 0;
  std::fclose(f);
  if (bad) throw read_error<Error>(path, text.size(), err);
  return text;
}

}  // namespace merit
