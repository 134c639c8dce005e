"""A scorer written in Python: "positive framing" — does the agent say what it *can* do?

Agents who answer a problem with "we can't", "that's not possible" and "you won't"
sound unhelpful even when they help; "here's what I can do" sounds like help. This is
not a list of phrases but a proportion over sentences, so it is written as a small
class. It needs no base class: anything with a ``name`` and a
``__call__(conversation) -> DimensionScore`` is a scorer (see ``empathykit.typing``).

It uses the analysis every scorer shares (``conversation.analysis``): sentences, tokens
with character spans, negation cues, and the signals that make a customer turn call for
a reply. The analysis is computed once per conversation, however many scorers read it.

Run it::

    python examples/extending/custom_scorer.py
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

import empathykit
from empathykit import Conversation, DimensionScore, Evidence, Role

if TYPE_CHECKING:
    from empathykit.analysis import TurnAnalysis


@attrs.frozen(kw_only=True)
class PositiveFraming:
    """Scores how much of the agent's reply to a problem is framed positively.

    A sentence is framed negatively when it contains a negation ("not", "can't",
    "never", "no") outside the friendly idioms in ``idioms`` ("no problem"). A reply's
    turn score is the share of its sentences framed positively. The opportunity is a
    customer turn reporting a problem or asking for help; the value is the mean turn
    score of the first agent reply to each one, and N/A when there is none.

    Attributes:
        name: The behaviour's name in reports.
        idioms: Negations that are not negative framing, lower case.
        weight: The (negative) weight of each negation's evidence.

    Example:
        >>> chat = ("Customer: My order arrived broken.\\n"
        ...         "Agent: We can't refund it. I can send a new one today.")
        >>> result = PositiveFraming()(empathykit.as_conversation(chat))
        >>> result.value, result.evidence[0].text
        (0.5, "can't")
    """

    name: str = "positive_framing"
    idioms: tuple[str, ...] = ("no problem", "no worries", "not at all", "don't worry")
    weight: float = -0.5

    def _negations(self, turn: TurnAnalysis) -> list[tuple[int, int]]:
        """Character spans of the negations in a turn, friendly idioms left out."""
        spans = []
        for index in turn.negations:
            start, end = turn.token_spans[index]
            following = turn.text[start:].lower().replace("’", "'")
            if not following.startswith(self.idioms):
                spans.append((start, end))
        return spans

    def __call__(self, conversation: Conversation) -> DimensionScore:
        turns = conversation.analysis.turns
        turn_scores: list[float | None] = []
        evidence: list[Evidence] = []
        for turn in turns:
            if turn.role is not Role.AGENT or not turn.sentences:
                turn_scores.append(None)
                continue
            negative_sentences = set()
            for start, end in self._negations(turn):
                sentence = turn.sentence_of(start)
                negative_sentences.add(sentence)
                quoted = turn.text[sentence[0] : sentence[1]]
                evidence.append(
                    Evidence(
                        turn=turn.index,
                        start=start,
                        end=end,
                        text=turn.text[start:end],
                        rule=f"{self.name}.negation",
                        weight=self.weight,
                        explanation=f"frames the reply negatively: {quoted!r:.60}",
                    )
                )
            turn_scores.append(1 - len(negative_sentences) / len(turn.sentences))
        # Each problem or request is answered by the first agent turn after it.
        counted: list[int] = []
        credits: list[float] = []
        waiting: list[int] = []
        for turn in turns:
            signals = turn.signals
            if turn.role is Role.CUSTOMER:
                if signals is not None and (signals.problem or signals.help_request):
                    waiting.append(turn.index)
                continue
            turn_score = turn_scores[turn.index]
            if waiting and turn_score is not None:
                counted.extend(waiting)
                credits.extend([turn_score] * len(waiting))
                waiting = []
        return DimensionScore(
            name=self.name,
            value=sum(credits) / len(credits) if credits else None,
            turn_scores=turn_scores,
            opportunities=len(counted),
            opportunity_turns=counted,
            evidence=evidence,
        )


CHAT = """\
Customer: My replacement card still hasn't arrived and I can't pay for anything.
Agent: I'm sorry, that's really stressful. We can't send cards by courier, unfortunately.
Agent: Here's what I can do: I've added the card to your phone's wallet, so you can pay today.
Customer: Oh, that works, thank you!
Agent: No problem at all, glad that helps.
"""


def main() -> None:
    """Score the example chat with the four built-ins and positive framing, and check it."""
    from empathykit.testing import check_scorer

    framing = PositiveFraming()
    check_scorer(framing)  # the conformance suite every scorer should pass
    report = empathykit.score(CHAT, scorers=[*empathykit.default_scorers(), framing])
    print(report)
    for ev in report[framing.name].evidence:
        print(f"  turn {ev.turn}: {ev.rule} {ev.text!r} ({ev.weight:+}) — {ev.explanation}")


if __name__ == "__main__":
    main()
