#pragma once
/// \file io/results.hpp
/// Writing scored candidates: CSV `rank,candidate_id,fit,status,coverage`
/// (6 decimals; `fit` empty when a candidate has no fit), then `band` with
/// bands, `percentile,norm_group` with norms (merit/norms.hpp), and
/// `contrib_<id>` and `gap_<id>` columns when explained. Numbers are
/// formatted exactly as printf("%.6f") would, only faster.

#include <merit/fit.hpp>
#include <merit/norms.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace merit::io {

namespace detail {
/// Writes `v` with 6 decimals at `p` when |v| < 1000 and v is not within
/// 1e-6 of a half of the last digit; returns the end, or null (nothing
/// written) otherwise. Below 1000 the product a * 1e6 is within 6e-8 of the
/// exact one, so away from a half its nearest integer is the printf rounding;
/// the digits are then written from that integer. At most 11 bytes.
inline char* fixed6_fast(char* p, double v) {
  if (v == 0) v = 0;  // no "-0.000000"
  const double a = std::fabs(v);
  if (!(a < 1e3)) return nullptr;
  const double k = a * 1e6;
  const double fl = std::floor(k);
  if (!(std::fabs(k - fl - 0.5) > 1e-6)) return nullptr;
  const auto m = static_cast<std::uint64_t>(k - fl > 0.5 ? fl + 1 : fl);
  if (v < 0 && m != 0) *p++ = '-';
  std::uint64_t whole = m / 1000000, f = m % 1000000;
  char digits[4];
  int nd = 0;
  do {
    digits[nd++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole);
  while (nd) *p++ = digits[--nd];
  *p++ = '.';
  for (int d = 5; d >= 0; --d) {
    p[d] = static_cast<char>('0' + f % 10);
    f /= 10;
  }
  return p + 6;
}
}  // namespace detail

/// Appends `v` with 6 decimals (empty for NaN).
inline void append_fixed6(std::string& out, double v) {
  if (std::isnan(v)) return;
  char buf[64];
  if (const char* e = detail::fixed6_fast(buf, v)) {
    out.append(buf, static_cast<std::size_t>(e - buf));
    return;
  }
  if (v == 0) v = 0;
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 6);
  std::string_view s(buf, static_cast<std::size_t>(res.ptr - buf));
  if (s == "-0.000000") s = "0.000000";
  out.append(s);
}

/// Appends a CSV field, quoting it when it holds a delimiter, quote or newline.
inline void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

/// One scored row, as the writers need it.
struct scored_row {
  std::size_t rank;
  std::string_view candidate_id;
  fit_result result;
  const double* contributions = nullptr;  ///< #targets values, or null
  const double* gaps = nullptr;
  std::optional<int> band;
};

struct result_columns {
  bool explain = false;
  bool band = false;
  /// Norms: `percentile` (of the fit, empty without one) and `norm_group` columns.
  const norm_group* norms = nullptr;
};

inline void append_csv_header(std::string& out, const scoring_plan& plan, result_columns cols) {
  out += "rank,candidate_id,fit,status,coverage";
  if (cols.band) out += ",band";
  if (cols.norms) out += ",percentile,norm_group";
  if (cols.explain) {
    for (const auto& id : plan.competency_ids()) out += ",contrib_" + id;
    for (const auto& id : plan.competency_ids()) out += ",gap_" + id;
  }
  out += '\n';
}

inline void append_csv_row(std::string& out, const scoring_plan& plan, const scored_row& r, result_columns cols) {
  // The common row (a plain id, numbers on the fast path, no extra columns)
  // is written in one piece.
  if (!cols.band && !cols.explain && !cols.norms && r.candidate_id.size() <= 64 &&
      r.candidate_id.find_first_of(",\"\r\n") == std::string_view::npos) {
    char row[160];
    char* p = std::to_chars(row, row + 24, r.rank).ptr;
    *p++ = ',';
    std::memcpy(p, r.candidate_id.data(), r.candidate_id.size());
    p += r.candidate_id.size();
    *p++ = ',';
    char* q = std::isnan(r.result.fit) ? p : detail::fixed6_fast(p, r.result.fit);
    if (q) {
      *q++ = ',';
      const char* st = to_string(r.result.status);
      const std::size_t n = std::strlen(st);
      std::memcpy(q, st, n);
      q += n;
      *q++ = ',';
      if (char* e = detail::fixed6_fast(q, r.result.coverage)) {
        *e++ = '\n';
        out.append(row, static_cast<std::size_t>(e - row));
        return;
      }
    }
  }
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, r.rank);
  out.append(buf, static_cast<std::size_t>(res.ptr - buf));
  out += ',';
  append_csv_field(out, r.candidate_id);
  out += ',';
  append_fixed6(out, r.result.fit);
  out += ',';
  out += to_string(r.result.status);
  out += ',';
  append_fixed6(out, r.result.coverage);
  if (cols.band) {
    out += ',';
    if (r.band) out += std::to_string(*r.band);
  }
  if (cols.norms) {
    out += ',';
    append_fixed6(out, cols.norms->percentile(r.result.fit));
    out += ',';
    append_csv_field(out, cols.norms->name());
  }
  if (cols.explain) {
    const auto n = static_cast<std::size_t>(plan.size());
    for (std::size_t k = 0; k < n; ++k) {
      out += ',';
      append_fixed6(out, r.contributions ? r.contributions[k] : 0.0);
    }
    for (std::size_t k = 0; k < n; ++k) {
      out += ',';
      append_fixed6(out, r.gaps ? r.gaps[k] : 0.0);
    }
  }
  out += '\n';
}

}  // namespace merit::io
