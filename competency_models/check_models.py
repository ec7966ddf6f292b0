#!/usr/bin/env python3
"""Check competency model files before the C++ loader sees them.

    python3 competency_models/check_models.py [MODEL.json ...] [--source-root DIR ...]

Without file arguments, checks every *.json model in this folder (the schema,
*.schema.json, excepted). For each model it runs the JSON Schema
(merit.competency-model.schema.json, draft 2020-12) and then the rules a schema
cannot express (docs/model-format.md, "Rules the validator enforces"), plus a
few checks of this repository's own:

- every `source.quote` is an exact substring of its `source.document`;
- every competency and every profile target is measured by some method;
- every rating scale (methods and sources.greenhouse) maps its worst rating to
  1 and its best to L, numeric scales through cut points or a stated linear
  mapping: what `merit validate` accepts with a warning in a user's model is an
  error in a model shipped here;
- sources.greenhouse names existing methods;
- every competency has a question bank: at least 3 behavioural and 2 situational
  questions, each in en and zh-CN with probes, separating existing anchor levels;
- duplicate keys in a JSON object are an error (json.load would keep the last).

Source documents are looked up relative to each --source-root, the
MERIT_SOURCE_ROOT directory, the model's folder and every ancestor folder and
its `shared/` subfolder. A document that cannot be found is a warning (the
quotes are then unchecked); a quote that is not in a found document is an error.

Prints one line per problem, `file: /json/pointer: message`, and exits 1 if
there is any error, 0 otherwise (2 on bad usage). Requires `jsonschema`.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit("check_models.py needs jsonschema: pip install jsonschema")

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "merit.competency-model.schema.json"
FORMAT = "merit.competency-model/1"

# Whole words (ids are split on "_", names on non-letters) and Chinese terms
# (substrings). Demographic data never enters a score, so no competency,
# method, cluster or tag may name one of these.
PROTECTED_WORDS = {
    "sex", "sexes", "gender", "genders", "race", "races", "racial", "ethnicity", "ethnic",
    "colour", "color", "age", "ages", "aged", "birth", "birthday", "birthdate", "dob",
    "religion", "religious", "faith", "disability", "disabilities", "disabled", "handicap",
    "pregnancy", "pregnant", "maternity", "nationality", "national_origin", "marital",
    "married", "unmarried", "spouse", "lgbt", "lgbtq",
}
PROTECTED_PHRASES = ["date of birth", "national origin", "marital status", "sexual orientation"]
PROTECTED_ZH = [
    "性别", "男女", "种族", "民族", "族裔", "肤色", "年龄", "岁数", "出生日期", "出生年月", "生日",
    "宗教", "信仰", "残疾", "残障", "伤残", "怀孕", "孕", "国籍", "原籍", "籍贯", "婚姻", "婚育",
    "已婚", "未婚", "性取向",
]


class Report:
    def __init__(self, path: Path):
        self.path = path
        self.errors = 0
        self.warnings = 0

    def error(self, pointer: str, message: str) -> None:
        self.errors += 1
        print(f"{self.path}: {pointer or '/'}: {message}")

    def warn(self, pointer: str, message: str) -> None:
        self.warnings += 1
        print(f"{self.path}: {pointer or '/'}: warning: {message}")


def pointer(*parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def protected_terms(text: str) -> list[str]:
    """Protected characteristics named by an id, an English label or a Chinese label."""
    found = []
    lowered = text.lower()
    words = set(re.split(r"[^a-z]+", lowered)) | set(lowered.split("_"))
    found += sorted(words & PROTECTED_WORDS)
    found += [p for p in PROTECTED_PHRASES if p in " ".join(re.split(r"[^a-z]+", lowered))]
    found += [t for t in PROTECTED_ZH if t in text]
    return found


def finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def find_document(document: str, model_path: Path, roots: list[Path]) -> Path | None:
    candidates = [r / document for r in roots]
    for folder in [model_path.parent, *model_path.parent.parents]:
        candidates += [folder / document, folder / "shared" / document]
    return next((c for c in candidates if c.is_file()), None)


def check_ids(rep: Report, items, where: str) -> set[str]:
    ids = set()
    for i, item in enumerate(items if isinstance(items, list) else []):
        cid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(cid, str):
            continue
        if cid in ids:
            rep.error(pointer(where, i, "id"), f"duplicate id {cid!r}")
        ids.add(cid)
    return ids


def number_text(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def check_scale(rep: Report, s, where: tuple, L: int | None) -> None:
    """A method's or a source's rating scale: the worst rating must map to 1 and
    the best to L, numeric scales through cut points or a stated linear mapping
    (docs/model-format.md, "Rating scales"). What `merit validate` only warns
    about in a user's model is an error in the models shipped here."""
    if not isinstance(s, dict):
        return
    if s.get("type") == "numeric" and finite(s.get("min")) and finite(s.get("max")):
        lo, hi = s["min"], s["max"]
        if not lo < hi:
            rep.error(pointer(*where), "numeric scale needs min < max")
            return
        cuts = s.get("cut_points")
        if isinstance(cuts, list):
            if L is not None and len(cuts) != L - 1:
                rep.error(pointer(*where, "cut_points"),
                          f"expected {L - 1} cut points (the lowest value of each level 2..{L}), got {len(cuts)}")
            for k, c in enumerate(cuts):
                if not finite(c):
                    continue
                if not lo < c <= hi:
                    rep.error(pointer(*where, "cut_points", k),
                              f"cut point {number_text(c)} must lie above min {number_text(lo)} and at most max "
                              f"{number_text(hi)}, so that min is level 1 and max level {L}")
                if k and finite(cuts[k - 1]) and not c > cuts[k - 1]:
                    rep.error(pointer(*where, "cut_points", k),
                              f"cut point {number_text(c)} must be above the one before it ({number_text(cuts[k - 1])})")
            if s.get("linear") is True:
                rep.error(pointer(*where, "linear"), "a scale maps through cut_points or linearly, not both")
        elif s.get("linear") is not True and not (lo == 1 and hi == L):
            rep.error(pointer(*where),
                      f"numeric scale {number_text(lo)}..{number_text(hi)} is mapped linearly onto 1..{L} with no "
                      'stated basis; give cut_points with a basis, or "linear": true with a basis')
    if s.get("type") == "levels" and isinstance(s.get("levels"), dict):
        for name in s.get("missing") or []:
            if name in s["levels"]:
                rep.error(pointer(*where, "missing"), f"{name!r} is both a level and a missing value")
        numbers = [v for v in s["levels"].values() if finite(v)]
        if L is not None and len(numbers) >= 2 and min(numbers) < max(numbers) and (min(numbers) != 1 or max(numbers) != L):
            rep.error(pointer(*where, "levels"),
                      f"level numbers run from {number_text(min(numbers))} to {number_text(max(numbers))}, not 1..{L}: "
                      f"the worst level should map to 1 and the best to {L}")


def seed_text(document: str, seeds: dict, model_path: Path, roots: list[Path]) -> str | None:
    """The text of a source document, read once (None when it cannot be found)."""
    if document not in seeds:
        found = find_document(document, model_path, roots)
        seeds[document] = found.read_text(encoding="utf-8") if found else None
    return seeds[document]


def check_questions(rep: Report, c: dict, i: int, L: int | None, seen: dict[str, str], seed) -> None:
    """The question bank of a shipped competency: every competency has one, with
    at least 3 behavioural and 2 situational questions, each in en and zh-CN
    with probes, separating existing anchor levels, ids unique in the model
    (merit validate warns where this is an error); the seed sentences a basis
    quotes after "seed: " (parts separated by "; ") are in the seed."""
    qs = c.get("questions")
    if not isinstance(qs, list):
        rep.error(pointer("competencies", i), "no interview questions (a shipped model has a question bank)")
        return
    kinds = {"behavioural": 0, "situational": 0}
    for k, q in enumerate(qs):
        if not isinstance(q, dict):
            continue
        where = pointer("competencies", i, "questions", k)
        if q.get("kind") in kinds:
            kinds[q["kind"]] += 1
        qid = q.get("id")
        if isinstance(qid, str):
            if qid in seen:
                rep.error(where + "/id", f"duplicate question id {qid!r} (first at {seen[qid]})")
            else:
                seen[qid] = where + "/id"
        for field, label in [("text", q.get("text"))] + [(f"probes/{j}", p) for j, p in enumerate(q.get("probes") or [])]:
            if not (isinstance(label, dict) and label.get("en") and label.get("zh-CN")):
                rep.error(where + "/" + field, "needs both en and zh-CN text")
        if not q.get("probes"):
            rep.error(where, "no follow-up probes")
        basis = q.get("basis") if isinstance(q.get("basis"), str) else ""
        source = c.get("source") if isinstance(c.get("source"), dict) else {}
        text = seed(source["document"]) if "seed: " in basis and isinstance(source.get("document"), str) else None
        if text is not None:
            for part in basis.split("seed: ", 1)[1].split("; "):
                if part not in text:
                    rep.error(where + "/basis", f"quotes {part!r}, which is not in {source['document']}")
        for j, level in enumerate(q.get("separates") or []):
            if L is not None and isinstance(level, int) and not 1 <= level <= L:
                rep.error(where + f"/separates/{j}", f"level {level} is not an anchor level (1..{L})")
    for kind, least in (("behavioural", 3), ("situational", 2)):
        if kinds[kind] < least:
            rep.error(pointer("competencies", i, "questions"), f"{kinds[kind]} {kind} questions, fewer than {least}")


TITLE_KINDS = {"sales", "enablement", "operations", "senior", "other_field", "excluded"}


def check_title_rules(rep: Report, model: dict) -> None:
    """title_rules (docs/titles.md): known kinds, existing profiles, and a
    bilingual basis on every term group and route. merit validate also checks
    that each profile's title_aliases and not_aliases agree with the rules."""
    rules = model.get("title_rules")
    if rules is None:
        return
    if not isinstance(rules, dict):
        rep.error("/title_rules", "must be an object")
        return
    profiles = {p.get("id") for p in model.get("profiles") or [] if isinstance(p, dict)}
    for section, kinds_key in (("terms", "kinds"), ("routes", "when")):
        entries = rules.get(section)
        if not isinstance(entries, list):
            rep.error(pointer("title_rules", section), "must be an array")
            continue
        for i, e in enumerate(entries):
            if not isinstance(e, dict):
                rep.error(pointer("title_rules", section, i), "must be an object")
                continue
            basis = e.get("basis")
            if not (isinstance(basis, dict) and all(isinstance(basis.get(k), str) and basis[k].strip()
                                                    for k in ("en", "zh-CN"))):
                rep.error(pointer("title_rules", section, i, "basis"), "needs a basis in en and zh-CN")
            kinds = e.get(kinds_key)
            if not isinstance(kinds, list) or not kinds:
                rep.error(pointer("title_rules", section, i, kinds_key), "needs at least one kind")
            else:
                for j, k in enumerate(kinds):
                    if k not in TITLE_KINDS:
                        rep.error(pointer("title_rules", section, i, kinds_key, j),
                                  f"unknown title kind {k!r} (expected {', '.join(sorted(TITLE_KINDS))})")
            if section == "routes" and e.get("profile") not in profiles:
                rep.error(pointer("title_rules", section, i, "profile"), f"unknown profile {e.get('profile')!r}")


def check_model(path: Path, validator: Draft202012Validator, roots: list[Path]) -> Report:
    rep = Report(path)
    try:
        model = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=no_duplicate_keys)
    except (UnicodeDecodeError, ValueError) as e:
        rep.error("", f"not valid JSON: {e}")
        return rep

    for err in sorted(validator.iter_errors(model), key=lambda e: list(map(str, e.absolute_path))):
        rep.error(pointer(*err.absolute_path), f"schema: {err.message}")
    if not isinstance(model, dict):
        return rep

    if model.get("format") != FORMAT:
        rep.error("/format", f"must be {FORMAT!r}")
    scale = model.get("scale") if isinstance(model.get("scale"), dict) else {}
    L = scale.get("levels") if isinstance(scale.get("levels"), int) else None
    if L is not None and isinstance(scale.get("labels"), list) and len(scale["labels"]) != L:
        rep.error("/scale/labels", f"has {len(scale['labels'])} entries, scale has {L} levels")

    clusters = check_ids(rep, model.get("clusters"), "clusters")
    comps = check_ids(rep, model.get("competencies"), "competencies")
    methods = check_ids(rep, model.get("methods"), "methods")
    check_ids(rep, model.get("profiles"), "profiles")

    ownership_weights = {"primary": 3, "supporting": 2, "participant": 1}
    if isinstance(model.get("ownership_weights"), dict):
        ownership_weights.update(model["ownership_weights"])

    # Things named by a competency, method, cluster or tag.
    for where in ("clusters", "competencies", "methods"):
        for i, item in enumerate(model.get(where) or []):
            if not isinstance(item, dict):
                continue
            named = [("id", item.get("id"))]
            named += [(f"name/{lang}", text) for lang, text in (item.get("name") or {}).items()]
            named += [(f"tags/{j}", tag) for j, tag in enumerate(item.get("tags") or [])]
            for field, text in named:
                if isinstance(text, str) and protected_terms(text):
                    rep.error(pointer(where, i) + "/" + field,
                              f"names a protected characteristic ({', '.join(protected_terms(text))})")

    comp_ownership = {}
    question_ids: dict[str, str] = {}
    seeds: dict[str, str | None] = {}
    for i, c in enumerate(model.get("competencies") or []):
        if not isinstance(c, dict):
            continue
        comp_ownership[c.get("id")] = c.get("ownership")
        if c.get("cluster") is not None and c.get("cluster") not in clusters:
            rep.error(pointer("competencies", i, "cluster"), f"unknown cluster {c.get('cluster')!r}")
        levels = c.get("levels")
        if L is not None and isinstance(levels, list):
            if len(levels) != L:
                rep.error(pointer("competencies", i, "levels"), f"has {len(levels)} anchors, scale has {L} levels")
            for j, anchor in enumerate(levels):
                if isinstance(anchor, dict) and anchor.get("level") != j + 1:
                    rep.error(pointer("competencies", i, "levels", j, "level"),
                              f"is {anchor.get('level')!r}, expected {j + 1} (anchors are level 1..L in order)")
        check_questions(rep, c, i, L, question_ids, lambda doc: seed_text(doc, seeds, path, roots))
        source = c.get("source")
        if isinstance(source, dict) and isinstance(source.get("quote"), str):
            document = source.get("document")
            if not isinstance(document, str):
                rep.warn(pointer("competencies", i, "source"), "no document: quote unchecked")
                continue
            if document not in seeds:
                found = find_document(document, path, roots)
                seeds[document] = found.read_text(encoding="utf-8") if found else None
                if found is None:
                    rep.warn(pointer("competencies", i, "source", "document"),
                             f"{document!r} not found (use --source-root): quotes unchecked")
            text = seeds[document]
            if text is not None and source["quote"] not in text:
                rep.error(pointer("competencies", i, "source", "quote"),
                          f"is not an exact substring of {document}")

    # An ATS attribute name must lead to one competency.
    alias_owner: dict[str, str] = {}
    for i, c in enumerate(model.get("competencies") or []):
        for j, alias in enumerate((c.get("ats_aliases") or []) if isinstance(c, dict) else []):
            key = alias.casefold() if isinstance(alias, str) else alias
            if key in alias_owner and alias_owner[key] != c.get("id"):
                rep.error(pointer("competencies", i, "ats_aliases", j),
                          f"{alias!r} is also an alias of {alias_owner[key]!r}")
            alias_owner.setdefault(key, c.get("id"))

    for i, m in enumerate(model.get("methods") or []):
        if isinstance(m, dict):
            check_scale(rep, m.get("scale"), ("methods", i, "scale"), L)

    check_title_rules(rep, model)

    sources = model.get("sources") if isinstance(model.get("sources"), dict) else {}
    for key in sources:
        if key != "greenhouse":
            rep.error(pointer("sources", key), f"unknown source {key!r} is not read (merit reads sources.greenhouse)")
    gh = sources.get("greenhouse")
    if isinstance(gh, dict):
        check_scale(rep, gh.get("scale"), ("sources", "greenhouse", "scale"), L)
        interviews = gh.get("interviews") if isinstance(gh.get("interviews"), dict) else {}
        seen: dict[str, tuple[str, object]] = {}
        for name, mid in interviews.items():
            if mid not in methods:
                rep.error(pointer("sources", "greenhouse", "interviews", name), f"unknown method {mid!r}")
            other = seen.get(name.lower())
            if other is not None and other[1] != mid:
                rep.error(pointer("sources", "greenhouse", "interviews", name),
                          f"interview {name!r} differs from {other[0]!r} only in case but maps to another method")
            seen.setdefault(name.lower(), (name, mid))
        if "default_method" in gh and gh["default_method"] not in methods:
            rep.error(pointer("sources", "greenhouse", "default_method"), f"unknown method {gh['default_method']!r}")
        if not interviews and "default_method" not in gh:
            rep.error(pointer("sources", "greenhouse"),
                      "sources.greenhouse needs interviews or a default_method: every scorecard's interview must "
                      "lead to a method")

    measured: set[str] = set()
    matrix = model.get("evidence_matrix") if isinstance(model.get("evidence_matrix"), dict) else {}
    for mid, row in matrix.items():
        if mid not in methods:
            rep.error(pointer("evidence_matrix", mid), f"unknown method {mid!r}")
        for cid, w in (row or {}).items() if isinstance(row, dict) else []:
            if cid not in comps:
                rep.error(pointer("evidence_matrix", mid, cid), f"unknown competency {cid!r}")
            if not (finite(w) and w > 0):
                rep.error(pointer("evidence_matrix", mid, cid), "weight must be finite and > 0")
            measured.add(cid)
    for cid in sorted(comps - measured):
        rep.warn("/evidence_matrix", f"no method measures competency {cid!r}")

    for i, p in enumerate(model.get("profiles") or []):
        targets = p.get("targets") if isinstance(p, dict) else None
        if not isinstance(targets, dict):
            continue
        total = 0.0
        for cid, t in targets.items():
            where = pointer("profiles", i, "targets", cid)
            if cid not in comps:
                rep.error(where, f"unknown competency {cid!r}")
            if not isinstance(t, dict):
                continue
            for field in ("target", "minimum"):
                v = t.get(field)
                if v is not None and L is not None and not (finite(v) and 1 <= v <= L):
                    rep.error(where + "/" + field, f"{v!r} is outside 1..{L}")
            if finite(t.get("minimum")) and finite(t.get("target")) and t["minimum"] > t["target"]:
                rep.warn(where, "minimum above target: the hurdle asks more than the profile does")
            if "weight" in t:
                w = t["weight"]
            elif t.get("ownership") or comp_ownership.get(cid):
                w = ownership_weights.get(t.get("ownership") or comp_ownership.get(cid), 0)
            else:
                rep.error(where, f"target {cid!r} needs a weight: the competency has no ownership level in the "
                          "job analysis, so its importance must come from recorded judgments "
                          "(merit weights ahp --write-profile)")
                continue
            if not (finite(w) and w >= 0):
                rep.error(where + "/weight", "must be finite and >= 0")
            else:
                total += w
            if cid in comps and cid not in measured:
                rep.warn(where, f"no method measures {cid!r}: this target can never be observed")
        if total <= 0:
            rep.error(pointer("profiles", i, "targets"), "all weights vanish")
        src = p.get("weights_source")
        if isinstance(src, dict) and isinstance(src.get("judgments"), str):
            if not (rep.path.parent / src["judgments"]).is_file():
                rep.error(pointer("profiles", i, "weights_source", "judgments"),
                          f"judgments file {src['judgments']!r} not found beside the model")
    return rep


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="*", type=Path, help="model files (default: every *.json here)")
    ap.add_argument("--source-root", action="append", type=Path, default=[],
                    help="folder that source documents are relative to (repeatable)")
    args = ap.parse_args(argv)

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    roots = list(args.source_root)
    if os.environ.get("MERIT_SOURCE_ROOT"):
        roots.append(Path(os.environ["MERIT_SOURCE_ROOT"]))

    models = args.models or sorted(p for p in HERE.glob("*.json") if not p.name.endswith(".schema.json"))
    if not models:
        print("no model files found", file=sys.stderr)
        return 2
    errors = 0
    for path in models:
        rep = check_model(path, validator, roots)
        errors += rep.errors
        print(f"{path}: {rep.errors} error(s), {rep.warnings} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
