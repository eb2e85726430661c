"""Strike and attack records from one article and its resolved place mentions.

How a report becomes events (each step documented with its rule in ``docs/events.md``):

1. Prose sentences only (headlines, "Also Read:" lines, related-story blocks are skipped).
2. Event *mentions*: event nouns ("airstrikes", "a drone attack", "the strike") and verbs with an
   armed subject ("Israeli jets struck", "Turkish drones hit", "forces were targeted").
   Hypothetical ("further strikes", "no plans for"), and aggregate mentions ("more than 150
   attacks", "a series of", "three separate sets of strikes") are not coded as single events.
3. Each mention either refers back to an event already mentioned ("the strikes", "this strike")
   or starts a new one ("a drone attack on a U.S. base in Jordan").
4. Places (locative slots only), dates, casualty figures and actors attach to the nearest mention
   in their sentence; casualty sentences without a mention ("The casualties included ... 25
   people sustained injuries") attach to the event of the sentence before.
5. Strike vs attack comes from the actor (a state's forces strike; armed groups attack), then
   from the words ("airstrike" vs "rocket attack").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from geoevents.errors import GeoeventsError
from geoevents.events._text import Sentence, split_sentences
from geoevents.events.actors import Actor, find_actors
from geoevents.events.attributes import assign_actors, attach_nearest, lowest, weapon_sub
from geoevents.events.casualties import CasualtyMatch, find_casualties
from geoevents.events.compare import PREC_RANK
from geoevents.events.coref import Draft, is_precise, resolve_mention
from geoevents.events.detector import MentionDetector, RuleDetector, default_detector
from geoevents.events.identity import event_id, with_id
from geoevents.events.locations import sentence_locations
from geoevents.events.mentions import BROAD_WORDS, EVENT_WORDS, MANY, EventMention, find_mentions
from geoevents.events.place_rules import (
    PlacerLike,
    assign_places,
    placer_locations,
    refine_locations,
    rule_locations,
)
from geoevents.events.placing import default_placer
from geoevents.events.subtypes import SUICIDE_CUE
from geoevents.events.when import DateMatch, find_dates, resolve_phrase
from geoevents.records import Article, Event, EventLocation, Toponym

__all__ = ["PLACING_MODES", "event_id", "extract_events", "sentence_mentions"]

# How the slot rules and the placer combine (``extract_events(placing=...)``): "rules-first" (the
# placer only where the rules find no place), "refine" (also a precise place the placer finds
# inside the rules' country or province), "placer-first" (the placer's places, else the rules').
PLACING_MODES = ("rules-first", "refine", "placer-first")
REFINE_THRESHOLD = 0.5
REFINE_AFTER = 2

_ORPHAN_BLOCK = re.compile(
    r"\b(?:war|conflict|fighting|since|in\s+(?:19|20)\d\d|year|overall|total|previously|"
    r"in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december))\b",
    re.I,
)
# Wire datelines: "KIRKUK, March 6 (Reuters) -", "MOSUL, Iraq, Feb 12 (Reuters) -", "DAMASCUS, Syria
# (AP) —", "Sanaa (AFP) -", "ERBIL (Kurdistan24) -", "QUETTA:". The city is in capitals, or any
# capitalised word directly before an (Agency) in parentheses.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'’-]{1,40}|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?(?=\s*(?:,\s*[A-Z][\w'’ -]{1,30})?\s*\())"
    r"(?:\s*/[A-Z .-]+)?(?:,\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})?"
    r",?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*"
    r"(?:\([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2}\)\s*)?[-–—:]+\s"
)


def sentence_mentions(
    s: Sentence, *, broad: bool = False
) -> tuple[list[EventMention], list[DateMatch], list[tuple[int, int, Actor]]]:
    """Candidate mentions of one sentence with their actors, its dates and its actor spans.

    The input of every :class:`MentionDetector` (and of its training script): dateline dates are
    the report's, "the day after the attack" is a date phrase and not a new mention.
    """
    dates = find_dates(s.text)
    dl = _DATELINE.match(s.text)
    if dl:  # "BAGHDAD, Jan 5 (Reuters) -": the report's date and place, not the event's
        dates = [d for d in dates if d.start >= dl.end()]
    exclude = [(d.start, d.end) for d in dates if d.kind == "rel_event"]
    actor_spans = find_actors(s.text)
    mentions = find_mentions(s, exclude, actor_spans, broad=broad)
    for k, m in enumerate(mentions):
        prev_end = mentions[k - 1].end if k else 0
        next_start = mentions[k + 1].start if k + 1 < len(mentions) else len(s.text)
        assign_actors(m, prev_end, next_start, actor_spans)
    return mentions, dates, actor_spans


def extract_events(
    article: Article,
    toponyms: Sequence[Toponym],
    *,
    extractor: str = "learned",
    detector: MentionDetector | None = None,
    placer: PlacerLike | None = None,
    placing: str = "refine",
) -> list[Event]:
    """Strike and attack events reported in one article.

    Pure: no I/O, clock or globals, so Dask can map it over articles. Any toponym list is
    accepted (wrong, unresolved, out-of-range offsets included): a place only becomes an event
    location when its mention sits in a locative slot of the event's sentence, so a bad list
    can cost a location but never crash or place an event somewhere the text does not say.

    Parameters
    ----------
    article : Article
        Text and metadata; ``published`` dates relative phrases ("on Wednesday"). Without it,
        only phrases with an explicit year give dates, and other events get ``event_date=None``.
    toponyms : sequence of Toponym
        Place mentions with offsets into ``article.text`` (``geoevents.geoparse``).
    extractor : {"learned", "rules"}
        The learned stage (default: the learned mention detector and the learned placer shipped
        in the wheel, each used where ``detector`` / ``placer`` is not given) or the hand-written
        rules alone (for comparison).
    detector : MentionDetector, optional
        Any object deciding which candidate mentions are reported events (``detector.py``).
    placer : PlacerLike, optional
        Any object scoring the toponyms as the place of an event mention
        (``geoevents.events.placing``); its places at or above ``placer.threshold`` are the event's
        locations. When it places none, or under ``extractor="rules"``, the locative-slot rules
        decide.
    placing : {"refine", "rules-first", "placer-first"}
        How the placer and the slot rules combine (:data:`PLACING_MODES`).

    Returns
    -------
    list of Event
        One record per distinct event in the article (an event hit at several places has
        several ``locations``), in order of first mention.

    """
    if extractor not in {"learned", "rules"}:
        raise GeoeventsError(f"unknown extractor {extractor!r}: use 'learned' or 'rules'")
    if detector is None:
        detector = RuleDetector() if extractor == "rules" else default_detector()
    if placer is None and extractor == "learned":
        placer = default_placer()
    if placing not in PLACING_MODES:
        raise GeoeventsError(f"unknown placing {placing!r}: use one of {', '.join(PLACING_MODES)}")
    return _extract(article, toponyms, resolve_phrase, detector, placer, placing)


def _extract(
    article: Article,
    toponyms: Sequence[Toponym],
    resolver: Callable[..., tuple[dt.date | None, str | None, str]],
    detector: MentionDetector | None = None,
    placer: PlacerLike | None = None,
    placing: str = "rules-first",
) -> list[Event]:
    if detector is None:
        detector = RuleDetector()
    broad = detector.broad
    text = article.text or ""
    tops = [t for t in toponyms if isinstance(t, Toponym) and 0 <= t.start < t.end <= len(text)]
    drafts: list[Draft] = []
    last_draft: Draft | None = None
    sents = split_sentences(text)
    for s in sents:
        near_event = last_draft is not None and s.index - last_draft.last_sentence <= 2
        low = s.text.lower()
        if not any(w in low for w in EVENT_WORDS) and not (broad and any(w in low for w in BROAD_WORDS)):
            # no event word: only "The casualties included ... 25 injured" after an event matters
            if near_event and last_draft is not None and not _ORPHAN_BLOCK.search(s.text):
                _attach_later(last_draft.mentions[-1], find_casualties(s.text))
            continue
        mentions, dates, actor_spans = sentence_mentions(s, broad=broad)
        cas = find_casualties(s.text)
        decisions = detector.decide(mentions, s.index == 0)
        if not mentions or all(m.weak and not dec.keep for m, dec in zip(mentions, decisions, strict=True)):
            # no mention, or only weak words the detector turned down: as the rules see the sentence
            if cas and near_event and last_draft is not None and not _ORPHAN_BLOCK.search(s.text):
                _attach_later(last_draft.mentions[-1], cas)
            continue
        spans = [(m.start, m.end) for m in mentions]
        cands = sentence_locations(s.text, tops, s.start, spans)
        placed = assign_places(s.text, [(m.start, m.end) for m in mentions], cands, actor_spans)
        for k, m in enumerate(mentions):
            m.locs = placed.get(k, [])
        for item, m in attach_nearest([(d.start, d) for d in dates if not d.reporting], mentions):
            m.dates.append(item)  # type: ignore[arg-type]
        for item, m in attach_nearest([(c.start, c) for c in cas], mentions):
            m.casualties.append(item)  # type: ignore[arg-type]
        for d in dates:
            if d.kind == "rel_event":
                target = next((m for m in mentions if m.start >= d.end), None)
                ref_type = (
                    "strike" if re.search(r"strike|raid|bomb", d.group("ref") or "", re.I) else "attack"
                )
                anchor = next((x for x in reversed(drafts) if x.etype == ref_type), None)
                if target is not None and anchor is not None:
                    target.rel_anchor = anchor
        for m, dec in zip(mentions, decisions, strict=True):
            m.score, m.reason = dec.score, dec.reason
            keep = dec.keep
            if (
                not m.vague
                and not m.verb
                and m.plural
                and m.det == "bare"
                and (m.lex_type == "attack" or m.in_response)
                and (not m.sub or m.in_response)
                and not any(is_precise(c, a) for c, a in m.locs)
                and not (m.verb_head is not None and m.casualties)  # "Bandits killed 30 people in attacks"
            ):
                # "launching attacks on US bases in Syria", "in response to Israeli strikes on
                # southern Lebanon": several events, none placed, named in passing
                m.vague = True
                keep = False
            if (
                m.vague
                and m.aggregate
                and any(is_precise(c, a) for c, a in m.locs)
                and (m.dates or m.casualties)
                and not MANY.search(m.sent.text[max(0, m.start - 45) : m.start])
            ):
                # "a series of strikes on the outskirts of Baalbek on Monday": one place, so one
                # event for it (ACLED codes one event per location and day)
                m.vague = False
                keep = True
            if not keep:
                continue
            if m.weak and last_draft is not None and s.index - last_draft.last_sentence <= 2:
                # "Five people were killed ..." right after an event: more about that event
                last_draft.mentions.append(m)
                continue
            draft = resolve_mention(m, drafts)
            if draft is None:
                draft = Draft()
                drafts.append(draft)
            draft.mentions.append(m)
            last_draft = draft
    return _assemble_events(
        article, drafts, tops, resolver, placer, placing, [(s.start, s.end) for s in sents]
    )


def _assemble_events(
    article: Article,
    drafts: list[Draft],
    tops: Sequence[Toponym],
    resolver: Callable[..., tuple[dt.date | None, str | None, str]],
    placer: PlacerLike | None = None,
    placing: str = "rules-first",
    sentences: Sequence[tuple[int, int]] = (),
) -> list[Event]:
    events: list[Event] = []
    recalled: list[bool] = []  # per event: dated only by a phrase that looks back ("last month")
    dated: dict[int, tuple[dt.date, str]] = {}
    claimed = {
        id(c.toponym)
        for d in drafts
        for m in d.mentions
        for c, _a in m.locs
        if any(x.casualties or x.actor1 for x in d.mentions)
    }
    placed: list[tuple[Draft, list[EventLocation]]] = []  # earlier events and where they were
    for d in drafts:
        etype = d.etype
        ms = d.mentions
        notes: list[str] = []
        locs = rule_locations(d, article, tops, claimed, placed)
        fallback_only = all(
            x.location_reason.startswith(("no place named", "country named in the event's sentence"))
            for x in locs
        )
        if placer is not None and fallback_only and any(m.casualties or m.det != "def" for m in d.mentions):
            # the slot rules found no place at all: the placer may find one they could not read
            # ("killed eight persons at Gajigana, a remote village in ..."); a bare reference ("The
            # attack prompted ...") with nothing of its own stays unplaced, as under the rules
            locs = placer_locations(d, article.text or "", tops, placer) or locs
        elif (
            placer is not None
            and placing == "placer-first"
            and any(m.casualties or m.det != "def" for m in d.mentions)
        ):
            locs = placer_locations(d, article.text or "", tops, placer) or locs
        if placer is not None and placing == "refine":
            locs = refine_locations(
                d,
                article.text or "",
                tops,
                placer,
                locs,
                threshold=REFINE_THRESHOLD,
                after=REFINE_AFTER,
                sentences=sentences,
            )
        placed.append((d, locs))
        killed = [c.n for m in ms for c in m.casualties if c.kind == "killed"]
        injured = [c.n for m in ms for c in m.casualties if c.kind == "injured"]
        actor1 = next((m.actor1.name for m in ms if m.actor1 is not None), None)
        actor2 = next((m.actor2.name for m in ms if m.actor2 is not None), None)
        if not locs and not killed and not injured:
            continue  # nothing to code: neither where nor what it did
        # date: an explicit phrase (most precise first), else relative to another event, else the report
        date: dt.date | None = None
        prec: str | None = None
        unresolved: list[str] = []
        for m in ms:
            # "overnight into Sunday": the weekday says which night, so "overnight" comes last
            for dm in sorted(m.dates, key=lambda x: x.kind == "overnight"):
                if dm.kind == "rel_event":
                    continue
                dd, pp, note = resolver(dm, article.published)
                if dd is None:
                    unresolved.append(f"{dm.text!r}")
                elif prec is None or PREC_RANK[pp or "month"] < PREC_RANK[prec]:
                    date, prec = dd, pp
                    notes.append(f"date: {note}")
        if date is None:
            for m in ms:
                if m.rel_anchor is not None and id(m.rel_anchor) in dated:
                    rel = next(x for x in find_dates(m.sent.text) if x.kind == "rel_event")
                    dd, pp, note = resolve_phrase(rel, article.published, dated[id(m.rel_anchor)])
                    if dd is not None:
                        date, prec = dd, pp
                        notes.append(f"date: {note}")
                        break
        if date is None and article.published is not None:
            date, prec = article.published, "week"
            notes.append("date: no date phrase; coded to the report date (week precision)")
        if date is None and unresolved:
            # no article date: the phrase is kept, the date stays null (never today)
            notes.append(f"date: {', '.join(unresolved)} unresolved (no article date)")
        if date is not None and prec is not None:
            dated[id(d)] = (date, prec)
        sub = (
            next((weapon_sub(m, etype) for m in ms if m.sub), None)
            or next((s for s in (weapon_sub(m, etype) for m in ms) if s not in {"strike", "attack"}), None)
            or ("strike" if etype == "strike" else "attack")
        )
        if sub in {"IED", "attack"} and (
            any(m.sub == "suicide bomb" for m in ms) or any(SUICIDE_CUE.search(m.sent.text) for m in ms)
        ):
            sub = "suicide bomb"  # a blast later said to be a suicide bombing
        scored = next((m for m in ms if m.reason.startswith("p=")), None)
        if scored is not None:
            notes.insert(0, f"mention: {scored.reason}")
        evidence: list[str] = []
        for m in ms:
            if m.sent.text not in evidence:
                evidence.append(m.sent.text)
        ev = Event(
            event_id="",
            event_type=etype,
            sub_event_type=sub,
            actor1=actor1,
            actor2=actor2,
            event_date=date,
            date_precision=prec,
            locations=tuple(locs),
            killed=_lead_figure(ms, "killed"),
            injured=_lead_figure(ms, "injured"),
            evidence=tuple(evidence),
            source_ids=(article.id,),
            source_urls=(article.url or "",),
            source_titles=(article.title or "",),
            source_names=(article.source or "",),
            notes="; ".join(notes),
        )
        events.append(with_id(ev))
        recalled.append(_recalled(ms))
    if len(events) > 1 and not recalled[0]:
        # "... blamed for the drone attack that killed three U.S. soldiers in Jordan last month":
        # an earlier event recalled in a report about a new one is its background
        events = [e for e, old in zip(events, recalled, strict=True) if not old]
    return _drop_background(events, article.published)


# Date phrases that look back from the report's main event: the event they date is background.
_LOOK_BACK = {"last_month", "since", "month_year"}


def _recalled(ms: list[EventMention]) -> bool:
    """Whether an event's only date phrases look back ("last month", "weeks ago", "in October")."""
    kinds = {
        d.kind
        for m in ms
        for d in m.dates
        if not d.reporting and (d.kind != "ago" or (d.group("unit") or "").startswith("week"))
    }
    kinds = {"last_month" if k == "ago" else k for k in kinds}
    return bool(kinds) and kinds <= _LOOK_BACK


def _lead_figure(ms: list[EventMention], kind: str) -> int | None:
    """Return the figure of the event's first sentence that gives one (its lowest there).

    "... killing at least 50 people. Locals said the insurgents had earlier killed 30": the lead
    figure is the event's; a later sentence's figure may be another event's or part of it.
    """
    for own in (True, False):
        for m in ms:
            later = {id(c) for c in m.later}
            figures = [c.n for c in m.casualties if c.kind == kind and (id(c) in later) != own]
            if figures:
                return lowest(figures)
    return None


def _attach_later(m: EventMention, cas: list[CasualtyMatch]) -> None:
    """Add figures of a later sentence without a mention ('The casualties included ... 25 injured')."""
    m.casualties.extend(cas)
    m.later.extend(cas)


def _drop_background(events: list[Event], published: dt.date | None) -> list[Event]:
    """Drop events recalled as background in a report about a recent one.

    "... after the Palestinian group's Oct. 7 attack on southern Israel" in a March report is the
    story's context, not what it reports: an event dated (by its own phrase, day or month
    precision) more than 30 days before the article is dropped when the article also reports an
    event within the last 7 days. Reports about an old event (no recent one) keep it.
    """
    if published is None or len(events) < 2:
        return events

    def age(e: Event) -> int | None:
        return (published - e.event_date).days if e.event_date is not None else None

    recent = any((a := age(e)) is not None and 0 <= a <= 7 for e in events)
    if not recent:
        return events
    return [
        e
        for e in events
        if not ((a := age(e)) is not None and a > 30 and e.date_precision in {"day", "month"})
    ]
