"""The working record of one place mention while a document is parsed (internal, mutable)."""

from __future__ import annotations

from dataclasses import dataclass, field

from geoevents.records import Place

__all__ = ["Mention"]


@dataclass(slots=True)
class Mention:
    """A span that recognition accepted (or a caller gave), its candidates and their scores."""

    start: int
    end: int
    name: str
    key: str
    cands: list[Place] = field(default_factory=list)
    prior: list[float] = field(default_factory=list)
    evidence: float = 0.0  # recognition's evidence that the span is a place mention
    is_demonym: bool = False
    demonym_cc: str | None = None
    type_hint: str | None = None  # feature class suggested by the next word ("province": A)
    type_word: str | None = None  # that word, singular ("district", "governorate", "lga")
    relation: str | None = None  # "30 km south of", "near" (see relative.py)
    gold: bool = False  # given by the caller: always reported
    weak: bool = False  # rejected by recognition, kept only as faint document context
    metonymic: bool = False
    qual: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, cc, admin code)
    qual_places: list[Place] = field(default_factory=list)  # Y's candidates in "X village of Y"
    best: int = -1
    scores: list[float] = field(default_factory=list)
    why: str = ""
    cshare: list[float] = field(default_factory=list)  # document country share per candidate
    ashare: list[float] = field(default_factory=list)  # document admin1 share per candidate
    learned: bool = False  # the learned ranker changed the rule-based choice
    inner: bool = False  # a given span resolved through a place name inside it ("Liverpool Academy")
