"""The active-listening scorer: does the agent take in the specifics of what the customer said?"""

from __future__ import annotations

import numbers
import re
from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .._analysis import ConversationAnalysis, TurnAnalysis
from .._conversation import Conversation, Role
from .._lexicon import Cue, CueSet, builtin_cues, load_lexicon
from .._results import DimensionScore, Evidence
from ..exceptions import ConfigurationError
from ._engine import build_dimension, combine, cue_evidence, reply_context
from ._phrases import customise

__all__ = ["ActiveListening", "active_listening"]

#: Weight of reflecting 1, 2, or 3+ of the customer's own content words.
OVERLAP_WEIGHTS = (0.0, 0.5, 0.6, 0.7)
#: A question the agent asks to learn more.
QUESTION_WEIGHT = 0.8
#: A question that names one of the customer's own details.
DETAIL_QUESTION_WEIGHT = 0.9
#: Share of the echo credit kept when the echoed words stand in a sentence about the
#: agent's own life ("my mother had the same illness"): the words show the topic was
#: heard, not that the customer's details are being restated.
SELF_TALK_FACTOR = 0.5
#: A sentence about the agent's own life: first person singular with a narrative marker.
_SELF_TALK_RE = re.compile(
    r"\b(?:my|mine|myself|me\s+(?:too|as\s+well)|when\s+i|for\s+me|i\s+(?:also|too|personally|"
    r"used\s+to|had|was|went|lost|felt|remember|struggled|dealt|grew\s+up|did|do\s+too)"
    r"|i(?:'ve|’ve|\s+have)\s+(?:\w+\s+)?(?:had|been|gone|lost|felt|struggled|dealt|found|learned)"
    r"|i(?:'m|’m|\s+am)\s+[^.!?\n]*?\b(?:as\s+well|too))\b",
    re.I,
)
_SYMPATHY_BEFORE_RE = re.compile(
    r"\b(?:sorry|sad|saddened|regret)\s+(?:(?:to\s+)?(?:hear|see|read|learn|know)\s+)?(?:that\s+)?$",
    re.I,
)
#: A question word opening a clause rather than a question: "when I was at school…".
_SUBORDINATE_RE = re.compile(
    r"(?:(?:so|and|but|ok|okay|well)[,\s]+)?(?:what|when|where|which|who|whom|whose|why|how)"
    r"\s+(?:i|we|he|she|they|it|you|people|everyone|someone)\b",
    re.I,
)
#: Blockers that only veto echoes: the user's exclude_phrases, a letter's salutation and
#: closing, links and sign-offs.
_FRAME = frozenset({"letter_frame", "boilerplate"})
_NO_ECHO = _FRAME | {"excluded"}
_COMPANY_RE = re.compile(r"\b(?:we|we're|we’re|we've|we’ve|we'll|we’ll|our|us)\b", re.I)
_SECOND_PERSON_RE = re.compile(
    r"\b(?:you|your|yours|yourself|you're|you’re|you've|you’ve|you'd|you’d|you'll|you’ll|u|ur)\b",
    re.I,
)


def _generic_stems() -> frozenset[str]:
    from .._analysis import stem  # imports NLTK: only when a scorer is first built

    words = load_lexicon("active_listening").get("generic_words", [])
    return frozenset(stem(word) for word in words)


def _check_context_turns(instance: Any, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ConfigurationError(
            f"{instance.name}: context_turns: expected an integer ≥ 1, "
            f"got {type(value).__name__} {value!r:.60}"
        )


@attrs.frozen(kw_only=True)
class ActiveListening:
    """Scores how well each agent turn shows it took in the customer's specifics.

    Evidence comes from four sources: the agent repeating the customer's own content
    words from the last :attr:`context_turns` customer turns (stemmed, stop words,
    generic support words and words the agent itself said in an earlier turn removed:
    ``active_listening.reflects_details``); questions
    that seek detail (``active_listening.question``, stronger when they name one of the
    customer's details: ``active_listening.detail_question``); restatement frames ("so
    you…", "just to confirm", "you mentioned"); and weak acknowledgement tokens ("I see").
    "As I already said" is a penalty. Generic questions ("How can I help?"), offers put as
    questions and identity checks earn nothing, and nothing in a letter's salutation or
    closing ("Dear Mr Novak," … "Kind regards,"), a link or a sign-off ("^Marta") counts
    as an echo.

    Attributes:
        name: ``"active_listening"``.
        cues: Compiled restatement, acknowledgement and dismissive cues.
        context_turns: How many earlier customer turns the agent's words are compared with.
        generic_stems: Stems too common in support chats to show listening.
    """

    name: str = "active_listening"
    cues: CueSet = attrs.field(factory=lambda: builtin_cues("active_listening"))
    context_turns: int = attrs.field(default=3, validator=_check_context_turns)
    generic_stems: frozenset[str] = attrs.field(factory=_generic_stems, converter=frozenset)

    def __call__(self, conversation: Conversation) -> DimensionScore:
        analysis = conversation.analysis
        roles = [turn.role for turn in analysis.turns]
        opportunities = [
            t.index
            for t in analysis.turns
            if t.role is Role.CUSTOMER and t.signals is not None and t.signals.specific
        ]
        where = reply_context(roles, opportunities, noun="customer's details")
        turn_scores: list[float | None] = []
        evidence: list[Evidence] = []
        for turn, context in self._with_context(analysis):
            if turn.role is not Role.AGENT:
                turn_scores.append(None)
                continue
            found = self.turn_evidence(turn, context, where.get(turn.index, ""))
            turn_scores.append(combine((e.rule, e.weight) for e in found) if found else 0.0)
            evidence.extend(found)
        return build_dimension(self.name, roles, turn_scores, opportunities, evidence)

    def _with_context(
        self, analysis: ConversationAnalysis
    ) -> Iterable[tuple[TurnAnalysis, dict[str, int]]]:
        """Each turn with the stems it may echo (stem → customer turn): those of the
        recent customer turns before it, less the stems the agent has already used in an
        earlier turn. Saying one's own word again shows nothing new was heard: in a long
        chat about a job, "job" in every reply is the topic, not a restatement."""
        recent: deque[TurnAnalysis] = deque(maxlen=self.context_turns)
        said: set[str] = set()
        for turn in analysis.turns:
            context: dict[str, int] = {}
            if turn.role is Role.AGENT:
                for earlier in recent:  # oldest first, so the latest turn wins
                    context.update(dict.fromkeys(earlier.stems, earlier.index))
                if said:
                    context = {s: i for s, i in context.items() if s not in said}
            yield turn, context
            if turn.role is Role.CUSTOMER:
                recent.append(turn)
            else:
                said.update(turn.stems)

    def turn_evidence(
        self, turn: TurnAnalysis, context: Mapping[str, int], where: str = ""
    ) -> list[Evidence]:
        """The evidence in one agent turn, given the customer stems it may echo."""
        # Every blocker match, found once: they veto rule matches, echoes and questions.
        blocks = self.cues.blocker_matches(turn.text, turn.folded, turn.keys)
        found = cue_evidence(turn, self.cues, context=where, blocked=[m.span() for _, m in blocks])
        shared: dict[str, list[int]] = {}
        for token_index, token_stem in zip(turn.content, turn.stems, strict=True):
            if token_stem in context and token_stem not in self.generic_stems:
                shared.setdefault(token_stem, []).append(token_index)
        excluded = [m.span() for cue, m in blocks if cue.rule.partition(".")[2] in _NO_ECHO]
        if excluded:  # exclude_phrases, a letter's frame, links and sign-offs veto echoes
            shared = {
                s: kept
                for s, ids in shared.items()
                if (
                    kept := [
                        i
                        for i in ids
                        if not any(a <= turn.token_spans[i][0] < b for a, b in excluded)
                    ]
                )
            }
        if shared:
            weight = _echo_weight(turn, shared)
            for token_stem, indices in shared.items():
                start, end = turn.token_spans[indices[0]]
                found.append(
                    Evidence(
                        turn=turn.index,
                        start=start,
                        end=end,
                        text=turn.text[start:end],
                        rule="active_listening.reflects_details",
                        weight=weight,
                        explanation=(
                            f"echoes the customer's {turn.text[start:end]!r} from turn "
                            f"{context[token_stem]} ({len(shared)} shared detail"
                            f"{'s' if len(shared) != 1 else ''}){where}"
                        ),
                    )
                )
        found = [e for e in found if not _inside_sympathy(turn, e)]
        suggestions = [
            (e.start, e.end) for e in found if e.rule == "active_listening.suggestion_question"
        ]
        found.extend(self._questions(turn, shared, where, suggestions, blocks))
        return found

    def _questions(
        self,
        turn: TurnAnalysis,
        shared: Mapping[str, list[int]],
        where: str,
        suggestions: list[tuple[int, int]],
        blocks: list[tuple[Cue, re.Match[str]]],
    ) -> list[Evidence]:
        questions = turn.questions()
        if not questions:
            return []
        generic = suggestions + [
            m.span()
            for cue, m in blocks
            # "Hi Sam, when did it start?": the frame and a link are not generic questions
            if cue.rule.partition(".")[2] not in _FRAME
        ]
        shared_offsets = [turn.token_spans[i][0] for ids in shared.values() for i in ids]
        found = []
        for start, end in questions:
            if any(s < end and start < e for s, e in generic):
                continue
            if _SUBORDINATE_RE.match(turn.text, start, end) and "?" not in turn.text[start:end]:
                continue  # "when I was studying, I…" is a clause, not a question
            names_detail = any(start <= offset < end for offset in shared_offsets)
            found.append(
                Evidence(
                    turn=turn.index,
                    start=start,
                    end=end,
                    text=turn.text[start:end],
                    rule=(
                        "active_listening.detail_question"
                        if names_detail
                        else "active_listening.question"
                    ),
                    weight=DETAIL_QUESTION_WEIGHT if names_detail else QUESTION_WEIGHT,
                    explanation=(
                        "asks about a detail the customer gave"
                        if names_detail
                        else "asks for more detail about the customer's situation"
                    )
                    + where,
                )
            )
        return found


def _inside_sympathy(turn: TurnAnalysis, evidence: Evidence) -> bool:
    """A reflection inside a sympathy formula ("sorry to hear you're upset") is sympathy,
    credited as emotional acknowledgement, not a restatement of the customer's details."""
    if evidence.rule != "active_listening.reflection":
        return False
    before = turn.text[max(0, evidence.start - 30) : evidence.start]
    return _SYMPATHY_BEFORE_RE.search(before) is not None


def _sentence_factor(sentence: str) -> float:
    """How much an echo in ``sentence`` counts: 1, or less when the agent talks about itself."""
    if (
        _SELF_TALK_RE.search(sentence)
        and not _SECOND_PERSON_RE.search(sentence)
        and not _COMPANY_RE.search(sentence)
    ):
        return SELF_TALK_FACTOR
    return 1.0


def _echo_weight(turn: TurnAnalysis, shared: Mapping[str, list[int]]) -> float:
    """The credit for echoing ``shared`` stems (token indices), given where they stand.

    Each stem counts at the factor of its best sentence (see :func:`_sentence_factor`);
    the credit is the best of (weight of the stems counting at least ``f``) × ``f``.
    """
    factors: dict[str, float] = {}
    cache: dict[tuple[int, int], float] = {}
    for token_stem, indices in shared.items():
        best = 0.0
        for index in indices:
            span = turn.sentence_of(turn.token_spans[index][0])
            if span not in cache:
                cache[span] = _sentence_factor(turn.text[span[0] : span[1]])
            best = max(best, cache[span])
        factors[token_stem] = best
    weight = 0.0
    for level in set(factors.values()):
        strength = sum(
            2 if any(c.isdigit() for c in s) else 1 for s, f in factors.items() if f >= level
        )
        weight = max(weight, OVERLAP_WEIGHTS[min(strength, len(OVERLAP_WEIGHTS) - 1)] * level)
    return weight


def active_listening(
    *,
    extra_phrases: Iterable[str] = (),
    extra_patterns: Iterable[str] = (),
    exclude_phrases: Iterable[str] = (),
    rule_weights: Mapping[str, float] | None = None,
    context_turns: int = 3,
) -> ActiveListening:
    """Score active listening: restating, asking about and referring to the customer's details.

    The opportunity is a customer turn with specific details (three or more content
    words, or a number, @handle or #tag); without one the value is N/A.

    Args:
        extra_phrases: More restatement phrases (rule ``active_listening.custom``).
        extra_patterns: More regular expressions that count.
        exclude_phrases: Phrases never to credit; they veto matches inside them.
        rule_weights: New weights for the cue rules (``restatement``, ``reflection``,
            ``feeling_reference``, ``detail_request``, ``reference``,
            ``suggestion_question``, ``acknowledgement``, ``dismissive``).
        context_turns: How many earlier customer turns to compare the agent's words with.

    Returns:
        A picklable scorer named ``"active_listening"``.

    Raises:
        ConfigurationError: An unknown rule, a weight outside [-1, 1], a bad phrase, or
            ``context_turns`` not an integer ≥ 1.

    Example:
        >>> import empathykit
        >>> chat = ("Customer: My refund for order 1142 went to my old card.\\n"
        ...         "Agent: So the refund for order 1142 went to the old card?")
        >>> report = empathykit.score(chat, scorers=[active_listening()])
        >>> report["active_listening"].turn_scores[1] > 0.9
        True
    """
    cues = customise(
        builtin_cues("active_listening"),
        "active_listening",
        extra_phrases=extra_phrases,
        extra_patterns=extra_patterns,
        exclude_phrases=exclude_phrases,
        rule_weights=rule_weights,
    )
    return ActiveListening(cues=cues, context_turns=context_turns)
