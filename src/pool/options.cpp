// Option names, reject kinds and the reject policy, and reading pools whole.
#include <merit/pool/options.hpp>
#include <merit/pool/read.hpp>
#include <merit/pool/reject.hpp>

#include <merit/io/csv.hpp>
#include <merit/io/json.hpp>

#include <cstdlib>
#include <cstring>

namespace merit::pool {
namespace {
bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}
bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

// ---- names ---------------------------------------------------------------------

const char* to_string(input_format f) noexcept {
  switch (f) {
    case input_format::wide_csv: return "wide";
    case input_format::long_csv: return "long";
    case input_format::jsonl: return "jsonl";
    case input_format::json_candidates: return "json";
    case input_format::greenhouse: return "greenhouse";
  }
  return "unknown";
}

input_format parse_evidence_format(std::string_view s) {
  if (s == "wide") return input_format::wide_csv;
  if (s == "long") return input_format::long_csv;
  if (s == "jsonl") return input_format::jsonl;
  if (s == "greenhouse") return input_format::greenhouse;
  throw argument_error("unknown evidence format '" + std::string(s) + "' (expected wide, long, jsonl or greenhouse)");
}

input_format candidates_format_of(const std::string& path) {
  return ends_with(path, ".json") ? input_format::json_candidates : input_format::wide_csv;
}

input_format evidence_format_of(const std::string& path, const std::optional<std::string>& format) {
  if (format) return parse_evidence_format(*format);
  return ends_with(path, ".jsonl") ? input_format::jsonl
         : ends_with(path, ".json") ? input_format::greenhouse
                                    : input_format::long_csv;
}

bool streamable(input_format f) noexcept {
  return f == input_format::wide_csv || f == input_format::long_csv || f == input_format::jsonl;
}

duplicate_policy parse_duplicates(std::string_view s) {
  if (s == "error") return duplicate_policy::error;
  if (s == "mean") return duplicate_policy::mean;
  throw argument_error("--duplicates takes mean or error, got '" + std::string(s) + "'");
}

const char* to_string(duplicate_policy p) noexcept { return p == duplicate_policy::error ? "error" : "mean"; }

calibration parse_calibration(std::string_view s) {
  if (s == "leniency") return calibration::leniency;
  if (s == "zscore") return calibration::zscore;
  if (s == "none") return calibration::none;
  throw argument_error("--calibrate takes leniency, zscore or none, got '" + std::string(s) + "'");
}

output_format parse_output_format(std::string_view s) {
  if (s == "csv") return output_format::csv;
  if (s == "jsonl") return output_format::jsonl;
  throw argument_error("--output-format takes csv or jsonl, got '" + std::string(s) + "'");
}

const char* to_string(output_format f) noexcept { return f == output_format::jsonl ? "jsonl" : "csv"; }

output_format output_format_for(const std::string& path) {
  return ends_with(path, ".jsonl") || ends_with(path, ".ndjson") ? output_format::jsonl : output_format::csv;
}

// ---- rejects -------------------------------------------------------------------

const char* to_string(reject_kind k) noexcept {
  switch (k) {
    case reject_kind::cast_error: return "cast_error";
    case reject_kind::too_many_columns: return "too_many_columns";
    case reject_kind::too_few_columns: return "too_few_columns";
    case reject_kind::invalid_utf8: return "invalid_utf8";
    case reject_kind::line_too_long: return "line_too_long";
    case reject_kind::unterminated_quote: return "unterminated_quote";
    case reject_kind::invalid_quote: return "invalid_quote";
    case reject_kind::missing_value: return "missing_value";
    case reject_kind::unknown_reference: return "unknown_reference";
    case reject_kind::invalid_json: return "invalid_json";
    case reject_kind::duplicate_id: return "duplicate_id";
    case reject_kind::duplicate_observation: return "duplicate_observation";
    case reject_kind::protected_attribute: return "protected_attribute";
    case reject_kind::other: return "other";
  }
  return "other";
}

reject_kind kind_of(const input_error& e) {
  const std::string& d = e.detail();
  switch (e.code()) {
    case errc::value:
      if (starts_with(d, "empty ") || starts_with(d, "missing ")) return reject_kind::missing_value;
      return reject_kind::cast_error;
    case errc::schema:
      if (starts_with(d, "expected ") && d.find(" fields, got ") != std::string::npos) {
        // "expected N fields, got M"
        const std::size_t want = std::strtoull(d.c_str() + 9, nullptr, 10);
        const std::size_t got = std::strtoull(d.c_str() + d.find(", got ") + 6, nullptr, 10);
        return got > want ? reject_kind::too_many_columns : reject_kind::too_few_columns;
      }
      if (starts_with(d, "missing key")) return reject_kind::missing_value;
      if (starts_with(d, "each line must be")) return reject_kind::invalid_json;
      return reject_kind::other;
    case errc::parse:
      if (starts_with(d, "invalid UTF-8")) return reject_kind::invalid_utf8;
      if (starts_with(d, "record is longer") || starts_with(d, "record longer")) return reject_kind::line_too_long;
      if (starts_with(d, "quoted field is not closed")) return reject_kind::unterminated_quote;
      if (starts_with(d, "unexpected character after a closing quote")) return reject_kind::invalid_quote;
      if (starts_with(d, "invalid JSON")) return reject_kind::invalid_json;
      return reject_kind::other;
    case errc::reference: return reject_kind::unknown_reference;
    case errc::duplicate:
      return starts_with(d, "duplicate candidate id") ? reject_kind::duplicate_id : reject_kind::duplicate_observation;
    case errc::protected_attribute: return reject_kind::protected_attribute;
    default: return reject_kind::other;
  }
}

std::size_t column_of(const std::string& place) {
  const auto colon = place.rfind(':');
  if (colon == std::string::npos) return 0;
  return static_cast<std::size_t>(std::strtoull(place.c_str() + colon + 1, nullptr, 10));
}

bool reject_policy::handle(const input_error& e, std::size_t line, bool stuck, std::vector<rejected_row>& rejects,
                           std::optional<input_error>& fatal) const {
  if (!collect || stuck) {
    fatal = e;
    return false;
  }
  rejects.push_back({line, column_of(e.place()), e.code(), kind_of(e), e.detail()});
  return true;
}

// ---- sources and reading whole ---------------------------------------------------

pool_source pool_source::candidates(const std::string& path) {
  pool_source s;
  s.path = path;
  s.format = candidates_format_of(path);
  return s;
}

pool_source pool_source::evidence_file(const std::string& path, const std::optional<std::string>& format) {
  pool_source s;
  s.path = path;
  s.evidence = true;
  s.format = evidence_format_of(path, format);
  return s;
}

aggregate_options pool_source::aggregation() const {
  aggregate_options ao;
  if (calibrate) ao.calibration = *calibrate;
  if (duplicates) ao.duplicates = *duplicates;
  return ao;
}

namespace {
io::candidate_table read_wide(const competency_model& model, const std::string& path) {
  if (ends_with(path, ".json")) {
    auto text = read_text_file<input_error>(path);
    return io::read_candidates_json(io::parse_json<input_error>(text, path), model, path);
  }
  auto reader = io::csv_reader::open(path);
  return io::read_wide_csv(reader, model);
}
}  // namespace

pool_input read_pool(const competency_model& model, const pool_source& src) {
  pool_input in;
  in.path = src.path;
  if (src.format == input_format::wide_csv || src.format == input_format::json_candidates) {
    if (src.evidence && (src.calibrate || src.duplicates))
      throw argument_error("--calibrate and --duplicates need long, jsonl or greenhouse evidence");
    in.table = read_wide(model, in.path);
    return in;
  }
  const aggregate_options ao = src.aggregation();
  observation_table obs;
  if (src.format == input_format::long_csv) {
    auto reader = io::csv_reader::open(in.path);
    obs = io::read_long_csv(reader, model, &in.report);
  } else {
    auto text = read_text_file<input_error>(in.path);
    if (src.format == input_format::jsonl)
      obs = io::read_jsonl(text, in.path, model, &in.report);
    else
      obs = io::read_greenhouse(io::parse_json<input_error>(text, in.path), in.path, model, &in.report);
  }
  if (obs.size() == 0) throw input_error(errc::schema, in.path, "no usable evidence: every value is missing or unmapped");
  in.evidence = aggregate(model, obs, ao);
  in.table.ids = in.evidence->ids;
  in.table.scores = in.evidence->scores;
  in.table.lines.assign(in.table.ids.size(), 0);
  in.observations = std::move(obs);
  return in;
}

}  // namespace merit::pool
