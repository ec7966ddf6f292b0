// parse_score_request: score_file's options as a JSON object (the C ABI).
#include <merit/pool/options_json.hpp>

#include <nlohmann/json.hpp>

namespace merit::pool {
namespace {

using json = nlohmann::json;

[[noreturn]] void bad(errc code, const std::string& key, const std::string& detail) {
  throw input_error(code, "/" + key, detail);
}

std::string string_of(const json& v, const std::string& key) {
  if (!v.is_string()) bad(errc::schema, key, "must be a string");
  return v.get<std::string>();
}

bool bool_of(const json& v, const std::string& key) {
  if (!v.is_boolean()) bad(errc::schema, key, "must be true or false");
  return v.get<bool>();
}

double number_of(const json& v, const std::string& key) {
  if (!v.is_number()) bad(errc::schema, key, "must be a number");
  return v.get<double>();
}

long long integer_of(const json& v, const std::string& key, long long lo, long long hi) {
  const std::string range = "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!v.is_number_integer()) bad(errc::schema, key, range);
  const bool in_range = v.is_number_unsigned()
                            ? v.get<unsigned long long>() <= static_cast<unsigned long long>(hi) &&
                                  v.get<unsigned long long>() >= static_cast<unsigned long long>(lo)
                            : v.get<long long>() >= lo && v.get<long long>() <= hi;
  if (!in_range)
    bad(errc::value, key, range);
  return v.get<long long>();
}

/// Runs a name parser of options.hpp, placing its error at `key`.
template <class F>
auto named(const std::string& key, const F& f) {
  try {
    return f();
  } catch (const argument_error& e) {
    bad(errc::value, key, e.detail());
  }
}

}  // namespace

score_request parse_score_request(std::string_view text, const std::string& input_path) {
  json doc;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    doc = json::object();
  } else {
    try {
      doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
      const std::string what = e.what();
      const auto colon = what.find(": ");
      throw input_error(errc::parse, "", "options are not valid JSON: " +
                                             (colon == std::string::npos ? what : what.substr(colon + 2)));
    }
  }
  if (!doc.is_object()) throw input_error(errc::schema, "", "options must be a JSON object");
  score_request r;
  bool evidence = false;
  std::optional<std::string> format;
  for (const auto& [key, v] : doc.items()) {
    if (key == "evidence") evidence = bool_of(v, key);
    else if (key == "format") format = string_of(v, key);
    else if (key == "profile") r.options.profile = string_of(v, key);
    else if (key == "calibrate") {
      const std::string s = string_of(v, key);
      r.input.calibrate = named(key, [&] { return parse_calibration(s); });
    } else if (key == "duplicates") {
      const std::string s = string_of(v, key);
      r.input.duplicates = named(key, [&] { return parse_duplicates(s); });
    } else if (key == "threads") r.options.threads = static_cast<unsigned>(integer_of(v, key, 1, 1024));
    else if (key == "top") r.options.top = static_cast<std::size_t>(integer_of(v, key, 1, 1'000'000'000'000LL));
    else if (key == "explain") r.options.explain = bool_of(v, key);
    else if (key == "output_format") {
      const std::string s = string_of(v, key);
      r.options.format = named(key, [&] { return parse_output_format(s); });
    } else if (key == "rejects") r.options.rejects_path = string_of(v, key);
    else if (key == "reliability") {
      const double x = number_of(v, key);
      if (!(x >= 0 && x <= 1)) bad(errc::value, key, "must be a number in 0..1");
      r.options.reliability = x;
      r.options.reliability_source = "options";
    } else if (key == "band_c") {
      const double x = number_of(v, key);
      if (!(x > 0)) bad(errc::value, key, "must be a number > 0");
      r.options.band_c = x;
    } else if (key == "no_band") r.options.no_band = bool_of(v, key);
    else if (key == "audit_log") r.options.audit_log_path = string_of(v, key);
    else if (key == "overwrite_log") r.options.overwrite_log = bool_of(v, key);
    else bad(errc::schema, key, "unknown option (expected profile, evidence, format, calibrate, duplicates, threads, "
                                "top, explain, output_format, rejects, reliability, band_c, no_band, audit_log, "
                                "overwrite_log)");
  }
  const auto calibrate = r.input.calibrate;
  const auto duplicates = r.input.duplicates;
  if (format && *format == "json") {
    r.input = pool_source::candidates(input_path);
    r.input.format = input_format::json_candidates;
  } else if (evidence) {
    r.input = named("format", [&] { return pool_source::evidence_file(input_path, format); });
  } else {
    r.input = pool_source::candidates(input_path);
    if (format) {
      const input_format f = named("format", [&] { return parse_evidence_format(*format); });
      if (f != input_format::wide_csv && f != input_format::json_candidates)
        bad(errc::value, "format", "'" + *format + "' is an evidence format: set \"evidence\": true");
      r.input.format = f;
    }
  }
  r.input.calibrate = calibrate;
  r.input.duplicates = duplicates;
  if (!r.input.evidence && (calibrate || duplicates))
    bad(errc::value, calibrate ? "calibrate" : "duplicates", "goes with evidence (\"evidence\": true)");
  if (r.options.no_band && (r.options.reliability || r.options.band_c))
    bad(errc::value, "no_band", "excludes reliability and band_c");
  return r;
}

}  // namespace merit::pool
