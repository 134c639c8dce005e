"""Per-turn text analysis, done once per conversation and shared by every scorer.

For every turn: tokens with character spans, sentences, negation cues, and content-word
stems. For customer turns also: VADER sentiment, tone cues (ALL-CAPS words, runs of
``!`` and ``?``) and the signals that make a turn an *opportunity* for the agent (a
reported problem, a negative or positive feeling, a request for help, specific details).

VADER is read on customer turns only: it scores textbook agent empathy ("I'm so sorry
about this problem") as negative, so it says something about the customer, not the agent.
It is read through :mod:`empathykit._vader`, which gives the library's scores faster.

Nothing here downloads anything: NLTK's regular-expression tokenizer, Snowball stemmer
and negation list need no data files, and the stop-word and cue lists ship in
``empathykit/lexicons``. This module is imported on the first scoring call, not by
``import empathykit``, because importing NLTK takes about a second.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any

import attrs
from nltk.sentiment.util import NEGATION_RE
from nltk.stem.snowball import SnowballStemmer

from ._conversation import Conversation, Role
from ._keys import text_keys
from ._lexicon import _EXTRA_CASES, CueSet, cues_from_tables, load_lexicon, load_word_list
from ._vader import analyser

__all__ = [
    "ConversationAnalysis",
    "CustomerSignals",
    "Sentiment",
    "Signal",
    "Tone",
    "TurnAnalysis",
    "analyse",
]

# URLs, @mentions and #tags, numbers with inner separators, words with inner
# apostrophes, then any other single non-space character (punctuation, emoji).
_TOKEN_PATTERN = r"https?://\S+|www\.\S+|[@#][^\W_]\w*|\d+(?:[.,:/-]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|\w+|[^\w\s]"
# NLTK's RegexpTokenizer would run this same pattern through a wrapper that costs a
# quarter of the analysis time; the pattern is applied directly instead.
_TOKEN_RE = re.compile(_TOKEN_PATTERN)
# A sentence ends at . ! ? … (with closing quotes or brackets) before white space, or at
# a line break. A run of end marks is matched from its first mark only, and possessively,
# so a long run with no space after it ("!!!…!x") costs linear time, not quadratic.
# (The first mark is matched before the look-behind that checks it starts the run, so
# that the engine can skip ahead to the next mark instead of trying every character.)
_SENTENCE_END_RE = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[\"'’”)\]]*+(?=\s)|\n")
_CLAUSE_PUNCT = frozenset(",;:.!?…()\n—–")
_STEMMER = SnowballStemmer("english")
_CAPS_WORD_RE = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]{2,}(?!\w)")  # first letter first, as above
_REPEAT_PUNCT_RE = re.compile(r"[!?]{2,}")
_QUESTION_FORM_RE = re.compile(
    r"(?:(?:so|and|but|ok|okay|well|hi|hey)[,\s]+)?(?:(?:what|when|where|which|who|whom|whose|why|how)\b"
    r"|(?:is|are|was|were|do|does|did|have|has|had|can|could|would|will|should|may|might)"
    r"(?:n't|n’t)?\s+(?:you|u|he|she|it|they|there|that|this|your|his|her|their|i|we)\b)",
    re.IGNORECASE,
)
_SPECIFIC_TOKEN_RE = re.compile(r"\d|^[@#]")
# The letters beyond ASCII that IGNORECASE matches with a letter other than their own
# lower case ("ı" and "i", "ſ" and "s", "µ" and "μ"), from Python's own table.
_CASE_PAIRED = frozenset(
    chr(c) for code, others in _EXTRA_CASES.items() for c in (code, *others) if c > 0x7F
)

#: Longest text VADER reads in one piece. VADER's time grows with the square of a text's
#: length (it lower-cases every word again for each word), so a longer customer turn is
#: read in pieces of at most this many characters, cut at white space, and the pieces'
#: scores are averaged, weighted by length: linear time whatever the length.
SENTIMENT_CHUNK = 1000
#: How many tokens before a cue a negation may stand and still negate it.
NEGATION_WINDOW = 3
#: A customer turn with at least this many content words has "specific details".
SPECIFIC_MIN_CONTENT_WORDS = 3


#: Words whose Snowball stem would merge them with an unrelated common word: "customs"
#: would be "custom", like "customer"; "evening" would be "even". Each keeps a stem of
#: its own, so echoing one is not mistaken for the other (and a generic word's stem does
#: not swallow it).
STEM_EXCEPTIONS = {"customs": "customs", "evening": "evening", "evenings": "evening"}
#: Number words and the digits they stand for: "twelve years" echoes "12 years". ("one"
#: is left out: "the one I ordered", "one of them" are seldom a count.)
NUMBER_WORDS = {
    "zero": "0",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a lower-case word (cached: common words repeat), except for a few
    words whose stem would merge them with an unrelated word ("customs" stays "customs",
    not "custom" like "customer") and number words, which stand for their digits
    ("twelve" is "12"; "one" is left as it is)."""
    return STEM_EXCEPTIONS.get(word) or NUMBER_WORDS.get(word) or str(_STEMMER.stem(word))


#: Most token spellings the token cache holds before it starts again.
TOKEN_CACHE_SIZE = 131072

_TokenInfo = tuple[str, bool, str | None]


class _TokenCache(dict[str, _TokenInfo]):
    """Token spelling → :func:`_token_info`, filled on demand: a plain dict lookup, the
    cheapest there is, for the most repeated step of the analysis. Emptied when full."""

    def __missing__(self, raw: str) -> _TokenInfo:
        if len(self) >= TOKEN_CACHE_SIZE:
            self.clear()
        info = self[raw] = _token_info(raw)
        return info


_TOKEN_CACHE = _TokenCache()


def _token_info(raw: str) -> _TokenInfo:
    """(normalised token, is it a negation, its stem if it is a content word)."""
    token = raw.lower().replace("’", "'")
    negation = bool(NEGATION_RE.search(token))
    content = (
        token not in _stopwords()
        and (token[0].isalnum() or token[0] in "@#")
        and not token.startswith(("http", "www."))
    )
    return token, negation, stem(token) if content else None


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return load_word_list("stopwords")


@lru_cache(maxsize=1)
def _vader() -> Any:
    return analyser()


@lru_cache(maxsize=1)
def customer_cues() -> CueSet:
    """The compiled customer-signal lexicon (problem, feelings, help requests)."""
    data = load_lexicon("customer")
    return cues_from_tables(
        "customer", data["signals"], {}, where="lexicons/customer.toml", trusted=True
    )


@attrs.frozen(kw_only=True)
class Sentiment:
    """VADER's reading of one customer turn (each in [-1, 1] or [0, 1])."""

    compound: float
    positive: float
    negative: float
    neutral: float


@attrs.frozen(kw_only=True)
class Tone:
    """Surface signs of a raised voice in a customer turn."""

    caps_words: int
    repeated_punctuation: int

    @property
    def raised(self) -> bool:
        """True when the customer shouts (two ALL-CAPS words, or a ``!!``/``?!`` run)."""
        return self.caps_words >= 2 or self.repeated_punctuation >= 1


@attrs.frozen(kw_only=True)
class Signal:
    """A span of a customer turn that makes it an opportunity (e.g. ``customer.problem``)."""

    kind: str
    start: int
    end: int


@attrs.frozen(kw_only=True)
class CustomerSignals:
    """What a customer turn asks of the agent."""

    problem: bool
    negative_feeling: bool
    positive_feeling: bool
    help_request: bool
    specific: bool
    spans: tuple[Signal, ...] = ()


@attrs.frozen(kw_only=True)
class TurnAnalysis:
    """The shared analysis of one turn. Spans index into :attr:`text`.

    Attributes:
        index: Position of the turn in the conversation.
        role: Who spoke it.
        text: The turn's text, unchanged.
        tokens: Every token, lower-cased, with curly apostrophes made straight.
        negations: Indices of tokens that negate ("not", "never", "can't").
        content: Indices of content tokens (not stop words, not punctuation).
        stems: Snowball stems of the content tokens, aligned with :attr:`content`;
            number words stand as digits ("twelve" is "12").
        sentiment: VADER scores, for customer turns only.
        tone: ALL-CAPS and repeated-punctuation counts, for customer turns only.
        signals: What makes the turn an opportunity, for customer turns only.
    """

    index: int
    role: Role
    text: str
    tokens: tuple[str, ...]
    negations: tuple[int, ...]
    content: tuple[int, ...]
    stems: tuple[str, ...]
    sentiment: Sentiment | None = None
    tone: Tone | None = None
    signals: CustomerSignals | None = None

    @cached_property
    def token_spans(self) -> tuple[tuple[int, int], ...]:
        """``(start, end)`` of every token, aligned with :attr:`tokens` (computed on first use)."""
        return tuple(match.span() for match in _TOKEN_RE.finditer(self.text))

    @cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """``(start, end)`` of every sentence, white space trimmed (computed on first use)."""
        return _sentences(self.text)

    @cached_property
    def folded(self) -> str | None:
        """The text lower-cased, when cues match it as they match the text (else ``None``)."""
        return _folded(self.text)

    @cached_property
    def keys(self) -> frozenset[str] | None:
        """The keys of :attr:`folded`, to skip cues it cannot match (see ``Cue.finditer``)."""
        return None if self.folded is None else text_keys(self.folded)

    @cached_property
    def _token_starts(self) -> tuple[int, ...]:
        return tuple(map(itemgetter(0), self.token_spans))

    @cached_property
    def _sentence_starts(self) -> tuple[int, ...]:
        return tuple(start for start, _ in self.sentences)

    def token_at(self, offset: int) -> int:
        """Index of the token that starts at or before character ``offset`` (or -1)."""
        return bisect_right(self._token_starts, offset) - 1

    def is_negated(self, start: int, window: int = NEGATION_WINDOW) -> bool:
        """True when a negation stands within ``window`` tokens before ``start``.

        The look-back stops at clause punctuation (and a hyphen with a space before it,
        used as a dash), so in "I can't log in, sorry" the "can't" does not negate "sorry".
        """
        if not self.negations:
            return False
        first = self.token_at(start)
        if self.token_spans and first >= 0 and self.token_spans[first][0] == start:
            first -= 1
        for index in range(first, max(first - window, -1), -1):
            if index < 0:
                break
            token = self.tokens[index]
            if token in _CLAUSE_PUNCT:
                return False
            if (
                token == "-"
                and self.text[self.token_spans[index][0] - 1 : self.token_spans[index][0]].isspace()
            ):
                return False  # a spaced hyphen is a dash: "it didn't - I'm sorry"
            if index in self.negations:
                return True
        return False

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The ``(start, end)`` of the sentence containing ``offset``."""
        index = bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index][1]:
            return self.sentences[index]
        return 0, len(self.text)

    def questions(self) -> tuple[tuple[int, int], ...]:
        """Spans of the sentences that ask something.

        A sentence asks when it ends in a question mark, or when it has a question's
        form — a question word or an auxiliary then a pronoun ("was he your first love",
        "can you tell me more") — and no closing full stop or exclamation mark.
        """
        found = []
        for start, end in self.sentences:
            tail = self.text[max(start, end - 3) : end]
            if "?" in tail or (
                tail[-1:] not in (".", "!") and _QUESTION_FORM_RE.match(self.text, start, end)
            ):
                found.append((start, end))
        return tuple(found)


@attrs.frozen(kw_only=True)
class ConversationAnalysis:
    """The analysis of every turn of one conversation."""

    turns: tuple[TurnAnalysis, ...]

    @property
    def agent_turns(self) -> tuple[TurnAnalysis, ...]:
        return tuple(t for t in self.turns if t.role is Role.AGENT)

    @property
    def customer_turns(self) -> tuple[TurnAnalysis, ...]:
        return tuple(t for t in self.turns if t.role is Role.CUSTOMER)


def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        segment = text[s:e]
        left = len(segment) - len(segment.lstrip())
        right = len(segment.rstrip())
        if right > left:
            trimmed.append((s + left, s + right))
    return tuple(trimmed)


def _folded(text: str) -> str | None:
    """``text`` lower-cased, for cues to search without IGNORECASE, or ``None`` when that
    could find other matches: lower-casing changes its length (offsets would move), or it
    has a letter that IGNORECASE pairs with another one that lower-casing does not ("ı"
    with "i", "ſ" with "s": "apologıze" is "apologize" to IGNORECASE, not to "apologize")."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    if not lowered.isascii() and not _CASE_PAIRED.isdisjoint(lowered):
        return None  # (most texts are ASCII: one fast test instead of a set lookup per letter)
    return lowered


def _signals(
    text: str,
    content_count: int,
    infos: Sequence[tuple[str, bool, str | None]],
    sentiment: Sentiment,
    tone: Tone,
) -> CustomerSignals:
    spans: list[Signal] = []
    found: set[str] = set()
    folded = _folded(text)
    keys = None if folded is None else text_keys(folded)
    for cue, match in customer_cues().cue_matches(text, folded, keys):
        kind = cue.rule.removeprefix("customer.")
        spans.append(Signal(kind=kind, start=match.start(), end=match.end()))
        found.add(kind)
    negative_feeling = (
        "negative_feeling" in found
        or sentiment.compound <= -0.3
        or (tone.raised and sentiment.compound < 0)
    )
    problem = "problem" in found or (negative_feeling and sentiment.compound <= -0.5)
    positive = "positive_feeling" in found or sentiment.compound >= 0.5
    help_request = "help_request" in found
    specific = content_count >= SPECIFIC_MIN_CONTENT_WORDS or any(
        _SPECIFIC_TOKEN_RE.search(info[0]) for info in infos
    )
    positive_feeling = positive and not (problem or negative_feeling)
    if not spans:
        return _signals_without_spans(
            problem, negative_feeling, positive_feeling, help_request, specific
        )
    return CustomerSignals(
        problem=problem,
        negative_feeling=negative_feeling,
        positive_feeling=positive_feeling,
        help_request=help_request,
        specific=specific,
        spans=tuple(spans),
    )


def _pieces(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters, at white space if any."""
    pieces = []
    start = 0
    while len(text) - start > size:
        cut = max(text.rfind(" ", start, start + size), text.rfind("\n", start, start + size))
        end = cut + 1 if cut > start else start + size
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


# Frozen values that many customer turns share are made once and shared: a long
# conversation keeps every turn's analysis until it is scored, and each object it keeps
# is one more for the garbage collector's full collections to scan (in one 20,000-turn
# conversation, about 16,000 fewer objects, and 2 full collections instead of 3).


@lru_cache(maxsize=64)
def _tone(caps_words: int, repeated_punctuation: int) -> Tone:
    return Tone(caps_words=caps_words, repeated_punctuation=repeated_punctuation)


@lru_cache(maxsize=32)
def _signals_without_spans(
    problem: bool, negative: bool, positive: bool, help_request: bool, specific: bool
) -> CustomerSignals:
    return CustomerSignals(
        problem=problem,
        negative_feeling=negative,
        positive_feeling=positive,
        help_request=help_request,
        specific=specific,
    )


@lru_cache(maxsize=1024)
def _shared_sentiment(
    compound: float, positive: float, negative: float, neutral: float
) -> Sentiment:
    # VADER never gives -0.0 (its sums start from int 0), which would share 0.0's object.
    return Sentiment(compound=compound, positive=positive, negative=negative, neutral=neutral)


def tone_of(text: str) -> Tone:
    """The :class:`Tone` of a customer turn's text (its ALL-CAPS words and ``!!``/``?!`` runs)."""
    return _tone(len(_CAPS_WORD_RE.findall(text)), len(_REPEAT_PUNCT_RE.findall(text)))


def _sentiment(text: str) -> Sentiment:
    """VADER's reading of ``text``; longer than :data:`SENTIMENT_CHUNK`, read in pieces."""
    if len(text) <= SENTIMENT_CHUNK:
        scores = _vader().polarity_scores(text)
    else:
        scores = dict.fromkeys(("compound", "pos", "neg", "neu"), 0.0)
        for piece in _pieces(text, SENTIMENT_CHUNK):
            for key, value in _vader().polarity_scores(piece).items():
                scores[key] += float(value) * len(piece) / len(text)
    return _shared_sentiment(
        min(1.0, max(-1.0, float(scores["compound"]))),
        float(scores["pos"]),
        float(scores["neg"]),
        float(scores["neu"]),
    )


def analyse_turn(index: int, role: Role, text: str) -> TurnAnalysis:
    """Analyse one turn on its own (the context-free part of the analysis).

    Token spans and sentences are found when first asked for: most turns need neither.
    """
    infos = list(map(_TOKEN_CACHE.__getitem__, _TOKEN_RE.findall(text)))
    content = tuple(i for i, info in enumerate(infos) if info[2] is not None)
    sentiment = tone = signals = None
    if role is Role.CUSTOMER:
        sentiment = _sentiment(text)
        tone = tone_of(text)
        signals = _signals(text, len(content), infos, sentiment, tone)
    return TurnAnalysis(
        index=index,
        role=role,
        text=text,
        tokens=tuple([info[0] for info in infos]),
        negations=tuple([i for i, info in enumerate(infos) if info[1]]),
        content=content,
        stems=tuple([infos[i][2] for i in content]),  # type: ignore[misc]
        sentiment=sentiment,
        tone=tone,
        signals=signals,
    )


def analyse(conversation: Conversation) -> ConversationAnalysis:
    """Analyse every turn of ``conversation``.

    Prefer ``conversation.analysis``, which calls this once and keeps the result.
    """
    return ConversationAnalysis(
        turns=tuple(
            analyse_turn(i, turn.role, turn.text) for i, turn in enumerate(conversation.turns)
        )
    )
