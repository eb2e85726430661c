"""Developer tooling that is not part of the product (not in the wheel).

Test and benchmark drivers for the real clients (headless Chromium over DevTools, PyQGIS),
event fixtures and synthetic events, and the screenshot script for ``maps/``.
Run from the repository root: ``python -m devtools.screenshots OUT --dest maps``.
"""
