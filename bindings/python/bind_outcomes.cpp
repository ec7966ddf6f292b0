// validity.hpp, utility.hpp, criterion.hpp, cut.hpp -> what happened after
// the hire: criterion validity, utility, the 360-degree criterion and cut
// scores. Plain dicts out; merit/_outcomes.py turns them into pandas objects.
// Every number comes from the core, as `merit validity`, `merit utility`,
// `merit criterion 360` and `merit cut` compute it.
#include "bindings.hpp"

#include <merit/criterion.hpp>
#include <merit/cut.hpp>
#include <merit/utility.hpp>
#include <merit/validity.hpp>

#include <pybind11/stl.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace merit::python {
namespace {

py::object number(double v) { return std::isnan(v) ? py::object(py::none()) : py::object(py::float_(v)); }

py::dict interval(const interval_estimate& e) {
  py::dict d;
  d["value"] = number(e.value);
  d["lower"] = number(e.lower);
  d["upper"] = number(e.upper);
  return d;
}

}  // namespace

void bind_outcomes(py::module_& m) {
  m.def("is_binary", &merit::is_binary, py::arg("y"));

  m.def("validity_continuous", [](const std::vector<double>& x, const std::vector<double>& y,
                                  double criterion_reliability, double applicant_sd) {
    const continuous_validity v = validity_continuous(x, y, criterion_reliability, applicant_sd);
    py::dict d;
    d["n"] = v.pearson.n;
    d["r"] = v.pearson.r;
    d["r_lower"] = v.pearson.lower;
    d["r_upper"] = v.pearson.upper;
    d["p"] = v.pearson.p;
    d["spearman"] = v.spearman;
    d["r_corrected_criterion"] = number(v.r_corrected_criterion);
    d["r_corrected_range"] = number(v.r_corrected_range);
    d["r_operational"] = number(v.r_operational);
    return d;
  }, py::arg("x"), py::arg("y"), py::arg("criterion_reliability"), py::arg("applicant_sd"));

  m.def("validity_binary", [](const std::vector<double>& x, const std::vector<double>& y) {
    const binary_validity b = validity_binary(x, y);
    py::list rows;
    for (const auto& r : b.expectancy) {
      py::dict row;
      row["band"] = r.band;
      row["score_min"] = r.score_min;
      row["score_max"] = r.score_max;
      row["n"] = r.n;
      row["successes"] = r.successes;
      row["rate"] = r.rate;
      row["lower"] = r.lower;
      row["upper"] = r.upper;
      rows.append(row);
    }
    py::dict d;
    d["n"] = b.n;
    d["point_biserial"] = b.point_biserial;
    d["odds_ratio_per_10"] = b.logistic.odds_ratio_per_10;
    d["auc"] = b.auc;
    d["expectancy"] = rows;
    return d;
  }, py::arg("x"), py::arg("y"));

  m.def("applicant_sd", &merit::applicant_sd, py::arg("scores"));

  m.def("utility", [](double validity, double selection_ratio, double base_rate, double sd_performance, double hires,
                      double cost_per_applicant) {
    const bool money = !std::isnan(sd_performance);
    const utility_result u =
        money ? selection_utility(validity, selection_ratio, base_rate, sd_performance, hires, cost_per_applicant)
              : selection_utility(validity, selection_ratio, base_rate);
    py::dict d;
    d["success_ratio"] = u.success_ratio;
    d["mean_z_selected"] = u.mean_z_selected;
    d["utility"] = u.utility ? py::object(py::float_(*u.utility)) : py::object(py::none());
    return d;
  }, py::arg("validity"), py::arg("selection_ratio"), py::arg("base_rate"), py::arg("sd_performance"),
     py::arg("hires"), py::arg("cost_per_applicant"));

  m.def("criterion_360", [](const std::vector<std::string>& persons, const std::vector<std::string>& groups,
                            const std::vector<std::string>& raters, const std::vector<double>& ratings,
                            const std::vector<std::pair<std::string, double>>& weights, const std::string& missing,
                            const std::vector<std::pair<std::string, double>>& given, double confidence) {
    if (persons.size() != groups.size() || persons.size() != raters.size() || persons.size() != ratings.size())
      throw py::value_error("persons, groups, raters and ratings differ in length");
    std::vector<rating_360> in(persons.size());
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = {persons[i], groups[i], raters[i], ratings[i]};
    std::vector<rater_group_weight> w;
    for (const auto& [g, x] : weights) w.push_back({g, x});
    criterion_360_options opt;
    opt.missing = missing == "renormalise" ? missing_group_policy::renormalise
                  : missing == "drop"      ? missing_group_policy::drop
                                           : missing_group_policy::refuse;
    opt.given_reliability = given;
    opt.confidence = confidence;
    const criterion_360_result r = criterion_360(in, w, opt);
    py::list person, composite, complete;
    py::list means, counts;
    for (std::size_t j = 0; j < r.groups.size(); ++j) {
      means.append(py::list());
      counts.append(py::list());
    }
    for (const auto& p : r.persons) {
      person.append(p.person);
      composite.append(p.composite);
      complete.append(p.complete);
      for (std::size_t j = 0; j < r.groups.size(); ++j) {
        means[j].cast<py::list>().append(p.group_mean[j]);
        counts[j].cast<py::list>().append(p.group_raters[j]);
      }
    }
    py::list groups_out;
    for (const auto& g : r.reliability) {
      py::dict d;
      d["group"] = g.group;
      d["weight"] = g.weight;
      d["persons"] = g.persons;
      d["ratings"] = g.ratings;
      d["raters_min"] = g.raters_min;
      d["raters_max"] = g.raters_max;
      d["balanced"] = g.balanced;
      d["k"] = number(g.k);
      d["icc1"] = interval(g.icc1);
      d["icc1k"] = interval(g.icc1k);
      d["f"] = number(g.test.f);
      d["df1"] = number(g.test.df1);
      d["df2"] = number(g.test.df2);
      d["p"] = number(g.test.p);
      d["reliability"] = number(g.reliability);
      d["reliability_source"] = g.reliability_source.empty() ? py::object(py::none()) : py::object(py::str(g.reliability_source));
      d["note"] = g.note.empty() ? py::object(py::none()) : py::object(py::str(g.note));
      groups_out.append(d);
    }
    py::dict c;
    c["n"] = r.composite.n;
    c["variance"] = number(r.composite.variance);
    c["reliability"] = number(r.composite.reliability);
    c["note"] = r.composite.note.empty() ? py::object(py::none()) : py::object(py::str(r.composite.note));
    py::dict d;
    d["groups"] = r.groups;
    d["person"] = person;
    d["composite"] = composite;
    d["complete"] = complete;
    d["means"] = means;
    d["counts"] = counts;
    d["reliability"] = groups_out;
    d["composite_reliability"] = c;
    d["dropped"] = r.dropped;
    d["incomplete"] = r.incomplete;
    return d;
  }, py::arg("persons"), py::arg("groups"), py::arg("raters"), py::arg("ratings"), py::arg("weights"),
     py::arg("missing"), py::arg("given"), py::arg("confidence") = 0.95);

  m.def("mosier_reliability", &merit::mosier_reliability, py::arg("weights"), py::arg("variances"),
        py::arg("reliabilities"), py::arg("composite_variance"));

  m.def("expectancy_cut", [](const std::vector<double>& score, const std::vector<double>& success, double target) {
    const expectancy_cut e = expectancy_based_cut(score, success, target);
    py::dict d;
    d["target_success"] = e.target;
    d["sample_n"] = e.sample_n;
    d["sample_successes"] = e.sample_successes;
    d["found"] = e.found;
    d["cut"] = number(e.cut);
    d["n"] = e.n;
    d["successes"] = e.successes;
    d["success_rate"] = number(e.rate);
    d["lower"] = number(e.lower);
    d["upper"] = number(e.upper);
    return d;
  }, py::arg("score"), py::arg("success"), py::arg("target"));

  m.def("ratio_cut", [](const std::vector<double>& score, const std::vector<bool>& eligible, double ratio) {
    const ratio_cut r = selection_ratio_cut(score, eligible, ratio);
    py::dict d;
    d["selection_ratio"] = r.selection_ratio;
    d["applicants"] = r.applicants;
    d["eligible"] = r.eligible;
    d["target_count"] = r.target_count;
    d["reached"] = r.reached;
    d["cut"] = r.cut;
    return d;
  }, py::arg("score"), py::arg("eligible"), py::arg("selection_ratio"));

  m.def("select_at_cut", &merit::select_at_cut, py::arg("score"), py::arg("eligible"), py::arg("cut"));
}

}  // namespace merit::python
