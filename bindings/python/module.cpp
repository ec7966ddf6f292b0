// merit._core: the compiled part of the merit Python package. Everything
// public is re-exported (with Python-idiomatic wrappers) by merit/__init__.py.
#include "bindings.hpp"

#include <merit/version.hpp>

PYBIND11_MODULE(_core, m) {
  m.doc() = "merit's compiled core (private: import merit instead)";
  m.attr("__version__") = merit::version();
  merit::python::bind_errors(m);
  merit::python::bind_model(m);
  merit::python::bind_fit(m);
  merit::python::bind_evidence(m);
  merit::python::bind_analytics(m);
  merit::python::bind_outcomes(m);
  merit::python::bind_pool(m);
  merit::python::bind_report(m);
}
