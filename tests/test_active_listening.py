"""Active listening beyond the case table: context, exclusions, questions by form."""

from __future__ import annotations

import empathykit
from empathykit.scorers import active_listening


def _rules_and_texts(chat: list[tuple[str, str]], **options: object) -> list[tuple[str, str]]:
    scorer = active_listening(**options)  # type: ignore[arg-type]
    report = empathykit.score(chat, scorers=[scorer])
    return [(ev.rule, ev.text) for ev in report["active_listening"].evidence]


def test_exclude_phrases_veto_echoed_words_inside_them() -> None:
    """A user's exclude_phrases also veto echoed customer words inside the excluded span."""
    chat = [
        ("customer", "My refund for order 1142 is missing."),
        ("agent", "Please DM us about your refund and order 1142."),
    ]
    assert ("active_listening.reflects_details", "refund") in _rules_and_texts(chat)
    excluded = _rules_and_texts(chat, exclude_phrases=["DM us about your refund"])
    assert ("active_listening.reflects_details", "refund") not in excluded
    assert ("active_listening.reflects_details", "1142") in excluded


def test_only_recent_customer_turns_are_echoed() -> None:
    """Words from customer turns older than context_turns earn no echo credit."""
    chat = [
        ("customer", "The blender arrived cracked."),
        ("agent", "Thanks for letting us know."),
        ("customer", "Also the invoice is wrong."),
        ("agent", "Noted."),
        ("customer", "And nobody answered my email."),
        ("agent", "I can replace the blender today."),
    ]
    assert ("active_listening.reflects_details", "blender") in _rules_and_texts(chat)
    assert ("active_listening.reflects_details", "blender") not in _rules_and_texts(
        chat, context_turns=2
    )


def test_a_question_without_a_question_mark_is_recognised_by_its_form() -> None:
    """'can you tell me more about the error' asks, though it has no question mark."""
    chat = [
        ("customer", "The app shows an error when I pay."),
        ("agent", "can you tell me more about the error"),
    ]
    rules = {rule for rule, _ in _rules_and_texts(chat)}
    assert "active_listening.detail_question" in rules


def test_a_statement_is_not_a_question() -> None:
    """A statement that starts like a question but ends with a full stop is not one."""
    chat = [
        ("customer", "The app shows an error when I pay."),
        ("agent", "Is there a fix coming. Yes, tomorrow."),
    ]
    rules = {rule for rule, _ in _rules_and_texts(chat)}
    assert not rules & {"active_listening.question", "active_listening.detail_question"}


def test_a_word_the_agent_already_said_is_not_an_echo() -> None:
    """Repeating its own earlier word shows nothing new: only the customer's new words echo."""
    chat = [
        ("customer", "Hi, I have a question."),
        ("agent", "Is it about your router?"),
        ("customer", "Yes, the router blinks red since the storm."),
        ("agent", "A red light on the router after a storm usually means a reset."),
    ]
    echoed = {text for rule, text in _rules_and_texts(chat) if rule.endswith("reflects_details")}
    assert echoed == {"red", "storm"}
    # Without the agent's first mention, the same reply echoes "router" too.
    assert ("active_listening.reflects_details", "router") in _rules_and_texts(
        [chat[0], ("agent", "Sure, go ahead."), *chat[2:]]
    )


def test_so_you_restates_only_when_it_opens_a_clause() -> None:
    """'So you're…' opening a sentence checks understanding; 'so you are' in a purpose
    clause ('start early so you are not rushed') does not."""
    customer = ("customer", "I'm moving flats next month and my exams start the week after.")
    restates = [
        "So you're moving next month, right before the exams?",
        "I see, so your exams come straight after the move.",
        "ok so you are moving and revising at the same time.",
    ]
    for reply in restates:
        rules = {rule for rule, _ in _rules_and_texts([customer, ("agent", reply)])}
        assert "active_listening.restatement" in rules, reply
    purpose = "Pack a box a day so you are not rushed at the end."
    rules = {rule for rule, _ in _rules_and_texts([customer, ("agent", purpose)])}
    assert "active_listening.restatement" not in rules


def test_you_are_feeling_is_no_restatement_in_a_wish_or_clause() -> None:
    """'You're feeling…' reflects the customer's state; 'hope you're feeling better' and
    'how you are feeling' wish or ask about it instead."""
    customer = ("customer", "Work has been piling up and I barely sleep.")
    reflected = _rules_and_texts([customer, ("agent", "You're feeling stretched thin at work.")])
    assert ("active_listening.restatement", "You're feeling") in reflected
    for reply in ("I hope you're feeling rested soon.", "Write down how you are feeling."):
        rules = {rule for rule, _ in _rules_and_texts([customer, ("agent", reply)])}
        assert "active_listening.restatement" not in rules, reply


def test_words_that_only_share_a_stem_with_a_generic_word_are_still_echoed() -> None:
    """Snowball stems "customs" like "customer" and "evening" like "even"; the customer's
    "customs" and "evening" are details all the same, and "customers" does not echo them."""
    echoed = [
        ("The parcel is stuck at customs.", "Customs can take up to a week."),
        ("The wifi drops every evening.", "Is it worse in the evening?"),
    ]
    for customer, agent in echoed:
        rules = _rules_and_texts([("customer", customer), ("agent", agent)])
        assert any(rule == "active_listening.reflects_details" for rule, _ in rules), agent
    unrelated = [
        ("customer", "The parcel is stuck at customs."),
        ("agent", "Our customers matter."),
    ]
    assert ("active_listening.reflects_details", "customers") not in _rules_and_texts(unrelated)


def test_a_number_word_echoes_the_customers_digits() -> None:
    """ "Twelve years" restates the customer's "12 years", and "two" their "2", with the
    credit of a number (a count shows the detail was taken in); "one" is no count."""
    echoed = [
        ("I got the redundancy letter today. 12 years at that company.", "Twelve years.", "Twelve"),
        ("I failed my driving test by 2 points.", "Ah, two points is such a narrow miss.", "two"),
    ]
    for customer, agent, number in echoed:
        report = empathykit.score([("customer", customer), ("agent", agent)])
        found = {(e.rule, e.text) for e in report["active_listening"].evidence}
        assert ("active_listening.reflects_details", number) in found, agent
        turn_score = report["active_listening"].turn_scores[1]
        assert turn_score is not None, agent
        assert turn_score >= 0.5, agent
    unrelated = [("customer", "I ordered 1 lamp."), ("agent", "Which one would you like?")]
    assert not any(
        rule == "active_listening.reflects_details" for rule, _ in _rules_and_texts(unrelated)
    )


def test_a_letters_frame_is_no_echo_but_a_line_after_thanks_still_is() -> None:
    """The customer's name in "Dear …" and the team under "Kind regards," are manners, not
    details heard; a chat reply's content after a "Thanks!" line still echoes."""
    letter = [
        ("customer", "Hello,\n\nMy meter reading is wrong again.\n\nRegards,\nT. Okafor"),
        ("agent", "Dear Mr Okafor,\n\nThanks for writing.\n\nKind regards,\nThe Meter Team"),
    ]
    assert _rules_and_texts(letter) == []
    chat = [
        ("customer", "Where is my refund for order 1142?"),
        ("agent", "Thanks!\nYour refund for order 1142 has been processed."),
    ]
    echoed = {text for rule, text in _rules_and_texts(chat)}
    assert {"refund", "1142"} <= echoed
