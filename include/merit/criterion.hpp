#pragma once
/// \file criterion.hpp
/// A criterion built from 360-degree ratings: each person's ratings are
/// averaged within each rater group (salespeople, manager, peer...), the group
/// means are combined with the rater-group weights, and the reliability of
/// each group's mean and of the weighted composite are estimated. Plain
/// vectors in, numbers out; no file format. docs/criterion.md gives the
/// formulas and the reasons for each refusal.
///
/// - A group's reliability: raters are nested in persons (each person is rated
///   by their own salespeople, their own manager), so rater and error effects
///   cannot be told apart and the one-way random model is the one that holds
///   (Shrout & Fleiss 1979, case 1): ICC(1) for one rater, ICC(1,k) for the
///   mean of k. When every person has the same number k of raters from the
///   group, merit::icc (reliability.hpp, R psych::ICC) gives them; when the
///   numbers differ, the same one-way ANOVA with the average group size k0 of
///   the unbalanced design (k0 = (N - sum k_i^2 / N) / (n - 1)).
/// - The composite's reliability: Mosier (1943),
///   r_cc = 1 - sum_j w_j^2 s_j^2 (1 - r_jj) / s_c^2, with s_j^2 the variance
///   of group j's means, r_jj their reliability and s_c^2 the variance of the
///   weighted composite, over the persons rated by every group.
///
/// Every function throws merit::argument_error with a message that says what
/// to fix; the edges add the file or option it came from.

#include <merit/errors.hpp>
#include <merit/fwd.hpp>
#include <merit/number.hpp>
#include <merit/reliability.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace merit {

/// One rating of one person by one rater of one group (the long format).
struct rating_360 {
  std::string person;  ///< the person rated (their candidate_id)
  std::string group;   ///< the rater group: salespeople, manager, peer...
  std::string rater;   ///< the rater, unique within a person and group
  double rating = 0;
};

/// One rater group and its weight in the composite.
struct rater_group_weight {
  std::string group;
  double weight = 0;
};

/// What to do with a person that no rater of some weighted group rated.
enum class missing_group_policy {
  refuse,       ///< an error naming the person and the group (the default)
  renormalise,  ///< the weights of the groups present, rescaled to sum to 1; the row is flagged
  drop,         ///< the person is left out (and counted)
};

/// The weights must sum to 1 within this tolerance (a recorded judgment,
/// docs/criterion.md: a sum of 1.1 is far more often a typo than a wish).
inline constexpr double criterion_weight_tolerance = 1e-9;

/// One person's criterion.
struct person_criterion {
  std::string person;
  double composite = 0;
  std::vector<double> group_mean;        ///< #groups, NaN when the group did not rate the person
  std::vector<std::size_t> group_raters; ///< #groups, 0 when the group did not rate the person
  bool complete = true;                  ///< every weighted group rated the person
};

/// A rater group's inter-rater reliability (one-way random model).
struct group_reliability {
  std::string group;
  double weight = 0;
  std::size_t persons = 0;  ///< persons the group rated
  std::size_t ratings = 0;
  std::size_t raters_min = 0, raters_max = 0;  ///< raters per person
  bool balanced = false;    ///< every person has the same number of raters
  bool estimable = false;
  /// Raters per person in the k forms: k when balanced, else the unbalanced
  /// design's average group size k0.
  double k = std::numeric_limits<double>::quiet_NaN();
  interval_estimate icc1{std::nan(""), std::nan(""), std::nan("")};   ///< one rater
  interval_estimate icc1k{std::nan(""), std::nan(""), std::nan("")};  ///< the mean of k raters
  icc_f_test test{std::nan(""), std::nan(""), std::nan(""), std::nan("")};
  /// The reliability of the group's mean that enters the composite's:
  /// icc1k.value, or the value given for the group, or NaN.
  double reliability = std::numeric_limits<double>::quiet_NaN();
  std::string reliability_source;  ///< "icc1k", "given" or "" (none)
  std::string note;                ///< why the ICC is not estimable, or empty
};

/// Mosier's reliability of the weighted composite.
struct composite_reliability {
  std::size_t n = 0;  ///< persons rated by every weighted group
  double variance = std::numeric_limits<double>::quiet_NaN();  ///< s_c^2 (n - 1)
  double reliability = std::numeric_limits<double>::quiet_NaN();
  std::string note;  ///< why it is not computed, or empty
};

struct criterion_360_result {
  std::vector<std::string> groups;  ///< in the weights' order
  std::vector<double> weights;
  std::vector<person_criterion> persons;  ///< in order of first appearance
  std::size_t dropped = 0;                ///< persons left out by missing_group_policy::drop
  std::size_t incomplete = 0;             ///< persons kept with a group missing (renormalise)
  std::vector<group_reliability> reliability;  ///< #groups
  composite_reliability composite;
};

namespace criterion_detail {
inline double sample_variance(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m += x;
  m /= double(v.size());
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / double(v.size() - 1);
}
}  // namespace criterion_detail

/// Mosier's (1943) reliability of a weighted composite:
/// 1 - sum_j w_j^2 var_j (1 - r_jj) / composite_variance. `weights`,
/// `variances` (s_j^2) and `reliabilities` (r_jj) have one entry a component;
/// the composite variance must be > 0 and each r_jj at most 1 (an ICC
/// estimate below 0 is still an estimate, and is used as it is).
inline double mosier_reliability(const std::vector<double>& weights, const std::vector<double>& variances,
                                 const std::vector<double>& reliabilities, double composite_variance) {
  if (weights.size() != variances.size() || weights.size() != reliabilities.size())
    throw argument_error("mosier_reliability: weights, variances and reliabilities differ in length");
  if (!(composite_variance > 0)) throw argument_error("mosier_reliability: the composite variance must be > 0");
  double error = 0;
  for (std::size_t j = 0; j < weights.size(); ++j) {
    if (!(variances[j] >= 0)) throw argument_error("mosier_reliability: a variance must be >= 0");
    if (!(std::isfinite(reliabilities[j]) && reliabilities[j] <= 1))
      throw argument_error("mosier_reliability: a reliability must be a finite number <= 1");
    error += weights[j] * weights[j] * variances[j] * (1 - reliabilities[j]);
  }
  return 1 - error / composite_variance;
}

/// One-way random ICC(1) and ICC(1,k0) of ratings nested in targets, with
/// any number of ratings per target (`ratings[i]`: target i's ratings, at
/// least one each). The ANOVA's mean squares MSB (n - 1 df) and MSW (N - n
/// df), k0 = (N - sum k_i^2 / N) / (n - 1), ICC(1) = (MSB - MSW) / (MSB +
/// (k0 - 1) MSW), ICC(1,k0) = (MSB - MSW) / MSB, and the F intervals of
/// Shrout & Fleiss (1979) with k0 for k (exact when balanced, approximate
/// otherwise). Throws argument_error for fewer than 2 targets, no target
/// with 2 ratings, a non-finite rating, or ratings that agree exactly within
/// every target (MSW = 0).
struct one_way_icc_result {
  interval_estimate icc1, icc1k;
  icc_f_test test;
  double k0 = 0, msb = 0, msw = 0;
  std::size_t n = 0, ratings = 0;
};

inline one_way_icc_result one_way_icc(const std::vector<std::vector<double>>& ratings, double confidence = 0.95) {
  const std::size_t n = ratings.size();
  if (n < 2) throw argument_error("one_way_icc: needs at least 2 targets, got " + std::to_string(n));
  std::size_t N = 0;
  double sum = 0, sum_k2 = 0;
  for (const auto& r : ratings) {
    if (r.empty()) throw argument_error("one_way_icc: a target has no rating");
    for (double x : r)
      if (!std::isfinite(x)) throw argument_error("one_way_icc: a rating is not a finite number");
    N += r.size();
    sum_k2 += double(r.size()) * double(r.size());
    for (double x : r) sum += x;
  }
  if (N == n) throw argument_error("one_way_icc: every target has a single rating, so rater agreement cannot be seen");
  const double grand = sum / double(N);
  double ssb = 0, ssw = 0;
  for (const auto& r : ratings) {
    double m = 0;
    for (double x : r) m += x;
    m /= double(r.size());
    ssb += double(r.size()) * (m - grand) * (m - grand);
    for (double x : r) ssw += (x - m) * (x - m);
  }
  one_way_icc_result out;
  out.n = n;
  out.ratings = N;
  const double df_b = double(n) - 1, df_w = double(N - n);
  out.msb = ssb / df_b;
  out.msw = ssw / df_w;
  out.k0 = (double(N) - sum_k2 / double(N)) / df_b;
  if (!(out.msw > 0))
    throw argument_error("one_way_icc: the raters of every target agree exactly (no variance within targets), so "
                         "the F-based estimate does not exist");
  const double k = out.k0, f = out.msb / out.msw, tail = (1 - confidence) / 2;
  out.icc1.value = (out.msb - out.msw) / (out.msb + (k - 1) * out.msw);
  out.icc1k.value = (out.msb - out.msw) / out.msb;
  out.test = {f, df_b, df_w, detail::f_upper_tail(f, df_b, df_w)};
  const double fl = f / detail::f_upper_quantile(tail, df_b, df_w);
  const double fu = f * detail::f_upper_quantile(tail, df_w, df_b);
  out.icc1.lower = (fl - 1) / (fl + k - 1);
  out.icc1.upper = (fu - 1) / (fu + k - 1);
  out.icc1k.lower = 1 - 1 / fl;
  out.icc1k.upper = 1 - 1 / fu;
  return out;
}

/// The options of criterion_360.
struct criterion_360_options {
  missing_group_policy missing = missing_group_policy::refuse;
  /// Reliabilities given for groups (e.g. a group with one rater per person,
  /// whose ICC cannot be estimated), each in (0, 1]; used in place of the
  /// estimate, and named "given".
  std::vector<std::pair<std::string, double>> given_reliability;
  double confidence = 0.95;
};

/// Checks rater-group weights: at least one group, names non-empty and
/// distinct, each weight > 0 and finite, and their sum 1 within
/// criterion_weight_tolerance.
inline void check_rater_group_weights(const std::vector<rater_group_weight>& weights) {
  if (weights.empty()) throw argument_error("no rater group has a weight");
  double sum = 0;
  for (std::size_t j = 0; j < weights.size(); ++j) {
    const auto& w = weights[j];
    if (w.group.empty()) throw argument_error("a rater group name is empty");
    for (std::size_t i = 0; i < j; ++i)
      if (weights[i].group == w.group) throw argument_error("rater group '" + w.group + "' has two weights");
    if (!(std::isfinite(w.weight) && w.weight > 0))
      throw argument_error("the weight of rater group '" + w.group + "' must be > 0, got " + format_number(w.weight) +
                           " (leave a group out by excluding it)");
    sum += w.weight;
  }
  if (std::abs(sum - 1) > criterion_weight_tolerance) {
    std::string scaled;
    for (const auto& w : weights)
      scaled += (scaled.empty() ? "" : ",") + w.group + "=" + format_number(w.weight / sum);
    throw argument_error("the rater-group weights sum to " + format_number(sum) + ", not 1; if the proportions are "
                         "meant, the weights are " + scaled);
  }
}

/// The 360-degree criterion of every person in `ratings` (see the file
/// comment). `weights` name every group the ratings may have; a rating from
/// a group without a weight is an error (drop such ratings before the call
/// to leave a group out). A person's group mean is the mean of its raters'
/// ratings; the composite is sum_j w_j mean_j, over the groups present with
/// the weights rescaled to sum to 1 when `missing` is renormalise.
inline criterion_360_result criterion_360(const std::vector<rating_360>& ratings,
                                          const std::vector<rater_group_weight>& weights,
                                          const criterion_360_options& opt = {}) {
  check_rater_group_weights(weights);
  const std::size_t G = weights.size();
  std::map<std::string, std::size_t> group_index;
  for (std::size_t j = 0; j < G; ++j) group_index[weights[j].group] = j;
  for (const auto& [g, r] : opt.given_reliability) {
    if (!group_index.count(g))
      throw argument_error("a reliability is given for rater group '" + g + "', which has no weight");
    if (!(r > 0 && r <= 1))
      throw argument_error("the reliability given for rater group '" + g + "' must lie in (0, 1], got " +
                           format_number(r));
  }

  // person -> group -> ratings; persons in order of first appearance.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::vector<double>>> by_person;
  std::map<std::string, std::vector<std::vector<std::string>>> raters;
  std::vector<bool> group_seen(G, false);
  for (const auto& r : ratings) {
    if (r.person.empty()) throw argument_error("a rating has an empty person id");
    if (r.rater.empty()) throw argument_error("a rating of '" + r.person + "' has an empty rater id");
    auto g = group_index.find(r.group);
    if (g == group_index.end()) {
      std::string known;
      for (const auto& w : weights) known += (known.empty() ? "" : ", ") + w.group;
      throw argument_error("rater group '" + r.group + "' has no weight (the weights name " + known +
                           "); give it a weight or leave its ratings out");
    }
    if (!std::isfinite(r.rating))
      throw argument_error("the rating of '" + r.person + "' by '" + r.rater + "' is not a finite number");
    auto [it, fresh] = by_person.try_emplace(r.person, std::vector<std::vector<double>>(G));
    if (fresh) {
      order.push_back(r.person);
      raters[r.person].resize(G);
    }
    auto& names = raters[r.person][g->second];
    for (const auto& name : names)
      if (name == r.rater)
        throw argument_error("rater '" + r.rater + "' of group '" + r.group + "' rates '" + r.person +
                             "' twice; give one rating per rater and person");
    names.push_back(r.rater);
    it->second[g->second].push_back(r.rating);
    group_seen[g->second] = true;
  }
  if (order.empty()) throw argument_error("no ratings");
  for (std::size_t j = 0; j < G; ++j)
    if (!group_seen[j])
      throw argument_error("rater group '" + weights[j].group + "' has a weight but no rating; check its spelling");

  criterion_360_result out;
  for (const auto& w : weights) {
    out.groups.push_back(w.group);
    out.weights.push_back(w.weight);
  }
  std::size_t lacking = 0;
  std::string first_person, first_group;
  for (const auto& p : order)
    for (std::size_t j = 0; j < G; ++j)
      if (by_person[p][j].empty()) {
        if (lacking++ == 0) {
          first_person = p;
          first_group = weights[j].group;
        }
        break;
      }
  if (lacking > 0 && opt.missing == missing_group_policy::refuse)
    throw argument_error("'" + first_person + "' has no rating from rater group '" + first_group + "'" +
                         (lacking > 1 ? " (" + std::to_string(lacking) + " persons lack a group)" : std::string()) +
                         "; renormalise the weights over the groups present (the row is flagged) or drop such persons");

  for (const auto& p : order) {
    const auto& groups = by_person[p];
    person_criterion c;
    c.person = p;
    double weight_present = 0, sum = 0;
    for (std::size_t j = 0; j < G; ++j) {
      const auto& v = groups[j];
      c.group_raters.push_back(v.size());
      if (v.empty()) {
        c.group_mean.push_back(std::nan(""));
        c.complete = false;
        continue;
      }
      double m = 0;
      for (double x : v) m += x;
      m /= double(v.size());
      c.group_mean.push_back(m);
      weight_present += weights[j].weight;
      sum += weights[j].weight * m;
    }
    if (!c.complete && opt.missing == missing_group_policy::drop) {
      ++out.dropped;
      continue;
    }
    out.incomplete += !c.complete;
    c.composite = sum / weight_present;
    out.persons.push_back(std::move(c));
  }

  // Each group's reliability, over every person it rated (dropped persons too:
  // their ratings still show how well the group's raters agree).
  for (std::size_t j = 0; j < G; ++j) {
    group_reliability g;
    g.group = weights[j].group;
    g.weight = weights[j].weight;
    std::vector<std::vector<double>> nested;
    for (const auto& p : order)
      if (!by_person[p][j].empty()) nested.push_back(by_person[p][j]);
    g.persons = nested.size();
    g.raters_min = std::numeric_limits<std::size_t>::max();
    for (const auto& v : nested) {
      g.ratings += v.size();
      g.raters_min = std::min(g.raters_min, v.size());
      g.raters_max = std::max(g.raters_max, v.size());
    }
    g.balanced = g.raters_min == g.raters_max;
    if (g.raters_max < 2) {
      g.note = "one rater per person: agreement between raters cannot be estimated";
    } else if (g.persons < 2) {
      g.note = "rated only one person: agreement between raters cannot be estimated";
    } else {
      try {
        if (g.balanced) {
          // Every person has k raters: the #persons x k matrix, raters in file
          // order (the one-way forms do not depend on which column a rater is in).
          const std::size_t k = g.raters_max;
          RowMatrix x(static_cast<Eigen::Index>(nested.size()), static_cast<Eigen::Index>(k));
          for (std::size_t i = 0; i < nested.size(); ++i)
            for (std::size_t c = 0; c < k; ++c) x(Eigen::Index(i), Eigen::Index(c)) = nested[i][c];
          const icc_result r = icc(x, opt.confidence);
          g.icc1 = r.icc1;
          g.icc1k = r.icc1k;
          g.test = r.one_way;
          g.k = double(k);
        } else {
          const one_way_icc_result r = one_way_icc(nested, opt.confidence);
          g.icc1 = r.icc1;
          g.icc1k = r.icc1k;
          g.test = r.test;
          g.k = r.k0;
        }
        g.estimable = true;
      } catch (const argument_error& e) {
        g.note = e.detail();
      }
    }
    if (g.persons == 0) g.raters_min = 0;
    if (g.estimable) {
      g.reliability = g.icc1k.value;
      g.reliability_source = "icc1k";
    }
    for (const auto& [name, r] : opt.given_reliability)
      if (name == g.group) {
        g.reliability = r;
        g.reliability_source = "given";
      }
    out.reliability.push_back(std::move(g));
  }

  // Mosier over the persons every group rated.
  composite_reliability& c = out.composite;
  std::vector<std::vector<double>> means(G);
  std::vector<double> composite;
  for (const auto& p : out.persons) {
    if (!p.complete) continue;
    for (std::size_t j = 0; j < G; ++j) means[j].push_back(p.group_mean[j]);
    composite.push_back(p.composite);
  }
  c.n = composite.size();
  std::string no_reliability;
  for (const auto& g : out.reliability)
    if (std::isnan(g.reliability)) no_reliability += (no_reliability.empty() ? "" : ", ") + g.group;
  if (c.n >= 2) c.variance = criterion_detail::sample_variance(composite);
  if (c.n < 2) {
    c.note = "fewer than 2 persons were rated by every group";
  } else if (!no_reliability.empty()) {
    c.note = "no reliability for rater group(s) " + no_reliability + "; give one to compute the composite's";
  } else if (!(c.variance > 0)) {
    c.note = "the composite does not vary across the persons rated by every group";
  } else {
    std::vector<double> var(G), rel(G);
    for (std::size_t j = 0; j < G; ++j) {
      var[j] = criterion_detail::sample_variance(means[j]);
      rel[j] = out.reliability[j].reliability;
    }
    c.reliability = mosier_reliability(out.weights, var, rel, c.variance);
  }
  return out;
}

}  // namespace merit
