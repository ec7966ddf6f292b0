// model.hpp -> Model and Profile: read-only views of a loaded, validated
// competency model. Loading and validation happen in C++, once.
#include "bindings.hpp"

#include <pybind11/stl.h>

namespace merit::python {
namespace {

py::array_t<double> vector_of(const std::vector<target>& ts, double (*get)(const target&)) {
  py::array_t<double> out(static_cast<py::ssize_t>(ts.size()));
  auto v = out.mutable_unchecked<1>();
  for (std::size_t k = 0; k < ts.size(); ++k) v(static_cast<py::ssize_t>(k)) = get(ts[k]);
  return out;
}

model_handle make(competency_model m) { return {std::make_shared<const competency_model>(std::move(m))}; }

}  // namespace

void bind_model(py::module_& m) {
  py::class_<profile_handle>(m, "Profile", "A role profile: per competency a target level, an importance weight and optionally a hurdle.")
      .def_property_readonly("id", [](const profile_handle& p) { return p.get().id; })
      .def_property_readonly("name", [](const profile_handle& p) { return p.get().name.en; })
      .def_property_readonly("name_zh", [](const profile_handle& p) { return p.get().name.zh; })
      .def_property_readonly("fit_model", [](const profile_handle& p) { return to_string(p.get().fit_model); })
      .def_property_readonly("min_coverage", [](const profile_handle& p) { return p.get().min_coverage; })
      .def_property_readonly("reliability", [](const profile_handle& p) { return p.get().reliability; })
      .def_property_readonly("title_aliases", [](const profile_handle& p) { return p.get().title_aliases; })
      .def_property_readonly("competency_ids", [](const profile_handle& p) {
        std::vector<std::string> ids;
        for (const auto& t : p.get().targets) ids.push_back(p.model->competencies[t.competency].id);
        return ids;
      })
      .def_property_readonly("targets", [](const profile_handle& p) {
        return vector_of(p.get().targets, [](const target& t) { return t.target; });
      })
      .def_property_readonly("weights", [](const profile_handle& p) {
        return vector_of(p.get().targets, [](const target& t) { return t.weight; });
      })
      .def_property_readonly("minimums", [](const profile_handle& p) {
        return vector_of(p.get().targets, [](const target& t) {
          return t.minimum ? *t.minimum : std::numeric_limits<double>::quiet_NaN();
        });
      })
      // Immutable: a copy is the same profile (scikit-learn's clone deep-copies parameters).
      .def("__copy__", [](const profile_handle& p) { return p; })
      .def("__deepcopy__", [](const profile_handle& p, const py::dict&) { return p; }, py::arg("memo"))
      .def("__repr__", [](const profile_handle& p) {
        return "<merit.Profile '" + p.get().id + "' of model '" + p.model->id + "' (" +
               std::to_string(p.get().targets.size()) + " targets, " + to_string(p.get().fit_model) + ")>";
      });

  py::class_<model_handle>(m, "Model", "A loaded and validated competency model (immutable).")
      .def_property_readonly("id", [](const model_handle& h) { return h.model->id; })
      .def_property_readonly("version", [](const model_handle& h) { return h.model->version; })
      .def_property_readonly("name", [](const model_handle& h) { return h.model->name.en; })
      .def_property_readonly("name_zh", [](const model_handle& h) { return h.model->name.zh; })
      .def_property_readonly("levels", [](const model_handle& h) { return h.model->levels; })
      .def_property_readonly("content_hash", [](const model_handle& h) { return h.model->content_hash; })
      .def_property_readonly("source", [](const model_handle& h) { return h.model->source; })
      .def_property_readonly("competency_ids", [](const model_handle& h) {
        std::vector<std::string> ids;
        for (const auto& c : h.model->competencies) ids.push_back(c.id);
        return ids;
      })
      .def_property_readonly("profiles", [](const model_handle& h) {
        std::vector<profile_handle> out;
        for (std::size_t i = 0; i < h.model->profiles.size(); ++i) out.push_back({h.model, i});
        return out;
      })
      .def("profile", [](const model_handle& h, const std::string& id) {
        const merit::profile& p = h.model->get_profile(id);
        return profile_handle{h.model, static_cast<std::size_t>(&p - h.model->profiles.data())};
      }, py::arg("id"))
      // Immutable: a copy is the same model (scikit-learn's clone deep-copies parameters).
      .def("__copy__", [](const model_handle& h) { return h; })
      .def("__deepcopy__", [](const model_handle& h, const py::dict&) { return h; }, py::arg("memo"))
      .def("__repr__", [](const model_handle& h) {
        return "<merit.Model '" + h.model->id + "' " + h.model->version + " (" +
               std::to_string(h.model->competencies.size()) + " competencies, " +
               std::to_string(h.model->profiles.size()) + " profiles)>";
      });

  m.def("load_model", [](const std::string& path) {
    py::gil_scoped_release nogil;
    return make(load_model(path));
  }, py::arg("path"));
  m.def("parse_model_text", [](const std::string& text, const std::string& source) {
    py::gil_scoped_release nogil;
    return make(parse_model_text(text, source));
  }, py::arg("text"), py::arg("source") = "");
}

}  // namespace merit::python
