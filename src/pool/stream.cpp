// The streaming pool engine: workers, evidence grouping, the ordered merge
// (duplicate ids, rejects, top-K) and the entry points of pool/stream.hpp.
#include <merit/pool/stream.hpp>

#include "block_reader.hpp"
#include "id_set.hpp"
#include "pipeline.hpp"

#include <merit/io/candidates.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/evidence.hpp>
#include <merit/bands.hpp>
#include <merit/protected.hpp>
#include <merit/rank.hpp>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>

namespace merit::pool {
namespace {

using namespace internal;

// ---- workers -------------------------------------------------------------------

/// Candidate i of kept block k is known as k << block_shift | i (a block has
/// fewer than 2^22 records: it holds at most ~2 MiB of text).
constexpr unsigned block_shift = 22;
constexpr std::size_t block_mask = (std::size_t(1) << block_shift) - 1;

/// What a worker hands back: scored candidates of a block, in input order.
struct block_out {
  std::size_t rows = 0, missing = 0, bytes = 0;
  std::string ids;
  std::vector<std::size_t> id_end;
  std::vector<std::uint64_t> hash;
  std::vector<std::size_t> line;
  std::vector<double> fit, cov;
  std::vector<std::int8_t> st;
  std::vector<std::int64_t> key;
  std::vector<double> contrib, gaps;
  std::vector<rejected_row> rejects;
  std::vector<std::uint32_t> dropped;  ///< indices rejected later as duplicates (ascending)
  std::optional<input_error> fatal;  ///< the first bad row, when rejects are not collected

  std::size_t size() const { return id_end.size(); }
  std::string_view id(std::size_t i) const {
    const std::size_t b = i ? id_end[i - 1] : 0;
    return std::string_view(ids).substr(b, id_end[i] - b);
  }
};

/// Polls the progress callback after each merged block; a false answer cancels.
class progress_poll {
 public:
  progress_poll(const progress_fn& fn, std::optional<std::size_t> size) : fn_(fn) { p_.total_bytes = size; }
  void update(std::size_t rows, std::size_t bytes) {
    if (!fn_) return;
    p_.rows = rows;
    p_.bytes = bytes;
    if (!fn_(p_)) throw cancelled();
  }

 private:
  const progress_fn& fn_;
  progress p_;
};

/// Scores one candidate into `out`.
void add_scored(block_out& out, const scoring_plan& plan, const stream_options& opt, std::string_view id,
                std::size_t line, const double* x, std::vector<double>& c, std::vector<double>& g) {
  const fit_result r = score_one(plan, x, 1, opt.contributions ? c.data() : nullptr, opt.gaps ? g.data() : nullptr);
  out.ids.append(id);
  out.id_end.push_back(out.ids.size());
  out.hash.push_back(std::hash<std::string_view>{}(id));
  out.line.push_back(line);
  out.fit.push_back(r.fit);
  out.cov.push_back(r.coverage);
  out.st.push_back(static_cast<std::int8_t>(r.status));
  out.key.push_back(rank_key(r.status, r.fit));
  if (opt.contributions) out.contrib.insert(out.contrib.end(), c.begin(), c.end());
  if (opt.gaps) out.gaps.insert(out.gaps.end(), g.begin(), g.end());
}


/// Parses and scores a block of wide CSV records. Records without quotes take
/// a fast path (wide_header::parse_plain); a record it does not take, and
/// every record of a block with quotes, goes through csv_reader and
/// wide_header::parse_row, which place and word every error.
block_out score_wide_block(const std::string& text, std::size_t first_line, const std::string& source,
                           const io::wide_header& header, const competency_model& model, const scoring_plan& plan,
                           const stream_options& opt) {
  block_out out;
  const std::size_t C = model.competencies.size(), T = static_cast<std::size_t>(plan.size());
  std::vector<double> row(C), c(T), g(T);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t records = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  out.id_end.reserve(records);
  out.hash.reserve(records);
  out.line.reserve(records);
  out.fit.reserve(records);
  out.cov.reserve(records);
  out.st.reserve(records);
  out.key.reserve(records);
  out.ids.reserve(text.size() / 4);

  // Reads records of `r` until its end: the general path.
  auto general = [&](io::csv_reader& r, bool one) {
    for (;;) {
      const std::size_t before = r.bytes_read();
      bool counted = false;
      try {
        if (!r.next()) return true;
        ++out.rows;
        counted = true;
        std::fill(row.begin(), row.end(), nan);
        const std::string_view id = header.parse_row(r, row.data());
        add_scored(out, plan, opt, id, r.line(), row.data(), c, g);
      } catch (const input_error& e) {
        // A record the reader could not get past (too long, a quote never
        // closed) is fatal even with rejects: what follows cannot be split.
        const bool stuck = r.bytes_read() == before;
        if (!counted && !stuck) ++out.rows;
        if (!opt.rejects.handle(e, r.line(), stuck, out.rejects, out.fatal)) return false;
      }
      if (one) return true;
    }
  };
  if (std::memchr(text.data(), '"', text.size())) {
    io::csv_reader r(text, source, {}, first_line);
    general(r, false);
    return out;
  }
  each_record(text, first_line, true, [&](std::string_view rec, std::string_view whole, std::size_t line, bool plain) {
    std::fill(row.begin(), row.end(), nan);
    std::string_view id;
    if (plain && header.parse_plain(rec.data(), rec.data() + rec.size(), row.data(), id)) {
      ++out.rows;
      add_scored(out, plan, opt, id, line, row.data(), c, g);
      return true;
    }
    io::csv_reader r(whole, source, {}, line);
    return general(r, true);
  });
  return out;
}

// ---- evidence --------------------------------------------------------------------

/// One evidence row, resolved against the model. Its strings are views: into
/// the block's text, or into strings kept alongside (ev_parsed::owned, ev_group).
struct ev_row {
  std::string_view candidate, rater;
  std::uint32_t competency, method;
  double level;
  std::size_t line;
};

/// The rows of a block of evidence, with its accounting.
struct ev_parsed {
  std::size_t rows = 0, missing = 0, bytes = 0;
  std::vector<ev_row> obs;
  std::deque<std::string> owned;  ///< strings the views of rows read by the general paths point into
  std::vector<rejected_row> rejects;
  std::optional<input_error> fatal;

  std::string_view own(std::string_view s) { return owned.emplace_back(s); }
};

/// A candidate's evidence rows, owning their strings: a group that may go on
/// in the next block, or one of a pass over ungrouped evidence.
struct ev_group {
  ev_group() = default;
  ev_group(ev_group&&) = default;
  ev_group& operator=(ev_group&&) = default;
  ev_group(const ev_group&) = delete;
  ev_group& operator=(const ev_group&) = delete;

  std::string candidate;
  std::deque<std::string> raters;
  std::vector<ev_row> rows;

  bool empty() const { return rows.empty(); }
  void add(const ev_row& r) {
    rows.push_back(r);
    rows.back().candidate = {};  // the group's candidate (a view into it would not survive a move)
    rows.back().rater = raters.emplace_back(r.rater);
  }
};

/// A run of one candidate's rows, as score_groups reads it.
struct group_ref {
  std::string_view candidate;
  const ev_row* begin;
  const ev_row* end;
};

group_ref ref(const ev_group& g) { return {g.candidate, g.rows.data(), g.rows.data() + g.rows.size()}; }

struct long_header {
  std::size_t col[5];
  std::size_t width;
};

long_header parse_long_header(const std::string& text, std::size_t line, const std::string& source) {
  io::csv_reader r(text, source, {}, line);
  r.next();
  const char* names[5] = {"candidate_id", "competency_id", "method", "rater", "value"};
  long_header h{};
  for (auto& c : h.col) c = SIZE_MAX;
  for (std::size_t j = 0; j < r.size(); ++j) {
    const std::string name(r[j]);
    bool known = false;
    for (int k = 0; k < 5; ++k) {
      if (name != names[k]) continue;
      if (h.col[k] != SIZE_MAX) throw input_error(errc::duplicate, r.place(j), "duplicate column '" + name + "'");
      h.col[k] = j;
      known = true;
    }
    if (!known) check_not_protected<input_error>("column", name, r.place(j));
  }
  for (int k = 0; k < 5; ++k)
    if (h.col[k] == SIZE_MAX)
      throw input_error(errc::schema, r.place_at(r.line(), 1),
                        std::string("missing column '") + names[k] +
                            "' (long evidence needs candidate_id,competency_id,method,rater,value)");
  h.width = r.size();
  return h;
}

/// Runs `body` (reads one row; false at the end) until the end, handling
/// bad rows; `position()` tells whether the reader got past a bad record,
/// `line_at` is the line of the row being read, `counted` whether it was
/// counted. Returns false after a fatal row.
template <class Body, class Position>
bool each_row(ev_parsed& out, const stream_options& opt, const std::size_t& line_at, bool& counted, Body body,
              Position position) {
  for (;;) {
    const std::size_t before = position();
    counted = false;
    try {
      if (!body()) return true;
    } catch (const input_error& e) {
      const bool stuck = position() == before;
      if (!counted && !stuck) ++out.rows;
      if (!opt.rejects.handle(e, line_at, stuck, out.rejects, out.fatal)) return false;
    }
  }
}

/// Long CSV rows of `r` (the general path: quotes, odd records), read to its end.
bool parse_long_records(io::csv_reader& r, const long_header& h, io::detail::row_resolver& resolve, const stream_options& opt,
                        ev_parsed& out) {
  std::size_t line = 0;
  bool counted = false;
  ev_row row{};
  return each_row(out, opt, line, counted, [&] {
    line = 0;
    if (!r.next()) return false;
    line = r.line();
    ++out.rows;
    counted = true;
    if (r.size() != h.width)
      throw input_error(errc::schema, r.place_at(r.line(), 1),
                        "expected " + std::to_string(h.width) + " fields, got " + std::to_string(r.size()));
    auto place = [&](int k) { return r.place(h.col[k]); };
    if (resolve(r[h.col[0]], r[h.col[1]], r[h.col[2]], r[h.col[3]], r[h.col[4]], place, row)) {
      row.candidate = out.own(r[h.col[0]]);
      row.rater = out.own(r[h.col[3]]);
      row.line = line;
      out.obs.push_back(row);
    } else {
      ++out.missing;
    }
    return true;
  }, [&] { return r.bytes_read(); });
}

/// Parses a block of long CSV. Records without quotes are split in place (their
/// fields are views into `text`, columns are byte offsets as csv_reader counts
/// them); a record with anything unusual, and every record of a block with
/// quotes, goes through csv_reader.
ev_parsed parse_long_block(const std::string& text, std::size_t first_line, const std::string& source,
                           const long_header& h, const competency_model& model, const stream_options& opt) {
  ev_parsed out;
  io::detail::row_resolver resolve(model, true);
  out.obs.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  if (std::memchr(text.data(), '"', text.size())) {
    io::csv_reader r(text, source, {}, first_line);
    parse_long_records(r, h, resolve, opt, out);
    return out;
  }
  constexpr std::size_t max_fields = 16;
  // Fields as start and end offsets in the record (8-byte stores and loads:
  // string_views written in two halves and read whole stall the load).
  std::size_t start[max_fields], stop[max_fields];
  each_record(text, first_line, false, [&](std::string_view rec, std::string_view whole, std::size_t line, bool plain) {
    std::size_t n = 0;
    plain = plain && h.width <= max_fields;
    const char* const rec_end = rec.data() + rec.size();
    std::uint64_t high = 0;  // any byte >= 0x80: the record's UTF-8 is checked
    for (const char* b = rec.data(); plain;) {
      const char* c = b;
      // The next comma, 8 bytes at a time while they are in the record: the
      // lowest zero byte of word ^ ",,,,,,,," is exactly found by the
      // (x - 0x01..) & ~x & 0x80.. test (borrows only reach higher bytes).
      for (; c + 8 <= rec_end; c += 8) {
        std::uint64_t w;
        std::memcpy(&w, c, 8);
        high |= w;
        const std::uint64_t x = w ^ 0x2c2c2c2c2c2c2c2cull;
        const std::uint64_t t = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
        if (t) {
          c += __builtin_ctzll(t) / 8;
          goto found;
        }
      }
      for (; c < rec_end && *c != ','; ++c) high |= static_cast<unsigned char>(*c);
    found:
      if (n == h.width) {
        plain = false;
        break;
      }
      start[n] = static_cast<std::size_t>(b - rec.data());
      stop[n++] = static_cast<std::size_t>(c - rec.data());
      if (c == rec_end) break;
      b = c + 1;
    }
    if (plain && (high & 0x8080808080808080ull))
      plain = io::detail::utf8_invalid_at(reinterpret_cast<const unsigned char*>(rec.data()), rec.size()) == rec.size();
    if (!plain || n != h.width) {
      io::csv_reader r(whole, source, {}, line);
      return parse_long_records(r, h, resolve, opt, out);
    }
    ++out.rows;
    const auto field = [&](int k) { return rec.substr(start[h.col[k]], stop[h.col[k]] - start[h.col[k]]); };
    ev_row& row = out.obs.emplace_back();  // filled in place (see above)
    try {
      auto place = [&](int k) { return source + ":" + std::to_string(line) + ":" + std::to_string(start[h.col[k]] + 1); };
      if (resolve(field(0), field(1), field(2), field(3), field(4), place, row)) {
        row.candidate = field(0);
        row.rater = field(3);
        row.line = line;
      } else {
        out.obs.pop_back();
        ++out.missing;
      }
    } catch (const input_error& e) {
      out.obs.pop_back();
      if (!opt.rejects.handle(e, line, false, out.rejects, out.fatal)) return false;
    }
    return true;
  });
  return out;
}

ev_parsed parse_jsonl_block(const std::string& text, std::size_t first_line, const std::string& source,
                            const competency_model& model, const stream_options& opt) {
  ev_parsed out;
  io::detail::row_resolver resolve(model, true);
  std::size_t pos = 0, line = first_line - 1, at = 0;
  bool counted = false;
  ev_row row{};
  each_row(out, opt, at, counted, [&] {
    std::string_view ln;
    for (;;) {
      if (pos >= text.size()) return false;
      std::size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      ln = std::string_view(text).substr(pos, end - pos);
      pos = end + 1;
      ++line;
      if (!ln.empty() && ln.back() == '\r') ln.remove_suffix(1);
      if (ln.find_first_not_of(" \t") != std::string_view::npos) break;
    }
    at = line;
    ++out.rows;
    counted = true;
    const io::jsonl_row f = io::parse_jsonl_line(ln, source, line);
    if (resolve(f.candidate_id, f.competency_id, f.method, f.rater, f.value, [&](int) { return f.place; }, row)) {
      row.candidate = out.own(f.candidate_id);
      row.rater = out.own(f.rater);
      row.line = line;
      out.obs.push_back(row);
    } else {
      ++out.missing;
    }
    return true;
  }, [&] { return pos; });
  return out;
}

/// Aggregates whole candidates and scores them. Each candidate goes through
/// the same steps as merit::aggregate without calibration (order_ratings,
/// merge_repeats, emit_cells), one candidate at a time: the rows of a
/// candidate are together here, so no observation table is needed.
block_out score_groups(const std::vector<group_ref>& groups, const std::string& source, const competency_model& model,
                       const scoring_plan& plan, const stream_options& opt) {
  struct rating {
    std::uint32_t key;
    std::uint32_t row;  ///< index into the group's rows
    double level;
    const ev_row* from;
  };
  const std::size_t C = model.competencies.size(), M = model.methods.size();
  const std::size_t T = static_cast<std::size_t>(plan.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> c(T), g(T), score(C), sd(C), se(C);
  std::vector<std::int32_t> count(C);
  std::vector<std::uint32_t> methods(C);
  std::vector<rating> ratings;
  std::vector<detail::merged_rating> merged;
  const auto rater_less = [](const rating& a, const rating& b) { return io::detail::bytes_less(a.from->rater, b.from->rater); };
  const auto same_rater = [](const rating& a, const rating& b) { return io::detail::same_bytes(a.from->rater, b.from->rater); };
  const auto rater_of = [](const rating&) { return 0u; };
  block_out out;
  for (const auto& grp : groups) {
    ratings.clear();
    std::uint32_t row = 0;
    for (const ev_row* r = grp.begin; r != grp.end; ++r)
      ratings.push_back({static_cast<std::uint32_t>(r->competency * M + r->method), row++, r->level, r});
    detail::order_ratings(ratings.data(), ratings.data() + ratings.size(), rater_less);
    const auto repeat = [&](const rating& first, const rating& dup) {
      if (opt.duplicates != duplicate_policy::error) return;
      throw detail::duplicate_observation(source + ":" + std::to_string(dup.from->line), grp.candidate,
                                          model.competencies[dup.from->competency].id, model.methods[dup.from->method].id,
                                          dup.from->rater, source + ":" + std::to_string(first.from->line));
    };
    merged.clear();
    try {
      detail::merge_repeats(ratings.data(), ratings.data() + ratings.size(), 0, same_rater, repeat, rater_of, merged);
    } catch (const input_error& e) {
      out.fatal = e;  // a duplicate observation under --duplicates error
      return out;
    }
    std::fill(score.begin(), score.end(), nan);
    detail::emit_cells(model, 0, merged.data(), merged.data() + merged.size(), false,
                       {score.data(), sd.data(), se.data(), count.data(), methods.data()});
    add_scored(out, plan, opt, grp.candidate, grp.begin->line, score.data(), c, g);
  }
  return out;
}

/// What a worker hands back for a block of evidence grouped by candidate: its
/// first and last candidate groups as rows (they may go on in the blocks
/// around it), and the groups between them scored.
struct ev_out {
  std::size_t rows = 0, missing = 0, bytes = 0;
  std::vector<rejected_row> rejects;
  std::optional<input_error> fatal;
  std::size_t groups = 0;
  ev_group head, tail;
  std::vector<std::uint64_t> inner_hash;  ///< id hashes of the inner groups, in order
  block_out inner;
};

std::uint64_t id_hash(std::string_view id) { return std::hash<std::string_view>{}(id); }

/// Groups a parsed block by candidate (consecutive rows) and scores the inner groups.
ev_out group_block(ev_parsed&& p, const std::string& source, const competency_model& model, const scoring_plan& plan,
                   const stream_options& opt) {
  ev_out out;
  out.rows = p.rows;
  out.missing = p.missing;
  out.rejects = std::move(p.rejects);
  out.fatal = std::move(p.fatal);
  std::vector<group_ref> groups;
  const ev_row* rows = p.obs.data();
  const std::size_t n = p.obs.size();
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && io::detail::same_bytes(rows[j].candidate, rows[i].candidate)) ++j;
    groups.push_back({rows[i].candidate, rows + i, rows + j});
    i = j;
  }
  out.groups = groups.size();
  if (groups.empty()) return out;
  auto own = [](const group_ref& g, ev_group& to) {
    to.candidate.assign(g.candidate);
    for (const ev_row* r = g.begin; r != g.end; ++r) to.add(*r);
  };
  own(groups.front(), out.head);
  if (groups.size() == 1) return out;
  own(groups.back(), out.tail);
  std::vector<group_ref> inner(groups.begin() + 1, groups.end() - 1);
  for (const auto& g : inner) out.inner_hash.push_back(id_hash(g.candidate));
  if (!inner.empty()) out.inner = score_groups(inner, source, model, plan, opt);
  return out;
}

// ---- merging in input order --------------------------------------------------------


/// Welford's running mean and sum of squares over the finite fits: fed in
/// input order, the same arithmetic in the same order as a pass over an array
/// of every fit (so the same bits), without the array.
struct running_sd {
  double n = 0, mean = 0, m2 = 0;
  void add(double f) {
    if (!std::isfinite(f)) return;
    n += 1;
    const double d = f - mean;
    mean += d / n;
    m2 += d * (f - mean);
  }
  /// The sample SD (n - 1); 0 with fewer than 2 fits.
  double sd() const { return n > 1 ? std::sqrt(m2 / (n - 1)) : 0.0; }
};

struct top_entry {
  std::int64_t key;
  std::string id;
  double fit, cov;
  std::int8_t st;
  std::size_t seq;
  std::vector<double> contrib, gaps;
};

struct top_worse {  // heap order: the worst-ranked entry on top
  bool operator()(const top_entry& a, const top_entry& b) const { return ranks_before(a.key, a.id, b.key, b.id); }
};

/// Takes scored blocks in input order: duplicate ids, rejects, kept candidates.
class collector {
 public:
  collector(const scoring_plan& plan, const stream_options& opt, const std::string& source, bool check_duplicates,
            scored_pool& out)
      : opt_(opt), T_(static_cast<std::size_t>(plan.size())), source_(source), check_dup_(check_duplicates),
        seen_(!opt.top), out_(out) {}

  /// Sizes the duplicate check for about `n` candidates.
  void expect(std::size_t n) {
    if (check_dup_) seen_.reserve(n);
  }

  /// Takes the next block in input order (one thread at a time).
  void take(block_out& b) {
    out_.rows_read += b.rows;
    out_.missing_values += b.missing;
    for (auto& r : b.rejects) out_.rejects.push_back(std::move(r));
    b.rejects.clear();
    block_out* kept = &b;
    MERIT_EXPECTS(b.size() <= block_mask, "a block holds fewer than 2^22 candidates");
    if (!opt_.top) {  // the whole pool is kept: blocks are kept as they are, laid out at the end
      raw_start_.push_back(raw_count_);
      blocks_.push_back(std::move(b));
      kept = &blocks_.back();
    }
    const std::size_t base = raw_count_;
    raw_count_ += kept->size();
    if (check_dup_) check_duplicates(*kept, base);
    const std::size_t n = kept->size();
    std::size_t d = 0;  // next dropped index
    for (std::size_t i = 0; i < n; ++i) {
      if (d < kept->dropped.size() && kept->dropped[d] == i) {
        ++d;
        continue;
      }
      const std::size_t seq = out_.scored++;
      if (opt_.bands) fit_sd_.add(kept->fit[i]);
      if (opt_.top) offer(*kept, i, seq);
    }
    if (kept->fatal) throw *kept->fatal;
  }

  /// Ranks the kept candidates and lays them out in rank order (on opt.threads threads).
  void finish() {
    std::stable_sort(out_.rejects.begin(), out_.rejects.end(),
                     [](const rejected_row& a, const rejected_row& b) { return a.line < b.line; });
    if (opt_.top) {
      std::sort(heap_.begin(), heap_.end(), top_worse{});
      for (auto& e : heap_) append(e.id, e.fit, e.cov, e.st, e.seq, e.contrib.data(), e.gaps.data());
      out_.order.resize(heap_.size());
      std::iota(out_.order.begin(), out_.order.end(), std::size_t(0));
      // Candidates left out that tie the last kept one on the rounded fit may
      // have a higher raw fit: fixed_bands over every fit would have seen them.
      std::vector<double> extra;
      if (!heap_.empty())
        for (const auto& [key, fit] : spill_)
          if (key == heap_.back().key) extra.push_back(fit);
      assign_bands(extra);
      return;
    }
    // Candidates stay in their blocks; a rank entry's index is block << shift | position.
    const std::size_t B = blocks_.size();
    std::vector<std::size_t> at(B + 1, 0);  // kept candidates before each block
    for (std::size_t k = 0; k < B; ++k) at[k + 1] = at[k] + blocks_[k].size() - blocks_[k].dropped.size();
    const std::size_t n = at[B];
    std::vector<detail::rank_entry> e(n);
    parallel_for(opt_.threads, B, [&](std::size_t k) {
      const block_out& b = blocks_[k];
      std::size_t o = at[k], d = 0;
      for (std::size_t i = 0; i < b.size(); ++i) {
        if (d < b.dropped.size() && b.dropped[d] == i) {
          ++d;
          continue;
        }
        e[o] = {b.key[i], detail::id_prefix(b.id(i)), k << block_shift | i};
        ++o;
      }
    });
    // Each block's columns at hand (a deque lookup per access would add two
    // dependent loads to every random read below).
    struct columns {
      const double *fit, *cov, *contrib, *gaps;
      const std::int8_t* st;
      const std::size_t* id_end;
      const char* ids;
    };
    std::vector<columns> col(B);
    for (std::size_t k = 0; k < B; ++k) {
      const block_out& b = blocks_[k];
      col[k] = {b.fit.data(), b.cov.data(), b.contrib.data(), b.gaps.data(), b.st.data(), b.id_end.data(), b.ids.data()};
    }
    const auto id_of = [&col](std::size_t x) {
      const columns& c = col[x >> block_shift];
      const std::size_t i = x & block_mask, begin = i ? c.id_end[i - 1] : 0;
      return std::string_view(c.ids + begin, c.id_end[i] - begin);
    };
    detail::sort_rank_entries(e, id_of, opt_.threads);
    // Lay the candidates out in rank order (tight gathers, whose cache misses
    // overlap, on every thread), so that writing the results reads memory in order.
    out_.fit.resize(n);
    out_.coverage.resize(n);
    out_.status.resize(n);
    out_.id_end.resize(n);
    if (opt_.contributions) out_.contributions.resize(n * T_);
    if (opt_.gaps) out_.gaps.resize(n * T_);
    constexpr std::size_t chunk = std::size_t(1) << 14;
    const std::size_t chunks = (n + chunk - 1) / chunk;
    std::vector<std::size_t> chunk_bytes(chunks + 1, 0);
    std::vector<const char*> id_src(n);  // where each ranked id starts, found by the first pass
    parallel_for(opt_.threads, chunks, [&](std::size_t c) {
      const std::size_t r0 = c * chunk, r1 = std::min(n, r0 + chunk);
      std::size_t bytes = 0;
      for (std::size_t r = r0; r < r1; ++r) {
        const columns& b = col[e[r].index >> block_shift];
        const std::size_t i = e[r].index & block_mask, begin = i ? b.id_end[i - 1] : 0;
        out_.fit[r] = b.fit[i];
        id_src[r] = b.ids + begin;
        bytes += b.id_end[i] - begin;
        out_.id_end[r] = bytes;
      }
      for (std::size_t r = r0; r < r1; ++r)
        out_.coverage[r] = col[e[r].index >> block_shift].cov[e[r].index & block_mask];
      for (std::size_t r = r0; r < r1; ++r)
        out_.status[r] = col[e[r].index >> block_shift].st[e[r].index & block_mask];
      if (opt_.contributions)
        for (std::size_t r = r0; r < r1; ++r)
          std::copy_n(&col[e[r].index >> block_shift].contrib[(e[r].index & block_mask) * T_], T_,
                      &out_.contributions[r * T_]);
      if (opt_.gaps)
        for (std::size_t r = r0; r < r1; ++r)
          std::copy_n(&col[e[r].index >> block_shift].gaps[(e[r].index & block_mask) * T_], T_, &out_.gaps[r * T_]);
      chunk_bytes[c + 1] = bytes;
    });
    for (std::size_t c = 0; c < chunks; ++c) chunk_bytes[c + 1] += chunk_bytes[c];
    out_.id_bytes.resize(chunk_bytes[chunks]);
    parallel_for(opt_.threads, chunks, [&](std::size_t c) {
      const std::size_t r0 = c * chunk, r1 = std::min(n, r0 + chunk);
      char* dst = &out_.id_bytes[0] + chunk_bytes[c];
      constexpr std::size_t ahead = 16;  // the gathers miss the cache: fetch ahead
      for (std::size_t r = r0; r < r1; ++r) {
        if (r + ahead < r1) __builtin_prefetch(id_src[r + ahead]);
        const std::size_t size = out_.id_end[r] - (r > r0 ? out_.id_end[r - 1] - chunk_bytes[c] : 0);
        std::memcpy(dst, id_src[r], size);
        dst += size;
        out_.id_end[r] += chunk_bytes[c];
      }
    });
    blocks_.clear();
    out_.order.resize(n);
    std::iota(out_.order.begin(), out_.order.end(), std::size_t(0));
    assign_bands({});
  }

 private:
  /// The id of candidate `raw` (counted over every candidate of the kept blocks).
  std::string_view raw_id(std::size_t raw) const {
    const std::size_t k = static_cast<std::size_t>(std::upper_bound(raw_start_.begin(), raw_start_.end(), raw) -
                                                   raw_start_.begin()) - 1;
    return blocks_[k].id(raw - raw_start_[k]);
  }
  std::size_t raw_line(std::size_t raw) const {
    const std::size_t k = static_cast<std::size_t>(std::upper_bound(raw_start_.begin(), raw_start_.end(), raw) -
                                                   raw_start_.begin()) - 1;
    return blocks_[k].line[raw - raw_start_[k]];
  }

  /// Marks the candidates of `b` whose id came earlier as dropped (rejected).
  void check_duplicates(block_out& b, std::size_t base) {
    const auto id_of = [this](std::size_t raw) { return raw_id(raw); };
    constexpr std::size_t ahead = 16;  // id-set slots fetched ahead of their insertion
    const std::size_t n = b.size();
    for (std::size_t i = 0; i < std::min(ahead, n); ++i) seen_.prefetch(b.hash[i]);
    for (std::size_t i = 0; i < n; ++i) {
      if (i + ahead < n) seen_.prefetch(b.hash[i + ahead]);
      const std::string_view id = b.id(i);
      const std::size_t earlier = seen_.insert(b.hash[i], id, base + i, id_of);
      if (earlier == SIZE_MAX) continue;
      const std::string detail =
          "duplicate candidate id '" + std::string(id) + "' (" +
          (opt_.top ? std::string("an earlier row has the same id hash; see docs/cli-score.md")
                    : "first at line " + std::to_string(raw_line(earlier))) + ")";
      const input_error e(errc::duplicate, source_ + ":" + std::to_string(b.line[i]) + ":1", detail);
      std::optional<input_error> fatal;
      if (!opt_.rejects.handle(e, b.line[i], false, out_.rejects, fatal)) throw *fatal;
      b.dropped.push_back(static_cast<std::uint32_t>(i));
    }
  }

  /// The SD (over every scored fit), the width, and fixed_bands walked over
  /// the kept qualified candidates in rank order (plus `extra` fits left out
  /// that tie the last one): bands are formed among qualified candidates
  /// only (docs/design.md), who come first in rank order; the others get
  /// band 0 (none). Ranks group equal rounded fits, and each group is walked
  /// by raw fit descending, which is fixed_bands' order over every qualified
  /// fit down to the last kept one; a band depends only on the fits above it.
  void assign_bands(std::vector<double> extra) {
    if (!opt_.bands) return;
    out_.fit_sd = fit_sd_.sd();
    out_.band_width = band_width(out_.fit_sd, opt_.bands->reliability, opt_.bands->c > 0 ? opt_.bands->c : band_c_95);
    const double width = out_.band_width;
    MERIT_EXPECTS(std::isfinite(width) && width >= 0, "fixed_bands: width must be a finite number >= 0");
    const std::size_t n = out_.fit.size();
    out_.band.assign(n, 0);
    int current = 0;
    double top = 0;
    std::vector<std::pair<double, std::size_t>> run;
    std::size_t q = 0;  // kept qualified candidates: the first q in rank order
    while (q < n && out_.status[q] == static_cast<std::int8_t>(status::qualified)) ++q;
    for (std::size_t r = 0; r < q;) {
      const std::int64_t key = display_key(out_.fit[r]);
      std::size_t s = r;
      run.clear();
      for (; s < q && display_key(out_.fit[s]) == key; ++s)
        if (std::isfinite(out_.fit[s])) run.emplace_back(out_.fit[s], s);
      if (s == n)
        for (double f : extra)
          if (std::isfinite(f) && display_key(f) == key) run.emplace_back(f, SIZE_MAX);
      std::sort(run.begin(), run.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      for (const auto& [f, at] : run) {
        if (current == 0 || top - f > width) {  // the highest fit outside the open band opens the next one
          ++current;
          top = f;
        }
        if (at != SIZE_MAX) out_.band[at] = current;
      }
      r = s;
    }
  }

  void append(std::string_view id, double fit, double cov, std::int8_t st, std::size_t seq, const double* c,
              const double* g) {
    out_.id_bytes.append(id);
    out_.id_end.push_back(out_.id_bytes.size());
    out_.fit.push_back(fit);
    out_.coverage.push_back(cov);
    out_.status.push_back(st);
    out_.seq.push_back(seq);
    if (opt_.contributions) out_.contributions.insert(out_.contributions.end(), c, c + T_);
    if (opt_.gaps) out_.gaps.insert(out_.gaps.end(), g, g + T_);
  }

  void offer(const block_out& b, std::size_t i, std::size_t seq) {
    const std::size_t k = *opt_.top;
    if (heap_.size() >= k && !ranks_before(b.key[i], b.id(i), heap_.front().key, heap_.front().id)) {
      if (opt_.bands && b.key[i] == heap_.front().key) spill(b.key[i], b.fit[i]);
      return;
    }
    top_entry e{b.key[i], std::string(b.id(i)), b.fit[i], b.cov[i], b.st[i], seq, {}, {}};
    if (opt_.contributions) e.contrib.assign(&b.contrib[i * T_], &b.contrib[i * T_] + T_);
    if (opt_.gaps) e.gaps.assign(&b.gaps[i * T_], &b.gaps[i * T_] + T_);
    if (heap_.size() >= k) {
      std::pop_heap(heap_.begin(), heap_.end(), top_worse{});
      if (opt_.bands) spill(heap_.back().key, heap_.back().fit);
      heap_.back() = std::move(e);
    } else {
      heap_.push_back(std::move(e));
    }
    std::push_heap(heap_.begin(), heap_.end(), top_worse{});
  }

  /// Keeps the fit of a candidate left out of the top K while it ties the
  /// worst kept one on the rank key: the same status tier and rounded fit
  /// (see assign_bands).
  void spill(std::int64_t key, double fit) {
    spill_.emplace_back(key, fit);
    if (spill_.size() < 2 * spill_floor_) return;
    const std::int64_t worst = heap_.front().key;  // only ever rises
    spill_.erase(std::remove_if(spill_.begin(), spill_.end(), [&](const auto& s) { return s.first < worst; }),
                 spill_.end());
    spill_floor_ = std::max<std::size_t>(spill_floor_, spill_.size());
  }

  const stream_options& opt_;
  std::size_t T_;
  std::string source_;
  bool check_dup_;
  id_set seen_;
  scored_pool& out_;
  std::deque<block_out> blocks_;          ///< without top: every block, in input order
  std::vector<std::size_t> raw_start_;    ///< first raw candidate index of each kept block
  std::size_t raw_count_ = 0;
  std::vector<top_entry> heap_;
  running_sd fit_sd_;  ///< over every scored fit, in input order (bands)
  std::vector<std::pair<std::int64_t, double>> spill_;  ///< see spill()
  std::size_t spill_floor_ = 1024;
};


scored_pool score_wide(const competency_model& model, const scoring_plan& plan, const std::string& path,
                       const stream_options& opt) {
  scored_pool out;
  block_reader reader(path, true, opt.block_bytes);
  std::string text;
  std::size_t line = 1;
  if (!reader.next(text, line)) throw input_error(errc::schema, reader.source(), "file is empty");
  const std::string header_text = split_header(reader, text, line);
  io::csv_reader hr(header_text, reader.source());
  hr.next();
  const io::wide_header header(hr, model);

  collector col(plan, opt, reader.source(), true, out);
  if (reader.size() && !text.empty()) {  // candidates expected: the file's size over the first block's bytes per record
    const auto records = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    col.expect(*reader.size() / std::max<std::size_t>(1, text.size() / records) + 1);
  }
  progress_poll bar(opt.on_progress, reader.size());
  const std::string& source = reader.source();
  std::size_t bytes = header_text.size();
  run_ordered<block_out>(
      reader, std::move(text), line, opt.threads,
      [&](const std::string& block, std::size_t first) {
        block_out b = score_wide_block(block, first, source, header, model, plan, opt);
        b.bytes = block.size();
        return b;
      },
      [&](block_out& b) {
        bytes += b.bytes;
        col.take(b);
        bar.update(out.rows_read, bytes);
      });
  if (out.rows_read == 0 && !opt.rejects.collect)
    throw input_error(errc::schema, reader.source(), "no candidate rows after the header");
  col.finish();
  return out;
}

/// Raised by a merge step when a candidate's rows turn out not to be together.
struct not_grouped {};

/// What both passes over evidence share: the reader, the header (long CSV),
/// parsing a block, and the checks at the end.
struct evidence_input {
  bool csv;
  block_reader reader;
  std::string text;  ///< the first block, after the header
  std::size_t line = 1;
  std::optional<long_header> header;

  evidence_input(const std::string& path, bool long_csv, std::size_t block_bytes)
      : csv(long_csv), reader(path, csv, block_bytes) {
    if (!reader.next(text, line)) throw input_error(errc::schema, reader.source(), "file is empty");
    if (csv) header = parse_long_header(split_header(reader, text, line), 1, reader.source());
  }
  const std::string& source() const { return reader.source(); }

  ev_parsed parse(const std::string& block, std::size_t first, const competency_model& model,
                  const stream_options& opt) const {
    ev_parsed p = csv ? parse_long_block(block, first, source(), *header, model, opt)
                      : parse_jsonl_block(block, first, source(), model, opt);
    p.bytes = block.size();
    return p;
  }

  void check(const scored_pool& out, const stream_options& opt) const {
    if (out.rows_read == 0 && !opt.rejects.collect)
      throw input_error(errc::schema, source(), csv ? "no evidence rows after the header" : "no evidence lines");
    if (out.scored == 0 && !opt.rejects.collect)
      throw input_error(errc::schema, source(), "no usable evidence: every value is missing or unmapped");
  }
};

/// The accounting of a parsed block (rows, missing values, rejects, a fatal
/// row) handed to the collector, which throws the fatal row.
template <class Parsed>
void take_accounting(collector& col, Parsed& p) {
  block_out acc;
  acc.rows = p.rows;
  acc.missing = p.missing;
  acc.rejects = std::move(p.rejects);
  acc.fatal = std::move(p.fatal);
  col.take(acc);
}

/// Evidence grouped by candidate, in one streaming pass: workers score the
/// groups inside their block; the merge step joins the groups that cross
/// block edges. Returns false as soon as a candidate reappears after its
/// group ended (the evidence is not grouped).
bool score_grouped_evidence(const competency_model& model, const scoring_plan& plan, const std::string& path, bool long_csv,
                            const stream_options& opt, scored_pool& out) {
  evidence_input in(path, long_csv, opt.block_bytes);
  const std::string& source = in.source();
  collector col(plan, opt, source, false, out);
  progress_poll bar(opt.on_progress, in.reader.size());
  id_set closed(false);  // candidates whose group has ended (hashes: a collision only costs a full pass)
  const auto no_ids = [](std::size_t) { return std::string_view(); };
  ev_group carry;  // the group the last block ended with
  std::size_t bytes = 0;
  auto close = [&](std::uint64_t h) {
    if (closed.insert(h, {}, 0, no_ids) != SIZE_MAX) throw not_grouped{};
  };
  auto close_carry = [&] {
    if (carry.empty()) return;
    close(id_hash(carry.candidate));
    block_out b = score_groups({ref(carry)}, source, model, plan, opt);
    col.take(b);
    carry = ev_group{};
  };
  try {
    run_ordered<ev_out>(
        in.reader, std::move(in.text), in.line, opt.threads,
        [&](const std::string& block, std::size_t first) {
          ev_parsed p = in.parse(block, first, model, opt);
          const std::size_t size = p.bytes;
          ev_out o = group_block(std::move(p), source, model, plan, opt);
          o.bytes = size;
          return o;
        },
        [&](ev_out& o) {
          bytes += o.bytes;
          take_accounting(col, o);
          if (o.groups > 0) {
            if (!carry.empty() && carry.candidate == o.head.candidate) {
              for (const auto& r : o.head.rows) carry.add(r);
            } else {
              close_carry();
              carry = std::move(o.head);
            }
          }
          if (o.groups > 1) {
            close_carry();
            for (std::uint64_t h : o.inner_hash) close(h);
            col.take(o.inner);
            carry = std::move(o.tail);
          }
          bar.update(out.rows_read, bytes);
        });
    close_carry();
  } catch (const not_grouped&) {
    return false;
  }
  in.check(out, opt);
  col.finish();
  return true;
}

/// Aggregates every candidate's evidence at once with rater calibration
/// (merit::aggregate: calibration needs all of a rater's ratings), says what it
/// found about the raters on stderr, and scores the candidates in input order.
void score_calibrated(const std::vector<ev_group>& groups, const std::string& source, const competency_model& model,
                      const scoring_plan& plan, const stream_options& opt, collector& col) {
  observation_table obs;
  const bool places = opt.duplicates == duplicate_policy::error;
  for (const auto& g : groups) {
    const auto cand = obs.candidate_index(g.candidate);
    for (const auto& row : g.rows)
      obs.add(cand, row.competency, row.method, obs.rater_index(row.rater), row.level,
              places ? source + ":" + std::to_string(row.line) : std::string());
  }
  aggregate_options ao;
  ao.calibration = opt.calibration;
  ao.duplicates = opt.duplicates;
  pool_input summary;
  summary.path = source;
  summary.evidence = aggregate(model, obs, ao);
  if (opt.on_evidence) opt.on_evidence(summary);
  const RowMatrix& scores = summary.evidence->scores;
  const std::size_t T = static_cast<std::size_t>(plan.size());
  std::vector<double> c(T), g(T);
  constexpr std::size_t per_block = std::size_t(1) << 20;  // a collector block holds fewer than 2^22
  for (std::size_t b0 = 0; b0 < groups.size(); b0 += per_block) {
    block_out b;
    for (std::size_t i = b0; i < std::min(groups.size(), b0 + per_block); ++i)
      add_scored(b, plan, opt, groups[i].candidate, groups[i].rows.front().line,
                 scores.row(static_cast<Eigen::Index>(i)).data(), c, g);
    col.take(b);
  }
}

/// Evidence in any order: every row is read and grouped by candidate (in the
/// order candidates first appear), then the groups are scored in batches.
void score_ungrouped_evidence(const competency_model& model, const scoring_plan& plan, const std::string& path, bool long_csv,
                              const stream_options& opt, scored_pool& out) {
  evidence_input in(path, long_csv, opt.block_bytes);
  const std::string& source = in.source();
  collector col(plan, opt, source, false, out);
  progress_poll bar(opt.on_progress, in.reader.size());
  std::unordered_map<std::string, std::size_t> at;  // candidate -> group
  std::vector<ev_group> groups;
  std::size_t bytes = 0;
  run_ordered<ev_parsed>(
      in.reader, std::move(in.text), in.line, opt.threads,
      [&](const std::string& block, std::size_t first) {
        ev_parsed p = in.parse(block, first, model, opt);
        for (auto& row : p.obs) {  // the block's text is reused once this returns
          row.candidate = p.own(row.candidate);
          row.rater = p.own(row.rater);
        }
        return p;
      },
      [&](ev_parsed& p) {
        bytes += p.bytes;
        take_accounting(col, p);
        for (const auto& row : p.obs) {
          auto [it, fresh] = at.emplace(std::string(row.candidate), groups.size());
          if (fresh) {
            groups.emplace_back();
            groups.back().candidate = it->first;
          }
          groups[it->second].add(row);
        }
        bar.update(out.rows_read, bytes);
      });
  if (opt.calibration != calibration::none) {
    score_calibrated(groups, in.source(), model, plan, opt, col);
    in.check(out, opt);
    col.finish();
    return;
  }
  // Batches of whole candidates (~20,000 rows each), scored side by side and taken in order.
  std::vector<std::vector<group_ref>> batches(1);
  std::size_t rows = 0;
  for (const auto& g : groups) {
    if (rows >= 20000) {
      batches.emplace_back();
      rows = 0;
    }
    batches.back().push_back(ref(g));
    rows += g.rows.size();
  }
  std::vector<block_out> scored(batches.size());
  parallel_for(opt.threads, batches.size(), [&](std::size_t k) {
    if (!batches[k].empty()) scored[k] = score_groups(batches[k], source, model, plan, opt);
  });
  for (auto& b : scored) col.take(b);
  in.check(out, opt);
  col.finish();
}

/// Scores a pool read whole by read_pool, into the same shape.
scored_pool score_in_memory(const competency_model& model, const scoring_plan& plan, const pool_source& source,
                            const stream_options& opt) {
  const pool_input input = read_pool(model, source);
  if (opt.on_evidence) opt.on_evidence(input);
  const io::candidate_table& t = input.table;
  const auto n = static_cast<Eigen::Index>(t.ids.size());
  Vector fit(n), cov(n);
  std::vector<std::int8_t> st(static_cast<std::size_t>(n));
  RowMatrix contrib, gaps;
  score(plan, t.scores, fit, cov, st.data(), &contrib, &gaps);
  const std::vector<std::size_t> order = opt.top ? top_k(t.ids, fit, st, *opt.top) : rank_order(t.ids, fit, st);
  scored_pool out;
  out.rows_read = input.evidence ? input.report.rows : t.ids.size();
  out.scored = t.ids.size();
  Eigen::VectorXi bands;
  if (opt.bands) {  // the whole pool is in memory here: the core's fixed_bands over every qualified fit
    running_sd sd;
    for (Eigen::Index i = 0; i < n; ++i) sd.add(fit[i]);
    out.fit_sd = sd.sd();
    out.band_width = band_width(out.fit_sd, opt.bands->reliability, opt.bands->c > 0 ? opt.bands->c : band_c_95);
    bands = fixed_bands(qualified_fits(fit, st), out.band_width);
  }
  for (std::size_t r = 0; r < order.size(); ++r) {
    const std::size_t i = order[r];
    const auto ii = static_cast<Eigen::Index>(i);
    out.id_bytes += t.ids[i];
    out.id_end.push_back(out.id_bytes.size());
    out.fit.push_back(fit[ii]);
    out.coverage.push_back(cov[ii]);
    out.status.push_back(st[i]);
    out.seq.push_back(i);
    if (opt.bands) out.band.push_back(bands[ii]);
    const double* c = contrib.row(ii).data();
    const double* g = gaps.row(ii).data();
    if (opt.contributions) out.contributions.insert(out.contributions.end(), c, c + plan.size());
    if (opt.gaps) out.gaps.insert(out.gaps.end(), g, g + plan.size());
    out.order.push_back(r);
  }
  return out;
}

}  // namespace

scored_pool score_pool(const competency_model& model, const scoring_plan& plan, const pool_source& source,
                       stream_options opt) {
  const aggregate_options ao = source.aggregation();
  opt.duplicates = ao.duplicates;
  opt.calibration = ao.calibration;
  const bool calibrated = ao.calibration != calibration::none;
  if (source.format == input_format::wide_csv && !calibrated && !source.duplicates)
    return score_stream(model, plan, source.path, input_format::wide_csv, opt);
  if (source.format == input_format::long_csv || source.format == input_format::jsonl)
    return score_stream(model, plan, source.path, source.format, opt);
  return score_in_memory(model, plan, source, opt);
}

scored_pool score_stream(const competency_model& model, const scoring_plan& plan, const std::string& path,
                         input_format format, const stream_options& opt) {
  if (format == input_format::wide_csv) return score_wide(model, plan, path, opt);
  if (format != input_format::long_csv && format != input_format::jsonl)
    throw argument_error(std::string("score_stream: the ") + to_string(format) +
                         " format is not streamed (use score_pool)");
  const bool long_csv = format == input_format::long_csv;
  if (opt.calibration != calibration::none) {  // calibration needs every rating: one full pass
    scored_pool out;
    score_ungrouped_evidence(model, plan, path, long_csv, opt, out);
    return out;
  }
  {
    scored_pool out;
    if (score_grouped_evidence(model, plan, path, long_csv, opt, out)) return out;
  }
  if (path == "-")
    throw input_error(errc::schema, "<stdin>",
                      "evidence on standard input must be grouped by candidate (a candidate's rows together); "
                      "give a file, or sort the rows by candidate_id");
  scored_pool out;
  out.ungrouped = true;
  score_ungrouped_evidence(model, plan, path, long_csv, opt, out);
  return out;
}

}  // namespace merit::pool
