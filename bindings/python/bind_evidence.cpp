// evidence.hpp, io/evidence.hpp -> aggregating long evidence (a DataFrame's
// columns) and Greenhouse scorecards into competency scores. The observations
// are built and aggregated by the core; nothing here does arithmetic.
//
// Columns cross as 1-D arrays: object arrays holding str, None (missing) or
// numbers, or (the value column only) float64 with NaN for missing.
#include "bindings.hpp"

#include <merit/evidence.hpp>
#include <merit/io/evidence.hpp>
#include <merit/io/json.hpp>
#include <merit/protected.hpp>

#include <pybind11/stl.h>

#include <cmath>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace merit::python {
namespace {

calibration parse_calibration(const std::string& s) {
  if (s == "none") return calibration::none;
  if (s == "leniency") return calibration::leniency;
  if (s == "zscore") return calibration::zscore;
  throw py::value_error("calibration must be 'none', 'leniency' or 'zscore', got '" + s + "'");
}

duplicate_policy parse_duplicates(const std::string& s) {
  if (s == "mean") return duplicate_policy::mean;
  if (s == "error") return duplicate_policy::error;
  throw py::value_error("duplicates must be 'mean' or 'error', got '" + s + "'");
}

std::string place_of(py::ssize_t row, const char* column) {
  return "row " + std::to_string(row) + ", column '" + column + "'";
}

/// The cells of one column as UTF-8 text ("" = missing), read with the GIL held.
/// Views point into the Python str objects (alive as long as the array) or
/// into `owned`.
class column_text {
 public:
  column_text(const py::array& a, py::ssize_t n, const char* name, bool is_value) {
    if (a.ndim() != 1 || a.shape(0) != n) throw py::value_error(std::string("column '") + name + "' has the wrong length");
    views_.resize(static_cast<std::size_t>(n));
    const char* base = static_cast<const char*>(a.data());
    const py::ssize_t stride = a.strides(0);
    const char kind = a.dtype().kind();
    if (kind == 'f') {
      if (a.itemsize() != sizeof(double)) throw py::type_error(std::string("column '") + name + "' must be float64");
      for (py::ssize_t i = 0; i < n; ++i) number(i, *reinterpret_cast<const double*>(base + i * stride));
      return;
    }
    if (kind != 'O') throw py::type_error(std::string("column '") + name + "' must be an object or float64 array");
    for (py::ssize_t i = 0; i < n; ++i) {
      PyObject* o = *reinterpret_cast<PyObject* const*>(base + i * stride);
      if (o == Py_None) continue;
      if (PyUnicode_Check(o)) {
        Py_ssize_t len = 0;
        const char* s = PyUnicode_AsUTF8AndSize(o, &len);
        if (!s) throw py::error_already_set();
        views_[static_cast<std::size_t>(i)] = std::string_view(s, static_cast<std::size_t>(len));
      } else if (PyBool_Check(o)) {
        if (is_value)
          throw input_error(errc::value, place_of(i, name), "value must be a number, a level name or None, got a bool");
        keep(i, o == Py_True ? "True" : "False");
      } else if (PyFloat_Check(o)) {
        number(i, PyFloat_AS_DOUBLE(o));
      } else if (PyLong_Check(o) || !is_value) {
        py::str s(o);  // ints, and ids of any other type, as str() spells them
        keep(i, s.cast<std::string>());
      } else if (PyNumber_Check(o) && !PySequence_Check(o)) {
        number(i, py::reinterpret_borrow<py::object>(o).cast<double>());  // numpy scalars, Decimal, ...
      } else {
        throw input_error(errc::value, place_of(i, name),
                          "value must be a number, a level name or None, got " +
                              std::string(Py_TYPE(o)->tp_name));
      }
    }
  }
  std::string_view operator[](std::size_t i) const { return views_[i]; }

 private:
  void keep(py::ssize_t i, std::string s) {
    owned_.push_back(std::move(s));
    views_[static_cast<std::size_t>(i)] = owned_.back();
  }
  /// NaN is missing; whole numbers read as integers (4, not 4.0); others in
  /// the shortest text that reads back exactly.
  void number(py::ssize_t i, double v) {
    if (std::isnan(v)) return;
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
      keep(i, std::to_string(static_cast<long long>(v)));
      return;
    }
    char* text = PyOS_double_to_string(v, 'r', 0, 0, nullptr);
    if (!text) throw py::error_already_set();
    std::string s(text);
    PyMem_Free(text);
    keep(i, std::move(s));
  }
  std::vector<std::string_view> views_;
  std::deque<std::string> owned_;
};

template <class M>
py::array_t<typename M::Scalar> to_numpy(const M& m) {
  using T = typename M::Scalar;
  py::array_t<T> out({static_cast<py::ssize_t>(m.rows()), static_cast<py::ssize_t>(m.cols())});
  if (m.size()) std::memcpy(out.mutable_data(), m.data(), static_cast<std::size_t>(m.size()) * sizeof(T));
  return out;
}

/// The aggregate as plain Python objects; merit/__init__.py makes DataFrames of them.
py::dict to_python(const competency_scores& s, const std::map<std::string, std::size_t>& unmapped, std::size_t missing,
                   std::size_t scorecards) {
  py::dict d;
  d["ids"] = s.ids;
  d["scores"] = to_numpy(s.scores);
  d["rater_sd"] = to_numpy(s.rater_sd);
  d["se"] = to_numpy(s.se);
  d["ratings"] = to_numpy(s.ratings);
  d["methods"] = to_numpy(s.methods);
  const auto R = static_cast<py::ssize_t>(s.raters.size());
  std::vector<std::string> rid;
  py::array_t<std::int64_t> rn(R);
  py::array_t<double> rmean(R), rsd(R), rlen(R);
  for (py::ssize_t r = 0; r < R; ++r) {
    const rater_report& rep = s.raters[static_cast<std::size_t>(r)];
    rid.push_back(rep.id);
    rn.mutable_at(r) = static_cast<std::int64_t>(rep.ratings);
    rmean.mutable_at(r) = rep.mean;
    rsd.mutable_at(r) = rep.sd;
    rlen.mutable_at(r) = rep.leniency;
  }
  d["rater_ids"] = rid;
  d["rater_ratings"] = rn;
  d["rater_mean"] = rmean;
  d["rater_sd_each"] = rsd;
  d["rater_leniency"] = rlen;
  d["observations"] = s.observations;
  d["duplicates"] = s.duplicates;
  d["missing"] = missing;
  d["calibration"] = to_string(s.calibration);
  d["unmapped"] = unmapped;
  d["scorecards"] = scorecards;
  return d;
}

}  // namespace

void bind_evidence(py::module_& m) {
  m.def("protected_term", [](const std::string& name) { return protected_term(name); }, py::arg("name"),
        "The protected characteristic a column name refers to, or None.");
  m.def("protected_name_problem",
        [](const std::string& what, const std::string& name) { return protected_name_problem(what, name); },
        py::arg("what"), py::arg("name"),
        "The one message for a name that refers to a protected characteristic, or None.");

  m.def("aggregate_long", [](const model_handle& h, const py::array& candidate, const py::array& competency,
                             const py::array& method, const py::array& rater, const py::array& value,
                             const std::string& cal, const std::string& dup) {
    aggregate_options opt;
    opt.calibration = parse_calibration(cal);
    opt.duplicates = parse_duplicates(dup);
    const py::ssize_t n = candidate.ndim() == 1 ? candidate.shape(0) : -1;
    if (n < 0) throw py::value_error("candidate_id must be one-dimensional");
    const column_text cand(candidate, n, "candidate_id", false), comp(competency, n, "competency_id", false),
        meth(method, n, "method", false), rat(rater, n, "rater", false), val(value, n, "value", true);
    const competency_model& model = *h.model;
    competency_scores s;
    std::size_t missing = 0;
    {
      py::gil_scoped_release nogil;
      observation_table t;
      io::observation_builder b(model, t);
      for (py::ssize_t i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        b.add(cand[k], comp[k], meth[k], rat[k], val[k], place_of(i, "candidate_id"), place_of(i, "competency_id"),
              place_of(i, "method"), place_of(i, "rater"), place_of(i, "value"), "row " + std::to_string(i));
      }
      s = aggregate(model, t, opt);
      missing = t.missing;
    }
    return to_python(s, {}, missing, 0);
  }, py::arg("model"), py::arg("candidate_id"), py::arg("competency_id"), py::arg("method"), py::arg("rater"),
     py::arg("value"), py::arg("calibration") = "none", py::arg("duplicates") = "mean");

  m.def("aggregate_greenhouse", [](const model_handle& h, const py::object& path, const py::object& text,
                                   const std::string& cal, const std::string& dup) {
    aggregate_options opt;
    opt.calibration = parse_calibration(cal);
    opt.duplicates = parse_duplicates(dup);
    const bool from_file = !path.is_none();
    const std::string where = from_file ? path.cast<std::string>() : std::string();
    const std::string json_text = from_file ? std::string() : text.cast<std::string>();
    const competency_model& model = *h.model;
    io::evidence_report rep;
    observation_table t;
    competency_scores s;
    {
      py::gil_scoped_release nogil;
      try {
        const std::string file_text = from_file ? read_text_file<input_error>(where) : std::string();
        const nlohmann::json doc = io::parse_json<input_error>(from_file ? file_text : json_text, where);
        t = io::read_greenhouse(doc, where, model, &rep);
      } catch (const input_error& e) {
        // In-memory scorecards have no file name: "#/1/attributes" -> "/1/attributes".
        if (from_file || e.place().empty() || e.place()[0] != '#') throw;
        throw input_error(e.code(), e.place().substr(1), e.detail());
      }
      s = aggregate(model, t, opt);
    }
    return to_python(s, rep.unmapped, t.missing, rep.scorecards);
  }, py::arg("model"), py::arg("path") = py::none(), py::arg("text") = py::none(), py::arg("calibration") = "none",
     py::arg("duplicates") = "mean");
}

}  // namespace merit::python
