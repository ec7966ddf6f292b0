"""One version for the project: the Python package (pyproject.toml, what pip
reports), ``merit.__version__`` (the C++ core's, ``merit --version``), CMake's
project version and the changelog's newest section agree."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib

import merit

from conftest import ROOT


def test_one_version_everywhere() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    cmake = re.search(r"project\(merit VERSION (\S+)", (ROOT / "CMakeLists.txt").read_text(encoding="utf-8"))
    header = re.search(r'#define MERIT_VERSION_STRING "([^"]+)"',
                       (ROOT / "include" / "merit" / "version.hpp").read_text(encoding="utf-8"))
    assert cmake is not None and header is not None
    assert merit.__version__ == pyproject == cmake.group(1) == header.group(1)
    assert importlib.metadata.version("merit") == merit.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## \[([^\]]+)\]", changelog, re.M)
    assert newest is not None and newest.group(1) == merit.__version__
