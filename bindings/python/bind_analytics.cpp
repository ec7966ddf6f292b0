// reliability.hpp, fairness.hpp, bands.hpp, norms.hpp -> ICC, Cronbach's
// alpha, the adverse-impact audit, score bands and norms. Arrays are read in place when they
// are float64 with contiguous rows (merit/__init__.py converts other input
// once); every number comes from the core.
#include "bindings.hpp"

#include <merit/bands.hpp>
#include <merit/io/ahp_json.hpp>
#include <merit/io/json.hpp>
#include <merit/fairness.hpp>
#include <merit/reliability.hpp>
#include <merit/io/judgments.hpp>
#include <merit/io/norms.hpp>
#include <merit/norms.hpp>
#include <merit/scoring_hash.hpp>
#include <merit/weights.hpp>

#include <pybind11/stl.h>

#include <optional>

#include <cmath>
#include <string>
#include <vector>

namespace merit::python {
namespace {
using int_array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using double_array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using status_array = py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>;

using matrix_arg = py::array_t<double, py::array::c_style | py::array::forcecast>;

Eigen::Map<const RowMatrix> view(const matrix_arg& a, const char* what) {
  if (a.ndim() != 2) throw py::value_error(std::string(what) + " must be 2-D, got " + std::to_string(a.ndim()) + "-D");
  return {a.data(), a.shape(0), a.shape(1)};
}

ahp_method parse_method(const std::string& m) {
  if (m == "eigen") return ahp_method::eigen;
  if (m == "geometric") return ahp_method::geometric;
  throw py::value_error("method must be 'eigen' or 'geometric', got '" + m + "'");
}

/// Runs an AHP computation; the core's errors (the judgments reader's
/// model_error, the matrix checks' argument_error) become merit.JudgmentError.
template <class F>
auto judged(F compute) {
  try {
    return compute();
  } catch (const merit::error& e) {
    raise_judgment_error(e);
    throw py::error_already_set();
  }
}

/// Runs a norms computation; the core's argument_error becomes an InputError
/// placed at `place` (the argument or file it came from).
template <class F>
auto on_norms_input(const std::string& place, errc code, F compute) {
  try {
    return compute();
  } catch (const argument_error& e) {
    throw input_error(code, place, e.detail());
  }
}

}  // namespace

void bind_analytics(py::module_& m) {
  // The AHP results are `merit weights ahp --json`'s text (io/ahp_json.hpp);
  // merit/_ahp.py turns it into a labelled Series.
  m.def("ahp_priorities", [](const matrix_arg& a, const std::string& method, const std::string& ri_table,
                             const std::vector<std::string>& items) {
    auto x = view(a, "matrix");
    const ahp_method meth = parse_method(method);
    const random_index_table& ri = random_index_table_named(ri_table);
    if (!items.empty() && items.size() != static_cast<std::size_t>(x.rows()))
      throw py::value_error("items: " + std::to_string(items.size()) + " labels for " + std::to_string(x.rows()) +
                            " rows");
    ahp_result r = judged([&] {
      py::gil_scoped_release nogil;
      return ahp_priorities(x, meth, ri, items.empty() ? nullptr : &items);
    });
    std::vector<std::string> names = items;
    for (Eigen::Index k = static_cast<Eigen::Index>(names.size()); k < x.rows(); ++k) names.push_back(std::to_string(k));
    nlohmann::ordered_json out = io::ahp_json(r, names);
    out["method"] = to_string(meth);
    out["n"] = names.size();
    return out.dump();
  }, py::arg("matrix"), py::arg("method") = "eigen", py::arg("ri_table") = "saaty1980",
     py::arg("items") = std::vector<std::string>{});

  // A judgments document or a two-level hierarchy of them, as `merit weights ahp` reads it.
  m.def("ahp_weights", [](const std::string& text, const std::string& source, const std::string& method,
                          const std::string& aggregate, const std::string& ri_table) {
    const ahp_method meth = parse_method(method);
    if (aggregate != "aij" && aggregate != "aip")
      throw py::value_error("aggregate must be 'aij' or 'aip', got '" + aggregate + "'");
    const ahp_aggregation agg = aggregate == "aij" ? ahp_aggregation::aij : ahp_aggregation::aip;
    const random_index_table& ri = random_index_table_named(ri_table);
    return judged([&] {
      const nlohmann::json doc = io::parse_json<model_error>(text, source);
      if (doc.is_object() && doc.contains("hierarchy")) {
        const judgments_hierarchy H = parse_judgments_hierarchy(doc, source);
        return io::ahp_hierarchy_json(hierarchy_weights(H, meth, agg, ri), H).dump();
      }
      const judgments J = parse_judgments(doc, source);
      return io::ahp_group_json(ahp_weights(J, meth, agg, ri), J).dump();
    });
  }, py::arg("text"), py::arg("source"), py::arg("method") = "eigen", py::arg("aggregate") = "aij",
     py::arg("ri_table") = "saaty1980");

  // Norms (merit.norms_build / merit.norms_apply in merit/_norms.py): the
  // norms document is the file `merit norms build` writes, as JSON text.
  m.def("norms_build", [](const model_handle& h, const std::string& profile_id, const std::string& column,
                          const std::optional<std::string>& by, const double_array& scores,
                          const std::optional<std::vector<std::string>>& groups, const std::string& built) {
    if (by)
      if (auto problem = norms_group_column_problem(*by)) throw input_error(errc::protected_attribute, "by", *problem);
    const profile& prof = h.model->get_profile(profile_id);
    if (scores.ndim() != 1) throw py::value_error("scores must be 1-D");
    std::vector<double> values(scores.data(), scores.data() + scores.shape(0));
    norm_table t;
    t.model_id = h.model->id;
    t.model_version = h.model->version;
    t.scoring_hash = scoring_hash(*h.model, prof);
    t.profile = prof.id;
    t.column = column;
    t.by = by;
    t.built = built;
    norms_build_report report;
    t.groups = on_norms_input(by.value_or(column), errc::value, [&] {
      return build_norm_groups(values, groups.value_or(std::vector<std::string>{}), norms_min_n, &report);
    });
    return py::make_tuple(io::to_json(t).dump(), report.missing);
  }, py::arg("model"), py::arg("profile"), py::arg("column"), py::arg("by"), py::arg("scores"), py::arg("groups"),
     py::arg("built"));

  m.def("norms_apply", [](const model_handle& h, const std::string& text, const std::string& source,
                          const std::string& column, const double_array& scores,
                          const std::optional<std::vector<std::string>>& groups) {
    const norm_table t = io::parse_norms(io::parse_json<input_error>(text, source), source);
    on_norms_input(source, errc::inconsistent, [&] { check_norms(t, t.profile, scoring_hash(*h.model, t.profile), column); });
    if (scores.ndim() != 1) throw py::value_error("scores must be 1-D");
    const auto n = static_cast<std::size_t>(scores.shape(0));
    if (groups && groups->size() != n) throw py::value_error("groups must have one entry per score");
    if (t.by && !groups) throw input_error(errc::not_found, *t.by, "the norms are grouped by '" + *t.by + "'; pass the groups");
    py::array_t<double> out(static_cast<py::ssize_t>(n));
    double* p = out.mutable_data();
    const double* x = scores.data();
    const norm_group* only = t.by ? nullptr : &t.groups.front();
    for (std::size_t i = 0; i < n; ++i) {
      const norm_group* group = only ? only : t.find((*groups)[i]);
      if (!group)  // the library's message, placed at the row
        on_norms_input(*t.by + " (row " + std::to_string(i) + ")", errc::not_found, [&] { norms_group(t, (*groups)[i]); });
      p[i] = group->percentile(x[i]);
    }
    return out;
  }, py::arg("model"), py::arg("text"), py::arg("source"), py::arg("column"), py::arg("scores"), py::arg("groups"));

  m.def("icc", [](const matrix_arg& ratings, double confidence, const std::string& lang) {
    if (lang != "en" && lang != "zh-CN") throw py::value_error("lang must be 'en' or 'zh-CN', got '" + lang + "'");
    auto x = view(ratings, "ratings");
    icc_result r;
    {
      py::gil_scoped_release nogil;
      r = icc(x, confidence);
    }
    // One row per form, in the order of merit._stats.ICC_COLUMNS.
    py::list forms;
    for (const icc_form& f : icc_forms(r))
      forms.append(py::make_tuple(f.type, icc_description(f, r.n_judges, lang == "zh-CN"), f.estimate->value, f.test->f,
                                  f.test->df1, f.test->df2, f.test->p, f.estimate->lower, f.estimate->upper));
    py::dict d;
    d["forms"] = forms;
    d["n_targets"] = r.n_targets;
    d["n_judges"] = r.n_judges;
    d["n_dropped"] = r.n_dropped;
    return d;
  }, py::arg("ratings"), py::arg("confidence") = 0.95, py::arg("lang") = "en");

  m.def("cronbach_alpha", [](const matrix_arg& items, const std::string& missing, double confidence,
                             const std::vector<std::string>& names) {
    missing_policy policy;
    if (missing == "pairwise") policy = missing_policy::pairwise;
    else if (missing == "listwise") policy = missing_policy::listwise;
    else throw py::value_error("missing must be 'pairwise' or 'listwise', got '" + missing + "'");
    auto x = view(items, "items");
    alpha_result r;
    {
      py::gil_scoped_release nogil;
      r = cronbach_alpha(x, policy, confidence, names);
    }
    py::dict d;
    d["alpha"] = r.alpha;
    d["std_alpha"] = r.std_alpha;
    d["lower"] = r.lower;
    d["upper"] = r.upper;
    d["n"] = r.n;
    d["k"] = r.n_items;
    return d;
  }, py::arg("items"), py::arg("missing") = "pairwise", py::arg("confidence") = 0.95,
     py::arg("names") = std::vector<std::string>{});

  m.def("audit", [](const std::vector<std::string>& dimensions, std::vector<std::vector<std::string>> names,
                    const std::vector<int_array>& codes, const py::array_t<std::uint8_t, py::array::c_style |
                    py::array::forcecast>& selected, const py::object& fits, const std::vector<int_array>& absent,
                    double small_share) {
    coded_audit_data data;
    data.dimensions = dimensions;
    data.names = std::move(names);
    for (const auto& c : codes) data.codes.emplace_back(c.data(), c.data() + c.size());
    for (const auto& c : absent) data.absent_codes.emplace_back(c.data(), c.data() + c.size());
    data.selected.assign(selected.data(), selected.data() + selected.size());
    if (!fits.is_none()) {
      auto f = fits.cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
      data.fits.assign(f.data(), f.data() + f.size());
    }
    audit_options opt;
    opt.small_share = small_share;
    audit_result r;
    {
      py::gil_scoped_release nogil;
      r = audit(data, opt);
    }
    const auto n = static_cast<py::ssize_t>(r.categories.size());
    std::vector<std::string> dimension, name;
    py::array_t<std::int64_t> applicants(n), sel(n), scored(n), above(n);
    py::array_t<double> selection_rate(n), impact_ratio(n), scoring_rate(n), scoring_impact_ratio(n), fisher_p(n),
        odds_ratio(n), z(n), z_p(n);
    py::array_t<bool> flag(n), small(n), reference(n);
    for (py::ssize_t i = 0; i < n; ++i) {
      const category_impact& c = r.categories[static_cast<std::size_t>(i)];
      dimension.push_back(c.dimension);
      name.push_back(c.name);
      applicants.mutable_at(i) = static_cast<std::int64_t>(c.applicants);
      sel.mutable_at(i) = static_cast<std::int64_t>(c.selected);
      scored.mutable_at(i) = static_cast<std::int64_t>(c.scored);
      above.mutable_at(i) = static_cast<std::int64_t>(c.above_median);
      selection_rate.mutable_at(i) = c.selection_rate;
      impact_ratio.mutable_at(i) = c.impact_ratio;
      scoring_rate.mutable_at(i) = c.scoring_rate;
      scoring_impact_ratio.mutable_at(i) = c.scoring_impact_ratio;
      fisher_p.mutable_at(i) = c.fisher_p;
      odds_ratio.mutable_at(i) = c.odds_ratio;
      z.mutable_at(i) = c.z;
      z_p.mutable_at(i) = c.z_p;
      flag.mutable_at(i) = c.four_fifths_flag;
      small.mutable_at(i) = c.small_category;
      reference.mutable_at(i) = c.reference;
    }
    py::dict cols;  // in the order of `merit audit --json`
    cols["dimension"] = dimension;
    cols["name"] = name;
    cols["applicants"] = applicants;
    cols["selected"] = sel;
    cols["selection_rate"] = selection_rate;
    cols["impact_ratio"] = impact_ratio;
    cols["scored"] = scored;
    cols["scoring_rate"] = scoring_rate;
    cols["scoring_impact_ratio"] = scoring_impact_ratio;
    cols["four_fifths_flag"] = flag;
    cols["fisher_p"] = fisher_p;
    cols["odds_ratio"] = odds_ratio;
    cols["z"] = z;
    cols["z_p"] = z_p;
    cols["small_category"] = small;
    cols["reference"] = reference;
    cols["above_median"] = above;
    py::dict d;
    d["categories"] = cols;
    d["n"] = r.n;
    d["selected"] = r.selected;
    d["unknown"] = r.unknown;
    py::dict unknown_by;
    for (const auto& [dim, count] : r.unknown_by) unknown_by[py::str(dim)] = count;
    d["unknown_by"] = unknown_by;
    d["median_fit"] = r.median_fit;
    return d;
  }, py::arg("dimensions"), py::arg("names"), py::arg("codes"), py::arg("selected"), py::arg("fits") = py::none(),
     py::arg("absent_codes") = std::vector<int_array>{}, py::arg("small_share") = 0.02,
     "Adverse-impact tables of a coded selection (merit::audit); merit.audit builds the codes.");

  m.def("select_top_k", [](const double_array& rank, const status_array& status, std::uint64_t k) {
    if (rank.ndim() != 1 || status.ndim() != 1 || rank.size() != status.size())
      throw py::value_error("select_top_k: rank and status must be one-dimensional and of one length");
    py::array_t<bool> out(rank.size());
    top_k_summary s = select_top_k(rank.data(), status.data(), static_cast<std::size_t>(rank.size()), k,
                                   reinterpret_cast<std::uint8_t*>(out.mutable_data()));
    return py::make_tuple(out, s.selected, s.in_top_k);
  }, py::arg("rank"), py::arg("status"), py::arg("k"),
     "Top-K selection (merit::select_top_k): rank <= k and status code 0 (qualified). Returns (selected, "
     "number selected, number of ranks 1..k).");
  m.def("unknown_status_message", &merit::unknown_status_message, py::arg("text"),
        "The error message for a status other than qualified, screened_out, incomplete.");
  m.def("select_threshold", [](const double_array& fit, const status_array& status, double threshold) {
    if (fit.ndim() != 1 || status.ndim() != 1 || fit.size() != status.size())
      throw py::value_error("select_threshold: fit and status must be one-dimensional and of one length");
    py::array_t<bool> out(fit.size());
    std::uint64_t n = select_threshold(fit.data(), status.data(), static_cast<std::size_t>(fit.size()), threshold,
                                       reinterpret_cast<std::uint8_t*>(out.mutable_data()));
    return py::make_tuple(out, n);
  }, py::arg("fit"), py::arg("status"), py::arg("threshold"),
     "Threshold selection (merit::select_threshold): fit >= threshold and status code 0 (qualified).");

  m.def("sem", &merit::sem, py::arg("sd"), py::arg("reliability"));
  m.def("sed", &merit::sed, py::arg("sd"), py::arg("reliability"));
  m.def("band_width", &merit::band_width, py::arg("sd"), py::arg("reliability"), py::arg("c") = band_c_95);
  m.def("fixed_bands", [](const py::array_t<double, py::array::c_style | py::array::forcecast>& fits, double width) {
    if (fits.ndim() != 1) throw py::value_error("fits must be one-dimensional");
    Eigen::Map<const Vector> f(fits.data(), fits.shape(0));
    Eigen::VectorXi b = fixed_bands(f, width);
    py::array_t<std::int32_t> out(b.size());
    std::copy(b.data(), b.data() + b.size(), out.mutable_data());
    return out;
  }, py::arg("fits"), py::arg("width"));
}

}  // namespace merit::python
