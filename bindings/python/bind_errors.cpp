// errors.hpp -> MeritError(ValueError) with ModelError and InputError below it.
// Each instance carries `code` (merit::to_string(errc)), `location` (the
// error's place: JSON pointer or file:line:column) and `detail` (the message
// without its place), exactly as the C++ error has them.
#include "bindings.hpp"

#include <merit/errors.hpp>

namespace merit::python {
namespace {

// Created once per process and never freed: the module cannot be unloaded.
PyObject* merit_error_type = nullptr;
PyObject* model_error_type = nullptr;
PyObject* input_error_type = nullptr;
PyObject* judgment_error_type = nullptr;

PyObject* new_type(const char* name, const char* doc, PyObject* base) {
  py::dict defaults;
  defaults["code"] = "";
  defaults["location"] = "";
  defaults["detail"] = "";
  PyObject* t = PyErr_NewExceptionWithDoc(name, doc, base, defaults.ptr());
  if (!t) throw py::error_already_set();
  return t;
}

}  // namespace

namespace {

void raise_as(PyObject* type, const merit::error& e) {
  PyObject* exc = PyObject_CallFunction(type, "s", e.what());
  if (!exc) return;  // the failure to build it is the error now set
  if (PyObject_SetAttrString(exc, "code", py::str(to_string(e.code())).ptr()) == 0 &&
      PyObject_SetAttrString(exc, "location", py::str(e.place()).ptr()) == 0 &&
      PyObject_SetAttrString(exc, "detail", py::str(e.detail()).ptr()) == 0)
    PyErr_SetObject(type, exc);
  Py_DECREF(exc);
}

}  // namespace

void raise_python(const merit::error& e) {
  PyObject* type = merit_error_type;
  if (dynamic_cast<const merit::model_error*>(&e)) type = model_error_type;
  else if (dynamic_cast<const merit::input_error*>(&e)) type = input_error_type;
  raise_as(type, e);
}

void raise_judgment_error(const merit::error& e) { raise_as(judgment_error_type, e); }

void bind_errors(py::module_& m) {
  merit_error_type = new_type(
      "merit.MeritError",
      "Base of merit's errors (a ValueError). Attributes: code (a stable name such as\n"
      "'schema' or 'reference'), location (JSON pointer or file:line:column; '' when\n"
      "the error has no place) and detail (the message without its location).",
      PyExc_ValueError);
  model_error_type = new_type("merit.ModelError", "A competency model file is malformed.", merit_error_type);
  input_error_type = new_type("merit.InputError", "Candidate scores or evidence are malformed.", merit_error_type);
  m.add_object("MeritError", py::handle(merit_error_type));
  m.add_object("ModelError", py::handle(model_error_type));
  judgment_error_type = new_type(
      "merit.JudgmentError",
      "AHP pairwise judgments are malformed: off Saaty's 1/9..9 scale, not reciprocal,\n"
      "not connected, or a judgments document that does not follow docs/weights.md.\n"
      "An InputError; location is the JSON pointer or the items compared.",
      input_error_type);
  m.add_object("InputError", py::handle(input_error_type));
  m.add_object("JudgmentError", py::handle(judgment_error_type));

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const merit::error& e) {
      raise_python(e);
    }
  });

  m.def("error_codes", [] {
    py::list out;
    for (int c = 0; c <= static_cast<int>(errc::interrupted); ++c) out.append(to_string(static_cast<errc>(c)));
    return out;
  }, "The stable error code names, in the order of merit::errc.");
}

}  // namespace merit::python
