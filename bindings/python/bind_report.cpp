// pool/report.hpp -> report_candidate, report_pool: the HTML reports of
// `merit report`, the same bytes, with the GIL released while they are made.
#include "bindings.hpp"

#include <merit/pool/options.hpp>
#include <merit/pool/report.hpp>

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

namespace merit::python {
namespace {

pool::pool_source report_source(const std::string& input, bool evidence, const std::optional<std::string>& format,
                                const std::optional<std::string>& calibrate,
                                const std::optional<std::string>& duplicates) {
  pool::pool_source src = evidence ? pool::pool_source::evidence_file(input, format) : pool::pool_source::candidates(input);
  if (calibrate) src.calibrate = pool::parse_calibration(*calibrate);
  if (duplicates) src.duplicates = pool::parse_duplicates(*duplicates);
  return src;
}

pool::report_options report_opts(const std::string& profile, const std::string& lang) {
  pool::report_options o;
  o.profile = profile;
  o.lang = io::parse_lang(lang);
  return o;
}

}  // namespace

void bind_report(py::module_& m) {
  m.def(
      "report_candidate",
      [](const model_handle& h, const std::string& input, const std::string& candidate_id, const std::string& profile,
         bool evidence, const std::optional<std::string>& format, const std::optional<std::string>& calibrate,
         const std::optional<std::string>& duplicates, const std::string& lang,
         const std::optional<std::string>& decision_log) {
        const pool::pool_source src = report_source(input, evidence, format, calibrate, duplicates);
        pool::report_options o = report_opts(profile, lang);
        o.decision_log = decision_log;
        py::gil_scoped_release nogil;
        return pool::candidate_report(*h.model, src, candidate_id, o);
      },
      py::arg("model"), py::arg("input"), py::arg("candidate_id"), py::arg("profile"), py::arg("evidence"),
      py::arg("format"), py::arg("calibrate"), py::arg("duplicates"), py::arg("lang"), py::arg("decision_log"),
      "The candidate report's HTML (merit::pool::candidate_report).");
  m.def(
      "report_pool",
      [](const model_handle& h, const std::string& input, const std::string& profile, bool evidence,
         const std::optional<std::string>& format, const std::optional<std::string>& calibrate,
         const std::optional<std::string>& duplicates, const std::optional<std::uint64_t>& top,
         const std::string& lang, const std::optional<std::string>& groups, const std::vector<std::string>& by) {
        const pool::pool_source src = report_source(input, evidence, format, calibrate, duplicates);
        pool::report_options o = report_opts(profile, lang);
        o.top = top;
        o.groups = groups;
        o.by = by;
        py::gil_scoped_release nogil;
        return pool::pool_report(*h.model, src, o);
      },
      py::arg("model"), py::arg("input"), py::arg("profile"), py::arg("evidence"), py::arg("format"),
      py::arg("calibrate"), py::arg("duplicates"), py::arg("top"), py::arg("lang"), py::arg("groups"), py::arg("by"),
      "The pool report's HTML (merit::pool::pool_report).");
}

}  // namespace merit::python
