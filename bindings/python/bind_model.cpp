// model.hpp -> Model and Profile: read-only views of a loaded, validated
// competency model. Loading and validation happen in C++, once.
#include "bindings.hpp"

#include <merit/scoring_hash.hpp>
#include <merit/io/titles.hpp>
#include <merit/titles.hpp>

#include <pybind11/stl.h>

namespace merit::python {
namespace {

py::array_t<double> vector_of(const std::vector<target>& ts, double (*get)(const target&)) {
  py::array_t<double> out(static_cast<py::ssize_t>(ts.size()));
  auto v = out.mutable_unchecked<1>();
  for (std::size_t k = 0; k < ts.size(); ++k) v(static_cast<py::ssize_t>(k)) = get(ts[k]);
  return out;
}

double minimum_of(const target& t) { return t.minimum ? *t.minimum : std::numeric_limits<double>::quiet_NaN(); }

model_handle make(competency_model m) { return {std::make_shared<const competency_model>(std::move(m))}; }

// A label in the language asked for: "en", or "zh-CN" (falling back to the
// English text where the model gives no Chinese one).
const std::string& in_language(const label& l, const std::string& lang) {
  if (lang == "en") return l.en;
  if (lang == "zh-CN") return l.zh.empty() ? l.en : l.zh;
  throw py::value_error("lang must be 'en' or 'zh-CN', got '" + lang + "'");
}

// The competencies' columns of a to_frame (name, cluster and, when asked,
// definition, in `lang`) and their ids, for the competencies at `at`.
struct competency_columns {
  std::vector<std::string> ids;
  py::dict columns;
  competency_columns(const competency_model& m, const std::vector<std::size_t>& at, const std::string& lang,
                     bool definition) {
    std::vector<std::string> names, clusters, definitions;
    for (std::size_t k : at) {
      const competency& c = m.competencies[k];
      ids.push_back(c.id);
      names.push_back(in_language(c.name, lang));
      clusters.push_back(c.cluster);
      if (definition) definitions.push_back(in_language(c.definition, lang));
    }
    columns["name"] = names;
    columns["cluster"] = clusters;
    if (definition) columns["definition"] = definitions;
  }
  // A pandas DataFrame of the columns, indexed by competency_id.
  py::object frame() const {
    py::module_ pd = py::module_::import("pandas");
    py::object index = pd.attr("Index")(ids, py::arg("name") = "competency_id", py::arg("dtype") = "object");
    return pd.attr("DataFrame")(columns, py::arg("index") = index);
  }
};

// The HTML a notebook shows (merit/_notebook.py builds it from the public API).
py::object notebook_html(const char* function, const py::object& self) {
  return py::module_::import("merit._notebook").attr(function)(self);
}

const char* const to_frame_lang =
    "lang: 'en' (default) or 'zh-CN' for the names and definitions (the English text where the model has no "
    "Chinese one); any other value raises ValueError.";

}  // namespace

void bind_model(py::module_& m) {
  py::class_<profile_handle>(m, "Profile", "A role profile: per competency a target level, an importance weight and optionally a hurdle.")
      .def_property_readonly("id", [](const profile_handle& p) { return p.get().id; }, "The profile's id.")
      .def_property_readonly("name", [](const profile_handle& p) { return p.get().name.en; },
                             "The profile's name in English.")
      .def_property_readonly("name_zh", [](const profile_handle& p) { return p.get().name.zh; },
                             "The profile's name in Chinese (zh-CN); empty when the model gives none.")
      .def_property_readonly("scoring_hash", [](const profile_handle& p) { return scoring_hash(*p.model, p.get()); },
                             "SHA-256 of what turns evidence into this profile's fits (targets, weights, hurdles, "
                             "coverage rule, scale mappings, evidence weights; docs/model-format.md): norms record it, "
                             "and rewording a question or a label keeps it.")
      .def_property_readonly("fit_model", [](const profile_handle& p) { return to_string(p.get().fit_model); },
                             "How fit is computed from the gaps to the targets: 'attainment' or 'match' "
                             "(see docs/design.md).")
      .def_property_readonly("min_coverage", [](const profile_handle& p) { return p.get().min_coverage; },
                             "Share of the target weight a candidate needs evidence for (0..1); below it the "
                             "candidate is 'incomplete'.")
      .def_property_readonly("reliability", [](const profile_handle& p) { return p.get().reliability; },
                             "Reliability of the fit score used for score bands, or None when the model gives none.")
      .def_property_readonly("title_aliases", [](const profile_handle& p) { return p.get().title_aliases; },
                             "Job titles that map to this profile (merit.roles).")
      .def_property_readonly("competency_ids", [](const profile_handle& p) {
        std::vector<std::string> ids;
        for (const auto& t : p.get().targets) ids.push_back(p.model->competencies[t.competency].id);
        return ids;
      }, "Ids of the profile's targets, in model order.")
      .def_property_readonly("targets", [](const profile_handle& p) {
        return vector_of(p.get().targets, [](const target& t) { return t.target; });
      }, "Target levels on 1..L, shape (#targets,).")
      .def_property_readonly("weights", [](const profile_handle& p) {
        return vector_of(p.get().targets, [](const target& t) { return t.weight; });
      }, "Importance weights normalised to sum 1, shape (#targets,).")
      .def_property_readonly("minimums", [](const profile_handle& p) {
        return vector_of(p.get().targets, minimum_of);
      }, "Hurdles on 1..L (NaN where none), shape (#targets,): below one the candidate is 'screened_out'.")
      .def("to_frame", [](const profile_handle& p, const std::string& lang) {
        std::vector<std::size_t> at;
        for (const auto& t : p.get().targets) at.push_back(t.competency);
        competency_columns out(*p.model, at, lang, false);
        const auto& ts = p.get().targets;
        out.columns["target"] = vector_of(ts, [](const target& t) { return t.target; });
        out.columns["weight"] = vector_of(ts, [](const target& t) { return t.weight; });
        out.columns["minimum"] = vector_of(ts, minimum_of);
        return out.frame();
      }, py::arg("lang") = "en",
         (std::string("The profile's targets as a DataFrame indexed by competency_id (model order): name, "
                      "cluster, target (level on 1..L), weight (sums to 1), minimum (the hurdle, NaN where none).\n\n") +
          to_frame_lang).c_str())
      // Immutable: a copy is the same profile (scikit-learn's clone deep-copies parameters).
      .def("__copy__", [](const profile_handle& p) { return p; })
      .def("__deepcopy__", [](const profile_handle& p, const py::dict&) { return p; }, py::arg("memo"))
      .def("_repr_html_", [](const py::object& self) { return notebook_html("profile_html", self); },
           "HTML for notebooks: the profile's names (en, zh-CN) and its targets.")
      .def("__repr__", [](const profile_handle& p) {
        return "<merit.Profile '" + p.get().id + "' of model '" + p.model->id + "' (" +
               std::to_string(p.get().targets.size()) + " targets, " + to_string(p.get().fit_model) + ")>";
      });

  py::class_<model_handle>(m, "Model", "A loaded and validated competency model (immutable).")
      .def_property_readonly("id", [](const model_handle& h) { return h.model->id; }, "The model's id.")
      .def_property_readonly("version", [](const model_handle& h) { return h.model->version; },
                             "The model's version (semantic versioning, e.g. '1.0.0').")
      .def_property_readonly("name", [](const model_handle& h) { return h.model->name.en; },
                             "The model's name in English.")
      .def_property_readonly("name_zh", [](const model_handle& h) { return h.model->name.zh; },
                             "The model's name in Chinese (zh-CN); empty when the model gives none.")
      .def_property_readonly("levels", [](const model_handle& h) { return h.model->levels; },
                             "L: the proficiency scale is 1..L.")
      .def_property_readonly("content_hash", [](const model_handle& h) { return h.model->content_hash; },
                             "SHA-256 of the model's canonical JSON.")
      .def_property_readonly("source", [](const model_handle& h) { return h.model->source; },
                             "Where the model was read from (a path, or the source given to parse_model).")
      .def_property_readonly("competency_ids", [](const model_handle& h) {
        std::vector<std::string> ids;
        for (const auto& c : h.model->competencies) ids.push_back(c.id);
        return ids;
      }, "Competency ids in model order: the columns of a scores array.")
      .def_property_readonly("profiles", [](const model_handle& h) {
        std::vector<profile_handle> out;
        for (std::size_t i = 0; i < h.model->profiles.size(); ++i) out.push_back({h.model, i});
        return out;
      }, "The model's role profiles, in file order.")
      .def("profile", [](const model_handle& h, const std::string& id) {
        const merit::profile& p = h.model->get_profile(id);
        return profile_handle{h.model, static_cast<std::size_t>(&p - h.model->profiles.data())};
      }, py::arg("id"), "The profile with this id; ModelError (code 'not_found') when there is none.")
      .def("to_frame", [](const model_handle& h, const std::string& lang) {
        std::vector<std::size_t> all(h.model->competencies.size());
        for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
        return competency_columns(*h.model, all, lang, true).frame();
      }, py::arg("lang") = "en",
         (std::string("The competencies as a DataFrame indexed by competency_id (model order): name, cluster, "
                      "definition. Targets and weights are per profile: Profile.to_frame().\n\n") +
          to_frame_lang).c_str())
      // Immutable: a copy is the same model (scikit-learn's clone deep-copies parameters).
      .def("__copy__", [](const model_handle& h) { return h; })
      .def("__deepcopy__", [](const model_handle& h, const py::dict&) { return h; }, py::arg("memo"))
      .def("_repr_html_", [](const py::object& self) { return notebook_html("model_html", self); },
           "HTML for notebooks: the model's names (en, zh-CN), its competencies and profiles.")
      .def("__repr__", [](const model_handle& h) {
        return "<merit.Model '" + h.model->id + "' " + h.model->version + " (" +
               std::to_string(h.model->competencies.size()) + " competencies, " +
               std::to_string(h.model->profiles.size()) + " profiles)>";
      });

  m.def("load_model", [](const std::string& path) {
    py::gil_scoped_release nogil;
    return make(load_model(path));
  }, py::arg("path"), "Load and validate a competency model file (merit.load_model).");
  m.def("parse_model_text", [](const std::string& text, const std::string& source) {
    py::gil_scoped_release nogil;
    return make(parse_model_text(text, source));
  }, py::arg("text"), py::arg("source") = "", "Parse and validate a model from JSON text (merit.parse_model).");
  m.def("match_title", [](const model_handle& h, const std::string& title) {
    // The JSON object merit match-title writes (one writer for the CLI, the C ABI and Python).
    return io::title_match_json(match_title(*h.model, title)).dump();
  }, py::arg("model"), py::arg("title"), "A job title's profile as JSON text (merit.match_title).");
}

}  // namespace merit::python
