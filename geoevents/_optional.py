"""Optional dependencies imported late, with an install hint when missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from geoevents.errors import MissingDependency


def import_optional(module: str, *, extra: str, needed_for: str) -> ModuleType:
    """Import ``module`` or raise ``MissingDependency`` saying which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependency(
            f"{needed_for} needs {module!r}, which is not installed. "
            f"Install it with: pip install 'geoevents[{extra}]'"
        ) from err
