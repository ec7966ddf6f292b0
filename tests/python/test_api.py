"""The package shows only its API: ``dir(merit)`` lists the documented names and
nothing it merely uses (numpy, pandas, os, typing names), and each is documented."""

from __future__ import annotations

import inspect
import re
import types

import merit

#: merit's documented API (bindings/README.md), in ``__all__`` order.
API = [
    "MeritError",
    "ModelError",
    "InputError",
    "JudgmentError",
    "Model",
    "Profile",
    "ScoringPlan",
    "STATUSES",
    "load_model",
    "parse_model",
    "compile",
    "score",
    "shortlist",
    "rank_order",
    "roles",
    "match_title",
    "to_csv",
    "CompetencyScores",
    "EVIDENCE_COLUMNS",
    "aggregate",
    "read_greenhouse",
    "icc",
    "cronbach_alpha",
    "norms_build",
    "norms_apply",
    "audit",
    "AuditResult",
    "AUDIT_COLUMNS",
    "validity",
    "ValidityResult",
    "VALIDITY_CONTINUOUS_KEYS",
    "VALIDITY_BINARY_KEYS",
    "utility",
    "criterion_360",
    "Criterion360Result",
    "CRITERION_GROUP_COLUMNS",
    "cut",
    "CutResult",
    "CUT_COLUMNS",
    "sem",
    "sed",
    "band_width",
    "ahp_priorities",
    "ahp_weights",
    "fixed_bands",
    "score_file",
    "Report",
    "report_candidate",
    "report_pool",
    "__version__",
]

#: Submodules, public once imported (``import merit.spark``).
SUBMODULES = {"spark", "sklearn"}


def public_names(module: types.ModuleType, submodules: set[str]) -> list[str]:
    return sorted(n for n in dir(module) if not n.startswith("_") and n not in submodules)


def test_all_is_the_documented_api() -> None:
    assert merit.__all__ == API


def test_dir_shows_only_the_api() -> None:
    assert public_names(merit, SUBMODULES) == sorted(n for n in API if not n.startswith("_"))
    for name in SUBMODULES & set(dir(merit)):
        assert getattr(merit, name).__name__ == f"merit.{name}"


def test_star_import_gives_the_api() -> None:
    namespace: dict[str, object] = {}
    exec("from merit import *", namespace)
    assert sorted(n for n in namespace if n != "__builtins__") == sorted(API)


def test_each_public_name_is_documented() -> None:
    # constants are documented where they are defined: merit/__init__.py or a private module of it
    source = "\n".join(inspect.getsource(m) for m in vars(merit).values()
                       if isinstance(m, types.ModuleType) and m.__name__.startswith("merit")
                       and m.__name__ != "merit._core") + inspect.getsource(merit)
    for name in API:
        value = getattr(merit, name)
        if callable(value):  # functions, classes, exceptions: their own docstring
            doc = value.__doc__
            assert doc and doc.strip(), name
            if isinstance(value, type):
                assert doc != object.__doc__ and "__doc__" in vars(value), name
        else:  # constants: a ``#:`` comment (Sphinx) above the assignment
            assert re.search(rf"^#:.*\n(?:#:.*\n)*{re.escape(name)}\b", source, re.M), name


def test_spark_module_shows_only_its_api() -> None:
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:  # merit.spark imports pyspark lazily; fine either way
        pass
    import merit.spark as spark

    assert spark.__all__ == ["score"]
    assert public_names(spark, set()) == ["score"]
    assert spark.score.__doc__
