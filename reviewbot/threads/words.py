"""Words of a learner's statement, normalised for matching (pure).

Contractions spelled out ("isn't" is "is not"), simple plural and tense endings
dropped, negation words kept whole, and one-letter typos in longer words forgiven.
Used by the offline verdict (reviewbot.threads.verdict) and its paraphrase matching
(reviewbot.threads.paraphrase).
"""

from __future__ import annotations

import re

_CONTRACTIONS = (
    (r"\bcan'?t\b", "can not"), (r"\bwon'?t\b", "will not"), (r"\b(\w+)n't\b", r"\1 not"),
    (r"\b(do|does|did|is|are|was|were|has|have|should|would|could)nt\b", r"\1 not"),
    (r"\b(it|that|there|what|he|she)'s\b", r"\1 is"), (r"\bi'm\b", "i am"), (r"\b(\w+)'re\b", r"\1 are"),
    (r"\b(\w+)'ll\b", r"\1 will"), (r"\b(\w+)'d\b", r"\1 would"), (r"\bits\b", "it is"),
)
NEGATIONS = frozenset({"not", "no", "never", "nobody", "nothing", "neither", "nor", "cannot"})
_SIBILANT_ES = ("ses", "xes", "zes", "ches", "shes")
_TOKEN = re.compile(r"[a-z0-9_]+|[^\sa-z0-9_]+")
_PUNCT_ONLY = re.compile(r"^(?:[,.;:!?'\"`()]+|[-–—])$")


def normalise(text: str) -> str:
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    for pattern, replacement in _CONTRACTIONS:
        lowered = re.sub(pattern, replacement, lowered)
    return lowered


def tokens(text: str) -> tuple[str, ...]:
    """Words and operator runs, with punctuation-only tokens dropped and endings simplified."""
    return tuple(_stem(t) for t in _TOKEN.findall(text) if not _PUNCT_ONLY.match(t))


def _stem(token: str) -> str:
    if not token.isalpha() or len(token) <= 4 or token in NEGATIONS:
        return token  # "nothing" stays a negation; nothing else may stem into one ("notes" is not "not")
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if suffix == "es" and not token.endswith(_SIBILANT_ES):
            continue  # "quotes" is "quote" + s, not "quot" + es; "passes" and "matches" lose "es"
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            stemmed = token[: len(token) - len(suffix)] + replacement
            return token if stemmed in NEGATIONS else stemmed
    return token


def same_word(cue_word: str, word: str) -> bool:
    if cue_word == word:
        return True
    if not (cue_word.isalpha() and word.isalpha()) or min(len(cue_word), len(word)) < 5:
        return False
    return _within_one_edit(cue_word, word)


def _within_one_edit(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours turns `a` into `b`."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) <= 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
