#pragma once
// Shared declarations of the merit._core extension: one bind_<concept>.cpp
// per header of the library, each adding its part to the module.
#include <merit/fit.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <string>

namespace merit::python {

namespace py = pybind11;

/// A loaded model, shared by every Profile and ScoringPlan made from it.
struct model_handle {
  std::shared_ptr<const competency_model> model;
};

/// One profile of a model (the model is kept alive by the handle).
struct profile_handle {
  std::shared_ptr<const competency_model> model;
  std::size_t index;
  const merit::profile& get() const { return model->profiles[index]; }
};

void bind_errors(py::module_& m);
void bind_model(py::module_& m);
void bind_fit(py::module_& m);
void bind_evidence(py::module_& m);
void bind_analytics(py::module_& m);
void bind_outcomes(py::module_& m);
void bind_pool(py::module_& m);
void bind_report(py::module_& m);

/// Raises the Python exception of merit's hierarchy for `e` (GIL held).
void raise_python(const merit::error& e);
/// Raises merit.JudgmentError (an InputError) for `e`: the AHP functions' errors.
void raise_judgment_error(const merit::error& e);

}  // namespace merit::python
