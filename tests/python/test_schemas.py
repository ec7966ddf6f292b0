"""The JSON Schemas of docs/schemas/ against the documents merit reads and writes.

Every example and test fixture of each kind validates against its schema, and
documents the readers refuse for a reason a schema can express are refused by
the schema too. With libmerit at hand (MERIT_LIBRARY_PATH, or next to MERIT_CLI
in the CMake build tree) each such document is also given to
merit_scorer_score_json, to show that the library refuses it (and accepts the
good ones), and the result documents it writes validate against
result.schema.json.
"""

from __future__ import annotations

import ctypes
import json
import os
import pathlib
import re

import pytest

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schemas"
MODEL = ROOT / "competency_models" / "sales_enablement.json"
JAVA_EXPECTED = ROOT / "bindings" / "java" / "src" / "test" / "resources" / "io" / "merit" / "expected"
EVIDENCE = ROOT / "tests" / "data" / "evidence"


def _registry() -> referencing.Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    return referencing.Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=REGISTRY)


def json_lines(path: pathlib.Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def by_candidate(rows: list[dict]) -> dict[object, list[dict]]:
    out: dict[object, list[dict]] = {}
    for row in rows:
        out.setdefault(row["candidate_id"], []).append(row)
    return out


# --- libmerit through ctypes -------------------------------------------------------


def _libmerit() -> ctypes.CDLL | None:
    where = os.environ.get("MERIT_LIBRARY_PATH")
    if not where and os.environ.get("MERIT_CLI"):
        where = str(pathlib.Path(os.environ["MERIT_CLI"]).resolve().parent / "src" / "capi" / "libmerit.so.1")
    if not where or not pathlib.Path(where).is_file():
        return None
    lib = ctypes.CDLL(where)
    lib.merit_model_load.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.merit_scorer_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.merit_scorer_score_json.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                            ctypes.POINTER(ctypes.c_void_p)]
    lib.merit_string_free.argtypes = [ctypes.c_void_p]
    lib.merit_last_error_message.restype = ctypes.c_char_p
    lib.merit_scorer_destroy.argtypes = [ctypes.c_void_p]
    lib.merit_model_destroy.argtypes = [ctypes.c_void_p]
    return lib


LIB = _libmerit()


@pytest.fixture(scope="module")
def score_json():
    """document -> (status, result document or None), through merit_scorer_score_json."""
    if LIB is None:
        pytest.skip("libmerit not found: set MERIT_LIBRARY_PATH or MERIT_CLI (build/merit)")
    model, scorer = ctypes.c_void_p(), ctypes.c_void_p()
    assert LIB.merit_model_load(str(MODEL).encode(), ctypes.byref(model)) == 0
    assert LIB.merit_scorer_create(model, b"sales_enablement", ctypes.byref(scorer)) == 0

    def run(doc: object) -> tuple[int, dict | None]:
        text = json.dumps(doc).encode()
        out = ctypes.c_void_p()
        rc = LIB.merit_scorer_score_json(scorer, text, len(text), ctypes.byref(out))
        if rc != 0:
            return rc, None
        result = json.loads(ctypes.string_at(out.value).decode())
        LIB.merit_string_free(out)
        return rc, result

    yield run
    LIB.merit_scorer_destroy(scorer)
    LIB.merit_model_destroy(model)


# --- the documents -----------------------------------------------------------------

CANDIDATE_FILES = [ROOT / "examples" / "candidate_C001.json"]
CANDIDATES_FILES = [JAVA_EXPECTED / "candidates.json"]
EVIDENCE_FILES = [EVIDENCE / "good.jsonl", JAVA_EXPECTED / "evidence.jsonl"]
# gh_unknown_level.json is well-formed; its rating 'maybe' is refused by the model's scale.
GREENHOUSE_FILES = [ROOT / "examples" / "greenhouse_scorecards.json", EVIDENCE / "greenhouse_scorecards.json",
                    EVIDENCE / "gh_unknown_level.json"]


def good_candidate_documents() -> list[tuple[str, dict]]:
    """(name, document): every fixture made into the documents the C ABI takes."""
    docs = [(p.name, json.loads(p.read_text())) for p in CANDIDATE_FILES]
    for p in CANDIDATES_FILES:
        docs += [(f"{p.name}/{i}", d) for i, d in enumerate(json.loads(p.read_text()))]
    rows = json_lines(JAVA_EXPECTED / "evidence.jsonl")
    docs += [(f"evidence.jsonl {c}", {"candidate_id": c, "evidence": r}) for c, r in by_candidate(rows).items()]
    cards = json.loads((ROOT / "examples" / "greenhouse_scorecards.json").read_text())
    docs += [(f"greenhouse_scorecards.json {c}", {"candidate_id": c, "greenhouse_scorecards": r,
                                                  "application_id": "47120001", "correlation_id": "req-1"})
             for c, r in by_candidate(cards).items()]
    docs.append(("integer id, nothing observed", {"candidate_id": 17, "scores": {}, "calibration": "none"}))
    docs.append(("integer application id", {"candidate_id": "C9", "scores": {"content_clarity": 4},
                                            "application_id": 36987001, "correlation_id": None}))
    return docs


@pytest.mark.parametrize("name,doc", good_candidate_documents(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_candidate_fixture_is_a_valid_candidate_document(name, doc):
    validator("candidate").validate(doc)


@pytest.mark.parametrize("path", CANDIDATES_FILES, ids=lambda p: p.name)
def test_candidate_arrays_are_valid(path):
    validator("candidates").validate(json.loads(path.read_text()))


@pytest.mark.parametrize("path", EVIDENCE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_evidence_row_is_valid(path):
    v = validator("evidence")
    rows = json_lines(path)
    assert rows
    for row in rows:
        v.validate(row)


@pytest.mark.parametrize("path", GREENHOUSE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_greenhouse_file_is_valid(path):
    validator("greenhouse-scorecards").validate(json.loads(path.read_text()))


def test_good_documents_are_scored_and_their_results_are_valid(score_json):
    v = validator("result")
    kinds = set()
    for name, doc in good_candidate_documents():
        rc, result = score_json(doc)
        assert rc == 0, (name, LIB.merit_last_error_message())
        v.validate(result)
        kinds.add("evidence" in result)
        assert result["candidate_id"] == str(doc["candidate_id"])
        # application_id comes back as a string, correlation_id unchanged; null means absent.
        for key in ("application_id", "correlation_id"):
            if doc.get(key) is None:
                assert key not in result, (name, key)
            else:
                assert result[key] == str(doc[key]), (name, key)
    assert kinds == {True, False}


# --- documents the readers refuse --------------------------------------------------

C001 = json.loads((ROOT / "examples" / "candidate_C001.json").read_text())
OBSERVATION = {"competency_id": "content_clarity", "method": "structured_interview", "rater": "r1", "value": 4}

REFUSED_CANDIDATES = {
    "no form": {"candidate_id": "X"},
    "two forms": {"candidate_id": "X", "scores": {}, "evidence": []},
    "empty id": {"candidate_id": "", "scores": {}},
    "boolean id": {"candidate_id": True, "scores": {}},
    "missing id": {"scores": {"content_clarity": 3}},
    "level below 1": {"candidate_id": "X", "scores": {"content_clarity": 0}},
    "level as text": {"candidate_id": "X", "scores": {"content_clarity": "4"}},
    "protected key": {"candidate_id": "X", "scores": {"candidate_age": 3}},
    "protected key, two words": {"candidate_id": "X", "scores": {"date_of_birth": 3}},
    "calibration": {"candidate_id": "X", "scores": {}, "calibration": "zscore"},
    "observation without rater": {"candidate_id": "X", "evidence": [{k: v for k, v in OBSERVATION.items()
                                                                      if k != "rater"}]},
    "observation with a boolean value": {"candidate_id": "X", "evidence": [dict(OBSERVATION, value=True)]},
    "observation with a protected key": {"candidate_id": "X", "evidence": [dict(OBSERVATION, gender="f")]},
    "scorecard without attributes": (lambda card: {"candidate_id": card["candidate_id"],
                                                   "greenhouse_scorecards": [card]})(
        json.loads((EVIDENCE / "gh_no_attributes.json").read_text())[1]),
    "not an object": [C001],
    "fractional application id": {"candidate_id": "X", "scores": {}, "application_id": 1.5},
    "empty application id": {"candidate_id": "X", "scores": {}, "application_id": ""},
    "integer correlation id": {"candidate_id": "X", "scores": {}, "correlation_id": 7},
}


@pytest.mark.parametrize("name", sorted(REFUSED_CANDIDATES))
def test_refused_candidate_documents_are_refused_by_the_schema(name):
    assert not validator("candidate").is_valid(REFUSED_CANDIDATES[name])


@pytest.mark.parametrize("name", sorted(REFUSED_CANDIDATES))
def test_refused_candidate_documents_are_refused_by_the_library(name, score_json):
    rc, _ = score_json(REFUSED_CANDIDATES[name])
    assert rc < 0


@pytest.mark.parametrize("path,expected", [
    (ROOT / "tests" / "data" / "bad" / "cand_json_not_array.json", "is not of type 'array'"),
    (EVIDENCE / "gh_no_candidate.json", "candidate_id"),
    (EVIDENCE / "gh_no_attributes.json", "attributes"),
], ids=lambda x: x.name if isinstance(x, pathlib.Path) else "")
def test_refused_fixtures_are_refused_by_the_schema(path, expected):
    name = "candidates" if path.name.startswith("cand_") else "greenhouse-scorecards"
    errors = list(validator(name).iter_errors(json.loads(path.read_text())))
    assert errors
    assert any(expected in e.message or expected in e.json_path for e in errors), [e.message for e in errors]


@pytest.mark.parametrize("row", [
    {"competency_id": "alpha", "method": "interview", "rater": "r1", "value": 4},            # no candidate
    {"candidate_id": "", "competency_id": "alpha", "method": "interview", "rater": "r1"},    # empty candidate
    {"candidate_id": "A1", "competency_id": "alpha", "method": "interview", "rater": ""},    # empty rater
    {"candidate_id": "A1", "competency_id": "alpha", "rater": "r1", "value": 4},              # no method
])
def test_refused_evidence_rows_are_refused_by_the_schema(row):
    assert not validator("evidence").is_valid(row)


def test_a_result_without_its_model_or_with_a_bad_hash_is_refused(score_json):
    _, result = score_json(C001)
    v = validator("result")
    v.validate(result)
    assert not v.is_valid({k: x for k, x in result.items() if k != "model"})
    assert not v.is_valid(dict(result, model=dict(result["model"], content_hash="42cb")))
    assert not v.is_valid(dict(result, status="hired"))


def test_the_protected_pattern_is_the_library_list():
    """The schemas' pattern of protected names is made from include/merit/protected.hpp."""
    src = (ROOT / "include" / "merit" / "protected.hpp").read_text()
    en = re.findall(r'"([^"]+)"', re.search(r"protected_terms_en\[\] = \{(.*?)\};", src, re.S).group(1))
    zh = re.findall(r'"([^"]+)"', re.search(r"protected_terms_zh\[\] = \{(.*?)\};", src, re.S).group(1))
    sep = "[^A-Za-z0-9]"
    expected = f"(^|{sep})(" + "|".join(t.replace("_", sep + "+") for t in en) + f")({sep}|$)|" + "|".join(zh)
    candidate = json.loads((SCHEMAS / "candidate.schema.json").read_text())
    evidence = json.loads((SCHEMAS / "evidence.schema.json").read_text())
    assert candidate["$defs"]["scores"]["propertyNames"]["not"]["pattern"] == expected
    assert evidence["$defs"]["observation"]["propertyNames"]["not"]["pattern"] == expected
    pattern = re.compile(expected)
    # Whole words only, as the library matches them: coverage, manage and page are competency words.
    assert pattern.search("candidate_age") and pattern.search("年龄")
    assert not any(pattern.search(w) for w in ("coverage", "manage", "page", "engagement", "agent"))
