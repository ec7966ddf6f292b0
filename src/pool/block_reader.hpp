#pragma once
// Reading a pool: blocks of whole records, and splitting a block into records.
// Internal to merit_pool (src/pool): not installed.

#include <merit/errors.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/file.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace merit::pool::internal {

constexpr std::size_t max_record_bytes = std::size_t(1) << 20;

// ---- reading: blocks of whole records ----------------------------------------

/// Cuts a file into blocks of whole records (a record ends at a newline
/// outside double quotes when `quote_aware`), keeping line numbers. A block
/// reads `block_bytes` at a time and ends at the last record end in it.
class block_reader {
 public:
  block_reader(const std::string& path, bool quote_aware, std::size_t block_bytes)
      : quote_aware_(quote_aware), block_bytes_(std::max<std::size_t>(1, block_bytes)), source_(path) {
    f_ = path == "-" ? stdin : open_input_file(path);
    struct stat st {};
    if (path != "-" && ::fstat(::fileno(f_), &st) == 0 && S_ISREG(st.st_mode)) size_ = static_cast<std::size_t>(st.st_size);
  }
  ~block_reader() {
    if (f_ && f_ != stdin) std::fclose(f_);
  }
  block_reader(const block_reader&) = delete;
  block_reader& operator=(const block_reader&) = delete;

  /// The next block and the line its first byte is on; false at the end.
  bool next(std::string& text, std::size_t& first_line) {
    text.swap(carry_);
    carry_.clear();
    for (;;) {
      if (!eof_) {
        const std::size_t old = text.size();
        text.resize(old + block_bytes_);
        const std::size_t got = std::fread(&text[old], 1, block_bytes_, f_);
        text.resize(old + got);
        bytes_ += got;
        if (got == 0) {
          if (std::ferror(f_)) throw read_error(source_, bytes_, errno);
          eof_ = true;
        }
      }
      if (text.empty()) return false;
      std::size_t last = std::string::npos;
      bool in_quotes = false;
      const char* p = text.data();
      const std::size_t n = text.size();
      if (quote_aware_ && std::memchr(p, '"', n)) {
        for (std::size_t i = 0; i < n; ++i) {
          if (p[i] == '"') in_quotes = !in_quotes;
          else if (p[i] == '\n' && !in_quotes) last = i;
        }
      } else {
        const void* hit = memrchr(p, '\n', n);
        if (hit) last = static_cast<std::size_t>(static_cast<const char*>(hit) - p);
      }
      if (eof_ || last != std::string::npos) {
        if (!eof_) {
          carry_.assign(text, last + 1, std::string::npos);
          text.resize(last + 1);
        }
        first_line = line_;
        line_ += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
        return true;
      }
      if (text.size() > max_record_bytes + block_bytes_)
        throw input_error(errc::parse, source_ + ":" + std::to_string(line_) + ":1",
                          "record is longer than " + std::to_string(max_record_bytes) + " bytes");
    }
  }

  std::size_t bytes_read() const { return bytes_; }
  std::optional<std::size_t> size() const { return size_; }
  const std::string& source() const { return source_; }

 private:
  std::FILE* f_ = nullptr;
  bool quote_aware_;
  std::size_t block_bytes_;
  std::string source_;
  std::string carry_;
  std::size_t line_ = 1, bytes_ = 0;
  bool eof_ = false;
  std::optional<std::size_t> size_;
};

/// Splits the first CSV record (the header) off `text`, the reader's first
/// block, and returns it (with any blank lines before it); the rest of the
/// text stays in `text`, and `first_line` becomes its line. A first block of
/// blank lines only is joined with the blocks after it until a record comes,
/// so the block size never changes where the header is found.
std::string split_header(block_reader& reader, std::string& text, std::size_t& first_line) {
  const std::string& source = reader.source();
  for (;;) {
    io::csv_reader probe(text, source, {}, first_line);
    if (probe.next()) break;
    std::string more;
    std::size_t more_line = 0;
    if (!reader.next(more, more_line)) throw input_error(errc::schema, source, "file is empty");
    text += more;
  }
  io::csv_reader r(text, source, {}, first_line);
  r.next();
  const std::size_t used = r.bytes_read();
  std::string header = text.substr(0, used);
  first_line += static_cast<std::size_t>(std::count(header.begin(), header.end(), '\n'));
  text.erase(0, used);
  return header;
}

/// Calls f(record, whole, line, plain) for each non-blank record of `text`,
/// which has no quotes (so every newline ends a record): `record` without its
/// line end, `whole` with it (for a csv_reader), `plain` when the record is
/// short enough (and valid UTF-8, with `check_utf8`; otherwise the caller
/// checks). Stops when f returns false.
template <class F>
void each_record(const std::string& text, std::size_t first_line, bool check_utf8, const F& f) {
  constexpr std::size_t max_record = std::size_t(1) << 20;  // csv_options' default
  const char* p = text.data();
  const char* const end = p + text.size();
  for (std::size_t line = first_line; p < end; ++line) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!nl) nl = end;
    const char* rec_end = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
    const char* const next = nl < end ? nl + 1 : end;
    const auto len = static_cast<std::size_t>(rec_end - p);
    if (len > 0) {  // a blank line holds no row
      const bool plain = len <= max_record && (!check_utf8 || io::detail::utf8_invalid_at(
                                                                 reinterpret_cast<const unsigned char*>(p), len) == len);
      if (!f(std::string_view(p, len), std::string_view(p, static_cast<std::size_t>(next - p)), line, plain)) return;
    }
    p = next;
  }
}

}  // namespace merit::pool::internal
