"""The package's typed errors raised from Python (the core raises the same classes)."""

from __future__ import annotations

from ._core import InputError


def input_error(code: str, location: str, detail: str) -> InputError:
    """An InputError with ``code``, ``location`` (row/column/argument) and ``detail`` set, as the core's."""
    err = InputError(f"{location}: {detail}" if location else detail)
    err.code, err.location, err.detail = code, location, detail
    return err
