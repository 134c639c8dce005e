"""VADER's reading of a text: the library's own scores, in about half its time.

empathykit reads every customer turn with VADER (``vaderSentiment``'s
``SentimentIntensityAnalyzer``), the largest single cost of scoring. Much of VADER's time
goes to steps whose outcome is known before they run. :class:`FastVader` skips or narrows
four of them and leaves every rule to the library:

- **Emoji.** VADER walks the text a character at a time in Python to replace emoji with
  their descriptions. A text with no emoji character (most of them) comes out of that
  walk as itself, so only its ``strip()`` is kept; in the others, ``str.translate``
  puts each description in, with the same words around it.
- **Words VADER gives no valence.** Every word goes through ``sentiment_valence``, which
  gives 0 to a word that is not in the lexicon, and the word loop gives 0 to boosters
  and to "kind" in "kind of" before asking it. Only the other lexicon words are sent to
  it here; the rest get the same 0.
- **Negation check.** For each of up to three words before a lexicon word, the library
  lower-cases every word of the text and builds a list of its sixty negation words. Here
  the same rules read the (at most three) words they need and test them against a set.
- **Idiom check.** The library lower-cases every word of the text; here it is given the
  seven-word window round the word that it reads.

The scores are the library's: equal, not close (checked on every turn of the data sets
the project is measured on, and by property-based tests against the library's own
analyser in ``tests/test_vader.py``). The overrides follow vaderSentiment 3.3.2's code:
with any other version :func:`analyser` returns the library's analyser unchanged.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    N_SCALAR,
    NEGATE,
    SentimentIntensityAnalyzer,
    SentiText,
)

__all__ = ["CHECKED_VERSION", "FastVader", "analyser"]

CHECKED_VERSION = "3.3.2"
"""The vaderSentiment release whose code :class:`FastVader`'s overrides follow."""

_NEGATIONS = frozenset(NEGATE)


def _negated(word: str) -> bool:
    """VADER's ``negated([word])`` for one lower-case word."""
    return word in _NEGATIONS or "n't" in word


class FastVader(SentimentIntensityAnalyzer):  # type: ignore[misc]  # the library is untyped
    """``SentimentIntensityAnalyzer`` with the same scores, computed faster (see the module).

    Its ``lexicon`` may be changed after it is made, as the library's may; its emoji
    characters, and vaderSentiment's module-level negation list and negation factor, are
    read when it is made and when this module is imported.
    """

    def __init__(self) -> None:
        super().__init__()
        # VADER's emoji walk looks up one character at a time, so only one-character
        # keys can ever match.
        self._emoji_chars = frozenset(key for key in self.emojis if len(key) == 1)
        # Each emoji character → a space and its description. The walk puts the space
        # only where the character before is not one, but VADER reads the text only as
        # its white-space-separated words and its count of "!" and "?", which another
        # space does not change.
        self._emoji_table = {ord(char): " " + self.emojis[char] for char in self._emoji_chars}

    def polarity_scores(self, text: object) -> dict[str, float]:
        if not isinstance(text, str):  # the library reads str(text)
            return super().polarity_scores(text)  # type: ignore[no-any-return]
        if not self._emoji_chars.isdisjoint(text):
            text = text.translate(self._emoji_table)
        text = text.strip()
        sentitext = SentiText(text)
        words: list[str] = sentitext.words_and_emoticons
        lowers = [word.lower() for word in words]
        lexicon = self.lexicon
        last = len(words) - 1
        sentiments: list[float] = []
        for i, lower in enumerate(lowers):
            if (
                lower in lexicon
                and lower not in BOOSTER_DICT
                and not (lower == "kind" and i < last and lowers[i + 1] == "of")
            ):
                self.sentiment_valence(0, sentitext, words[i], i, sentiments)  # appends
            else:
                sentiments.append(0)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)  # type: ignore[no-any-return]

    @staticmethod
    def _negation_check(valence: float, words: list[str], start_i: int, i: int) -> float:
        # The library's rules, reading only the words they compare.
        if start_i == 0:
            if _negated(words[i - 1].lower()):
                valence = valence * N_SCALAR
        elif start_i == 1:
            two, one = words[i - 2].lower(), words[i - 1].lower()
            if two == "never" and (one == "so" or one == "this"):
                valence = valence * 1.25
            elif two == "without" and one == "doubt":
                pass
            elif _negated(two):
                valence = valence * N_SCALAR
        elif start_i == 2:
            three, two, one = words[i - 3].lower(), words[i - 2].lower(), words[i - 1].lower()
            if (three == "never" and (two == "so" or two == "this")) or (
                one == "so" or one == "this"
            ):
                valence = valence * 1.25
            elif three == "without" and (two == "doubt" or one == "doubt"):
                pass
            elif _negated(three):
                valence = valence * N_SCALAR
        return valence

    @staticmethod
    def _special_idioms_check(valence: float, words: list[str], i: int) -> float:
        if i < 3:  # the library reads words[i - 3], which would wrap round: leave it be
            return SentimentIntensityAnalyzer._special_idioms_check(  # type: ignore[no-any-return]
                valence, words, i
            )
        # It reads words i - 3 to i + 2, and compares i with the length only to know
        # whether words i + 1 and i + 2 exist, which the window preserves.
        return SentimentIntensityAnalyzer._special_idioms_check(  # type: ignore[no-any-return]
            valence, words[i - 3 : i + 3], 3
        )


def analyser() -> Any:
    """A new VADER analyser: :class:`FastVader` on the checked release, else the library's."""
    try:
        installed = version("vaderSentiment")
    except PackageNotFoundError:
        installed = None
    if installed == CHECKED_VERSION:
        return FastVader()
    return SentimentIntensityAnalyzer()
