// fit.hpp, rank.hpp, io/results.hpp -> compiling a profile, batch scoring
// (GIL released, input read in place), ranking and the CLI's CSV format.
//
// Arrays that cross here: `scores` is #candidates by #model competencies,
// float64, with unit stride between columns (any row stride); anything else
// is refused, and merit/__init__.py converts it once before calling. A
// DataFrame's float64 columns cross one by one (evaluate_columns: 1-D, any
// stride), read in place. Candidate ids cross as an object array of str or as
// Arrow string chunks [(offsets, data), ...] (pandas' str dtype), read in place.
// Results go back in input order: `ranks` writes each candidate's rank in its
// own row, and `format_csv` writes the rows in rank order, whatever order its
// arrays are in.
#include "bindings.hpp"

#include <merit/io/candidates.hpp>
#include <merit/io/results.hpp>
#include <merit/io/roles.hpp>
#include <merit/protected.hpp>
#include <merit/rank.hpp>

#include <pybind11/stl.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <chrono>
#include <functional>
#include <numeric>
#include <optional>
#include <string_view>
#include <vector>

namespace merit::python {
namespace {

/// A read-only view of a conforming numpy array, without a copy.
Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>> view_scores(const py::array& a, const scoring_plan& plan) {
  if (!py::dtype::of<double>().is(a.dtype()) || a.ndim() != 2)
    throw py::type_error("scores must be a 2-D float64 array");
  if (a.shape(1) != static_cast<py::ssize_t>(plan.model_competencies()))
    throw input_error(errc::schema, {},
                      "scores must have one column per competency of model '" + plan.model_id() + "' (" +
                          std::to_string(plan.model_competencies()) + "), got " + std::to_string(a.shape(1)));
  const auto rows = a.shape(0), cols = a.shape(1);
  constexpr auto cell = static_cast<py::ssize_t>(sizeof(double));
  // Strides of a dimension of extent <= 1 are meaningless (numpy may set anything).
  const py::ssize_t row_stride = rows > 1 ? a.strides(0) : cols * cell;
  if (rows > 0 && ((cols > 1 && a.strides(1) != cell) || row_stride % cell != 0 || row_stride < cols * cell))
    throw py::type_error("scores must have contiguous, non-overlapping rows (C order)");
  return {static_cast<const double*>(a.data()), rows, cols, Eigen::OuterStride<>(row_stride / cell)};
}

/// Values must lie on the model scale 1..L or be NaN (missing), as in the CLI.
template <class Scores>
void check_scale(const Scores& x, const scoring_plan& plan, const std::vector<std::string>& model_ids) {
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const double v = x(i, j);
      if (std::isnan(v) || on_model_scale(v, plan.levels())) continue;
      const std::string& cid = model_ids[static_cast<std::size_t>(j)];
      check_score_on_scale(v, cid, plan.levels(), "row " + std::to_string(i) + ", column '" + cid + "'");
    }
}

/// Candidate ids as UTF-8 views into the Python strings of an object array
/// (which keeps them alive). Called with the GIL held.
std::vector<std::string_view> id_views(const py::array& ids, py::ssize_t n) {
  if (ids.dtype().kind() != 'O' || ids.ndim() != 1 || ids.shape(0) != n)
    throw py::type_error("ids must be a 1-D object array of str, one per candidate");
  std::vector<std::string_view> out(static_cast<std::size_t>(n));
  const char* base = static_cast<const char*>(ids.data());
  const py::ssize_t stride = ids.strides(0);
  for (py::ssize_t i = 0; i < n; ++i) {
    PyObject* o = *reinterpret_cast<PyObject* const*>(base + i * stride);
    if (!PyUnicode_Check(o)) throw py::type_error("candidate ids must be str");
    Py_ssize_t len = 0;
    const char* s = PyUnicode_AsUTF8AndSize(o, &len);
    if (!s) throw py::error_already_set();
    out[static_cast<std::size_t>(i)] = std::string_view(s, static_cast<std::size_t>(len));
  }
  return out;
}

/// Candidate ids as UTF-8 views into Arrow string chunks: a list of
/// (offsets, data) pairs, offsets int32 or int64 with one entry more than the
/// chunk has ids (already sliced to the chunk), data the uint8 value buffer.
/// The arrays (kept alive by the caller) are read in place. GIL held.
std::vector<std::string_view> arrow_views(const py::list& chunks, py::ssize_t n) {
  std::vector<std::string_view> out;
  out.reserve(static_cast<std::size_t>(n));
  for (const py::handle item : chunks) {
    const auto pair = item.cast<py::tuple>();
    if (pair.size() != 2) throw py::type_error("Arrow id chunks are (offsets, data) pairs");
    const auto offsets = pair[0].cast<py::array>();
    const auto data = pair[1].cast<py::array>();
    const bool wide = offsets.itemsize() == 8;
    if (offsets.ndim() != 1 || offsets.dtype().kind() != 'i' || (!wide && offsets.itemsize() != 4) ||
        offsets.strides(0) != offsets.itemsize() || offsets.shape(0) < 1 || data.ndim() != 1 || data.itemsize() != 1 ||
        (data.shape(0) > 1 && data.strides(0) != 1))
      throw py::type_error("Arrow id chunks need contiguous int32/int64 offsets and uint8 data");
    const char* bytes = static_cast<const char*>(data.data());
    const auto size = static_cast<std::int64_t>(data.shape(0));
    const py::ssize_t m = offsets.shape(0) - 1;
    for (py::ssize_t i = 0; i < m; ++i) {
      const std::int64_t a = wide ? static_cast<const std::int64_t*>(offsets.data())[i]
                                  : static_cast<const std::int32_t*>(offsets.data())[i];
      const std::int64_t b = wide ? static_cast<const std::int64_t*>(offsets.data())[i + 1]
                                  : static_cast<const std::int32_t*>(offsets.data())[i + 1];
      if (a < 0 || b < a || b > size) throw py::value_error("Arrow id offsets out of range");
      out.emplace_back(bytes + a, static_cast<std::size_t>(b - a));
    }
  }
  if (static_cast<py::ssize_t>(out.size()) != n)
    throw py::value_error("expected " + std::to_string(n) + " candidate ids, got " + std::to_string(out.size()));
  return out;
}

/// Ids given as an object array of str or as Arrow string chunks (a list).
std::vector<std::string_view> any_id_views(const py::object& ids, py::ssize_t n) {
  if (py::isinstance<py::list>(ids)) return arrow_views(ids.cast<py::list>(), n);
  return id_views(ids.cast<py::array>(), n);
}

/// The first row whose id appeared in an earlier row, or -1 (open addressing
/// over the views: no copies of the ids).
py::ssize_t first_duplicate(const std::vector<std::string_view>& ids) {
  const std::size_t n = ids.size();
  if (n < 2) return -1;
  std::size_t cap = 1;
  while (cap < 2 * n) cap <<= 1;
  std::vector<std::uint32_t> slot(cap, 0);  // row + 1; 0 = empty
  const std::hash<std::string_view> hash;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t h = hash(ids[i]) & (cap - 1);
    while (slot[h] != 0) {
      if (ids[slot[h] - 1] == ids[i]) return static_cast<py::ssize_t>(i);
      h = (h + 1) & (cap - 1);
    }
    slot[h] = static_cast<std::uint32_t>(i + 1);
  }
  return -1;
}

/// Status codes for the ranking rule: one per candidate, each a status enum
/// value (0 qualified, 1 screened_out, 2 incomplete); ValueError otherwise.
void check_status_codes(const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& status,
                        py::ssize_t n) {
  if (status.ndim() != 1 || status.shape(0) != n)
    throw py::value_error("status has " + std::to_string(status.ndim() == 1 ? status.shape(0) : status.size()) +
                          " entries and fit " + std::to_string(n) + ": give one status per candidate");
  const std::int8_t* st = status.data();
  for (py::ssize_t i = 0; i < n; ++i)
    if (st[i] < 0 || st[i] > 2)
      throw py::value_error("status[" + std::to_string(i) + "] is " + std::to_string(st[i]) +
                            ", not a status code (0 qualified, 1 screened_out, 2 incomplete)");
}

/// The ranking order (rank.hpp) of candidates with these ids (None: the row
/// numbers "0", "1", ..., made here, not in Python), fits and status codes.
std::vector<std::size_t> order_of(const py::object& ids, const py::array_t<double, py::array::c_style>& fit,
                                  const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& status) {
  const py::ssize_t n = fit.shape(0);
  check_status_codes(status, n);
  std::vector<std::string_view> views;
  std::string text;
  if (ids.is_none()) {
    std::vector<std::size_t> end(static_cast<std::size_t>(n));
    char buf[24];
    for (py::ssize_t i = 0; i < n; ++i) {
      auto res = std::to_chars(buf, buf + sizeof buf, i);
      text.append(buf, res.ptr);
      end[static_cast<std::size_t>(i)] = text.size();
    }
    views.resize(static_cast<std::size_t>(n));
    for (std::size_t i = 0, start = 0; i < views.size(); start = end[i++]) views[i] = std::string_view(text).substr(start, end[i] - start);
  } else {
    views = any_id_views(ids, n);
  }
  Eigen::Map<const Vector> f(fit.data(), n);
  py::gil_scoped_release nogil;
  return rank_order(views, f, status.data());
}

/// A compiled profile with the model's competency ids (for messages).
struct plan_handle {
  scoring_plan plan;
  std::vector<std::string> model_ids;
};

struct evaluation {
  py::array_t<double> fit, coverage;
  py::array_t<std::int8_t> status;
  py::object contributions = py::none(), gaps = py::none();
};

/// A matrix moved to the heap and owned by the numpy array that shows it: no copy.
py::array_t<double> adopt(RowMatrix&& m) {
  auto* heap = new RowMatrix(std::move(m));
  py::capsule owner(heap, [](void* p) { delete static_cast<RowMatrix*>(p); });
  return py::array_t<double>({heap->rows(), heap->cols()}, heap->data(), owner);
}

}  // namespace

void bind_fit(py::module_& m) {
  py::class_<plan_handle>(m, "ScoringPlan", "A profile compiled for scoring (immutable, shareable across threads).")
      .def_property_readonly("profile_id", [](const plan_handle& h) { return h.plan.profile_id(); },
                             "Id of the profile this plan scores.")
      .def_property_readonly("model_id", [](const plan_handle& h) { return h.plan.model_id(); },
                             "Id of the model the profile belongs to.")
      .def_property_readonly("competency_ids", [](const plan_handle& h) { return h.plan.competency_ids(); },
                             "Ids of the competencies the profile targets, in model order.")
      .def_property_readonly("model_competency_ids", [](const plan_handle& h) { return h.model_ids; },
                             "Every competency id of the model, in model order: the columns a scores array has.")
      .def_property_readonly("levels", [](const plan_handle& h) { return h.plan.levels(); },
                             "L: the proficiency scale is 1..L.")
      .def_property_readonly("fit_model", [](const plan_handle& h) { return to_string(h.plan.fit_model()); },
                             "How fit is computed: 'attainment' or 'match'.")
      .def("__repr__", [](const plan_handle& h) {
        return "<merit.ScoringPlan of profile '" + h.plan.profile_id() + "' of model '" + h.plan.model_id() + "' (" +
               std::to_string(h.plan.competency_ids().size()) + " targets)>";
      });

  m.def("compile", [](const model_handle& h, const std::string& profile_id) {
    plan_handle out{compile(*h.model, profile_id), {}};
    for (const auto& c : h.model->competencies) out.model_ids.push_back(c.id);
    return out;
  }, py::arg("model"), py::arg("profile_id"));

  m.def("match_columns", [](const model_handle& h, const std::vector<std::string>& names) {
    // The CLI's header rules (io::wide_header), placed by column position.
    const competency_model& model = *h.model;
    std::vector<Eigen::Index> out;
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t j = 0; j < names.size(); ++j) {
      const std::string& name = names[j];
      const std::string place = "column " + std::to_string(j) + " ('" + name + "')";
      auto [it, fresh] = seen.emplace(name, j);
      if (!fresh)
        throw input_error(errc::duplicate, place,
                          "duplicate column '" + name + "' (first at column " + std::to_string(it->second) + ")");
      check_not_protected<input_error>("column", name, place);
      auto ci = model.find_competency(name);
      if (!ci) throw input_error(errc::reference, place, "column '" + name + "' names no competency of model '" + model.id + "'");
      out.push_back(static_cast<Eigen::Index>(*ci));
    }
    return out;
  }, py::arg("model"), py::arg("names"));

  m.def("role_answers", [](const model_handle& h, const py::array& scores, const py::object& se) {
    // The role answer (roles.hpp) of each row, as the JSON text of its schema.
    const role_rule rule(*h.model);
    const scoring_plan& plan = rule.plans().front();
    std::vector<std::string> model_ids;
    for (const auto& c : h.model->competencies) model_ids.push_back(c.id);
    auto x = view_scores(scores, plan);
    check_scale(x, plan, model_ids);
    std::optional<Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>> e;
    if (!se.is_none()) {
      e.emplace(view_scores(se.cast<py::array>(), plan));
      if (e->rows() != x.rows())
        throw input_error(errc::schema, {}, "se must have one row per candidate (" + std::to_string(x.rows()) + "), got " +
                                                std::to_string(e->rows()));
    }
    std::vector<std::string> out(static_cast<std::size_t>(x.rows()));
    {
      py::gil_scoped_release unlocked;
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const role_answer a = rule.answer(x.data() + i * x.outerStride(), 1, e ? e->data() + i * e->outerStride() : nullptr);
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        io::put_role_answer(j, rule, a);
        out[static_cast<std::size_t>(i)] = j.dump();
      }
    }
    return out;
  }, py::arg("model"), py::arg("scores"), py::arg("se") = py::none());

  m.def("evaluate", [](const plan_handle& h, const py::array& scores, bool explain, bool check) {
    const scoring_plan& plan = h.plan;
    auto x = view_scores(scores, plan);
    const Eigen::Index n = x.rows();
    evaluation r{py::array_t<double>(n), py::array_t<double>(n), py::array_t<std::int8_t>(n)};
    Eigen::Map<Vector> fit(r.fit.mutable_data(), n), coverage(r.coverage.mutable_data(), n);
    std::int8_t* st = r.status.mutable_data();
    RowMatrix contrib, gaps;
    {
      py::gil_scoped_release nogil;
      if (check) check_scale(x, plan, h.model_ids);
      score(plan, x, fit, coverage, st, explain ? &contrib : nullptr, explain ? &gaps : nullptr);
    }
    if (explain) {
      r.contributions = adopt(std::move(contrib));
      r.gaps = adopt(std::move(gaps));
    }
    return py::make_tuple(r.fit, r.coverage, r.status, r.contributions, r.gaps);
  }, py::arg("plan"), py::arg("scores"), py::arg("explain") = false, py::arg("check") = true);

  m.def("evaluate_columns", [](const plan_handle& h, const std::vector<py::ssize_t>& positions,
                               const std::vector<py::array>& columns, py::ssize_t n, bool explain, bool check) {
    // evaluate() on a frame's columns, read in place: columns[k] (1-D float64,
    // n entries, any stride) holds model competency positions[k]; the other
    // competencies are missing. Each row is gathered into a small buffer in
    // model order, checked and scored as evaluate() does (same messages).
    const scoring_plan& plan = h.plan;
    const auto m = static_cast<py::ssize_t>(plan.model_competencies());
    if (positions.size() != columns.size()) throw py::value_error("one position per column");
    struct source {
      py::ssize_t column;
      const double* data;
      py::ssize_t stride;
    };
    std::vector<source> given;
    std::vector<bool> taken(static_cast<std::size_t>(m), false);
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const py::array& a = columns[k];
      const py::ssize_t c = positions[k];
      if (!py::dtype::of<double>().is(a.dtype()) || a.ndim() != 1 || a.shape(0) != n)
        throw py::type_error("columns must be 1-D float64 arrays with one entry per candidate");
      if (c < 0 || c >= m || taken[static_cast<std::size_t>(c)]) throw py::value_error("column positions must be distinct model columns");
      if (n > 1 && a.strides(0) % static_cast<py::ssize_t>(sizeof(double)) != 0)
        throw py::type_error("column strides must be whole float64 cells");
      taken[static_cast<std::size_t>(c)] = true;
      given.push_back({c, static_cast<const double*>(a.data()), n > 1 ? a.strides(0) / static_cast<py::ssize_t>(sizeof(double)) : 0});
    }
    std::sort(given.begin(), given.end(), [](const source& a, const source& b) { return a.column < b.column; });
    evaluation r{py::array_t<double>(n), py::array_t<double>(n), py::array_t<std::int8_t>(n)};
    double* fit = r.fit.mutable_data();
    double* coverage = r.coverage.mutable_data();
    std::int8_t* st = r.status.mutable_data();
    RowMatrix contrib, gaps;
    {
      py::gil_scoped_release nogil;
      if (explain) {
        contrib.resize(n, plan.size());
        gaps.resize(n, plan.size());
      }
      const double hi = plan.levels();
      std::vector<double> row(static_cast<std::size_t>(m), std::numeric_limits<double>::quiet_NaN());
      for (py::ssize_t i = 0; i < n; ++i) {
        for (const source& s : given) {
          const double v = s.data[i * s.stride];
          row[static_cast<std::size_t>(s.column)] = v;
          if (check && !(std::isnan(v) || (v >= 1 && v <= hi))) {
            // check_scale's message, with this row's number.
            try {
              check_scale(Eigen::Map<const RowMatrix>(row.data(), 1, m), plan, h.model_ids);
            } catch (const input_error& e) {
              throw input_error(errc::value, "row " + std::to_string(i) + e.place().substr(5), e.detail());
            }
          }
        }
        const fit_result f = score_one(plan, row.data(), 1, explain ? contrib.row(i).data() : nullptr,
                                       explain ? gaps.row(i).data() : nullptr);
        fit[i] = f.fit;
        coverage[i] = f.coverage;
        st[i] = static_cast<std::int8_t>(f.status);
      }
    }
    if (explain) {
      r.contributions = adopt(std::move(contrib));
      r.gaps = adopt(std::move(gaps));
    }
    return py::make_tuple(r.fit, r.coverage, r.status, r.contributions, r.gaps);
  }, py::arg("plan"), py::arg("positions"), py::arg("columns"), py::arg("n"), py::arg("explain") = false,
     py::arg("check") = true);

  m.def("check_ids", [](const py::object& ids, py::ssize_t n) {
    // (first row repeating an earlier id or -1, first empty id or -1).
    const auto views = any_id_views(ids, n);
    py::ssize_t empty = -1;
    for (std::size_t i = 0; i < views.size() && empty < 0; ++i)
      if (views[i].empty()) empty = static_cast<py::ssize_t>(i);
    py::ssize_t dup;
    {
      py::gil_scoped_release nogil;
      dup = first_duplicate(views);
    }
    return std::make_pair(dup, empty);
  }, py::arg("ids"), py::arg("n"));

  m.def("take_ids", [](const py::list& chunks, const py::object& order_or_none) {
    // Arrow string ids as a new object array of str, in the given order (None: their own).
    std::int64_t count = 0;
    for (const py::handle item : chunks) count += item.cast<py::tuple>()[0].cast<py::array>().shape(0) - 1;
    const auto views = arrow_views(chunks, static_cast<py::ssize_t>(count));
    py::array_t<std::int64_t, py::array::c_style> order;
    if (order_or_none.is_none()) {
      order = py::array_t<std::int64_t, py::array::c_style>(static_cast<py::ssize_t>(count));
      std::iota(order.mutable_data(), order.mutable_data() + count, std::int64_t{0});
    } else {
      order = order_or_none.cast<py::array_t<std::int64_t, py::array::c_style>>();
    }
    const py::ssize_t n = order.shape(0);
    py::array out(py::dtype("O"), std::vector<py::ssize_t>{n});
    auto** slot = static_cast<PyObject**>(out.mutable_data());
    for (py::ssize_t r = 0; r < n; ++r) {  // numpy may fill a new object array with None
      Py_XDECREF(slot[r]);
      slot[r] = nullptr;
    }
    const auto put = [&](py::ssize_t r, std::string_view v) {
      bool ascii = true;
      for (const char ch : v) ascii &= static_cast<unsigned char>(ch) < 128;
      PyObject* s;
      if (ascii) {
        s = PyUnicode_New(static_cast<Py_ssize_t>(v.size()), 127);  // copy the bytes, no decoding
        if (s) std::memcpy(PyUnicode_DATA(s), v.data(), v.size());
      } else {
        s = PyUnicode_DecodeUTF8(v.data(), static_cast<Py_ssize_t>(v.size()), "strict");
      }
      if (!s) throw py::error_already_set();
      slot[r] = s;  // empty (null) before: no read of the slot
    };
    // Gathered in the given order (rank order: at random), with the id a few
    // rows ahead prefetched, and its view a few more: the misses overlap.
    const std::int64_t* ord = order.data();
    for (py::ssize_t r = 0; r < n; ++r) {
#if defined(__GNUC__)
      if (r + 32 < n && ord[r + 32] >= 0 && ord[r + 32] < count) __builtin_prefetch(&views[static_cast<std::size_t>(ord[r + 32])]);
      if (r + 16 < n && ord[r + 16] >= 0 && ord[r + 16] < count) __builtin_prefetch(views[static_cast<std::size_t>(ord[r + 16])].data());
#endif
      const std::int64_t i = ord[r];
      if (i < 0 || i >= count) throw py::index_error("order out of range");
      put(r, views[static_cast<std::size_t>(i)]);
    }
    return out;
  }, py::arg("chunks"), py::arg("order") = py::none());

  m.def("rank_order", [](const py::object& ids, const py::array_t<double, py::array::c_style>& fit,
                         const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& status) {
    const std::vector<std::size_t> order = order_of(ids, fit, status);
    py::array_t<std::int64_t> out(static_cast<py::ssize_t>(order.size()));
    std::copy(order.begin(), order.end(), out.mutable_data());
    return out;
  }, py::arg("ids"), py::arg("fit"), py::arg("status"));

  m.def("rank_key", [](const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& status,
                       const py::array_t<double, py::array::c_style | py::array::forcecast>& fit) {
    // The ranking rule as one integer per candidate (merit::rank_key).
    const py::ssize_t n = fit.shape(0);
    check_status_codes(status, n);
    py::array_t<std::int64_t> out(n);
    const double* f = fit.data();
    const std::int8_t* st = status.data();
    std::int64_t* k = out.mutable_data();
    py::gil_scoped_release nogil;
    for (py::ssize_t i = 0; i < n; ++i) k[i] = rank_key(static_cast<merit::status>(st[i]), f[i]);
    return out;
  }, py::arg("status"), py::arg("fit"));

  m.def("ranks", [](const py::object& ids, const py::array_t<double, py::array::c_style>& fit,
                    const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& status) {
    // Each candidate's rank (1..n), in input order: the results stay aligned
    // with their input, and nothing else is reordered.
    const std::vector<std::size_t> order = order_of(ids, fit, status);
    py::array_t<std::int64_t> out(static_cast<py::ssize_t>(order.size()));
    std::int64_t* rank = out.mutable_data();
    for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<std::int64_t>(r + 1);
    return out;
  }, py::arg("ids"), py::arg("fit"), py::arg("status"));

  m.def("display_key", [](const py::array_t<double, py::array::c_style | py::array::forcecast>& fit) {
    py::array_t<std::int64_t> out(fit.shape(0));
    const double* f = fit.data();
    std::int64_t* k = out.mutable_data();
    const py::ssize_t n = fit.shape(0);
    py::gil_scoped_release nogil;
    for (py::ssize_t i = 0; i < n; ++i) k[i] = display_key(f[i]);
    return out;
  }, py::arg("fit"));

  m.def("row_ids", [](py::ssize_t n, const py::object& order) {
    // Row numbers as str, in row order or in the given order (a permutation).
    py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> perm;
    if (!order.is_none()) {
      perm = order.cast<decltype(perm)>();
      if (perm.ndim() != 1 || perm.shape(0) != n) throw py::value_error("order must have n entries");
    }
    py::array out(py::dtype("O"), std::vector<py::ssize_t>{n});
    auto** slot = static_cast<PyObject**>(out.mutable_data());
    char buf[24];
    for (py::ssize_t i = 0; i < n; ++i) {
      const std::int64_t row = order.is_none() ? i : perm.data()[i];
      auto res = std::to_chars(buf, buf + sizeof buf, row);
      const auto len = static_cast<py::ssize_t>(res.ptr - buf);
      PyObject* s = PyUnicode_New(len, 127);  // ASCII: copy the bytes, no decoding
      if (!s) throw py::error_already_set();
      std::memcpy(PyUnicode_DATA(s), buf, static_cast<std::size_t>(len));
      Py_XDECREF(slot[i]);
      slot[i] = s;
    }
    return out;
  }, py::arg("n"), py::arg("order") = py::none());

  m.def("format_csv", [](const plan_handle& h, const py::array_t<std::int64_t, py::array::c_style>& rank,
                         const py::array& ids, const py::array_t<double, py::array::c_style>& fit,
                         const py::array_t<double, py::array::c_style>& coverage,
                         const py::array_t<std::int8_t, py::array::c_style>& status, const py::object& contributions,
                         const py::object& gaps) {
    const scoring_plan& plan = h.plan;
    const py::ssize_t n = fit.shape(0);
    if (rank.shape(0) != n || coverage.shape(0) != n || status.shape(0) != n)
      throw py::value_error("rank, fit, coverage and status need one entry per candidate");
    auto views = id_views(ids, n);
    const bool explain = !contributions.is_none();
    py::array_t<double, py::array::c_style> c, g;
    if (explain) {
      c = contributions.cast<py::array_t<double, py::array::c_style>>();
      g = gaps.cast<py::array_t<double, py::array::c_style>>();
      if (c.ndim() != 2 || g.ndim() != 2 || c.shape(0) != n || g.shape(0) != n || c.shape(1) != plan.size() ||
          g.shape(1) != plan.size())
        throw py::value_error("contributions and gaps must be #candidates by #targets");
    }
    // Rows in rank order whatever the frame's order (a result is in input
    // order); equal ranks keep the frame's order.
    std::vector<py::ssize_t> by_rank(static_cast<std::size_t>(n));
    std::iota(by_rank.begin(), by_rank.end(), py::ssize_t{0});
    std::string out;
    {
      py::gil_scoped_release nogil;
      const std::int64_t* r = rank.data();
      std::stable_sort(by_rank.begin(), by_rank.end(), [r](py::ssize_t a, py::ssize_t b) { return r[a] < r[b]; });
      io::result_columns cols{explain, false};
      io::append_csv_header(out, plan, cols);
      for (const py::ssize_t i : by_rank) {
        io::scored_row row{static_cast<std::size_t>(rank.data()[i]), views[static_cast<std::size_t>(i)],
                           fit_result{fit.data()[i], coverage.data()[i], static_cast<merit::status>(status.data()[i])},
                           explain ? c.data() + i * plan.size() : nullptr, explain ? g.data() + i * plan.size() : nullptr,
                           std::nullopt};
        io::append_csv_row(out, plan, row, cols);
      }
    }
    return py::str(out);
  }, py::arg("plan"), py::arg("rank"), py::arg("ids"), py::arg("fit"), py::arg("coverage"), py::arg("status"),
     py::arg("contributions") = py::none(), py::arg("gaps") = py::none());

  m.def("_bench_core", [](const plan_handle& h, const py::array& scores, const py::array& ids) {
    const scoring_plan& plan = h.plan;
    // The C++ work of merit.score, nothing else: score and rank the same
    // array, ids already in C++ form. The benchmark's baseline.
    auto x = view_scores(scores, plan);
    auto views = id_views(ids, x.rows());
    py::gil_scoped_release nogil;
    const Eigen::Index n = x.rows();
    Vector fit(n), coverage(n);
    std::vector<std::int8_t> st(static_cast<std::size_t>(n));
    auto t0 = std::chrono::steady_clock::now();
    score(plan, x, fit, coverage, st.data());
    auto t1 = std::chrono::steady_clock::now();
    auto order = rank_order(views, fit, st);
    auto t2 = std::chrono::steady_clock::now();
    return std::make_pair(std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count());
  }, py::arg("plan"), py::arg("scores"), py::arg("ids"));
}

}  // namespace merit::python
