"""Strike and attack event records (ACLED-style) from articles and their place mentions.

``extract_events(article, toponyms)`` codes the events one article reports (the learned stage;
``extractor="rules"`` for the hand-written rules alone, ``detector=`` / ``placer=`` to swap a
decision); ``merge_events(events)`` joins reports of the same event from several articles. Both
are pure functions of their inputs. One module per decision: ``mentions`` (+ ``cues``),
``detector``, ``subtypes``, ``place_rules`` / ``placing``, ``attributes``, ``coref``, ``merge``
(over ``compare`` and ``identity``). The record schema, the rules, the model and their
ACLED/UCDP/CAMEO equivalents are in ``docs/events.md``.
"""

from __future__ import annotations

from geoevents.events.extract import event_id, extract_events
from geoevents.events.merge import merge_events, same_event

__all__ = ["event_id", "extract_events", "merge_events", "same_event"]
