"""What a reply in a thread asks for: a table of patterns, checked in order.

Short replies ("why?", "but why does that matter", "simpler", "example",
"got it", "example in my code") are matched on their last clause after common filler
words are dropped; "and?", "more" and "go on" continue down the chain; statements to
assess start with "check:", "my understanding is" or "I think".
A reply of only thanks/ok is an acknowledgement; anything else is a
question answered in the thread's context.
"""

from __future__ import annotations

import re
from enum import Enum

from reviewbot.threads.markers import strip_hidden


class Intent(str, Enum):
    WHY = "why"
    SIMPLER = "simpler"
    EXAMPLE = "example"
    EXAMPLE_HERE = "example-here"  # an example built from the code under review
    CHECK = "check"
    GOT_IT = "got-it"
    ACK = "ack"  # only thanks / ok: nothing to answer
    ANSWER = "answer"  # a reply to the probe the tutor asked (decided by the thread's state)
    QUESTION = "question"


# Statements to assess: matched on the text itself (case kept for the argument).
_CHECK_PREFIXES = (
    r"check\s*[:\-]",
    r"(?:so\s+)?my understanding is(?:\s+that)?\s*[:,\-]?",
    r"(?:so\s+)?if i understand (?:it |this )?(?:correctly|right)\s*[:,\-]?",
    r"(?:do i understand (?:it |this )?(?:correctly|right)|is it right)(?:\s+that)?\s*[:,\-]?",
    r"in my own words\s*[:,\-]?",
    r"(?:(?:ok(?:ay)?|so|hmm+|well|right)[,\s]+)*i (?:think|believe|guess|reckon)(?:\s+that)?\s*[:,\-]?",
    r"(?:(?:ok(?:ay)?|so|hmm+)[,\s]+)*(?:so\s+)?basically\s*[:,\-]?",
)
_CHECK = re.compile(r"^(?:" + "|".join(_CHECK_PREFIXES) + r")\s*(?P<arg>\S.*)$", re.IGNORECASE | re.DOTALL)

# Short replies: full matches on one normalized clause, first match wins.
_WHY_TAIL = (
    r"though|so|not|exactly|is that|is that so|is it|is this"
    r"|(?:does|would) (?:that|this|it) matter|is (?:that|this|it) (?:important|bad|a problem|needed)"
)
_TABLE: tuple[tuple[Intent, str], ...] = (
    (Intent.WHY, r"why(?: (?:" + _WHY_TAIL + r"))?(?: #?(?P<arg>\d+))?"),
    (Intent.WHY, r"how come|go deeper|deeper|one (?:layer|level) deeper|and below that"),
    (Intent.WHY, r"what does (?:that|this|it) (?:rest|build|depend) on"),
    (Intent.WHY, r"(?:tell me )?more|go on|keep going|continue|then what|what else|what next"),
    (Intent.EXAMPLE_HERE, (r"(?:(?:can|could) you )?(?:(?:give|show|make|build) (?:me )?)?(?:an? |the )?"
                           r"(?:examples?|it|that|this) (?:in|from|with|using|for) (?:my|our|this|the) "
                           r"(?:own )?(?:code|change|function|file|diff|pr|pull request)")),
    (Intent.SIMPLER, r"(?:(?:make|say|explain) (?:it |that |this )?)?simpler"),
    (Intent.SIMPLER, r"explain (?:it |that |this )?like i'?m (?:12|twelve|5|five|a kid)"),
    (Intent.SIMPLER, r"eli ?(?:12|5)|in plain (?:english|words)|too (?:complicated|abstract)"),
    (Intent.SIMPLER, r"i (?:still )?(?:don'?t|do not) (?:get|understand) (?:it|that|this)"),
    (Intent.EXAMPLE, (r"(?:(?:can|could) you )?(?:(?:give|show) (?:me )?)?(?:an? )?"
                      r"(?:concrete |small |quick |code )?examples?(?: (?:in|with) \w+)?")),
    (Intent.EXAMPLE, r"show me|for example|eg"),
    (Intent.GOT_IT, r"got it|gotcha|(?:that |it |this )?makes sense|(?:it |that |this )?click(?:ed)?"),
    (Intent.GOT_IT, r"understood|i understand|i see(?: why)?|i get it|i got it|aha+|learned something"),
)
_COMPILED = tuple((intent, re.compile(pattern)) for intent, pattern in _TABLE)
# "and?", "more", "go on": keep going (matched before fillers such as "and" are dropped).
_CONTINUE = re.compile(r"(?:and|and then|and so|so|more|tell me more|go on|keep going|continue|then what"
                       r"|what else|next|and next|what next|and below)")

_FILLER = (
    r"ok(?:ay)?|ah+|oh+|hmm+|so|right|but|and|thanks|thank you|thx|great|cool|nice"
    r"|yes|yeah|yep|sure|well|please|now|then|again|here|reviewbot"
)
_LEADING_FILLER = re.compile(r"^(?:(?:" + _FILLER + r")(?: |$))+")
_TRAILING_FILLER = re.compile(r"(?:(?:^| )(?:" + _FILLER + r"))+$")
_MAX_SHORT_WORDS = 8


def classify(text: str) -> tuple[Intent, str]:
    """The intent of one reply and its argument (statement, option or question)."""
    visible = _visible_text(text)
    check = _CHECK.match(visible)
    if check:
        return Intent.CHECK, check.group("arg").strip()
    if len(_normalize(visible).split()) > _MAX_SHORT_WORDS:
        return Intent.QUESTION, visible
    if _CONTINUE.fullmatch(" ".join(re.sub(r"[^a-z ]+", " ", visible.lower()).split())):
        return Intent.WHY, ""
    clauses = _clauses(visible)
    if not clauses:
        return (Intent.ACK, "") if visible else (Intent.QUESTION, "")
    return _match_short(clauses[-1]) or (Intent.QUESTION, visible)


def _visible_text(text: str) -> str:
    """The author's own words: no hidden comments, quoted lines or leading @mentions."""
    lines = [line for line in strip_hidden(text).splitlines() if not line.lstrip().startswith(">")]
    joined = "\n".join(lines).strip()
    return re.sub(r"^(?:@[\w\-\[\]]+[\s,:]*)+", "", joined).strip()


def _clauses(text: str) -> list[str]:
    """Normalized clauses that still say something after fillers are dropped."""
    parts = (_normalize(part) for part in re.split(r"[,.;!?\n]+|\s-\s", text))
    return [part for part in parts if part]


def _normalize(text: str) -> str:
    lowered = text.lower().replace("’", "'")
    words = re.sub(r"[^a-z0-9#' ]+", " ", lowered)
    collapsed = " ".join(words.split())
    return _TRAILING_FILLER.sub("", _LEADING_FILLER.sub("", collapsed)).strip()


def _match_short(clause: str) -> tuple[Intent, str] | None:
    for intent, pattern in _COMPILED:
        match = pattern.fullmatch(clause)
        if match:
            return intent, (match.groupdict().get("arg") or "")
    return None
