// pool/score_file.hpp -> score_file: a pool file streamed, scored and written
// by the library's pool layer (the same bytes as `merit score`), with the GIL
// released while it runs. Options come as one JSON object, parsed by
// merit::pool::parse_score_request (the C ABI's parser); merit/__init__.py
// builds it from keyword arguments.
#include "bindings.hpp"

#include <merit/pool/options_json.hpp>
#include <merit/pool/score_file.hpp>

#include <pybind11/functional.h>

#include <exception>
#include <optional>
#include <string>

namespace merit::python {

void bind_pool(py::module_& m) {
  m.def(
      "score_file",
      [](const model_handle& h, const std::string& input, const std::string& output, const std::string& options_json,
         const py::object& progress) {
        const pool::score_request req = pool::parse_score_request(options_json, input);
        std::optional<py::error_already_set> callback_error;
        pool::progress_fn fn;
        if (!progress.is_none())
          fn = [&](const pool::progress& p) {
            py::gil_scoped_acquire gil;  // called on a streaming thread
            try {
              const py::object total = p.total_bytes ? py::object(py::int_(*p.total_bytes)) : py::object(py::none());
              const py::object r = progress(p.rows, p.bytes, total);
              return r.is_none() || r.cast<bool>();
            } catch (py::error_already_set& e) {
              callback_error.emplace(std::move(e));
              return false;
            }
          };
        pool::summary s;
        try {
          py::gil_scoped_release nogil;
          s = pool::score_file(*h.model, req.input, output, req.options, fn);
        } catch (const pool::cancelled&) {
          if (callback_error) throw std::move(*callback_error);
          throw;
        }
        return pool::to_json(s).dump();
      },
      py::arg("model"), py::arg("input"), py::arg("output"), py::arg("options_json") = "",
      py::arg("progress") = py::none(),
      "Streams the pool in `input`, scores and ranks it and writes the results to `output`\n"
      "(merit::pool::score_file); returns the summary as JSON text.");
}

}  // namespace merit::python
