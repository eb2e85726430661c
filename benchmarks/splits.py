"""The one documented train / dev / test split for every learned model and accuracy figure.

A record's part is fixed by a hash of its id, so it never depends on file order, on which
records a script loads, or on the random seed:

    bucket = int(sha1(id).hexdigest(), 16) % 10
    0-5 -> "train" (fit models), 6-7 -> "dev" (choose settings, thresholds, features),
    8-9 -> "test"  (report only; never looked at while tuning).

Held-out figures in RESULTS.md are on "test". Use it for PITF (``pitf-dev.jsonl``), Halterman's
event-location sentences, and the geoparsing corpora alike. Where one text has several records
(Halterman: one record per annotated verb of a sentence), split on the text itself
(``split_of(record["text"])``) so no sentence sits in two parts.
"""

from __future__ import annotations

import hashlib
from typing import Literal

Part = Literal["train", "dev", "test"]


def split_of(record_id: str) -> Part:
    """Return the part a record belongs to, from its id alone."""
    bucket = int(hashlib.sha1(record_id.encode("utf-8")).hexdigest(), 16) % 10
    if bucket <= 5:
        return "train"
    if bucket <= 7:
        return "dev"
    return "test"
