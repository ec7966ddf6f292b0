"""Type stubs of merit._core, the compiled core (private: use the merit package)."""

from typing import Any, Callable, Optional

import numpy as np
import numpy.typing as npt

__version__: str

class MeritError(ValueError):
    """Base of merit's errors; code, location and detail mirror merit::error."""

    code: str
    location: str
    detail: str

class ModelError(MeritError): ...
class InputError(MeritError): ...

def error_codes() -> list[str]: ...

class Profile:
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def name_zh(self) -> str: ...
    @property
    def fit_model(self) -> str: ...
    @property
    def min_coverage(self) -> float: ...
    @property
    def reliability(self) -> Optional[float]: ...
    @property
    def title_aliases(self) -> list[str]: ...
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
    def __copy__(self) -> Profile: ...
    def __deepcopy__(self, memo: dict[int, Any]) -> Profile: ...

class Model:
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def name_zh(self) -> str: ...
    @property
    def levels(self) -> int:
        """L: the proficiency scale is 1..L."""
    @property
    def content_hash(self) -> str:
        """SHA-256 of the model's canonical JSON."""
    @property
    def source(self) -> str: ...
    @property
    def competency_ids(self) -> list[str]:
        """Competency ids in model order: the columns of a scores array."""
    @property
    def profiles(self) -> list[Profile]: ...
    def profile(self, id: str) -> Profile: ...
    def __copy__(self) -> Model: ...
    def __deepcopy__(self, memo: dict[int, Any]) -> Model: ...

class ScoringPlan:
    @property
    def profile_id(self) -> str: ...
    @property
    def model_id(self) -> str: ...
    @property
    def competency_ids(self) -> list[str]: ...
    @property
    def model_competency_ids(self) -> list[str]: ...
    @property
    def levels(self) -> int: ...
    @property
    def fit_model(self) -> str: ...

def load_model(path: str) -> Model: ...
def score_file(
    model: Model,
    input: str,
    output: str,
    options_json: str = "",
    progress: Optional[Callable[[int, int, Optional[int]], Optional[bool]]] = None,
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
def rank_order(ids: Optional[IdsForm], fit: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]: ...
def ranks(ids: Optional[IdsForm], fit: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Each candidate's rank (1..n) in input order; ids None: the row numbers."""
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
def icc(ratings: npt.NDArray[np.float64], confidence: float = 0.95) -> dict[str, Any]: ...
def ahp_priorities(matrix: npt.NDArray[np.float64], method: str = ..., ri_table: str = ...) -> dict[str, Any]: ...
def ahp_weights(text: str, source: str, method: str = ..., aggregate: str = ..., ri_table: str = ...) -> dict[str, Any]: ...
def cronbach_alpha(
    items: npt.NDArray[np.float64], missing: str = "pairwise", confidence: float = 0.95, names: list[str] = ...
) -> dict[str, float]: ...
def audit(
    dimensions: list[str],
    labels: list[list[str]],
    selected: list[bool],
    fits: Optional[npt.NDArray[np.float64]] = None,
    absent_labels: list[list[str]] = ...,
    small_share: float = 0.02,
) -> dict[str, Any]: ...
def sem(sd: float, reliability: float) -> float: ...
def sed(sd: float, reliability: float) -> float: ...
def band_width(sd: float, reliability: float, c: float = 1.96) -> float: ...
def fixed_bands(fits: npt.NDArray[np.float64], width: float) -> npt.NDArray[np.int32]: ...
