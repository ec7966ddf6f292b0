#pragma once
/// \file io/csv.hpp
/// A streaming RFC 4180 CSV reader with exact places for errors.
///
/// - reads a file (or stdin) through a bounded buffer, so memory does not grow
///   with the file; or a string already in memory;
/// - a UTF-8 byte-order mark at the start is skipped; CRLF and LF both end a
///   record; blank lines are skipped (they hold no row);
/// - quoted fields may hold delimiters, newlines and doubled quotes;
/// - every record is checked to be valid UTF-8, and no longer than
///   `max_record_bytes` (1 MiB by default): a longer one is an error, not a
///   silent truncation;
/// - errors are `merit::input_error` with place `file:line:column` (1-based,
///   column counted in bytes).

#include <merit/detail/text.hpp>
#include <merit/errors.hpp>
#include <merit/fields.hpp>
#include <merit/io/file.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace merit::io {

struct csv_options {
  char delimiter = ',';
  std::size_t max_record_bytes = std::size_t(1) << 20;
};

namespace detail {
using merit::detail::utf8_invalid_at;
using merit::detail::foreign_bom;
using merit::detail::foreign_bom_message;
using merit::detail::invalid_utf8_message;
using merit::detail::plain_decimal;
using merit::detail::decimal_digits;
}  // namespace detail

class csv_reader {
 public:
  /// Reads the file at `path` ("-" for stdin). `source` names it in errors.
  static csv_reader open(const std::string& path, csv_options opt = {}) {
    std::FILE* f = path == "-" ? stdin : open_input_file(path);
    return csv_reader(f, path == "-" ? std::string("<stdin>") : path, path != "-", opt);
  }

  /// Reads CSV text already in memory (not copied: `text` must outlive the reader).
  /// `first_line` is the line number of the text's first line, for a block of
  /// records cut from a larger file (its places then name the file's lines);
  /// a byte-order mark is skipped only at line 1.
  csv_reader(std::string_view text, std::string source, csv_options opt = {}, std::size_t first_line = 1)
      : source_(std::move(source)), opt_(opt), mem_(text), eof_(true), next_line_(first_line),
        bom_checked_(first_line != 1) {
    data_ = mem_.data();
    end_ = mem_.size();
    find_last_quote();
  }

  csv_reader(csv_reader&& o) noexcept { *this = std::move(o); }
  csv_reader& operator=(csv_reader&& o) noexcept {
    if (this == &o) return *this;
    close_file();
    file_ = o.file_;
    owns_file_ = o.owns_file_;
    o.file_ = nullptr;
    source_ = std::move(o.source_);
    opt_ = o.opt_;
    mem_ = o.mem_;
    buf_ = std::move(o.buf_);
    data_ = file_ ? buf_.data() : mem_.data();
    pos_ = o.pos_;
    end_ = o.end_;
    eof_ = o.eof_;
    line_ = o.line_;
    next_line_ = o.next_line_;
    bytes_consumed_ = o.bytes_consumed_;
    bom_checked_ = o.bom_checked_;
    quote_free_from_ = o.quote_free_from_;
    fields_ = std::move(o.fields_);
    starts_ = std::move(o.starts_);
    unquoted_ = std::move(o.unquoted_);
    return *this;
  }
  csv_reader(const csv_reader&) = delete;
  csv_reader& operator=(const csv_reader&) = delete;
  ~csv_reader() { close_file(); }

  /// Reads the next record; false at the end of input. The views stay valid
  /// until the next call.
  bool next() {
    for (;;) {
      if (!bom_checked_) skip_bom();
      std::size_t rec_end = 0, after = 0, newlines = 0;
      if (!find_record(rec_end, after, newlines)) return false;
      line_ = next_line_;
      next_line_ += newlines;
      std::size_t start = pos_;
      bytes_consumed_ += after - pos_;
      pos_ = after;
      std::size_t len = rec_end - start;
      if (len > 0 && data_[start + len - 1] == '\r') --len;
      if (len == 0) continue;  // blank line
      record_ = std::string_view(data_ + start, len);
      check_utf8();
      split();
      if (line_ == 1) check_delimiter();
      return true;
    }
  }

  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t size() const { return fields_.size(); }
  std::string_view operator[](std::size_t i) const { return fields_[i]; }
  /// The whole current record, as it stood in the file (without its line end).
  std::string_view record() const { return record_; }
  /// 1-based line on which the current record starts.
  std::size_t line() const { return line_; }
  /// 1-based byte column where field i starts.
  std::size_t column(std::size_t i) const { return starts_[i] + 1; }
  const std::string& source() const { return source_; }
  /// Bytes consumed so far (for progress bars).
  std::size_t bytes_read() const { return bytes_consumed_; }

  /// "file:line:column" of field i of the current record.
  std::string place(std::size_t i) const { return place_at(line_, column(i)); }
  std::string place_at(std::size_t line, std::size_t col) const {
    return source_ + ":" + std::to_string(line) + ":" + std::to_string(col);
  }

 private:
  csv_reader(std::FILE* f, std::string source, bool owns, csv_options opt)
      : file_(f), owns_file_(owns), source_(std::move(source)), opt_(opt), eof_(false) {
    buf_.resize(std::max<std::size_t>(std::size_t(1) << 22, 2 * opt_.max_record_bytes + 2));
    data_ = buf_.data();
  }

  void close_file() {
    if (file_ && owns_file_) std::fclose(file_);
    file_ = nullptr;
  }

  void fill() {
    if (eof_ || !file_) return;
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    while (end_ < buf_.size()) {
      std::size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
      end_ += got;
      if (got == 0) {
        if (std::ferror(file_)) throw read_error(source_, bytes_consumed_ + end_, errno);
        eof_ = true;
        break;
      }
    }
    data_ = buf_.data();
    find_last_quote();
  }

  /// Records where the buffer has no double quote any more: from there on a
  /// record outside quotes ends at the next newline (found with memchr).
  void find_last_quote() {
    const void* q = end_ ? memrchr(data_, '"', end_) : nullptr;
    quote_free_from_ = q ? static_cast<std::size_t>(static_cast<const char*>(q) - data_) + 1 : 0;
  }

  void skip_bom() {
    if (end_ - pos_ < 4 && !eof_) fill();
    if (const char* other = detail::foreign_bom(reinterpret_cast<const unsigned char*>(data_ + pos_), end_ - pos_))
      throw input_error(errc::parse, place_at(1, 1), detail::foreign_bom_message(other));
    if (end_ - pos_ >= 3 && std::memcmp(data_ + pos_, "\xEF\xBB\xBF", 3) == 0) {
      pos_ += 3;
      bytes_consumed_ += 3;
    }
    bom_checked_ = true;
  }

  // Finds the end of the record starting at pos_, honouring quotes.
  bool find_record(std::size_t& rec_end, std::size_t& after, std::size_t& newlines) {
    std::size_t scanned = pos_;
    bool in_quotes = false;
    newlines = 0;
    for (;;) {
      std::size_t i = scanned;
      for (; i < end_; ++i) {
        if (!in_quotes && i >= quote_free_from_) {  // no quote ahead: the next newline ends the record
          const void* nl = std::memchr(data_ + i, '\n', end_ - i);
          if (!nl) {
            i = end_;
            break;
          }
          ++newlines;
          rec_end = static_cast<std::size_t>(static_cast<const char*>(nl) - data_);
          after = rec_end + 1;
          check_length(rec_end - pos_);
          return true;
        }
        char c = data_[i];
        if (c == '"') {
          in_quotes = !in_quotes;
        } else if (c == '\n') {
          ++newlines;
          if (!in_quotes) {
            rec_end = i;
            after = i + 1;
            check_length(rec_end - pos_);
            return true;
          }
        }
      }
      std::size_t consumed = i - pos_;
      check_length(consumed);
      if (eof_ || !file_) {
        if (end_ == pos_) return false;
        rec_end = end_;
        after = end_;
        if (in_quotes)
          throw input_error(errc::parse, place_at(next_line_, 1), "quoted field is not closed before the end of the file");
        ++newlines;
        return true;
      }
      std::size_t offset = consumed;
      fill();
      scanned = pos_ + offset;
    }
  }

  void check_length(std::size_t n) const {
    if (n > opt_.max_record_bytes)
      throw input_error(errc::parse, place_at(next_line_, 1),
                        "record is longer than " + std::to_string(opt_.max_record_bytes) + " bytes");
  }

  void check_utf8() const {
    auto bad = detail::utf8_invalid_at(reinterpret_cast<const unsigned char*>(record_.data()), record_.size());
    if (bad != record_.size())
      throw input_error(errc::parse, place_at(line_, bad + 1),
                        detail::invalid_utf8_message(reinterpret_cast<const unsigned char*>(record_.data()),
                                                     record_.size(), bad));
  }

  /// A first line (the header) without the delimiter but with semicolons or
  /// tabs is a file separated by them: a spreadsheet's export in many
  /// locales, or TSV. Said so, rather than "first column must be ...".
  void check_delimiter() const {
    if (fields_.size() != 1 || opt_.delimiter != ',') return;
    const auto semicolons = std::count(record_.begin(), record_.end(), ';');
    const auto tabs = std::count(record_.begin(), record_.end(), '\t');
    if (semicolons == 0 && tabs == 0) return;
    const bool tab = tabs > semicolons;
    const auto n = tab ? tabs : semicolons;
    throw input_error(errc::parse, place_at(1, 1),
                      "the header has no comma but " + std::to_string(n) + (tab ? " tab" : " semicolon") +
                          (n == 1 ? "" : "s") +
                          (tab ? ": the file is tab-separated (TSV)" : ": the file is semicolon-separated") +
                          "; merit reads comma-separated CSV: save it with commas as the separator");
  }

  void split() {
    fields_.clear();
    starts_.clear();
    std::size_t n_quoted = 0;
    const char* p = record_.data();
    const std::size_t n = record_.size();
    std::size_t i = 0;
    for (;;) {
      starts_.push_back(i);
      if (i < n && p[i] == '"') {
        // Quoted field: copy, undoubling quotes.
        if (unquoted_.size() <= n_quoted) unquoted_.emplace_back();
        std::string& s = unquoted_[n_quoted++];
        s.clear();
        std::size_t j = i + 1;
        for (;;) {
          if (j >= n)
            throw input_error(errc::parse, place_at(line_, i + 1), "quoted field is not closed");
          if (p[j] == '"') {
            if (j + 1 < n && p[j + 1] == '"') {
              s.push_back('"');
              j += 2;
              continue;
            }
            ++j;
            break;
          }
          s.push_back(p[j++]);
        }
        if (j < n && p[j] != opt_.delimiter)
          throw input_error(errc::parse, place_at(line_, j + 1), "unexpected character after a closing quote");
        fields_.emplace_back(s);
        i = j;
      } else {
        const void* hit = i < n ? std::memchr(p + i, opt_.delimiter, n - i) : nullptr;
        std::size_t j = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - p) : n;
        fields_.emplace_back(p + i, j - i);
        i = j;
      }
      if (i >= n) break;
      ++i;  // skip delimiter
      if (i == n) {  // trailing delimiter: one more empty field
        starts_.push_back(i);
        fields_.emplace_back(p + i, 0);
        break;
      }
    }
    // Views into unquoted_ are fixed only now (the vector may have grown).
    if (n_quoted) {
      std::size_t q = 0;
      for (std::size_t k = 0; k < fields_.size(); ++k)
        if (starts_[k] < n && p[starts_[k]] == '"') fields_[k] = unquoted_[q++];
    }
  }

  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::string source_;
  csv_options opt_;
  std::string_view mem_;
  std::vector<char> buf_;
  const char* data_ = nullptr;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = true;
  std::size_t line_ = 0, next_line_ = 1;
  std::size_t bytes_consumed_ = 0;
  bool bom_checked_ = false;
  std::size_t quote_free_from_ = 0;  ///< no '"' in data_[quote_free_from_, end_)
  std::string_view record_;
  std::vector<std::string_view> fields_;
  std::vector<std::size_t> starts_;
  std::vector<std::string> unquoted_;
};

/// Parses a whole field as a finite double; false when it is not one.
/// Leading/trailing spaces are tolerated (spreadsheets write them).
bool parse_double(std::string_view s, double& out);

}  // namespace merit::io

#include <charconv>
#include <cmath>

inline bool merit::io::parse_double(std::string_view s, double& out) {
  s = trim_field(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  if (detail::plain_decimal(s, out)) return true;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}
