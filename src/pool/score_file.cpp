// score_file: stream, score, rank and write a pool (what `merit score` does
// besides printing): the results as CSV or JSON Lines, bands, --explain
// columns, the rejected rows and the decision log, each file atomically.
#include <merit/pool/score_file.hpp>

#include <merit/pool/atomic_file.hpp>

#include <merit/bands.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/fit.hpp>
#include <merit/io/results.hpp>
#include <merit/rank.hpp>
#include <merit/scoring_hash.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace merit::pool {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

/// One JSON Lines object with the CSV's fields; numbers in the CSV's 6-decimal text.
void append_jsonl_row(std::string& out, const scoring_plan& plan, const io::scored_row& r, io::result_columns cols) {
  out += "{\"rank\":";
  out += std::to_string(r.rank);
  out += ",\"candidate_id\":";
  append_json_string(out, r.candidate_id);
  out += ",\"fit\":";
  if (r.result.has_fit()) io::append_fixed6(out, r.result.fit);
  else out += "null";
  out += ",\"status\":\"";
  out += to_string(r.result.status);
  out += "\",\"coverage\":";
  io::append_fixed6(out, r.result.coverage);
  if (cols.band) {
    out += ",\"band\":";
    out += r.band ? std::to_string(*r.band) : std::string("null");
  }
  if (cols.norms) {
    out += ",\"percentile\":";
    if (r.result.has_fit()) io::append_fixed6(out, cols.norms->percentile(r.result.fit));
    else out += "null";
    out += ",\"norm_group\":";
    append_json_string(out, cols.norms->name());
  }
  if (cols.explain) {
    const auto& ids = plan.competency_ids();
    for (std::size_t k = 0; k < ids.size(); ++k) {
      out += ",\"contrib_" + ids[k] + "\":";
      io::append_fixed6(out, r.contributions ? r.contributions[k] : 0.0);
    }
    for (std::size_t k = 0; k < ids.size(); ++k) {
      out += ",\"gap_" + ids[k] + "\":";
      io::append_fixed6(out, r.gaps ? r.gaps[k] : 0.0);
    }
  }
  out += "}\n";
}

void write_chunk(std::string& buf, atomic_file& f, bool force) {
  if (!force && buf.size() < (1u << 20)) return;
  f.write(buf);
  buf.clear();
}

}  // namespace

void check_run_files(const pool_source& input, const std::string& output_path, const score_options& o,
                     std::vector<run_file> inputs) {
  inputs.push_back({"input", input.path});
  std::vector<run_file> outputs{{"output", output_path}};
  if (o.rejects_path) outputs.push_back({"rejects file", *o.rejects_path});
  if (o.audit_log_path) outputs.push_back({"audit log", *o.audit_log_path});
  check_distinct_files(inputs, outputs);
  struct stat st {};
  if (o.audit_log_path && !o.overwrite_log && ::stat(o.audit_log_path->c_str(), &st) == 0 && S_ISREG(st.st_mode))
    throw argument_error("audit log '" + *o.audit_log_path +
                         "' already exists; a decision log is never replaced silently: give a new path, or "
                         "allow replacing it (overwrite_log, merit score --overwrite-log)");
}

nlohmann::ordered_json to_json(const summary& s) {
  nlohmann::ordered_json j;
  j["rows_read"] = s.rows_read;
  j["scored"] = s.scored;
  j["rejected"] = s.rejected;
  j["rejected_by_kind"] = nlohmann::ordered_json::object();
  for (const auto& [kind, n] : s.rejected_by_kind) j["rejected_by_kind"][kind] = n;
  j["missing_values"] = s.missing_values;
  j["written"] = s.written;
  if (s.qualified_in_top)
    j["qualified_in_top"] = *s.qualified_in_top;
  else
    j["qualified_in_top"] = nullptr;
  j["ungrouped"] = s.ungrouped;
  j["profile"] = s.profile;
  j["output_format"] = to_string(s.format);
  if (s.bands) {
    j["bands"] = {{"sd", s.bands->sd}, {"width", s.bands->width}, {"reliability", s.bands->reliability},
                  {"c", s.bands->c}, {"source", s.bands->source}};
  } else {
    j["bands"] = nullptr;
  }
  return j;
}

summary score_file(const competency_model& model, const pool_source& input, const std::string& output_path,
                   const score_options& o, const progress_fn& progress) {
  if (o.threads == 0) throw argument_error("threads must be at least 1");
  if (o.top && *o.top == 0) throw argument_error("top must be at least 1");
  if (o.reliability && !(*o.reliability >= 0 && *o.reliability <= 1))
    throw argument_error("reliability must be a number in 0..1");
  if (o.band_c && !(*o.band_c > 0)) throw argument_error("band_c must be a number > 0");
  if (o.no_band && (o.reliability || o.band_c)) throw argument_error("no_band excludes reliability and band_c");
  if (o.audit_log_path && input.path == "-")
    throw argument_error("the audit log needs the input in a file (its hash is recorded)");
  check_run_files(input, output_path, o);
  const std::string profile_id = o.profile.empty() ? model.profiles.front().id : o.profile;
  const scoring_plan plan = compile(model, profile_id);
  const norm_group* norms = nullptr;
  if (o.norms) {
    check_norms(*o.norms, profile_id, scoring_hash(model, profile_id), "fit");
    norms = &norms_group(*o.norms, o.norm_group);
  }

  summary sum;
  sum.profile = profile_id;
  sum.format = o.format ? *o.format : output_format_for(output_path);
  const bool jsonl = sum.format == output_format::jsonl;
  std::optional<double> rxx;
  if (o.reliability)
    rxx = o.reliability;
  else if (!o.no_band && plan.reliability())
    rxx = *plan.reliability();

  stream_options so;
  so.threads = o.threads;
  // The decision log records every candidate in ranking order, so it keeps the whole pool.
  if (o.top && !o.audit_log_path) so.top = *o.top;
  so.contributions = o.explain || o.audit_log_path.has_value();
  so.gaps = o.explain;
  if (rxx) so.bands = band_options{*rxx, o.band_c.value_or(band_c_95)};
  so.rejects.collect = o.rejects_path.has_value();
  so.on_progress = progress;
  so.on_evidence = o.on_evidence;

  std::optional<atomic_file> rejects_out, audit_out;
  if (o.rejects_path) rejects_out.emplace(*o.rejects_path);
  if (o.audit_log_path) audit_out.emplace(*o.audit_log_path);
  atomic_file out(output_path);

  const scored_pool pool = score_pool(model, plan, input, so);
  sum.rows_read = pool.rows_read;
  sum.scored = pool.scored;
  sum.rejected = pool.rejects.size();
  for (const auto& r : pool.rejects) ++sum.rejected_by_kind[to_string(r.kind)];
  sum.missing_values = pool.missing_values;
  sum.ungrouped = pool.ungrouped;

  // Bands over every scored fit (docs/design.md): the SD is the sample SD of the fits.
  const bool bands = rxx.has_value();
  if (bands)
    sum.bands = summary::band_summary{pool.fit_sd, pool.band_width, *rxx, o.band_c.value_or(band_c_95),
                                      o.reliability ? o.reliability_source : "profile '" + plan.profile_id() + "'"};
  const std::size_t shown = o.top ? std::min<std::size_t>(pool.order.size(), *o.top) : pool.order.size();
  sum.written = shown;
  if (o.top) sum.qualified_in_top = qualified_count(pool.order, pool.status, shown);
  if (o.on_scored) o.on_scored(sum);

  const io::result_columns cols{o.explain, bands, norms};
  const std::size_t T = static_cast<std::size_t>(plan.size());
  std::string buf;
  if (!jsonl) io::append_csv_header(buf, plan, cols);
  // Formats rows [from, to) into b (pure: rows may be formatted on several threads).
  auto format_rows = [&](std::string& b, std::size_t from, std::size_t to) {
    for (std::size_t r = from; r < to; ++r) {
      const std::size_t i = pool.order[r];
      std::optional<int> band;
      if (bands && pool.band[i] > 0) band = pool.band[i];
      io::scored_row row{r + 1, pool.id(i), fit_result{pool.fit[i], pool.coverage[i], static_cast<status>(pool.status[i])},
                         o.explain ? &pool.contributions[i * T] : nullptr, o.explain ? &pool.gaps[i * T] : nullptr, band};
      if (jsonl) append_jsonl_row(b, plan, row, cols);
      else io::append_csv_row(b, plan, row, cols);
    }
  };
  // Chunks of rows formatted side by side, written in rank order: the bytes
  // are the same at any thread count. A round's chunks are written while the
  // next round is formatted.
  write_chunk(buf, out, true);
  constexpr std::size_t chunk = std::size_t(1) << 15;
  const std::size_t workers = std::max<std::size_t>(1, std::min<std::size_t>(so.threads, (shown + chunk - 1) / chunk));
  std::vector<std::string> cur(workers), prev(workers);
  auto write_all = [&](std::vector<std::string>& bufs) {
    for (auto& b : bufs) write_chunk(b, out, true);
  };
  for (std::size_t r0 = 0; r0 < shown; r0 += chunk * workers) {
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < workers; ++t) {
      const std::size_t from = r0 + t * chunk;
      if (from >= shown) break;
      helpers.emplace_back([&, t, from] { format_rows(cur[t], from, std::min(shown, from + chunk)); });
    }
    try {
      write_all(prev);
    } catch (...) {
      for (auto& h : helpers) h.join();
      throw;
    }
    format_rows(cur[0], r0, std::min(shown, r0 + chunk));
    for (auto& h : helpers) h.join();
    cur.swap(prev);
  }
  write_all(prev);

  if (audit_out) {
    buf = decision_log_header(plan, input.path, sha256_file(input.path), o.command_line).dump() + "\n";
    for (std::size_t r = 0; r < pool.order.size(); ++r) {
      const std::size_t i = pool.order[r];
      buf += decision_log_record(plan, pool.id(i), fit_result{pool.fit[i], pool.coverage[i], static_cast<status>(pool.status[i])},
                                 &pool.contributions[i * T]).dump();
      buf += '\n';
      write_chunk(buf, *audit_out, false);
    }
    write_chunk(buf, *audit_out, true);
  }
  if (rejects_out) {
    buf = "line,column,code,reason\n";
    for (const auto& rj : pool.rejects) {
      buf += std::to_string(rj.line) + "," + std::to_string(rj.column) + "," + to_string(rj.code) + ",";
      io::append_csv_field(buf, rj.reason);
      buf += '\n';
      write_chunk(buf, *rejects_out, false);
    }
    write_chunk(buf, *rejects_out, true);
  }
  // Commit the results last: their presence means the run completed.
  if (rejects_out) rejects_out->commit();
  if (audit_out) audit_out->commit();
  out.commit();
  return sum;
}

}  // namespace merit::pool
