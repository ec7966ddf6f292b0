"""The package's typed errors raised from Python (the core raises the same classes)."""

from __future__ import annotations

from ._core import InputError


def input_error(code: str, location: str, detail: str, kind: type[InputError] = InputError) -> InputError:
    """An InputError (or its subclass ``kind``) with ``code``, ``location``
    (row/column/argument) and ``detail`` set, as the core's: ``str(e)`` is
    'location: detail'."""
    err = kind(f"{location}: {detail}" if location else detail)
    err.code, err.location, err.detail = code, location, detail
    return err
