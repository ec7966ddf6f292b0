"""The package's types: mypy --strict accepts a script using the API."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent


def test_mypy_strict_accepts_the_example() -> None:
    pytest.importorskip("mypy")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(HERE / "typing_example.py")],
        capture_output=True, text=True, cwd=HERE,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_strict_accepts_the_package_itself() -> None:
    pytest.importorskip("mypy")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "merit"],
        capture_output=True, text=True, cwd=HERE,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_example_uses_every_public_name() -> None:
    import ast

    import merit

    tree = ast.parse((HERE / "typing_example.py").read_text(encoding="utf-8"))
    used = {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "merit"}
    assert sorted(set(merit.__all__) - used) == []


def test_package_ships_its_types() -> None:
    import merit

    package = pathlib.Path(merit.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_core.pyi").exists()
