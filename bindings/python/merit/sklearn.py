"""merit as a scikit-learn transformer: competency scores in, fits out, row for row.

    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from merit.sklearn import FitTransformer

    pipe = make_pipeline(FitTransformer("sales_enablement.json", "sales_enablement"), LogisticRegression())
    cross_val_score(pipe, pool, hired, cv=5)     # pool: candidates x competency columns

``FitTransformer`` scores with the same C++ code as ``merit.score``; its rows
are always the rows of ``X``, in ``X``'s order, so features and labels stay
aligned inside a ``Pipeline``. scikit-learn is needed only by this module
(``pip install scikit-learn``); ``import merit`` does not import it.
"""

from __future__ import annotations

import os as _os
import typing as _typing

import numpy as _np
import pandas as _pd
from sklearn.base import BaseEstimator as _BaseEstimator  # type: ignore[import-untyped,unused-ignore]
from sklearn.base import TransformerMixin as _TransformerMixin  # type: ignore[import-untyped,unused-ignore]
from sklearn.utils.validation import (  # type: ignore[import-untyped,unused-ignore]
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

import merit as _merit
from merit import _core

del annotations  # the __future__ feature's name: not API

if _typing.TYPE_CHECKING:
    from typing import Any, Optional, Union

    import numpy.typing as npt

__all__ = ["FitTransformer"]


class FitTransformer(_TransformerMixin, _BaseEstimator):  # type: ignore[misc]
    """Competency scores -> each candidate's fit to a profile (and, with
    ``explain``, the fit points each competency contributes).

    Parameters
    ----------
    model:
        A ``merit.Model``, or the path of a model file (str or PathLike). Give
        the path when the fitted transformer must be pickled (``joblib``,
        ``cross_val_score(..., n_jobs=2)``): a loaded Model is not picklable,
        and the path is reloaded on unpickling.
    profile:
        The profile to score against: a ``merit.Profile`` of the model or its id.
    explain:
        Add one ``contrib_<id>`` column per competency of the profile (model
        order): the fit points it contributes; they sum to ``fit``.

    Input ``X`` (``fit`` and ``transform``): competency scores on the model
    scale 1..L, NaN = not observed (never imputed).

    - **DataFrame**: columns are competency ids, matched **by name** (any
      subset of the model's, any order; competencies outside the profile are
      ignored). A column that names no competency is an ``InputError`` (a
      ``candidate_id`` column gets the hint to make it the index).
    - **array**: matched **by position**: one column per competency of the
      model, in ``model.competency_ids`` order (as ``merit.score`` reads an
      array).

    A value off the scale or a boolean raises ``InputError`` (a ``ValueError``).
    ``fit`` learns nothing from the data (merit's fit is defined by the
    model): it validates ``X``, records ``n_features_in_`` (and
    ``feature_names_in_`` for a DataFrame with str columns) and maps the
    columns; ``y`` is ignored.

    Output of ``transform``: a float64 array with one row per row of ``X``,
    in ``X``'s order, and the columns ``get_feature_names_out()``: ``fit``
    (0..100; NaN when no weighted competency was observed: add an imputer
    when the next step cannot take NaN), then with ``explain`` the
    ``contrib_<id>`` columns. ``status`` and ``coverage`` are not features:
    they are the profile's decision rule and the share of evidence seen, not
    measurements; use ``merit.score(model, profile, X)`` (same rows, indexed
    by candidate id) to read them. ``set_output(transform="pandas")`` gives a
    DataFrame with ``X``'s index.
    """

    def __init__(
        self,
        model: "Union[_merit.Model, str, _os.PathLike[str]]",
        profile: "Union[_merit.Profile, str]",
        explain: bool = False,
    ) -> None:
        self.model = model
        self.profile = profile
        self.explain = explain

    def fit(self, X: "Any", y: "Any" = None) -> "FitTransformer":
        """Validate ``X``, record its features and map them to the model's competencies."""
        model = _merit._model_arg(self.model)
        plan = _merit.compile(model, self.profile)
        _refuse_booleans(X)
        # Columns are matched before sklearn converts X: merit's messages (a
        # column of ids gets the index hint) rather than a failed float cast.
        positions = _merit._frame_positions(model, X) if isinstance(X, _pd.DataFrame) else None
        matrix = validate_data(self, X, reset=True, dtype=_np.float64, ensure_all_finite="allow-nan")
        if positions is None and matrix.shape[1] == len(model.competency_ids):
            positions = list(range(matrix.shape[1]))
        elif positions is None:
            raise _merit._input_error(
                "schema", "", f"X has {matrix.shape[1]} columns; an array needs one per competency of model "
                f"'{model.id}' ({len(model.competency_ids)}, in model.competency_ids order): pass a DataFrame "
                "whose columns are competency ids to give fewer or another order")
        self.model_ = model
        self.profile_id_ = plan.profile_id
        self.competency_ids_ = list(plan.competency_ids)
        self.positions_ = positions
        self._score(matrix)  # the scale is checked at fit time too
        return self

    def transform(self, X: "Any") -> "npt.NDArray[_np.float64]":
        """Fits (and contributions) of the rows of ``X``, in ``X``'s order."""
        check_is_fitted(self, "positions_")
        _refuse_booleans(X)
        matrix = validate_data(self, X, reset=False, dtype=_np.float64, ensure_all_finite="allow-nan")
        return self._score(matrix)

    def get_feature_names_out(self, input_features: "Any" = None) -> "npt.NDArray[_np.object_]":
        """``["fit"]``, then with ``explain`` ``contrib_<id>`` per competency of the profile."""
        check_is_fitted(self, "positions_")
        _check_feature_names_in(self, input_features)
        names = ["fit"] + ([f"contrib_{c}" for c in self.competency_ids_] if self.explain else [])
        return _np.asarray(names, dtype=object)

    def _score(self, matrix: "npt.NDArray[_np.float64]") -> "npt.NDArray[_np.float64]":
        n = matrix.shape[0]
        if self.positions_ == list(range(len(self.model_.competency_ids))):
            full = _np.ascontiguousarray(matrix)
        else:  # a DataFrame's columns, laid out in model order
            full = _np.full((n, len(self.model_.competency_ids)), _np.nan)
            full[:, self.positions_] = matrix
        plan = _core.compile(self.model_, self.profile_id_)
        fit, _, _, contributions, _ = _core.evaluate(plan, full, bool(self.explain), True)
        if contributions is None:
            return fit.reshape(n, 1)
        return _np.concatenate([fit.reshape(n, 1), contributions], axis=1)

    def __sklearn_tags__(self) -> "Any":
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # NaN: a competency not observed
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags

    def __getstate__(self) -> "dict[str, Any]":
        state: dict[str, Any] = dict(super().__getstate__())
        if "model_" in state:
            if not isinstance(self.model, (str, _os.PathLike)):
                raise TypeError("a FitTransformer made with a loaded merit.Model cannot be pickled: "
                                "give it the model file's path instead")
            del state["model_"]  # reloaded from the path
        return state

    def __setstate__(self, state: "dict[str, Any]") -> None:
        super().__setstate__(state)
        if "positions_" in state:
            self.model_ = _merit._model_arg(self.model)


def _refuse_booleans(X: "Any") -> None:
    """Booleans are not levels: refused as ``merit.score`` refuses them."""
    if isinstance(X, _pd.DataFrame):
        for j, name in enumerate(X.columns):
            _merit._refuse_boolean_column(j, name, X.iloc[:, j])
    elif _np.asarray(X).dtype == _np.bool_:
        raise _merit._input_error("value", "", _merit._boolean_scores("the scores array"))
