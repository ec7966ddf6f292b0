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

#include <merit/errors.hpp>

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
/// Index of the first byte that breaks UTF-8 in [p, p+n), or n when valid.
inline std::size_t utf8_invalid_at(const unsigned char* p, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path: 8 bytes at a time while no byte has its high bit set.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned int cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return i;
    i += len;
  }
  return n;
}
}  // namespace detail

class csv_reader {
 public:
  /// Reads the file at `path` ("-" for stdin). `source` names it in errors.
  static csv_reader open(const std::string& path, csv_options opt = {}) {
    std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!f) throw input_error(errc::io, path, std::string("cannot open file: ") + std::strerror(errno));
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
        if (std::ferror(file_)) throw input_error(errc::io, source_, "read error");
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
    if (end_ - pos_ < 3 && !eof_) fill();
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
      throw input_error(errc::parse, place_at(line_, bad + 1), "invalid UTF-8");
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

namespace detail {
bool plain_decimal(std::string_view s, double& out);
struct decimal_digits;
}

}  // namespace merit::io

#include <charconv>
#include <cmath>

namespace merit::io::detail {
/// k / 10.0 for k < 1000, divided at compile time (the same correctly rounded
/// division as at run time, without its latency).
struct tenths_table {
  static constexpr std::size_t size = 1000;
  double v[size];
  constexpr tenths_table() : v() {
    for (std::size_t k = 0; k < size; ++k) v[k] = static_cast<double>(k) / 10.0;
  }
  constexpr double operator[](std::uint64_t k) const { return v[k]; }
};
inline constexpr tenths_table tenths{};
}  // namespace merit::io::detail

/// Reads the digits of a plain decimal one character at a time (see
/// plain_decimal); value() is false when they do not make one.
struct merit::io::detail::decimal_digits {
  std::uint64_t m = 0;
  int digits = 0, frac = -1;
  bool plain = true;

  void add(char c) {
    if (c >= '0' && c <= '9') {
      m = m * 10 + static_cast<unsigned>(c - '0');
      ++digits;
      if (frac >= 0) ++frac;
    } else if (c == '.' && frac < 0 && digits > 0) {
      frac = 0;
    } else {
      plain = false;
    }
  }
  bool value(double& out) const {
    static constexpr double pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (!plain || digits == 0 || digits > 15 || frac == 0) return false;
    if (frac == 1 && m < tenths.size) {  // "4.5": the same division, done at compile time
      out = tenths[m];
      return true;
    }
    out = static_cast<double>(m);
    if (frac > 0) out /= pow10[frac];
    return true;
  }

};

/// A plain decimal ("3", "4.5", "-0.25": an optional minus, at most 15 digits,
/// at most one point with digits on both sides) parsed exactly; false for
/// anything else. At most 15 digits make an exact integer m, and m / 10^k
/// (k <= 15) is then one correctly rounded division: the same double
/// from_chars gives.
inline bool merit::io::detail::plain_decimal(std::string_view s, double& out) {
  const bool neg = !s.empty() && s.front() == '-';
  if (neg) s.remove_prefix(1);
  decimal_digits d;
  for (char c : s) d.add(c);
  if (!d.value(out)) return false;
  if (neg) out = -out;
  return true;
}

inline bool merit::io::parse_double(std::string_view s, double& out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  if (detail::plain_decimal(s, out)) return true;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}
