#pragma once
/// \file io/file.hpp
/// Reading a whole file into memory, with the error type of the caller's
/// domain (model_error for models and judgments, input_error for inputs).

#include <merit/errors.hpp>

#include <fstream>
#include <iterator>
#include <string>

namespace merit {

/// Reads a whole file into memory; throws `Error` with errc::io.
template <class Error = model_error>
std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(errc::io, path, "cannot open file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(errc::io, path, "cannot read file");
  return text;
}

}  // namespace merit
