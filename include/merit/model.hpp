#pragma once
/// \file model.hpp
/// The competency model: competencies with behaviourally anchored levels,
/// methods with their rating scales, the evidence matrix and the role
/// profiles. A loaded model is immutable. This header knows no file format:
/// the JSON reader that validates a model document once, at the edge, and
/// reports every problem with its JSON pointer is merit/io/model.hpp
/// (load_model, parse_model, parse_model_text, build_model, check_model).
///
/// Format: docs/model-format.md and competency_models/merit.competency-model.schema.json.

#include <merit/detail/text.hpp>
#include <merit/errors.hpp>
#include <merit/fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace merit {

/// A bilingual label. `en` is required; `zh` (JSON key "zh-CN") is expected.
struct label {
  std::string en;
  std::string zh;
};

enum class ownership { primary, supporting, participant };
enum class fit_model { attainment, weighted_mean, profile_match };

inline const char* to_string(ownership o) {
  switch (o) {
    case ownership::primary: return "primary";
    case ownership::supporting: return "supporting";
    case ownership::participant: return "participant";
  }
  return "?";
}
inline const char* to_string(fit_model m) {
  switch (m) {
    case fit_model::attainment: return "attainment";
    case fit_model::weighted_mean: return "weighted_mean";
    case fit_model::profile_match: return "profile_match";
  }
  return "?";
}

struct cluster {
  std::string id;
  label name;
};

/// Behavioural questions ask for past behaviour ("Tell me about a time..."),
/// situational ones for what the candidate would do ("What would you do if...").
enum class question_kind { behavioural, situational };

inline const char* to_string(question_kind k) {
  return k == question_kind::behavioural ? "behavioural" : "situational";
}

/// One question of a competency's interview question bank (docs/model-format.md,
/// "Question bank"), derived from its behavioural anchors.
struct interview_question {
  std::string id;  ///< unique within the model
  question_kind kind = question_kind::behavioural;
  label text;
  std::vector<label> probes;  ///< follow-up probes
  std::vector<int> separates; ///< the anchor levels (1..L) whose answers it tells apart
  std::string basis;          ///< the anchor or seed sentence it comes from
};

/// Coverage a question bank needs per competency (merit validate warns below
/// it): three past-behaviour questions and two situational ones, so that two
/// or three interviewers who assess the same competency each ask their own.
inline constexpr std::size_t min_behavioural_questions = 3;
inline constexpr std::size_t min_situational_questions = 2;

struct competency {
  std::string id;
  std::string cluster;
  label name;
  label definition;
  /// The seed's ownership level, only where the job analysis gives one (its
  /// duty lists); importance of other competencies comes from judgments.
  std::optional<merit::ownership> ownership;
  std::string source_quote;  ///< the job-analysis sentence it comes from
  std::string source_en;     ///< its translation
  std::vector<label> levels; ///< behavioural anchors for levels 1..L
  std::vector<interview_question> questions;  ///< the question bank; empty in a model without one
  std::vector<std::string> ats_aliases;
  std::vector<std::string> tags;
};

/// A method's (or an evidence source's) rating scale, mapped onto the model
/// scale 1..L so that the worst rating is 1 and the best is L:
/// - numeric [min, max]: through `cut_points` c_2 < ... < c_L when given (a
///   value v is level 1 + #{k : v >= c_k}, so min is 1 and max is L); else
///   linearly, `1 + (v - min) / (max - min) * (L - 1)` - the identity when the
///   scale is 1..L, and otherwise meant only where the model says
///   `"linear": true` with a basis (a scale that says neither loads with a
///   warning, as files of the first format did);
/// - named levels: the table's number (a table that does not run from 1 to L
///   loads with a warning).
/// Names listed in `missing` (and blank or null values) mean "no evidence",
/// never a middle value.
struct method_scale {
  enum kind_t { numeric, levels } kind = numeric;
  double min = 1, max = 5;
  std::vector<double> cut_points;  ///< c_2..c_L: the lowest value of each level 2..L; empty: linear
  bool linear = false;             ///< the model says the linear mapping is meant ("linear": true)
  label basis;                     ///< why the mapping is what it is: the rubric's level definitions, or provisional
  bool provisional = false;        ///< the basis is a placeholder until an organisation sets its own
  std::vector<std::pair<std::string, double>> named;  ///< name -> number, by number
  std::vector<std::string> missing;
  double named_min = 0, named_max = 0;  ///< range of the table's numbers
};

/// The validity behind a method's evidence-matrix weights (a correlation with
/// a criterion) and where the figure comes from. Recorded for the reader of
/// the model; no arithmetic uses it.
struct method_validity {
  double value = 0;
  std::string source;
};

struct method {
  std::string id;
  label name;
  method_scale scale;
  std::optional<method_validity> validity;
};

namespace detail {
/// Equality of two names, ASCII letters in any case.
inline bool same_name_any_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}
}  // namespace detail

/// Which identifier of a Greenhouse user names the rater of a scorecard.
enum class greenhouse_rater { id, employee_id };

/// How Greenhouse Harvest scorecards become observations (`sources.greenhouse`):
/// an ATS is a source format, not a method, so each scorecard's interview maps
/// to one of the model's methods and its attribute ratings map onto 1..L
/// through the source's own scale.
struct greenhouse_source {
  method_scale scale;
  /// Interview (or interview step) name -> index into competency_model::methods, by name.
  std::vector<std::pair<std::string, std::size_t>> interviews;
  std::optional<std::size_t> default_method;
  greenhouse_rater rater = greenhouse_rater::id;

  /// The method of an interview: its exact name, else the same name in
  /// another case (ASCII), else the default method; nullopt without any.
  std::optional<std::size_t> method_for(std::string_view interview) const {
    for (const auto& [name, method] : interviews)
      if (name == interview) return method;
    for (const auto& [name, method] : interviews)
      if (detail::same_name_any_case(name, interview)) return method;
    return default_method;
  }
};

/// The ATS formats a model says how to read (`sources`).
struct evidence_sources {
  std::optional<greenhouse_source> greenhouse;
};

struct target {
  std::size_t competency;  ///< index into competency_model::competencies
  double target;           ///< on 1..L
  double weight;           ///< normalised: the profile's weights sum to 1
  double raw_weight;       ///< as given (or derived from ownership)
  std::optional<double> minimum;  ///< hurdle on 1..L
  label basis;             ///< why this target and hurdle (optional)
};

/// How the role answer (roles.hpp) decides that a candidate's pattern of
/// strengths shows one profile rather than another. Recorded in the model
/// (`role_answer`), each number with its basis; the defaults apply to a model
/// that records none.
struct role_settings {
  /// Standard error of measurement of one competency score, in levels: the
  /// floor of each score's standard error (two agreeing raters do not make
  /// the error zero).
  double sem = 0.5;
  label sem_basis;
  /// How many standard errors a difference must exceed to be "distinct".
  double z = 1.96;
  /// The fit (0-100) at or above which a qualified candidate "fits" a profile.
  double fit_cut = 80;
  label fit_cut_basis;
  /// A profile whose targets (1 where it sets none) span less than this many
  /// levels has no shape, and is never a candidate's distinct role.
  double min_shape = 0.5;
  bool recorded = false;  ///< the model gave `role_answer`
};

/// What a word of a job title tells the title matcher (titles.hpp).
enum class title_kind { sales, enablement, operations, senior, other_field, excluded };

inline const char* to_string(title_kind k) {
  switch (k) {
    case title_kind::sales: return "sales";
    case title_kind::enablement: return "enablement";
    case title_kind::operations: return "operations";
    case title_kind::senior: return "senior";
    case title_kind::other_field: return "other_field";
    case title_kind::excluded: return "excluded";
  }
  return "?";
}

/// Terms of job titles (`title_rules/terms`): each term counts as every kind
/// listed (e.g. "SFE" as sales and enablement), with its basis.
struct title_terms {
  std::vector<std::string> terms;
  std::vector<title_kind> kinds;
  label basis;
};

/// A route (`title_rules/routes`): a title whose terms include all of `when`
/// maps to `profile`; the route with the most kinds wins.
struct title_route {
  std::vector<title_kind> when;
  std::string profile;
  label basis;
};

struct title_rules {
  std::vector<title_terms> terms;
  std::vector<title_route> routes;
};

/// One entry of a model's changelog: what changed in a version, and why.
struct change_note {
  std::string version;
  std::string date;
  std::vector<label> changes;
};

struct profile {
  std::string id;
  label name;
  label description;
  std::vector<std::string> title_aliases;
  /// Titles that look like aliases but must not map here (e.g. Sales
  /// Empowerment), and why (`not_aliases_note`).
  std::vector<std::string> not_aliases;
  label not_aliases_note;
  merit::fit_model fit_model = fit_model::attainment;
  double min_coverage = 1.0;
  std::optional<double> reliability;
  std::string reliability_source;
  /// Where the weights come from, e.g. a judgments file (`weights_source`).
  std::string weights_source;
  bool provisional = false;  ///< the weights are the maintainers' provisional judgments
  std::vector<target> targets;  ///< in the model's competency order
};

/// A problem found while validating a model: where and what. Warnings have
/// the same form.
struct problem {
  std::string pointer;
  std::string message;
  errc code;
};

struct competency_model {
  std::string format;
  std::string id;
  std::string version;
  label name;
  int levels = 5;  ///< L: the proficiency scale is 1..L
  std::vector<label> level_labels;
  std::vector<cluster> clusters;
  std::vector<competency> competencies;
  std::vector<method> methods;
  /// #methods by #competencies; 0 where a method does not measure a competency.
  RowMatrix evidence;
  std::vector<profile> profiles;
  role_settings roles;
  title_rules titles;  ///< `title_rules`: how job titles map to profiles
  std::vector<change_note> changelog;  ///< newest first, as in the file
  evidence_sources sources;
  /// What build_model found questionable but loads, as files of the first
  /// format did (a numeric scale mapped linearly with no stated basis, a level
  /// table that does not run from 1 to L): pointer and message, like problems.
  std::vector<problem> warnings;
  /// SHA-256 of the model's canonical JSON (sorted keys, no whitespace): the
  /// same model gives the same hash whatever its formatting.
  std::string content_hash;
  std::string source;  ///< file it was loaded from, for messages

  std::optional<std::size_t> find_competency(std::string_view cid) const {
    for (std::size_t i = 0; i < competencies.size(); ++i)
      if (competencies[i].id == cid) return i;
    return std::nullopt;
  }
  /// " (did you mean 'sales_training'?)" for the competency id nearest to
  /// an unknown `cid` when it looks like a slip; empty otherwise.
  std::string suggest_competency(std::string_view cid) const {
    return detail::did_you_mean(cid, competencies, [](const competency& c) { return std::string_view(c.id); });
  }
  std::optional<std::size_t> find_method(std::string_view mid) const {
    for (std::size_t i = 0; i < methods.size(); ++i)
      if (methods[i].id == mid) return i;
    return std::nullopt;
  }
  /// The profile with this id; throws merit::error (not_found) listing the ids.
  const profile& get_profile(std::string_view pid) const {
    for (const auto& p : profiles)
      if (p.id == pid) return p;
    std::string known;
    for (const auto& p : profiles) known += (known.empty() ? "" : ", ") + p.id;
    throw error(errc::not_found, {}, "unknown profile '" + std::string(pid) + "' (the model has: " + known + ")");
  }
};

}  // namespace merit
