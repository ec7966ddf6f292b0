"""Type stubs of merit._core, the compiled core (private: use the merit package)."""

from typing import Any, Callable, Literal, Optional

import numpy as np
import numpy.typing as npt
import pandas as pd

__version__: str

class MeritError(ValueError):
    """Base of merit's errors; code, location and detail mirror merit::error."""

    code: str
    location: str
    detail: str

class ModelError(MeritError): ...
class InputError(MeritError): ...

class JudgmentError(InputError):
    """AHP judgments are malformed (scale, reciprocity, connectivity, format); an InputError."""

def error_codes() -> list[str]: ...

class Profile:
    """A role profile: per competency a target level, an importance weight and optionally a hurdle."""

    @property
    def id(self) -> str:
        """The profile's id."""
    @property
    def name(self) -> str:
        """The profile's name in English."""
    @property
    def name_zh(self) -> str:
        """The profile's name in Chinese (zh-CN); empty when the model gives none."""
    @property
    def scoring_hash(self) -> str:
        """SHA-256 of what turns evidence into this profile's fits (docs/model-format.md): norms record it."""
    @property
    def fit_model(self) -> str:
        """How fit is computed from the gaps to the targets: 'attainment' or 'match'."""
    @property
    def min_coverage(self) -> float:
        """Share of the target weight a candidate needs evidence for (0..1); below it 'incomplete'."""
    @property
    def reliability(self) -> Optional[float]:
        """Reliability of the fit score used for score bands, or None."""
    @property
    def title_aliases(self) -> list[str]:
        """Job titles that map to this profile (merit.roles)."""
    @property
    def competency_ids(self) -> list[str]:
        """Ids of the profile's targets, in model order."""
    @property
    def targets(self) -> npt.NDArray[np.float64]:
        """Target levels on 1..L, shape (#targets,)."""
    @property
    def weights(self) -> npt.NDArray[np.float64]:
        """Importance weights normalised to sum 1, shape (#targets,)."""
    @property
    def minimums(self) -> npt.NDArray[np.float64]:
        """Hurdles on 1..L (NaN where none), shape (#targets,)."""
    def to_frame(self, lang: Literal["en", "zh-CN"] = "en") -> pd.DataFrame:
        """The targets indexed by competency_id: name, cluster, target, weight, minimum."""
    def _repr_html_(self) -> str:
        """HTML for notebooks: the profile's names (en, zh-CN) and its targets."""
    def __copy__(self) -> Profile: ...
    def __deepcopy__(self, memo: dict[int, Any]) -> Profile: ...

class Model:
    """A loaded and validated competency model (immutable)."""

    @property
    def id(self) -> str:
        """The model's id."""
    @property
    def version(self) -> str:
        """The model's version (semantic versioning)."""
    @property
    def name(self) -> str:
        """The model's name in English."""
    @property
    def name_zh(self) -> str:
        """The model's name in Chinese (zh-CN); empty when the model gives none."""
    @property
    def levels(self) -> int:
        """L: the proficiency scale is 1..L."""
    @property
    def content_hash(self) -> str:
        """SHA-256 of the model's canonical JSON."""
    @property
    def source(self) -> str:
        """Where the model was read from."""
    @property
    def competency_ids(self) -> list[str]:
        """Competency ids in model order: the columns of a scores array."""
    @property
    def profiles(self) -> list[Profile]:
        """The model's role profiles, in file order."""
    def profile(self, id: str) -> Profile:
        """The profile with this id; ModelError (code 'not_found') when there is none."""
    def to_frame(self, lang: Literal["en", "zh-CN"] = "en") -> pd.DataFrame:
        """The competencies indexed by competency_id: name, cluster, definition."""
    def _repr_html_(self) -> str:
        """HTML for notebooks: the model's names (en, zh-CN), its competencies and profiles."""
    def __copy__(self) -> Model: ...
    def __deepcopy__(self, memo: dict[int, Any]) -> Model: ...

class ScoringPlan:
    """A profile compiled for scoring (immutable, shareable across threads)."""

    @property
    def profile_id(self) -> str:
        """Id of the profile this plan scores."""
    @property
    def model_id(self) -> str:
        """Id of the model the profile belongs to."""
    @property
    def competency_ids(self) -> list[str]:
        """Ids of the competencies the profile targets, in model order."""
    @property
    def model_competency_ids(self) -> list[str]:
        """Every competency id of the model, in model order."""
    @property
    def levels(self) -> int:
        """L: the proficiency scale is 1..L."""
    @property
    def fit_model(self) -> str:
        """How fit is computed: 'attainment' or 'match'."""

def load_model(path: str) -> Model: ...
def score_file(
    model: Model,
    input: str,
    output: str,
    options_json: str = "",
    progress: Optional[Callable[[int, int, Optional[int]], Optional[bool]]] = None,
) -> str: ...
def report_candidate(
    model: Model, input: str, candidate_id: str, profile: str, evidence: bool, format: Optional[str],
    calibrate: Optional[str], duplicates: Optional[str], lang: str, decision_log: Optional[str],
) -> str: ...
def report_pool(
    model: Model, input: str, profile: str, evidence: bool, format: Optional[str], calibrate: Optional[str],
    duplicates: Optional[str], top: Optional[int], lang: str, groups: Optional[str], by: list[str],
) -> str: ...
def parse_model_text(text: str, source: str = "") -> Model: ...
def compile(model: Model, profile_id: str) -> ScoringPlan: ...
def match_columns(model: Model, names: list[str]) -> list[int]: ...
def role_answers(
    model: Model, scores: npt.NDArray[np.float64], se: Optional[npt.NDArray[np.float64]] = None
) -> list[str]: ...
def evaluate(
    plan: ScoringPlan, scores: npt.NDArray[np.float64], explain: bool = False, check: bool = True
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.int8],
    Optional[npt.NDArray[np.float64]],
    Optional[npt.NDArray[np.float64]],
]: ...
def evaluate_columns(
    plan: ScoringPlan,
    positions: list[int],
    columns: list[npt.NDArray[np.float64]],
    n: int,
    explain: bool = False,
    check: bool = True,
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.int8],
    Optional[npt.NDArray[np.float64]],
    Optional[npt.NDArray[np.float64]],
]:
    """evaluate() on 1-D float64 columns (any stride, read in place); columns[k] is model column positions[k]."""

#: Candidate ids as the core reads them in place: an object array of str, or
#: Arrow string chunks [(offsets int32/int64, data uint8), ...].
IdsForm = Any

def check_ids(ids: IdsForm, n: int) -> tuple[int, int]:
    """(first row repeating an earlier id, first empty id), -1 for none."""
def take_ids(
    chunks: list[tuple[npt.NDArray[Any], npt.NDArray[np.uint8]]], order: Optional[npt.NDArray[np.int64]] = None
) -> npt.NDArray[np.object_]:
    """Arrow string ids as a new object array of str, in the given order (None: their own)."""
def rank_order(
    ids: Optional[IdsForm], fit: npt.NDArray[np.float64], status: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Indices in rank order under the ranking rule; ``status``: int8 codes (0 qualified, 1 screened_out, 2 incomplete)."""
def rank_key(status: npt.ArrayLike, fit: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """The ranking rule as one int64 per candidate: higher ranks first, equal keys by id."""
def ranks(ids: Optional[IdsForm], fit: npt.NDArray[np.float64], status: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Each candidate's rank (1..n) under the ranking rule, in input order; ids None: the row numbers."""
def display_key(fit: npt.ArrayLike) -> npt.NDArray[np.int64]: ...
def row_ids(n: int, order: Optional[npt.NDArray[np.int64]] = None) -> npt.NDArray[np.object_]: ...
def format_csv(
    plan: ScoringPlan,
    rank: npt.NDArray[np.int64],
    ids: npt.NDArray[np.object_],
    fit: npt.NDArray[np.float64],
    coverage: npt.NDArray[np.float64],
    status: npt.NDArray[np.int8],
    contributions: Optional[npt.NDArray[np.float64]] = None,
    gaps: Optional[npt.NDArray[np.float64]] = None,
) -> str: ...
def _bench_core(
    plan: ScoringPlan, scores: npt.NDArray[np.float64], ids: npt.NDArray[np.object_]
) -> tuple[float, float]: ...

# ---- evidence (bind_evidence.cpp) -------------------------------------------------
def protected_term(name: str) -> Optional[str]: ...
def protected_name_problem(what: str, name: str) -> Optional[str]: ...
def aggregate_long(
    model: Model,
    candidate_id: npt.NDArray[Any],
    competency_id: npt.NDArray[Any],
    method: npt.NDArray[Any],
    rater: npt.NDArray[Any],
    value: npt.NDArray[Any],
    calibration: str = "none",
    duplicates: str = "mean",
) -> dict[str, Any]:
    """Keys: ids, scores, rater_sd, se (N x C float64), ratings (int32), methods (uint32 bitmask),
    rater_ids, rater_ratings, rater_mean, rater_sd_each, rater_leniency, observations, duplicates,
    missing, calibration, unmapped, scorecards."""
def aggregate_greenhouse(
    model: Model,
    path: Optional[str] = None,
    text: Optional[str] = None,
    calibration: str = "none",
    duplicates: str = "mean",
) -> dict[str, Any]: ...

# ---- reliability, fairness, bands (bind_analytics.cpp) ----------------------------
def icc(ratings: npt.NDArray[np.float64], confidence: float = 0.95, lang: str = "en") -> dict[str, Any]: ...
def norms_build(
    model: Model, profile: str, column: str, by: Optional[str], scores: npt.NDArray[np.float64],
    groups: Optional[list[str]], built: str,
) -> tuple[str, int]: ...
def norms_apply(
    model: Model, text: str, source: str, column: str, scores: npt.NDArray[np.float64], groups: Optional[list[str]]
) -> npt.NDArray[np.float64]: ...
def ahp_priorities(
    matrix: npt.NDArray[np.float64], method: str = ..., ri_table: str = ..., items: list[str] = ...
) -> str:
    """The result as `merit weights ahp --json` prints it (JSON text)."""
def ahp_weights(text: str, source: str, method: str = ..., aggregate: str = ..., ri_table: str = ...) -> str:
    """The result of a judgments document or hierarchy as `merit weights ahp --json` prints it (JSON text)."""
def cronbach_alpha(
    items: npt.NDArray[np.float64], missing: str = "pairwise", confidence: float = 0.95, names: list[str] = ...
) -> dict[str, Any]: ...
def audit(
    dimensions: list[str],
    names: list[list[str]],
    codes: list[npt.NDArray[np.int32]],
    selected: npt.NDArray[np.uint8],
    fits: Optional[npt.NDArray[np.float64]] = None,
    absent_codes: list[npt.NDArray[np.int32]] = ...,
    small_share: float = 0.02,
) -> dict[str, Any]:
    """Adverse-impact tables of a coded selection (merit::audit); merit.audit builds the codes."""
def select_top_k(
    rank: npt.NDArray[np.float64], status: npt.NDArray[np.int8], k: int
) -> tuple[npt.NDArray[np.bool_], int, int]:
    """Top-K selection (merit::select_top_k): rank <= k and status code 0 (qualified).
    Returns (selected, number selected, number of ranks 1..k)."""
def unknown_status_message(text: str) -> str:
    """The error message for a status other than qualified, screened_out, incomplete."""
def select_threshold(
    fit: npt.NDArray[np.float64], status: npt.NDArray[np.int8], threshold: float
) -> tuple[npt.NDArray[np.bool_], int]:
    """Threshold selection (merit::select_threshold): fit >= threshold and status code 0 (qualified)."""
def sem(sd: float, reliability: float) -> float: ...
def sed(sd: float, reliability: float) -> float: ...
def band_width(sd: float, reliability: float, c: float = 1.96) -> float: ...
def fixed_bands(fits: npt.NDArray[np.float64], width: float) -> npt.NDArray[np.int32]: ...
def match_title(model: Model, title: str) -> str:
    """A job title's profile as the JSON text merit match-title writes."""
def is_binary(y: list[float]) -> bool: ...
def validity_continuous(x: list[float], y: list[float], criterion_reliability: float, applicant_sd: float) -> dict[str, Any]:
    """merit validity's continuous statistics (NaN in: correction not computed; None out)."""
def validity_binary(x: list[float], y: list[float]) -> dict[str, Any]:
    """merit validity's binary statistics, with the expectancy table as a list of dicts."""
def applicant_sd(scores: list[float]) -> float: ...
def utility(
    validity: float, selection_ratio: float, base_rate: float, sd_performance: float, hires: float,
    cost_per_applicant: float,
) -> dict[str, Any]:
    """Taylor-Russell and Brogden-Cronbach-Gleser (NaN sd_performance: no utility)."""
def criterion_360(
    persons: list[str], groups: list[str], raters: list[str], ratings: list[float],
    weights: list[tuple[str, float]], missing: str, given: list[tuple[str, float]], confidence: float = 0.95,
) -> dict[str, Any]:
    """merit criterion 360's numbers: per person, per group, and the composite's reliability."""
def mosier_reliability(
    weights: list[float], variances: list[float], reliabilities: list[float], composite_variance: float
) -> float: ...
def expectancy_cut(score: list[float], success: list[float], target: float) -> dict[str, Any]: ...
def ratio_cut(score: list[float], eligible: list[bool], selection_ratio: float) -> dict[str, Any]: ...
def select_at_cut(score: list[float], eligible: list[bool], cut: float) -> list[bool]: ...
