"""Cross-checks `merit weights ahp --json` against peer AHP libraries.

Peers (tests/python/requirements-peers.txt): AHPy, pymcdm, pyDecision. This
file installs nothing: each peer's tests are skipped when it is missing, and
everything is skipped when MERIT_CLI (the path of the `merit` binary) is unset.

Random reciprocal matrices, n = 3..15, fixed seed:
- consistent: a_ij = w_i / w_j with w in [1, 3] (within the Saaty scale);
- inconsistent: upper triangle drawn from Saaty's 17 values 1/9..9.
Weights and lambda_max must agree to 1e-9; CR wherever the peer uses the same
random-index table (pyDecision: Saaty 1980; AHPy: Saaty 2005 and Donegan &
Dodd; pymcdm: Tummala & Ling). pyDecision's geometric CR uses its own
lambda_max estimate (the mean of (Aw)_i / w_i), so only its weights are compared.
"""

import itertools
import json
import os
import subprocess
import warnings

import pytest

np = pytest.importorskip("numpy")

MERIT_CLI = os.environ.get("MERIT_CLI")
pytestmark = pytest.mark.skipif(not MERIT_CLI, reason="MERIT_CLI (path of the merit binary) is not set")

SAATY = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]
SIZES = list(range(3, 16))
TOL = 1e-9


def _matrices():
    rng = np.random.default_rng(20240604)
    cases = []
    for n in SIZES:
        for rep in range(3):
            w = rng.uniform(1.0, 3.0, n)
            cases.append((f"consistent-n{n}-{rep}", w[:, None] / w[None, :], False))
        for rep in range(3):
            a = np.eye(n)
            for i, j in itertools.combinations(range(n), 2):
                a[i, j] = SAATY[rng.integers(len(SAATY))]
                a[j, i] = 1 / a[i, j]
            cases.append((f"saaty-n{n}-{rep}", a, True))
    return cases


CASES = _matrices()
MAX_DIFF = {}  # (peer, quantity) -> max abs difference seen, printed at the end


def _record(peer, quantity, diff):
    key = (peer, quantity)
    MAX_DIFF[key] = max(MAX_DIFF.get(key, 0.0), float(diff))


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if MAX_DIFF:
        print("\nmax abs differences, merit vs peers:")
        for (peer, quantity), d in sorted(MAX_DIFF.items()):
            print(f"  {peer:12s} {quantity:22s} {d:.3e}")


def merit(a, tmp_path, method="eigen", ri="saaty1980"):
    n = a.shape[0]
    path = tmp_path / f"m{n}.json"
    path.write_text(json.dumps({"items": [f"i{k}" for k in range(n)], "matrix": a.tolist()}))
    out = subprocess.run(
        [MERIT_CLI, "weights", "ahp", "--judgments", str(path), "--json", "--method", method, "--ri", ri,
         "--diagnose", "0"],
        capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    w = np.array([doc["weights"][f"i{k}"] for k in range(n)])
    return w, doc["lambda_max"], doc["cr"]


def numpy_eigen(a):
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = vectors[:, k].real
    return w / w.sum(), values[k].real


@pytest.mark.parametrize("name,a,saaty_values", CASES, ids=[c[0] for c in CASES])
def test_pydecision(name, a, saaty_values, tmp_path):
    ahp = pytest.importorskip("pyDecision.algorithm.ahp")
    w, lam, cr = merit(a, tmp_path, "eigen", "saaty1980")
    pw, prc = ahp.ahp_method(a.copy(), wd="max_eigen")
    _record("pyDecision", "eigen weights", np.abs(w - pw).max())
    _record("pyDecision", "CR saaty1980", abs(cr - prc))
    assert np.abs(w - pw).max() < TOL
    assert abs(cr - prc) < TOL
    _, lam_np = numpy_eigen(a)
    _record("numpy.eig", "lambda_max", abs(lam - lam_np))
    assert abs(lam - lam_np) < TOL

    gw, glam, _ = merit(a, tmp_path, "geometric", "saaty1980")
    pgw, _ = ahp.ahp_method(a.copy(), wd="geometric")
    _record("pyDecision", "geometric weights", np.abs(gw - pgw).max())
    assert np.abs(gw - pgw).max() < TOL
    assert abs(glam - lam) < TOL  # lambda_max is the matrix's, whatever the method


@pytest.mark.parametrize("name,a,saaty_values", CASES, ids=[c[0] for c in CASES])
def test_ahpy(name, a, saaty_values, tmp_path):
    ahpy = pytest.importorskip("ahpy")
    n = a.shape[0]
    items = [f"i{k}" for k in range(n)]
    comparisons = {(items[i], items[j]): float(a[i, j]) for i, j in itertools.combinations(range(n), 2)}
    for ri, merit_ri in (("saaty", "saaty2005"), ("dd", "donegan_dodd")):
        # AHPy rounds to `precision` digits; its repeated squaring can overflow at
        # high precision, so take the highest precision that gives finite weights.
        for precision in (12, 11, 10):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                c = ahpy.Compare("x", comparisons, precision=precision, random_index=ri)
            aw = np.array([c.local_weights[k] for k in items])
            if np.all(np.isfinite(aw)):
                break
        w, lam, cr = merit(a, tmp_path, "eigen", merit_ri)
        _record("AHPy", "eigen weights", np.abs(w - aw).max())
        _record("AHPy", f"CR {merit_ri}", abs(cr - c.consistency_ratio))
        assert np.abs(w - aw).max() < TOL
        assert abs(cr - c.consistency_ratio) < TOL


@pytest.mark.parametrize("name,a,saaty_values", [c for c in CASES if c[2]], ids=[c[0] for c in CASES if c[2]])
def test_pymcdm(name, a, saaty_values, tmp_path):
    subjective = pytest.importorskip("pymcdm.weights.subjective")
    # pymcdm accepts only matrices of Saaty's values, so the consistent cases are left out
    model = subjective.AHP(matrix=a.copy())
    pw = model()
    pcr = model.get_cr()
    n = a.shape[0]
    plam = pcr * subjective.AHP.RI_M[n - 1] * (n - 1) + n
    w, lam, cr = merit(a, tmp_path, "eigen", "tummala_ling")
    _record("pymcdm", "eigen weights", np.abs(w - pw).max())
    _record("pymcdm", "lambda_max", abs(lam - plam))
    _record("pymcdm", "CR tummala_ling", abs(cr - pcr))
    assert np.abs(w - pw).max() < TOL
    assert abs(lam - plam) < TOL
    assert abs(cr - pcr) < TOL
