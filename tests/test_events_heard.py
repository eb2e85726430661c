"""A blast only witnesses 'heard' after a reported strike is that strike, not a second (IED) event.

The sub-type of an unexplained blast becomes "IED" (ACLED's rule) only after every check that
reads the word "explosion" has run; the 'heard' check used to see "IED" and never fire.
"""

from __future__ import annotations

import datetime as dt

from test_events_issue12 import places, run


def test_explosions_heard_in_one_city_are_not_an_ied() -> None:
    text = (
        "The United States and Britain struck Houthi targets in Sanaa and Hodeidah on Friday. "
        "Explosions were heard in Hodeidah."
    )
    events = run(text, dt.date(2024, 1, 12))
    assert all(e.event_type == "strike" for e in events)
    assert not any(e.sub_event_type == "IED" for e in events)
    assert places(events[0]) == ["Sanaa", "Hodeidah"]


def test_an_explosion_reported_alone_is_still_an_ied() -> None:
    (e,) = run("An explosion killed three people at a market in Kano on Tuesday.", dt.date(2024, 1, 12))
    assert (e.event_type, e.sub_event_type, e.killed) == ("attack", "IED", 3)
