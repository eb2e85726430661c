"""Cue phrases the placing features read: prepositions, object gaps, origins, appositives, datelines.

The vocabulary of :mod:`geoevents.events.placing_features`, kept apart so the feature code reads as
features. Every pattern was written against the training part of the placing data
(``benchmarks/train_placer.py``); the model decides how much each one counts.
"""

from __future__ import annotations

import re

DIRECTION_OF = re.compile(
    r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|northeast|northwest|southeast|southwest)\s+of\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
NEAR = re.compile(
    r"\b(?:near|nearby|outside(?:\s+of)?|around|close\s+to|outskirts\s+of|vicinity\s+of|off)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
FILLER = (
    r"(?:the|a|an|its|their|his|her|central|[a-z-]*ern|restive|city|town|village|province|district|region|"
    r"capital|area|of|,)"
)
PREP_BEFORE = re.compile(
    r"\b(in|inside|across|within|throughout|at|on|against|from|to|into|towards?)\s+(?:"
    + FILLER
    + r"\s+){0,3}$",
    re.IGNORECASE,
)
PREP_GROUP = {
    "in": "prep_in",
    "inside": "prep_in",
    "across": "prep_in",
    "within": "prep_in",
    "throughout": "prep_in",
    "at": "prep_at",
    "on": "prep_on",
    "against": "prep_on",
    "from": "prep_from",
    "to": "prep_to",
    "into": "prep_to",
    "toward": "prep_to",
    "towards": "prep_to",
}
OF_SITE = re.compile(
    r"\b(?:city|cities|towns?|villages?|provinces?|districts?|governorates?|regions?|areas?|neighbou?rhoods?|"
    r"suburbs?|camps?|port|capital|outskirts|stronghold|state|county|municipality|settlement)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# trigger ... place with only objects, determiners and prepositions between: "struck the village of X",
# "attack on X", "dropped six bombs on the village of X", "shelled X"
OBJECT_GAP = re.compile(
    r"^(?:\s+(?:on|upon|against|at|in|into|of|targeting|near|the|a|an|its|their|several|two|three|four|five|six|"
    r"seven|eight|nine|ten|\d+|[a-z][\w-]*(?:s|ed)?))*?\s+(?:(?:on|upon|against|at|in|into|of|targeting)\s+)?"
    r"(?:the\s+)?(?:(?:[a-z][\w-]*\s+){0,2}(?:of\s+)?)?$"
)
MODIFIER_GAP = re.compile(r"^(?:['’]s)?\s+(?:[a-z][\w-]*\s+){0,2}$")
CLAUSE_BREAK = re.compile(
    r",\s+(?:stating|saying|calling|accusing|adding|claiming|according|while|whereas|although|but|urging|"
    r"warning|noting|which|who|where)\b|[;:]|\b(?:said|says|stated|told)\b",
    re.IGNORECASE,
)
GOV_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:government|officials?|authorities|ministry|president|parliament|said|says|has|have|had|"
    r"is|was|will|would|condemned|accused|denied|warned|called|announced|forces|troops|army|military)\b",
    re.IGNORECASE,
)
POLITICAL = re.compile(
    r"\b(?:situation|politics|government|ambassador|envoy|relations?|talks|negotiations|presence|deployed|"
    r"stationed|war|conflict|campaign|interests|policy|meeting|summit|visit|trip|election|protests?|support|"
    r"aid|embassy|ministry|crisis|tensions?|ties|cooperation|peace|influence|ceasefire|truce|deal)\s+"
    r"(?:\w+\s+){0,1}(?:in|with|on|to|of|from|at|against|into)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
ORIGIN_AFTER = re.compile(
    r"^(?:-|\s)(?:backed|based|led|aligned|linked|sponsored|supported|born)\b", re.IGNORECASE
)
ORIGIN_BEFORE = re.compile(
    r"\b(?:based\s+in|from|fled|returned\s+to|launched\s+from|fired\s+from|originat\w+\s+(?:in|from)|"
    r"citizens?\s+of|native\s+of|nationals?\s+of)\s+(?:the\s+)?(?:neighbou?ring\s+)?$",
    re.IGNORECASE,
)
APPOSITIVE = re.compile(
    r"^\s*,\s+(?:a|an|the)\s+(?:[\w.'’-]+\s+){0,3}(?:town|village|city|district|neighbou?rhood|suburb|camp|base|"
    r"outpost|area|settlement|locality|hamlet|community|region|port|site)\b",
    re.IGNORECASE,
)
CONTAINER_GAP = re.compile(
    r"^(?:\s+(?:city|town|village|district|area|camp|neighbou?rhood))?\s*(?:,\s*|\s+in\s+(?:the\s+)?"
    r"(?:[a-z][\w-]*\s+){0,2}|\s+of\s+(?:the\s+)?)(?:(?:[a-z][\w-]*\s+){0,2})?$"
)
SITE_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:air\s?base|airbase|airfield|airport|base|military\s+base|camp|port|checkpoint|"
    r"compound|barracks|outpost|refugee\s+camp|mosque|market|hospital|school|bridge)\b",
    re.IGNORECASE,
)
AREA_AFTER = re.compile(
    r"^\s*(?:regions?|areas?|districts?|outskirts|countryside|suburbs?|mountains|desert|province|governorate|"
    r"valley|state|county)\b",
    re.IGNORECASE,
)
DATELINE = re.compile(
    r"^\s*[\w .,'’-]{0,40}\(\s*(?:AP|AFP|Reuters|Xinhua|IANS|ANI|PTI|dpa|UPI)\s*\)"
    r"|^\s*[\w .,'’-]{0,30}\s[-–—]{1,2}\s"
)
WORD = re.compile(r"\w+")
# words one of which each pattern needs (checked before running it)
NEAR_WORDS = ("near", "outside", "around", "close", "outskirts", "vicinity", "off")
ORIGIN_WORDS = (
    "based",
    "from",
    "fled",
    "returned",
    "launched",
    "fired",
    "originat",
    "citizen",
    "native",
    "national",
)
POLITICAL_PREPS = frozenset({"in", "with", "on", "to", "of", "from", "at", "against", "into"})
