"""merit.sklearn.FitTransformer: scikit-learn's estimator checks, and a
Pipeline under cross_val_score whose features stay aligned with the labels.

Skipped without scikit-learn (tests/python/requirements.txt installs it).
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import MODEL_PATH, random_scores

pytest.importorskip("sklearn")

from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import KFold, cross_val_predict, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from merit.sklearn import FitTransformer  # noqa: E402

PROFILE = "sales_enablement"

# scikit-learn's checks feed random arrays of 1 to 10 columns of arbitrary
# reals (negative ones too). FitTransformer reads an array as one column per
# model competency (26 for this model, in model.competency_ids order) on the
# model scale 1..5, and refuses anything else with merit's InputError: merit
# never scores data off its scale. So every check that fits on such data
# fails at fit, before it reaches what it checks. Each is listed here with
# what it checks; test_conventions_on_valid_scores checks the same on scores
# merit accepts (marked "valid-data test" below).
_SHAPE = ("fits on a random array of {n} columns of arbitrary reals; FitTransformer needs one column per model "
          "competency (26) on the scale 1..5 and refuses other input (InputError)")

#: Checks that fit on random arrays: (columns of the array, what the check
#: checks and where this file checks it on valid scores).
_ON_RANDOM_ARRAYS: dict[str, tuple[int, str]] = {
    "check_fit_score_takes_y": (3, "fit(X, y) takes y and ignores it"),
    "check_estimators_overwrite_params": (2, "parameters unchanged by fit: valid-data test"),
    "check_dont_overwrite_parameters": (3, "parameters unchanged by fit: valid-data test"),
    "check_estimators_fit_returns_self": (2, "fit returns self: valid-data test"),
    "check_readonly_memmap_input": (2, "read-only input: valid-data test"),
    "check_n_features_in_after_fitting": (4, "the n_features_in_ message: valid-data test"),
    "check_estimators_dtypes": (5, "float32 and int input: valid-data test (float32)"),
    "check_dtype_object": (10, "object arrays (not levels)"),
    "check_pipeline_consistency": (3, "same result in a pipeline: the cross-validation test"),
    "check_estimators_pickle": (3, "pickling: test_pickling_needs_a_model_path"),
    "check_f_contiguous_array_estimator": (3, "Fortran order: valid-data test"),
    "check_transformer_data_not_an_array": (3, "list input: valid-data test"),
    "check_transformer_general": (3, "fit_transform = fit + transform: valid-data test"),
    "check_transformer_preserve_dtypes": (3, "float64 out: valid-data test"),
    "check_methods_sample_order_invariance": (3, "row order: valid-data test"),
    "check_methods_subset_invariance": (3, "row subsets: valid-data test"),
    "check_fit2d_1sample": (10, "one row, and wants an error about the sample count; one sample: valid-data test"),
    "check_fit2d_1feature": (1, "wants an error about the feature count"),
    "check_dict_unchanged": (3, "transform leaves the estimator unchanged: valid-data test"),
    "check_fit_idempotent": (2, "refitting gives the same result: valid-data test"),
    "check_fit_check_is_fitted": (2, "NotFittedError before fit: valid-data test"),
    "check_n_features_in": (2, "n_features_in_ after fit: test_transform_is_merit_score_row_for_row"),
    "check_fit2d_predict1d": (3, "a 1-D X is refused by sklearn's validate_data"),
}

#: scikit-learn's checks that FitTransformer does not pass, each with the reason.
EXPECTED_FAILED_CHECKS: dict[str, str] = {
    **{name: _SHAPE.format(n=n) + "; " + what for name, (n, what) in _ON_RANDOM_ARRAYS.items()},
    "check_positive_only_tag_during_fit": "fits on negative values, which are off the model scale 1..5: merit refuses "
                                          "them (InputError) whatever the positive_only tag says",
}


@parametrize_with_checks([FitTransformer(str(MODEL_PATH), PROFILE)],
                         expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS)
def test_scikit_learn_estimator_checks(estimator: FitTransformer, check: object) -> None:
    check(estimator)  # type: ignore[operator]


def labelled_pool(model: merit.Model, n: int = 600, seed: int = 5) -> tuple[pd.DataFrame, pd.Series]:
    """Candidates with shuffled, non-sorted ids and a label that depends on
    their scores (the mean of the profile's competencies, plus noise)."""
    rng = np.random.default_rng(seed)
    x = random_scores(model, n, seed=seed, missing=0.1)
    ids = [f"x{k}" for k in rng.permutation(n)]
    pool = pd.DataFrame(x, columns=model.competency_ids, index=pd.Index(ids, name="candidate_id"))
    profile = model.profile(PROFILE)
    signal = pool[profile.competency_ids].mean(axis=1) + rng.normal(0, 0.3, n)
    labels = pd.Series((signal > signal.median()).astype(int), index=pool.index, name="hired")
    return pool, labels


def by_hand(model: merit.Model, pool: pd.DataFrame, labels: pd.Series, cv: KFold) -> np.ndarray:
    """The pipeline's predictions computed without it: merit.score on each
    training fold, features looked up by candidate id, the same imputer and
    classifier."""
    predicted = np.empty(len(pool), dtype=labels.dtype)
    for train, test in cv.split(pool):
        train_ids, test_ids = pool.index[train], pool.index[test]
        train_fit = merit.score(model, PROFILE, pool.loc[train_ids]).loc[train_ids, ["fit"]].to_numpy()
        test_fit = merit.score(model, PROFILE, pool.loc[test_ids]).loc[test_ids, ["fit"]].to_numpy()
        imputer = SimpleImputer().fit(train_fit)
        classifier = LogisticRegression().fit(imputer.transform(train_fit), labels.loc[train_ids].to_numpy())
        predicted[test] = classifier.predict(imputer.transform(test_fit))
    return predicted


def test_pipeline_under_cross_validation_keeps_rows_aligned(model: merit.Model) -> None:
    pool, labels = labelled_pool(model)
    pipe = make_pipeline(FitTransformer(str(MODEL_PATH), PROFILE), SimpleImputer(), LogisticRegression())
    cv = KFold(5, shuffle=True, random_state=0)
    expected = by_hand(model, pool, labels, cv)
    predicted = cross_val_predict(pipe, pool, labels, cv=cv)
    np.testing.assert_array_equal(predicted, expected)
    accuracy = cross_val_score(pipe, pool, labels, cv=cv)
    folds = [np.mean(expected[test] == labels.to_numpy()[test]) for _, test in cv.split(pool)]
    np.testing.assert_allclose(accuracy, folds, rtol=0, atol=1e-12)
    # Two worker processes: the transformer is pickled (with its model path).
    np.testing.assert_allclose(cross_val_score(pipe, pool, labels, cv=cv, n_jobs=2), folds, rtol=0, atol=1e-12)


def test_transform_is_merit_score_row_for_row(model: merit.Model, pool: pd.DataFrame) -> None:
    shuffled = pool.sample(frac=1.0, random_state=3)
    for explain in (False, True):
        transformer = FitTransformer(model, model.profile(PROFILE), explain=explain).fit(shuffled)
        out = transformer.transform(shuffled)
        result = merit.score(model, PROFILE, shuffled, explain=True)
        names = list(transformer.get_feature_names_out())
        assert names == ["fit"] + ([f"contrib_{c}" for c in model.profile(PROFILE).competency_ids] if explain else [])
        np.testing.assert_array_equal(out, result.loc[shuffled.index, names].to_numpy())
    assert list(transformer.feature_names_in_) == list(pool.columns)
    assert transformer.n_features_in_ == len(pool.columns)


def test_frames_match_by_name_and_arrays_by_position(model: merit.Model, pool: pd.DataFrame) -> None:
    transformer = FitTransformer(MODEL_PATH, PROFILE)
    reordered = pool[list(reversed(pool.columns))]
    by_name = transformer.fit(reordered).transform(reordered)
    in_model_order = pool.reindex(columns=model.competency_ids).to_numpy()
    by_position = transformer.fit(in_model_order).transform(in_model_order)
    np.testing.assert_array_equal(by_name, by_position)
    assert not hasattr(transformer, "feature_names_in_")
    with pytest.raises(merit.InputError) as e:
        transformer.fit(in_model_order[:, :5])
    assert str(e.value) == (
        "X has 5 columns; an array needs one per competency of model 'sales_enablement' (26, in "
        "model.competency_ids order): pass a DataFrame whose columns are competency ids to give fewer or another order")


def test_conventions_on_valid_scores(model: merit.Model) -> None:
    """What the checks skipped above check, on scores merit accepts."""
    from sklearn.base import clone
    from sklearn.exceptions import NotFittedError

    x = random_scores(model, 200, seed=4, missing=0.1)
    transformer = FitTransformer(MODEL_PATH, PROFILE, explain=True)
    with pytest.raises(NotFittedError):
        transformer.transform(x)
    params = transformer.get_params()
    assert transformer.fit(x) is transformer  # fit returns self ...
    assert transformer.get_params() == params  # ... and changes no parameter
    out = transformer.transform(x)
    assert out.dtype == np.float64 and out.shape == (200, 1 + len(model.profile(PROFILE).competency_ids))
    np.testing.assert_array_equal(clone(transformer).fit(x).transform(x), out)  # idempotent, clonable
    order = np.random.default_rng(0).permutation(200)
    np.testing.assert_array_equal(transformer.transform(x[order]), out[order])  # sample order
    np.testing.assert_array_equal(transformer.transform(x[:7]), out[:7])  # subsets
    np.testing.assert_array_equal(transformer.transform(x[:1]), out[:1])  # one sample
    for other in (np.asfortranarray(x), x.astype(np.float32).astype(np.float64), x.tolist()):
        np.testing.assert_array_equal(transformer.transform(other), out)
    readonly = x.copy()
    readonly.setflags(write=False)
    np.testing.assert_array_equal(transformer.transform(readonly), out)
    with pytest.raises(ValueError, match="X has 25 features, but FitTransformer is expecting 26 features as input"):
        transformer.transform(x[:, :25])


def test_pandas_output_keeps_the_index(pool: pd.DataFrame) -> None:
    transformer = FitTransformer(MODEL_PATH, PROFILE, explain=True).set_output(transform="pandas")
    out = transformer.fit_transform(pool)
    assert isinstance(out, pd.DataFrame) and list(out.index) == list(pool.index)
    assert list(out.columns) == list(transformer.get_feature_names_out())


def test_pickling_needs_a_model_path(model: merit.Model, pool: pd.DataFrame) -> None:
    from_path = FitTransformer(MODEL_PATH, PROFILE).fit(pool)
    again = pickle.loads(pickle.dumps(from_path))
    np.testing.assert_array_equal(again.transform(pool), from_path.transform(pool))
    # A loaded Model (and Profile) works in one process: clone deep-copies
    # parameters, and an immutable model copies as itself.
    from sklearn.base import clone

    cloned = clone(FitTransformer(model, model.profile(PROFILE)))
    assert cloned.model.content_hash == model.content_hash and cloned.profile.id == PROFILE
    np.testing.assert_array_equal(cloned.fit(pool).transform(pool), from_path.transform(pool))
    with pytest.raises(TypeError) as e:
        pickle.dumps(FitTransformer(model, PROFILE).fit(pool))
    assert str(e.value) == ("a FitTransformer made with a loaded merit.Model cannot be pickled: "
                            "give it the model file's path instead")


def test_unknown_profile_is_refused_at_fit(pool: pd.DataFrame) -> None:
    with pytest.raises(merit.MeritError) as e:
        FitTransformer(MODEL_PATH, "sales_wizard").fit(pool)
    assert e.value.code == "not_found"
