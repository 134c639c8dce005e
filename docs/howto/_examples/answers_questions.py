"""A scorer written in Python: does the agent take up the words of the customer's question?"""

from __future__ import annotations

import attrs

from empathykit import Conversation, DimensionScore, Evidence, Role


@attrs.frozen
class AnswersQuestions:
    """Credits agent replies that take up the content words of the customer's last question."""

    name: str = "answers_questions"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        opportunities: list[int] = []
        turn_scores: list[float | None] = []
        evidence: list[Evidence] = []
        asked: dict[str, int] = {}  # stem of a word in the open question -> its turn
        for turn in conversation.analysis.turns:  # the shared analysis: computed once
            if turn.role is Role.CUSTOMER:
                turn_scores.append(None)  # customer turns earn nothing
                questions = turn.questions()
                if questions:
                    opportunities.append(turn.index)
                    asked = {
                        stem: turn.index
                        for token, stem in zip(turn.content, turn.stems)
                        if any(s <= turn.token_spans[token][0] < e for s, e in questions)
                    }
                continue
            found = []
            for token, stem in zip(turn.content, turn.stems):
                if stem in asked:
                    start, end = turn.token_spans[token]
                    found.append(
                        Evidence(
                            turn=turn.index,
                            start=start,
                            end=end,
                            text=turn.text[start:end],  # always the exact span
                            rule="answers_questions.takes_up",
                            weight=1.0,
                            explanation=f"takes up a word of the question in turn {asked[stem]}",
                        )
                    )
            turn_scores.append(1.0 if found else 0.0)
            evidence.extend(found)
            asked = {}  # answered (or not): the next question opens a new opportunity
        # The value: the share of questions whose next agent reply took them up.
        answered = [
            next((s for s in turn_scores[i + 1 :] if s is not None), None) for i in opportunities
        ]
        counted = [s for s in answered if s is not None]
        return DimensionScore(
            name=self.name,
            value=sum(counted) / len(counted) if counted else None,  # None: N/A
            turn_scores=turn_scores,
            opportunities=len(opportunities),
            opportunity_turns=opportunities,
            evidence=evidence,
        )
