"""Tables of short cases for each built-in scorer, written from ../shared/BEHAVIOURS.md.

Each case is ``(customer_text, agent_text, expected_rules, expect_shows)``: the agent turn
answers the customer turn; ``expected_rules`` must all be among the rule ids that fired on
it, and ``expect_shows`` says whether its turn score reaches :data:`THRESHOLD`.
Every sentence here was written for these tests.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import empathykit

#: A turn "shows" a behaviour when its turn score is at least this.
THRESHOLD = 0.5

Case = tuple[str, str, set[str], bool]


def _ids(cases: Sequence[Case]) -> list[str]:
    return [("yes: " if shows else "no: ") + agent[:48] for _, agent, _, shows in cases]


def _check(name: str, customer: str, agent: str, rules: set[str], shows: bool) -> None:
    report = empathykit.score([("customer", customer), ("agent", agent)], scorers=[name])
    dim = report[name]
    fired = {ev.rule for ev in dim.evidence}
    score = dim.turn_scores[1]
    assert score is not None
    assert rules == rules & fired, f"fired {sorted(fired)}, turn score {score:.2f}"
    assert shows == (score >= THRESHOLD), f"fired {sorted(fired)}, turn score {score:.2f}"


# --- apology ------------------------------------------------------------------------------

EXPLICIT = {"apology.explicit"}

APOLOGY_CASES: list[Case] = [
    # A refusal, a holding filler and not knowing, each softened by "sorry", regret nothing.
    ("Can you refund the admin fee?", "Sorry, no, admin fees are never refunded.", set(), False),
    ("No, sorry, that's not how it works.", "No, sorry, we can't extend the offer.", set(), False),
    ("Please be quick, the flat is freezing.", "Sorry, one moment.", set(), False),
    ("Is the blue one coming back?", "Sorry, we don't know a restock date yet!", set(), False),
    # ...while regret that names no or a moment still regrets.
    ("My parcel is a week late.", "I'm so sorry, no one should wait that long.", EXPLICIT, True),
    ("My parcel is a week late.", "Sorry for the wait, one moment.", EXPLICIT, True),
    # A negation before a dash does not reach the apology after it.
    (
        "Your colleague promised a call back on Monday.",
        "That call should have come and it didn't - I'm sorry.",
        EXPLICIT,
        True,
    ),
    # "Sorry if this sounds…" softens what follows; it regrets nothing.
    (
        "I don't know if my parents will ever accept me.",
        "Sorry if this sounds cliché, but a lot of parents take time.",
        set(),
        False,
    ),
    # Regret for the customer's view of what happened, not for what happened.
    (
        "The courier was rude to my mother.",
        "We're sorry you feel the courier was rude.",
        set(),
        False,
    ),
    # Regret in the first person singular and for what the customer went through.
    ("My bag came off the carousel torn.", "I regret to hear this happened.", EXPLICIT, True),
    ("I waited three hours at the gate.", "I regret your frustration today.", EXPLICIT, True),
    # Colloquial and emphatic regret: the negation in "can't apologise enough" intensifies.
    (
        "You sent the invoice to the wrong person.",
        "Our bad, that shouldn't have happened.",
        EXPLICIT,
        True,
    ),
    (
        "The courier left my parcel in the rain.",
        "I can't apologise enough.",
        {"apology.emphatic"},
        True,
    ),
    # Sorry as a preface to shifting the problem elsewhere; regret someone else voiced.
    (
        "My parcel came a week late.",
        "Sorry, but deliveries are handled by the courier.",
        set(),
        False,
    ),
    (
        "My parcel came a week late.",
        "The courier already apologised to you, I believe.",
        set(),
        False,
    ),
    # Regret for the problem, in the agent's or the company's voice.
    (
        "My order came with a cracked screen.",
        "I'm sorry for the mix-up with your order.",
        EXPLICIT,
        True,
    ),
    ("I've been on hold for forty minutes.", "We apologise for the long wait.", EXPLICIT, True),
    ("You sent me the wrong size again.", "My apologies, that was our error.", EXPLICIT, True),
    ("The driver never turned up.", "Sorry about that!", EXPLICIT, True),
    ("My broadband has been down since Tuesday.", "I'm sorry to hear that.", EXPLICIT, True),
    ("You billed me twice for March.", "We apologize for the billing error.", EXPLICIT, True),
    (
        "The tracking page shows the wrong address.",
        "That's our mistake, and we regret the confusion it caused.",
        EXPLICIT,
        True,
    ),
    (
        "My booking just vanished from the app.",
        "I am so sorry, that should never have happened.",
        EXPLICIT,
        True,
    ),
    (
        "The refund still hasn't reached my bank.",
        "Apologies for the hold-up with the refund.",
        EXPLICIT,
        True,
    ),
    (
        "I was charged a late fee by mistake.",
        "Sorry, that fee was our fault and I've removed it.",
        EXPLICIT,
        True,
    ),
    (
        "I emailed you a week ago and heard nothing.",
        "Sorry for the delay in replying.",
        EXPLICIT,
        True,
    ),
    (
        "Your agent hung up on me twice.",
        "We're truly sorry for how those calls were handled.",
        EXPLICIT,
        True,
    ),
    (
        "The hotel room was filthy when we arrived.",
        "Please accept our apologies for the state of the room.",
        EXPLICIT,
        True,
    ),
    ("The parcel was left out in the rain.", "I’m sorry the parcel got soaked.", EXPLICIT, True),
    (
        "My new jacket has a broken zip.",
        "SORRY ABOUT THE ZIP, that's not good enough.",
        EXPLICIT,
        True,
    ),
    (
        "Nobody called me back like they promised.",
        "We dropped the ball on this one, and I'm sorry.",
        EXPLICIT,
        True,
    ),
    (
        "Why was I charged a cancellation fee?",
        "Sorry, but that's our policy. Still, I'm sorry the fee came as a surprise.",
        EXPLICIT,
        True,
    ),
    # Non-apologies: regret for the customer's reaction, or a preface to a refusal.
    ("Your staff were rude to me.", "I'm sorry you feel that way.", set(), False),
    ("That joke in your ad was offensive.", "Sorry if you were offended.", set(), False),
    ("Why was I charged a cancellation fee?", "Sorry, but that's our policy.", set(), False),
    (
        "I want my money back for the opened game.",
        "Sorry, but we can't refund opened items.",
        set(),
        False,
    ),
    (
        "Your checkout is a disgrace.",
        "Sorry you feel that way, but the price stands.",
        set(),
        False,
    ),
    ("Hello? I've been waiting ages for someone.", "Sorry to keep you waiting.", EXPLICIT, True),
    # Not the agent's regret: reassuring a customer who apologised.
    (
        "Sorry for all the messages, the dishwasher shows error E24.",
        "No need to apologise, it happens!",
        set(),
        False,
    ),
    # Conversational repair.
    ("My loyalty points disappeared.", "Sorry, could you repeat that?", set(), False),
    ("The thing with the app is doing it again.", "Sorry, what do you mean?", set(), False),
    ("My card got blocked at the station.", "Sorry?", set(), False),
    (
        "My internet keeps dropping out.",
        "I'm sorry, I didn't catch your account number.",
        set(),
        False,
    ),
    # Negated or reported regret.
    ("You broke my suitcase.", "I'm not sorry.", set(), False),
    ("You admitted the delay was your fault.", "You said you were sorry.", set(), False),
    (
        "The manager promised a refund.",
        "The manager said sorry already, so this is closed.",
        set(),
        False,
    ),
    (
        "Your driver was rude to me at the door.",
        "You mentioned my colleague already said sorry for that.",
        set(),
        False,
    ),
    (
        "Your driver was rude to me at the door.",
        "Our driver told you he was sorry, and I'm sorry too.",
        EXPLICIT,
        True,
    ),
    ("My delivery was late again.", "That isn't something we need to apologise for.", set(), False),
    # No regret at all.
    ("The lift in my block is broken.", "Thanks for getting in touch, let me check.", set(), False),
    ("My parcel never arrived.", "Your parcel was delivered at 10:14 this morning.", set(), False),
    # Regret conditional on the customer's perception, repair of a bad line, and "sorry,
    # but" with the policy named in the next sentence.
    (
        "The upgrade was free on the phone and now it's 40 pounds.",
        "I apologise if you felt misled. Upgrade fees are in our terms.",
        set(),
        False,
    ),
    (
        "Your usher was rude to my dad.",
        "Sorry if that came across badly. Our ushers are trained to help.",
        set(),
        False,
    ),
    (
        "My claim number is, um, K-",
        "Sorry, you broke up there. Could you say it again?",
        set(),
        False,
    ),
    (
        "I cancelled a day before and you kept the full deposit.",
        "Sorry, but deposits are kept in full within 48 hours. That's our policy.",
        set(),
        False,
    ),
    # A real apology beside a repair question is still an apology.
    (
        "My parcel is a week late.",
        "Sorry for the delay, could you repeat the order number?",
        EXPLICIT,
        True,
    ),
    (
        "Nobody told me my train was cancelled.",
        "We apologise if you were kept waiting without news.",
        EXPLICIT,
        True,
    ),
    ("Your driver was rude to me.", "The driver told his supervisor he was sorry.", set(), False),
    # "Sorry," before a clarifying question is repair; blame put elsewhere or a rule that
    # lets the company off, with "sorry" attached, is not regret.
    ("The chips were cold too.", "Sorry, were the chips a separate order?", set(), False),
    (
        "My landlord texts me at midnight.",
        "Sorry, when you say midnight, is that every night?",
        set(),
        False,
    ),
    ("The driver couldn't find flat 3B.", "Sorry, you said flat 3B?", set(), False),
    (
        "The seller refuses to take them back.",
        "Sorry, but private sellers don't have to accept returns.",
        set(),
        False,
    ),
    ("Your courier lost my parcel.", "That's with the courier, sorry.", set(), False),
    ("My parcel is lost.", "Sorry, that's on us. I've opened a trace.", EXPLICIT, True),
    (
        "My claim was declined as pre-existing.",
        "We regret that you feel our decision was unfair.",
        set(),
        False,
    ),
    (
        "Can I have the admin fee back?",
        "Apologies, but the admin fee is non-refundable.",
        set(),
        False,
    ),
    (
        "The portal was down on the deadline!",
        "We apologise, but late fees cannot be reversed.",
        set(),
        False,
    ),
    ("Can I pay in instalments?", "Sorry po, but we only accept full payment.", set(), False),
    (
        "Your fitter left mud everywhere.",
        "Sorry if that wasn't up to your standards.",
        set(),
        False,
    ),
    ("So the pain is, it's been...", "Sorry, you froze there. How long has it been?", set(), False),
    (
        "The filling still hurts.",
        "Right, so, sorry — you cut out there, was it Tuesday?",
        set(),
        False,
    ),
    ("I waited an hour on hold.", "I'm so sorry, is there anything else I can do?", EXPLICIT, True),
    # Regret reported with an emphatic "did": the colleague's, not the agent's.
    (
        "Your engineer said sorry and promised a fix by Friday.",
        "He did say he was sorry, and the job is still on his list.",
        set(),
        False,
    ),
    # From a fifth round of blind replies: repair before a question, regret on a
    # condition, and a rule with "sorry" added are not apologies.
    (
        "My locker code doesn't work, fed up.",
        "Sorry, could you tell me which locker it is?",
        set(),
        False,
    ),
    (
        "The trainer was rude about my form.",
        "Sorry if you were disappointed with the session.",
        set(),
        False,
    ),
    (
        "You told us the hall was free that day.",
        "I'm sorry if there was any confusion.",
        set(),
        False,
    ),
    (
        "I need the premium plan unlocked for my course.",
        "Course licences aren't given out to personal accounts, sorry.",
        set(),
        False,
    ),
    ("My bill doubled.", "Sorry, I'm not sure I follow - doubled since when?", set(), False),
    ("The van never came.", "I'm so sorry, could you send me the order number?", EXPLICIT, True),
    # Our error owned, and regret conditional on the customer's expectations.
    (
        "I got a court summons but I pay by direct debit!",
        "That summons should never have gone out.",
        EXPLICIT,
        True,
    ),
    (
        "The glass candle arrived smashed.",
        "Sorry if the packaging wasn't up to your expectations.",
        set(),
        False,
    ),
    # A bare "Sorry," prefacing a rule or a refusal, and blame put outside "our control".
    (
        "Can I take my hoverboard on the tram?",
        "Sorry, hoverboards aren't permitted on any of our trams.",
        set(),
        False,
    ),
    (
        "Can I change the colour after ordering?",
        "Sorry, unfortunately that isn't something we can do once it's dispatched.",
        set(),
        False,
    ),
    (
        "My sofa is now five weeks late.",
        "Sorry, but supplier delays are outside our control.",
        set(),
        False,
    ),
    # Regret for an inability caused by a fault is still regret.
    (
        "I can't order anything on your app.",
        "I'm so sorry, we're unable to take orders while the app is down.",
        EXPLICIT,
        True,
    ),
    # A bare "Sorry, but…" prefaces an excuse; "that's our pricing" is a policy.
    (
        "My curry took an hour and a half.",
        "Sorry, but Saturdays are always hectic in the kitchen.",
        set(),
        False,
    ),
    (
        "My premium nearly doubled this year.",
        "I'm sorry, but that's our pricing for this year.",
        set(),
        False,
    ),
    (
        "My curry took an hour and a half.",
        "I'm so sorry, but we'll refund the meal.",
        EXPLICIT,
        True,
    ),
    # Regret at losing the customer, a tacked-on "sorry" after an exclusion, repair.
    ("Close my account, I've had enough.", "We're sorry to see you go.", set(), False),
    ("I'm switching to another bank.", "Sorry to lose you.", set(), False),
    (
        "My grandad died last week and I can't face the paperwork.",
        "I'm so sorry to hear you're going through this.",
        EXPLICIT,
        True,
    ),
    ("Why didn't my code work on the rug?", "The code excludes rugs, sorry.", set(), False),
    ("Can I download this film?", "That title isn't available offline, sorry.", set(), False),
    ("CANCEL", "Sorry, I didn't quite understand that.", set(), False),
    ("Student discount on the big plan?", "Not at this time, sorry!", set(), False),
    # The formal passive and Swahili regret; a bare "Sorry," before "cannot be reversed".
    ("My recharge failed twice.", "Inconvenience is regretted.", EXPLICIT, True),
    ("The token never came.", "Pole sana for the trouble.", EXPLICIT, True),
    (
        "I sent the money to the wrong number.",
        "Sorry, once a transfer is completed it cannot be reversed.",
        set(),
        False,
    ),
    # "Sorry, we don't…" prefaces a rule; "sorry you weren't happy with…" regrets the
    # customer's reaction; "…aren't covered, sorry" after "but" is a refusal.
    ("Do you do a student rate?", "Sorry, we don't offer student discounts.", set(), False),
    (
        "The pool was closed all week.",
        "We're sorry you weren't happy with your stay.",
        set(),
        False,
    ),
    (
        "He made me pay by bank transfer.",
        "I'm sorry, but transfers outside our checkout aren't covered.",
        set(),
        False,
    ),
    # Brand support on Twitter, from a blind set (12-05)
    ("My code WINTER5 won't work.", "Sorry, WINTER5 expired on Friday.", set(), False),
    ("I was charged twice at the till.", "Sorry, we can only refund that in store.", set(), False),
    (
        "The app crashed three times tonight.",
        "I'm sorry. Which version are you on?",
        EXPLICIT,
        True,
    ),
    ("My order is missing.", "Sorry, which order number is it?", set(), False),
]


@pytest.mark.parametrize(
    ("customer", "agent", "rules", "shows"), APOLOGY_CASES, ids=_ids(APOLOGY_CASES)
)
def test_apology(customer: str, agent: str, rules: set[str], shows: bool) -> None:
    """The apology scorer fires the expected rules and crosses the threshold as expected."""
    _check("apology", customer, agent, rules, shows)


# --- emotional acknowledgement ------------------------------------------------------------

SYMPATHY = {"emotional_acknowledgement.sympathy"}
VALIDATION = {"emotional_acknowledgement.validation"}
PREDICATE = {"emotional_acknowledgement.validation_predicate"}
POSITIVE = {"emotional_acknowledgement.positive"}

EMOTION_CASES: list[Case] = [
    # The customer's ordeal judged, or named in an exclamation.
    (
        "The waiter poured soup on my jacket and then laughed.",
        "That sounds mortifying.",
        VALIDATION,
        True,
    ),
    ("The venue cancelled the day before the party!", "What a worry that must be.", set(), True),
    ("The invoice is wrong again.", "What a nightmare! Let me look.", set(), True),
    (
        "The shower in our room was cold all weekend.",
        "Three days without a hot shower isn't acceptable.",
        set(),
        True,
    ),
    (
        "Someone logged in to my account from abroad!",
        "A login you didn't make is alarming, I understand.",
        PREDICATE,
        True,
    ),
    # ...not a price remarked on, nor a plain count of days.
    ("How much is the lunch deal?", "What a shock of a price for a sandwich.", set(), False),
    ("When will it arrive?", "Five days isn't long to wait for a custom order.", set(), False),
    # The experience validated, and a state of distress understood in an idiom.
    (
        "The damp in my flat is back and my son's asthma is worse.",
        "That is not something anyone should have to live with.",
        VALIDATION,
        True,
    ),
    (
        "I've chased this refund four times now.",
        "You shouldn't have to deal with this.",
        VALIDATION,
        True,
    ),
    (
        "Third missed delivery this week, I give up.",
        "It's completely understandable that you're at the end of your tether.",
        VALIDATION,
        True,
    ),
    # A hard situation called hard, with feeling; not a hedge, nor the agent's own past.
    (
        "My mum reads all my messages and says it's her phone plan so she can.",
        "Being 17 and having no private space is genuinely hard.",
        PREDICATE,
        True,
    ),
    ("When will my parcel arrive?", "It's really hard to say, sorry.", set(), False),
    ("I feel so alone since the breakup.", "I was really lonely after mine.", set(), False),
    # Self-blame answered, and an ordeal's toll named.
    (
        "I clicked the fake link and typed in my card number, I feel so stupid.",
        "You're honestly not an idiot, those messages fool thousands of people.",
        PREDICATE,
        True,
    ),
    (
        "Night shifts all week, I'm wrecked.",
        "Night shifts really take it out of you.",
        PREDICATE,
        True,
    ),
    ("Can I pay the fee by card?", "We'll take it out of your account on Friday.", set(), False),
    (
        "Night shifts all week, I'm wrecked.",
        "Night shifts can really take it out of you.",
        PREDICATE,
        True,
    ),
    # ...but not a rule stated about a charge.
    ("Why was I charged a late fee?", "You shouldn't have to pay a late fee online.", set(), False),
    # Feelings named in the forms of supportive talk.
    (
        "My boss keeps adding deadlines and I can't sleep.",
        "It sounds like you are under a lot of stress.",
        VALIDATION,
        True,
    ),
    ("My boss keeps adding deadlines.", "I'm sorry you going through this.", VALIDATION, True),
    (
        "I failed my driving test again and feel useless.",
        "It is natural to feel low after a setback like that.",
        {"emotional_acknowledgement.understanding"},
        True,
    ),
    # Sympathy with "that", mistreatment named, a failing called unacceptable.
    (
        "I've emailed three times with no reply.",
        "I'm sorry that you've had to chase us three times.",
        VALIDATION,
        True,
    ),
    (
        "The courier was rude to my mother.",
        "That is not how anyone should be treated.",
        VALIDATION,
        True,
    ),
    (
        "The courier was rude to my mother.",
        "I'm sorry she was spoken to like that.",
        VALIDATION,
        True,
    ),
    (
        "The second kettle leaks too.",
        "It isn't acceptable that the second one leaks as well.",
        VALIDATION,
        True,
    ),
    ("The second kettle leaks too.", "This wasn't the right model for your hob.", set(), False),
    # The effect on the customer named in the company's voice, or the complaint validated.
    ("The shop was closed when I arrived.", "We never want to disappoint you.", VALIDATION, True),
    (
        "My train was cancelled this morning.",
        "We hope the cancellation hasn't caused too much inconvenience.",
        VALIDATION,
        True,
    ),
    (
        "They charged me twice for one sandwich.",
        "That's ridiculous, two charges for one!",
        VALIDATION,
        True,
    ),
    # Validation in everyday idiom, and feelings heard or named in the customer's words.
    (
        "I've been locked out of my account for three days.",
        "Three days locked out would drive anyone up the wall.",
        VALIDATION,
        True,
    ),
    (
        "I've been locked out of my account for three days.",
        "Anyone would be fed up.",
        VALIDATION,
        True,
    ),
    (
        "I've been locked out of my account for three days.",
        "I totally get why you're fed up.",
        VALIDATION,
        True,
    ),
    (
        "I've been locked out of my account for three days.",
        "I can hear how stressed you are.",
        VALIDATION,
        True,
    ),
    ("I've been locked out of my account for three days.", "What a nightmare.", SYMPATHY, True),
    # The hardship named with what happened to the customer, how long they waited, or
    # how far it fell short of what the company wants.
    (
        "Someone stole my phone on the train.",
        "Losing your phone on a journey is so stressful.",
        VALIDATION,
        True,
    ),
    (
        "I've been on hold for fifty minutes.",
        "Fifty minutes is far too long to be kept waiting.",
        VALIDATION,
        True,
    ),
    (
        "The driver was rude and threw my parcel.",
        "That's not how we want our drivers to treat anyone.",
        VALIDATION,
        True,
    ),
    ("The driver swore at me.", "That's not acceptable.", VALIDATION, True),
    # ... but not a plan called hard, or "what we want" as a question of the agent's.
    ("My parcel is late.", "Tracking your parcel is hard to do from here.", set(), False),
    ("My parcel is late.", "What we want is your order number.", set(), False),
    # Naming, validating or sympathising with the customer's feelings or experience.
    (
        "My flight was cancelled and I missed my sister's wedding.",
        "That must have been so upsetting.",
        VALIDATION,
        True,
    ),
    (
        "I've been trying to log in all morning.",
        "I can see why that's frustrating.",
        VALIDATION,
        True,
    ),
    ("I was on hold for two hours.", "I'd be upset too.", VALIDATION, True),
    ("My dog got ill after eating your food.", "I'm sorry to hear that.", SYMPATHY, True),
    (
        "The courier threw my parcel over the fence.",
        "That's not the experience we want you to have.",
        SYMPATHY,
        True,
    ),
    (
        "I'm really worried my details were leaked.",
        "I understand how worrying this must be.",
        VALIDATION,
        True,
    ),
    ("I'm so stressed about this bill.", "That sounds really stressful.", VALIDATION, True),
    (
        "My package went missing right before Christmas.",
        "Oh no, what a hassle right before the holidays.",
        SYMPATHY,
        True,
    ),
    (
        "I'm anxious about the hospital bill.",
        "It's completely understandable to feel anxious about that.",
        VALIDATION,
        True,
    ),
    (
        "I've called five times this week about the same fault.",
        "You deserve better than this.",
        SYMPATHY,
        True,
    ),
    (
        "I feel so let down by your service.",
        "Your disappointment makes complete sense.",
        VALIDATION,
        True,
    ),
    (
        "This is my third broken blender this year.",
        "I can only imagine how annoying that is.",
        SYMPATHY,
        True,
    ),
    (
        "My card was declined at the till and everyone stared.",
        "How embarrassing, I'm sorry that happened to you.",
        SYMPATHY,
        True,
    ),
    (
        "I've been waiting on this refund for a month.",
        "A month is far too long, I'd be frustrated too.",
        VALIDATION,
        True,
    ),
    (
        "My order was cancelled twice and I'm fuming.",
        "I'm not surprised you're frustrated.",
        VALIDATION,
        True,
    ),
    (
        "My order was cancelled twice and I'm fuming.",
        "We can't imagine how stressful that was.",
        VALIDATION,
        True,
    ),
    # More words for how it felt, in the same frames.
    (
        "A man followed me from the station to my door.",
        "That must have been really frightening.",
        VALIDATION,
        True,
    ),
    ("I had to re-enter all forty payees by hand.", "That's such a pain.", VALIDATION, True),
    (
        "The app logged me out five times today.",
        "It's infuriating when that happens.",
        VALIDATION,
        True,
    ),
    # A positive feeling, acknowledged.
    ("Thanks, it works now!", "Glad to hear it's working now!", POSITIVE, True),
    (
        "I finally got my refund, thank you!",
        "That's great news, thanks for letting us know!",
        POSITIVE,
        True,
    ),
    ("We love the new sofa!", "Happy to hear you're enjoying it!", POSITIVE, True),
    # Glad about what happened, said as a clause rather than "glad to hear".
    (
        "The new router fixed it, the signal is great now!",
        "So glad the new router made a difference!",
        POSITIVE,
        True,
    ),
    ("My refund came through this morning.", "Pleased your refund has arrived.", POSITIVE, True),
    ("My refund came through this morning.", "Happy to help with anything else.", set(), False),
    # An apology for an error that says nothing of how it affected the customer.
    (
        "I emailed you a week ago and heard nothing.",
        "Sorry for the delay in replying.",
        set(),
        False,
    ),
    ("You sent the wrong invoice.", "Apologies for the typo in the invoice.", set(), False),
    # Reflecting how the customer feels about their situation, checked with a "?".
    (
        "Nobody at work listens to me.",
        "So you feel that your ideas get overlooked?",
        {"emotional_acknowledgement.reflection"},
        True,
    ),
    (
        "I keep crying at night.",
        "You're feeling worn down by all of it.",
        {"emotional_acknowledgement.reflection"},
        True,
    ),
    ("I keep crying at night.", "If you're feeling worn down, rest.", set(), False),
    # Sharing the experience; being as upset as the customer would be.
    ("My flat flooded.", "I can relate, my kitchen flooded last spring.", SYMPATHY, True),
    ("They cancelled my wedding venue.", "I'd be furious too!", VALIDATION, True),
    ("Nobody replies to my emails.", "It's frustrating to feel ignored.", VALIDATION, True),
    (
        "The parcel still hasn't come.",
        "This delay is making you anxious, I can tell.",
        VALIDATION,
        True,
    ),
    # Advice about feelings, and praise of a plan, are not acknowledgement.
    ("I can't sleep.", "A long walk will make you feel calmer.", set(), False),
    ("I'm so upset with my sister.", "Let your sister know how upset you are.", set(), False),
    ("I'll start running every morning.", "That sounds like a great plan.", set(), False),
    # Naming the customer's feeling: partial credit that a second cue lifts.
    (
        "I moved house and nobody helps.",
        "Your worries about the move are worth taking seriously.",
        {"emotional_acknowledgement.named_feeling"},
        True,
    ),
    (
        "I was on hold for an hour.",
        "Waiting on hold is stressful.",
        {"emotional_acknowledgement.feeling_word"},
        False,
    ),
    ("The fix isn't out.", "We're working hard on the fix.", set(), False),
    ("Can I get a refund?", "I'm afraid we can't refund opened items.", set(), False),
    # Saying it understands, without naming the feeling: partial credit.
    (
        "My landlord ignores me.",
        "I can totally understand your situation.",
        {"emotional_acknowledgement.understanding"},
        False,
    ),
    ("My flight was delayed.", "We work to get you on your way.", set(), False),
    # Telling the customer how to feel; blaming their feelings.
    ("I'm furious, the router died again.", "Calm down.", set(), False),
    ("This is the third time it has crashed!", "There's no need to be upset.", set(), False),
    ("I hate this app so much.", "I'm sorry you feel that way.", set(), False),
    (
        "I'm so angry about these charges.",
        "Don't get so worked up, it's only five pounds.",
        set(),
        False,
    ),
    (
        "I'm upset about the damaged table.",
        "You're overreacting, it's a tiny scratch.",
        set(),
        False,
    ),
    # Information, actions and questions with no feeling in them.
    ("My order is late.", "Your order will arrive on Friday.", set(), False),
    ("The checkout page keeps failing.", "Please clear your cache and try again.", set(), False),
    ("The refund hasn't arrived.", "Refunds take five to seven working days.", set(), False),
    ("My parcel never came.", "Please DM us your order number.", set(), False),
    ("It's been a nightmare week with your app.", "What is your username?", set(), False),
    # A feeling named in "must have been", "that's …" and "… is understandable" frames,
    # and validation idioms.
    (
        "The pharmacy put the wrong pills in my dad's box.",
        "That must have been a real shock.",
        VALIDATION,
        True,
    ),
    ("The gig I booked for my son's birthday is off.", "Oh, that's gutting.", VALIDATION, True),
    (
        "The warning light came on halfway up the motorway.",
        "That's understandably unnerving.",
        VALIDATION,
        True,
    ),
    (
        "I'm so nervous about the operation on Friday.",
        "Feeling nervous is completely understandable.",
        VALIDATION,
        True,
    ),
    ("My sister didn't ask me to her hen do.", "That would hurt anyone.", VALIDATION, True),
    (
        "The bins haven't been emptied for three weeks and rats are getting in.",
        "Rats in the bins is the last thing you need.",
        SYMPATHY,
        True,
    ),
    (
        "We split up and I still live in the flat we shared.",
        "Living with all those reminders must make it so much harder.",
        VALIDATION,
        True,
    ),
    (
        "You marked my order delivered and it isn't here.",
        "Being told it's delivered when nothing came is so frustrating.",
        VALIDATION,
        True,
    ),
    (
        "Our seats were behind a pillar.",
        "Half the stage hidden is not what you paid for.",
        SYMPATHY,
        True,
    ),
    (
        "The courier threw my box over the fence.",
        "That's not how any box should be handled.",
        VALIDATION,
        True,
    ),
    # Feeling words in advice or in questions are still not acknowledgement.
    ("My exam is tomorrow.", "Try to get some sleep so you feel fresh.", set(), False),
    (
        "Why did my plan jump to 16 dollars with no warning?",
        "Sorry the price rise caught you off guard.",
        SYMPATHY,
        True,
    ),
    (
        "There are 2400 rupees of calls I never made.",
        "I can understand how alarming an unexpected charge like that is.",
        VALIDATION,
        True,
    ),
    (
        "My card was declined twice at the till, so embarrassing.",
        "That sounds really embarrassing.",
        VALIDATION,
        True,
    ),
    ("I pay for 500 meg and get 20.", "I'd be fed up too.", VALIDATION, True),
    (
        "The water was off all weekend and we had guests.",
        "That must have been awkward with guests over.",
        VALIDATION,
        True,
    ),
    (
        "Still no sofa after eight weeks, we're sitting on the floor.",
        "Eight weeks on the floor isn't much fun.",
        SYMPATHY,
        True,
    ),
    ("My new phone came a day early!", "What a lovely surprise!", POSITIVE, True),
    (
        "The fries were missing and the burger was cold.",
        "That makes for a really disappointing dinner.",
        VALIDATION,
        True,
    ),
    ("An hour on hold just to move my number.", "An hour on hold, that's not on.", SYMPATHY, True),
    (
        "Last time I moved it took three weeks to get connected.",
        "Sorry your last move was such a hassle.",
        VALIDATION,
        True,
    ),
    (
        "My broadband drops every evening and I work from home.",
        "I understand how disruptive that is.",
        VALIDATION,
        True,
    ),
    (
        "The box was soaked through from the rain.",
        "That must've been gutting to open.",
        VALIDATION,
        True,
    ),
    (
        "My parcel has said out for delivery for three days.",
        "Ah no, that's rubbish.",
        VALIDATION,
        True,
    ),
    (
        "I've slept on the floor for weeks and my back hurts.",
        "That sounds miserable, honestly.",
        VALIDATION,
        True,
    ),
    ("I've £14 until payday and a key meter.", "That's a really tight spot.", VALIDATION, True),
    (
        "I love my mum but I resent her some days.",
        "It sounds like you're caught between love and resentment.",
        {"emotional_acknowledgement.reflection"},
        True,
    ),
    (
        "A debt collector wrote to me out of nowhere.",
        "A letter like that would freak anyone out.",
        VALIDATION,
        True,
    ),
    (
        "The van never came and I took the day off.",
        "A whole day off wasted is maddening.",
        VALIDATION,
        True,
    ),
    (
        "Two years since I last saw anyone properly.",
        "Two years is a long time to go with so little company.",
        VALIDATION,
        True,
    ),
    ("I'm not knocking on every door at 10pm.", "I wouldn't want to either.", SYMPATHY, True),
    ("It's been eight days.", "Please be assured your concern is important to us.", set(), False),
    (
        "I sent the form on 3 May and it still says received.",
        "That's a long time to be left waiting with no update.",
        VALIDATION,
        True,
    ),
    ("My crown fell out while I was eating.", "Oh, you poor thing.", SYMPATHY, True),
    (
        "Three weeks of cold showers in Block C.",
        "Three weeks of cold showers is not on.",
        VALIDATION,
        True,
    ),
    (
        "I deleted the whole folder, my boss will kill me.",
        "Totally get the panic, but this is fixable.",
        VALIDATION,
        True,
    ),
    (
        "Can't make my 2pm, my kid's sick.",
        "No worries, hope the little one feels better soon.",
        SYMPATHY,
        True,
    ),
    (
        "Two months and four applications, no reply.",
        "Four applications and silence would do anyone's head in.",
        VALIDATION,
        True,
    ),
    (
        "The dealer cancelled my appointment twice.",
        "We apologise for the time you've lost from work.",
        VALIDATION,
        True,
    ),
    (
        "I'm anxious about the extraction.",
        "Lots of people feel anxious after that, and it's completely valid.",
        VALIDATION,
        True,
    ),
    ("The photo of the well made me cry, thank you.", "Oh, that's lovely!", POSITIVE, True),
    # The burden named: "a lot to carry", "what a grim way to start the week".
    (
        "The vet bill came to £900 and I'm on my own with three cats.",
        "That is a lot to carry on your own.",
        VALIDATION,
        True,
    ),
    (
        "The removal van turned up six hours late and then broke our wardrobe.",
        "What a dreadful way to start in a new house.",
        VALIDATION,
        True,
    ),
    (
        "The ticket machine at the depot took my tenner and gave nothing.",
        "Losing a tenner to the machine at the depot is so frustrating.",
        PREDICATE,
        True,
    ),
    # From a fifth round of blind replies.
    (
        "Our dog swallowed a toy and needed surgery on Friday.",
        "That must have been a terrifying Friday for you.",
        VALIDATION,
        True,
    ),
    (
        "They left the sofa in the hallway.",
        "That's a rotten way for the move to end.",
        VALIDATION,
        True,
    ),
    (
        "The grant hasn't come and I borrowed rent from my brother.",
        "Borrowing rent sounds really uncomfortable.",
        VALIDATION,
        True,
    ),
    (
        "I work nights and I'm new in town.",
        "Working nights makes it so much harder to meet people.",
        VALIDATION,
        True,
    ),
    (
        "My father died last week and I need to close his account.",
        "Please accept our condolences.",
        {"emotional_acknowledgement.sympathy"},
        True,
    ),
    (
        "I typed the wrong account number, I feel like an idiot.",
        "Honestly, that's an easy mistake to make.",
        VALIDATION,
        True,
    ),
    (
        "I've reported the broken heater four times.",
        "Four reports would test anyone's patience.",
        VALIDATION,
        True,
    ),
    (
        "The printer jammed right before my exam.",
        "No wonder the morning felt so rushed.",
        VALIDATION,
        True,
    ),
    ("The mock exam went badly.", "Mock results are the worst.", VALIDATION, True),
    # Telling the customer not to worry, and "unfair" about a policy, are not acknowledgement.
    (
        "I'm scared the pension was overpaid.",
        "Thanks for letting us know, and there's no need to worry.",
        set(),
        False,
    ),
    (
        "My son's ticket can't be changed?",
        "It would be unfair to other travellers to make an exception.",
        set(),
        False,
    ),
    # From a sixth round of blind replies (phone, e-mail and chat registers).
    (
        "The power cut is on Thursday and my husband uses oxygen.",
        "That sounds really frightening.",
        VALIDATION,
        True,
    ),
    (
        "After what happened to my neighbour I don't want a smart meter.",
        "I can completely see why you'd be wary.",
        VALIDATION,
        True,
    ),
    (
        "My parcel has been stuck for ten days.",
        "Ten days must feel like forever.",
        VALIDATION,
        True,
    ),
    (
        "My premium went up by sixty pounds with no claims.",
        "That would put anyone's nose out of joint.",
        VALIDATION,
        True,
    ),
    # An understatement of the customer's ordeal, understood; the ordeal itself, judged.
    (
        "Still waiting on my deposit back from the letting agent.",
        "We know waiting on a deposit isn't ideal.",
        VALIDATION,
        True,
    ),
    (
        "Nine days with no hot water and two kids.",
        "Nine days without hot water with two little ones is awful.",
        VALIDATION,
        True,
    ),
    (
        "The lift in my block broke again.",
        "A whole week of stairs with shopping is far too long.",
        VALIDATION,
        True,
    ),
    ("How long do refunds take?", "Refunds take five working days.", set(), False),
    # Feelings named in more frames: "I'd be climbing the walls", "would wear anyone
    # down", "makes total sense", "must feel deflating", "not the evening you planned".
    (
        "The builders have been drilling next door since six every morning.",
        "Six every morning? I'd be climbing the walls.",
        VALIDATION,
        True,
    ),
    (
        "I've been on my own in the flat since the kids moved out.",
        "That kind of quiet would wear anyone down.",
        VALIDATION,
        True,
    ),
    (
        "I keep crying over the old house.",
        "Missing the house you raised them in makes total sense.",
        VALIDATION,
        True,
    ),
    (
        "Rejected again, fifth interview this month.",
        "Five interviews and another no, that must feel deflating.",
        VALIDATION,
        True,
    ),
    (
        "The band cancelled an hour before our wedding reception.",
        "That is not the evening you planned, and that's on us.",
        VALIDATION,
        True,
    ),
    (
        "The fire alarm went off at 3am because of your sensor.",
        "That's mortifying with the whole building outside.",
        VALIDATION,
        True,
    ),
    ("Can I move my booking?", "That makes sense, I'll check the diary.", set(), False),
    # A negation in the subject does not cancel the predicate; one in the predicate does.
    (
        "My exams start Monday and my router died.",
        "Exams and no internet is genuinely stressful.",
        PREDICATE,
        True,
    ),
    ("Is it a big problem?", "It is not so frustrating, honestly.", set(), False),
    # A feeling normalised, stakes understood, the body's state named.
    (
        "I'm so angry at my sister for missing the funeral.",
        "Anger is a really common part of grief.",
        VALIDATION,
        True,
    ),
    (
        "The train's cancelled and my job interview is at ten.",
        "I know how much is riding on it.",
        VALIDATION,
        True,
    ),
    (
        "Been at the bus stop 50 minutes in the sleet.",
        "Sorry, you must be freezing.",
        VALIDATION,
        True,
    ),
    ("Cancel my landline please.", "Easily done!", set(), False),
    # Invitations and farewells are not acknowledgements.
    ("I'm off to Lisbon tomorrow!", "We'd love to hear about the trip.", set(), False),
    ("Close my account.", "We're sorry to see you go.", set(), False),
    # More frames: a long time to watch, sorry for the scare, a cold shower is grim, how
    # much they mean, more hassle than it should be, a huge load, a real toll, of course.
    (
        "The upload has been stuck at 87% for two hours.",
        "That's a long time to watch a progress bar.",
        VALIDATION,
        True,
    ),
    ("My vault looked empty!", "Sorry for the scare!", VALIDATION, True),
    ("The showers are cold again.", "A cold shower in January is grim.", PREDICATE, True),
    ("My wedding photos vanished.", "I know how much those photos mean.", VALIDATION, True),
    (
        "It took me twenty minutes to find the cancel button.",
        "That's more hassle than it should be.",
        VALIDATION,
        True,
    ),
    (
        "I'm caring for my brother and working full time.",
        "That's a huge load for one person.",
        VALIDATION,
        True,
    ),
    (
        "I never get a night off from caring for her.",
        "Caring for someone around the clock takes a real toll.",
        VALIDATION,
        True,
    ),
    ("I've explained it six times today.", "Of course you're tired.", VALIDATION, True),
    ("My chest goes tight and I can't breathe.", "I know they feel terrifying.", VALIDATION, True),
    ("Console is on wifi.", "Good to know.", set(), False),
    # A bare, intensified "I'm so sorry." is sympathy; "so sorry for the delay" is not.
    ("My dad died on Sunday.", "I'm so sorry.", VALIDATION, True),
    ("Still waiting on my reply.", "We're so sorry for the delay in replying.", set(), False),
    # More frames: "must have hurt", "a week without the car is a lot", "I hear that
    # guilt", "you're doing everything you can", "not how your order should show up",
    # "it's not weird at all", "would wear anyone out", "I'd be puzzled too", "maddening".
    ("My mum laughed when I failed my test.", "That must have hurt.", VALIDATION, True),
    (
        "The garage has had my car all week.",
        "I know a week without the car is a lot.",
        VALIDATION,
        True,
    ),
    ("I feel guilty asking for help.", "I hear that guilt.", VALIDATION, True),
    (
        "I've tried everything to keep the heating on.",
        "You're doing everything you can.",
        VALIDATION,
        True,
    ),
    (
        "The bag was open and half the fries gone.",
        "That's not how your order should show up.",
        VALIDATION,
        True,
    ),
    ("Is it weird I still miss him?", "It's not weird at all.", PREDICATE, True),
    (
        "The baby's been coughing all night for a fortnight.",
        "A fortnight of broken nights would wear anyone out.",
        VALIDATION,
        True,
    ),
    ("Why was I billed twice?", "I'd be puzzled too.", VALIDATION, True),
    ("Hundreds of spam emails a day now.", "That sounds maddening.", VALIDATION, True),
    # Support-chat frames: a real shock, heavy news, the hardest part, it makes sense to
    # feel, a common part of grief, it takes a lot to admit, it really hurts, no deadline;
    # "…is really poor", "not the response we'd expect", "stoked to hear it".
    (
        "Six years together and she ended it over a video call.",
        "That sounds like a real shock.",
        VALIDATION,
        True,
    ),
    ("My dad's cancer is back.", "That's such heavy news to carry.", VALIDATION, True),
    (
        "Weekends are the worst since I moved here.",
        "Weekends can be the hardest part when you're new somewhere.",
        VALIDATION,
        True,
    ),
    (
        "My ex texted me and I don't know what I feel.",
        "It makes a lot of sense to feel pulled both ways.",
        VALIDATION,
        True,
    ),
    (
        "I keep picking up the phone to call her.",
        "That's such a common part of grief.",
        VALIDATION,
        True,
    ),
    ("I think I've been a bad friend.", "It takes a lot to admit that.", VALIDATION, True),
    (
        "They laughed at me in front of everyone.",
        "Being laughed at like that really hurts.",
        VALIDATION,
        True,
    ),
    (
        "Everyone says I should be dating again already.",
        "There's no deadline on that.",
        PREDICATE,
        True,
    ),
    (
        "Third failed delivery and I was home every time.",
        "Three failed attempts is really poor.",
        PREDICATE,
        True,
    ),
    (
        "Your staff told me it was not their problem.",
        "That's not the response we'd expect from our team.",
        VALIDATION,
        True,
    ),
    ("The 5G here is unreal!", "Stoked to hear it!", POSITIVE, True),
    ("Is it normal to feel numb?", "Lots of students go through this.", set(), False),
    # "Must be tiring", "sorry you're dealing with that", "sorry about your experience",
    # "fair to be irritated", "every reason to feel let down", "sorry for the alarm",
    # "that is shocking".
    ("Your app logs me out every day.", "That must be tiring to fix every day.", VALIDATION, True),
    (
        "Someone got into my account.",
        "I'm sorry you're dealing with that.",
        VALIDATION,
        True,
    ),
    (
        "The map sent me into a field.",
        "We're sorry about your experience with Maps.",
        VALIDATION,
        True,
    ),
    ("The food went to the wrong tower.", "Totally fair to be irritated.", VALIDATION, True),
    (
        "It was sold as new but it's used.",
        "You have every reason to feel let down.",
        VALIDATION,
        True,
    ),
    ("I got a cancellation email!", "I'm sorry for the alarm this caused.", VALIDATION, True),
    ("They sent soap instead of a phone.", "That is shocking.", VALIDATION, True),
    # Support-chat forms from a blind set of peer-support replies (12-05)
    (
        "My brother hasn't spoken to me since the wedding.",
        "That sounds unbearable.",
        VALIDATION,
        True,
    ),
    (
        "I was rejected after four interviews.",
        "Four rounds and then a no is crushing.",
        PREDICATE,
        True,
    ),
    (
        "My flatmate moved out without a word.",
        "That would make me doubt everything too.",
        VALIDATION,
        True,
    ),
    ("I moved here alone for the job.", "A new city can be really isolating.", VALIDATION, True),
    (
        "My hands shake before every exam.",
        "That's a very normal reaction to pressure.",
        VALIDATION,
        True,
    ),
    ("I don't want to seem needy.", "It's not needy to want a reply.", PREDICATE, True),
    ("My grandmother died on Sunday.", "Oh, I'm so sorry.", VALIDATION, True),
    (
        "Both of them vent to me about each other.",
        "Sorry you're caught in the middle of that.",
        VALIDATION,
        True,
    ),
    ("My parcel went to the wrong town.", "I'd be reeling too.", VALIDATION, True),
    ("The plan is too heavy for me.", "The new plan can be cancelled online.", set(), False),
    ("Can I get a receipt?", "A normal receipt is emailed on request.", set(), False),
    # Brand support on Twitter, from a blind set (12-05)
    (
        "Lunch is 50 minutes late.",
        "Fifty minutes for a sandwich, I'd be hangry too.",
        VALIDATION,
        True,
    ),
    (
        "The milk was sour a week before its date.",
        "That's not what you want to find.",
        VALIDATION,
        True,
    ),
    ("The conductor let me on for free today!", "So glad she made your morning!", POSITIVE, True),
    ("Saved £30 with the new offer!", "Love that! A great saving.", POSITIVE, True),
    ("I booked the trip to Lisbon.", "You're going to love it!", set(), False),
    ("Can you help me move my booking?", "I'd be happy to help with that too.", set(), False),
]


@pytest.mark.parametrize(
    ("customer", "agent", "rules", "shows"), EMOTION_CASES, ids=_ids(EMOTION_CASES)
)
def test_emotional_acknowledgement(customer: str, agent: str, rules: set[str], shows: bool) -> None:
    """The emotional-acknowledgement scorer fires the expected rules and crosses the threshold."""
    _check("emotional_acknowledgement", customer, agent, rules, shows)


# --- active listening ---------------------------------------------------------------------

RESTATES = {"active_listening.restatement"}
REFLECTS = {"active_listening.reflects_details"}
DETAIL_QUESTION = {"active_listening.detail_question"}
ACKNOWLEDGES = {"active_listening.acknowledgement"}
DISMISSES = {"active_listening.dismissive"}

LISTENING_CASES: list[Case] = [
    # The topic every support chat names shows the topic, not a detail heard.
    (
        "The booking for my mum is under the wrong surname.",
        "Sorry, what's the booking reference?",
        set(),
        False,
    ),
    ("I'd like to cancel my account.", "You can cancel it under Account > Settings.", set(), False),
    (
        "My order never turned up.",
        "What's the order number and the email it's under?",
        set(),
        False,
    ),
    # A remedy offered as a question asks nothing about the case.
    (
        "The flowers for my sister's birthday came a day late.",
        "Would you like a refund of the delivery fee or a voucher?",
        set(),
        False,
    ),
    # "Sorry you feel that way" disowns the feeling it names.
    (
        "I've been charged twice and I'm fed up with it.",
        "We're sorry you feel that way.",
        set(),
        False,
    ),
    # ...while the specifics still count.
    (
        "My order 5521 came with the lid cracked.",
        "Sorry about order 5521 - is the crack on the lid or the base?",
        DETAIL_QUESTION,
        True,
    ),
    # Service boilerplate that happens to share a general word is not a restatement.
    (
        "Looking forward to my first trip with you!",
        "We look forward to having you on board!",
        set(),
        False,
    ),
    (
        "Please make sure this never happens again in future.",
        "We'll ensure your comments reach the team for the future.",
        set(),
        False,
    ),
    # "late" is a detail: it must not be lost as the stem of a generic word ("lately").
    (
        "The 8:10 train was late again.",
        "Late, even after last week's timetable change?",
        REFLECTS,
        True,
    ),
    # The identifier every support chat asks for is a generic request, whatever it adds.
    (
        "I changed my address but the bill went to my old flat.",
        "Can you DM us your account number?",
        set(),
        False,
    ),
    (
        "I changed my address but the bill went to my old flat.",
        "What's your account number?",
        set(),
        False,
    ),
    (
        "I changed my address but the bill went to my old flat.",
        "What's the new address you gave us?",
        DETAIL_QUESTION,
        True,
    ),
    # Restating, paraphrasing or summarising the customer's own details.
    (
        "My refund went to my old card and the new one was charged again.",
        "So the refund went to your old card, and the new one was charged again?",
        REFLECTS,
        True,
    ),
    (
        "I asked to change my seat on the Lisbon flight.",
        "About the seat change you mentioned, which flight is it for?",
        RESTATES,
        True,
    ),
    (
        "The blender stopped working after two weeks.",
        "A blender that stops after only two weeks isn't right.",
        REFLECTS,
        True,
    ),
    (
        "The heating in flat 4B has been off since Monday.",
        "If I understand correctly, the heating in 4B has been off since Monday?",
        RESTATES | REFLECTS,
        True,
    ),
    (
        "I was double charged for my gym membership in March.",
        "I can see you were charged twice for the March membership.",
        RESTATES | REFLECTS,
        True,
    ),
    (
        "My son's birthday cake was delivered squashed.",
        "It sounds like the cake arrived squashed on your son's birthday.",
        RESTATES,
        True,
    ),
    (
        "I've been waiting three weeks for the replacement headphones.",
        "You've been waiting three weeks for the replacement headphones, is that right?",
        REFLECTS,
        True,
    ),
    (
        "I ordered the blue sofa but a grey one came.",
        "So you received a grey sofa instead of the blue one?",
        REFLECTS,
        True,
    ),
    # Questions that seek more detail or check understanding.
    (
        "A charge of 40 pounds appeared on my statement.",
        "When did the charge appear?",
        DETAIL_QUESTION,
        True,
    ),
    (
        "My order 1142 arrived without the charger.",
        "Just to confirm, this is order 1142?",
        RESTATES,
        True,
    ),
    (
        "The app logs me out every time I open the camera.",
        "Does it log you out only when you open the camera?",
        DETAIL_QUESTION,
        True,
    ),
    (
        "My password reset email never arrives.",
        "Which email address should the reset link go to?",
        DETAIL_QUESTION,
        True,
    ),
    (
        "The printer shows error E04 after the update.",
        "Is the E04 error showing on the printer screen itself?",
        DETAIL_QUESTION,
        True,
    ),
    (
        "My dishwasher shows error E24.",
        "Could you tell me more about the error message?",
        DETAIL_QUESTION,
        True,
    ),
    # Referring back to a specific detail.
    (
        "The driver left my parcel at the wrong house on Elm Street.",
        "You mentioned Elm Street; I'll ask the driver where on Elm Street it was left.",
        RESTATES | REFLECTS,
        True,
    ),
    # Reflecting the customer's feeling or state back to them.
    (
        "Nobody at the new office talks to me and lunch is the worst part.",
        "You're feeling left out and lonely at the new office.",
        {"active_listening.reflection"},
        True,
    ),
    (
        "I keep lying awake going over the exam results.",
        "I can tell you are worn out by all that waiting.",
        {"active_listening.reflection"},
        True,
    ),
    (
        "Every plan I make with my brother falls through at the last minute.",
        "So you feel that he doesn't take your plans seriously.",
        {"active_listening.reflection"},
        True,
    ),
    # Near misses: a condition, and a sympathy formula (emotional acknowledgement).
    (
        "The landlord still hasn't fixed the boiler.",
        "If you're worried, the helpline is open late.",
        set(),
        False,
    ),
    ("The landlord still hasn't fixed the boiler.", "Sorry to hear you're upset.", set(), False),
    # Inviting the customer to say more about their situation.
    (
        "Things at home have been tense since the summer.",
        "Tell me more about what changed at home.",
        {"active_listening.detail_request"},
        True,
    ),
    (
        "The new manager keeps moving my shifts around.",
        "I'd like to hear more about how the shifts get moved.",
        {"active_listening.detail_request"},
        True,
    ),
    ("My card was declined at the pharmacy.", "Tell us your postcode.", set(), False),
    # The agent's own story echoes the customer's words without restating their details.
    (
        "My mother was ill all winter and I looked after her.",
        "My mother was ill for a long time too.",
        REFLECTS,
        False,
    ),
    (
        "My mother was ill all winter and I looked after her.",
        "Looking after your mother while she was ill all winter is a lot.",
        REFLECTS,
        True,
    ),
    # Naming the customer's feeling beside "you": weak on its own, lifts an echo.
    (
        "Work has been rough lately.",
        "Your stress is clear.",
        {"active_listening.feeling_reference"},
        False,
    ),
    (
        "I've been anxious about the move for weeks.",
        "That move has you anxious, and moving is a lot.",
        {"active_listening.feeling_reference"} | REFLECTS,
        True,
    ),
    ("Work has been rough lately.", "Stress is common.", set(), False),
    # The agent's own story: "when I…" opens a clause, not a question; "me too" talk.
    (
        "I can't focus on my revision for the exams.",
        "When I revised for my exams I used flash cards.",
        REFLECTS,
        False,
    ),
    (
        "I can't focus on my revision for the exams.",
        "When do your exams start?",
        DETAIL_QUESTION,
        True,
    ),
    ("Night school is wearing me out.", "I'm at night school as well.", REFLECTS, False),
    (
        "Night school is wearing me out.",
        "Night school on top of work wears anyone out.",
        REFLECTS,
        True,
    ),
    # "So you couldn't…", "you mean…?": checking what the customer said.
    (
        "The vet was closed so nobody came out to see the dog.",
        "So you couldn't get a house call for the dog.",
        RESTATES,
        True,
    ),
    ("My landlord didn't answer.", "You mean he never called back?", RESTATES, True),
    # The customer's story about someone else, restated from the start of a sentence.
    (
        "We were chatting every day and now nothing. She still posts online though.",
        "hmm so she's active online, just not with you.",
        RESTATES,
        True,
    ),
    (
        "I lent my brother the deposit in March.",
        "Okay. So he never paid it back?",
        RESTATES,
        True,
    ),
    # ...not "so" joining a consequence to the sentence before it.
    (
        "My daughter's bag never arrived.",
        "The desk at the airport knows best, so she's welcome to ask there.",
        set(),
        False,
    ),
    ("The vet was closed so nobody came to the dog.", "So you can relax now.", set(), False),
    ("My landlord didn't answer.", "If you mean that, fine.", set(), False),
    # Echoing general words ("maybe", "start") is not restating a detail.
    ("Maybe I should start over somewhere else.", "Maybe start small.", set(), False),
    # A step proposed as a question checks the situation only in passing.
    (
        "My boss shouts at me in meetings.",
        "Have you talked to HR about the meetings?",
        {"active_listening.suggestion_question"},
        True,
    ),
    (
        "My boss shouts at me in meetings.",
        "When did the shouting in meetings start?",
        DETAIL_QUESTION,
        True,
    ),
    # ...so on its own, with none of the customer's details, it is partial credit only.
    (
        "My router keeps dropping the connection.",
        "Have you tried switching it off and on again?",
        {"active_listening.suggestion_question"},
        False,
    ),
    # Bare acknowledgement tokens: partial credit at most.
    ("My train ticket was charged twice.", "I see.", ACKNOWLEDGES, False),
    ("The parcel was crushed when it arrived.", "Got it.", ACKNOWLEDGES, False),
    ("My order hasn't arrived after ten days.", "Okay.", ACKNOWLEDGES, False),
    # Generic questions and requests that fit any conversation.
    ("My internet keeps dropping every evening.", "How can I help?", set(), False),
    ("My refund for the broken lamp hasn't arrived.", "Please DM us your details.", set(), False),
    (
        "My flight to Oslo was cancelled last night.",
        "Is there anything else I can help with?",
        set(),
        False,
    ),
    ("My card was declined at the pharmacy.", "How are you today?", set(), False),
    ("My flat is being sold and I have to move out.", "Hi, how are you feeling now?", set(), False),
    # A greeting's words opening a question about the customer's situation do not make
    # it generic: the question asks about what they said.
    (
        "My flat is being sold and I have to move out.",
        "How are you coping with the move?",
        {"active_listening.detail_question"},
        True,
    ),
    (
        "My exam results came out and I failed two papers.",
        "How are your other results?",
        {"active_listening.detail_question"},
        True,
    ),
    ("My card was declined at the pharmacy.", "What seems to be the problem?", set(), False),
    ("My card was declined at the pharmacy.", "Sorry, what?", set(), False),
    ("My card was declined at the pharmacy.", "What was your question again?", set(), False),
    (
        "My card was declined at the pharmacy.",
        "What's the problem with the reader at the pharmacy?",
        {"active_listening.detail_question"},
        True,
    ),
    (
        "The screen on my new tablet cracked on day one.",
        "What can I do for you today?",
        set(),
        False,
    ),
    (
        "My loyalty points disappeared from my account.",
        "Sorry, could you repeat that?",
        set(),
        False,
    ),
    # Replies that ignore what the customer said.
    (
        "The coffee machine makes a grinding noise.",
        "Thanks for contacting us. Have a nice day!",
        set(),
        False,
    ),
    (
        "The heater in my room is broken and it's freezing.",
        "Our opening hours are nine to five.",
        set(),
        False,
    ),
    (
        "I was charged for a subscription I cancelled in May.",
        "I'm sorry you feel that way.",
        set(),
        False,
    ),
    # "As I already said…"
    (
        "The washing machine leaks from the door.",
        "As I already said, please check the seal.",
        DISMISSES,
        False,
    ),
    (
        "My bag was lost on the flight from Rome.",
        "As I already said, your bag from Rome is being traced.",
        DISMISSES,
        False,
    ),
    ("My bag was lost on the flight from Rome.", "Like I told you, we're on it.", DISMISSES, False),
    # The frame of a letter: a name in "Dear …" or a team in the signature is not a detail.
    (
        "Hi,\n\nMy bill is wrong for the fourth month.\n\nRegards,\nS. Novak",
        "Dear Mr Novak,\n\nThank you for your feedback.\n\nRegards,\nCustomer Team",
        set(),
        False,
    ),
    (
        "Hello,\n\nWhen will my smart meter be fitted?\n\nThanks,\nPriya",
        "Hi Priya,\n\nThanks for getting in touch.\n\nBest wishes,\nThe Metering Team",
        set(),
        False,
    ),
    ("My wifi drops every evening.", "Hi Sam, when did the drops start?", DETAIL_QUESTION, True),
    # Offers, identity checks and idioms put as questions ask nothing about the situation.
    (
        "The charger that came with my phone doesn't work.",
        "Shall I send you a new one?",
        set(),
        False,
    ),
    ("I think my card was skimmed.", "Would you like me to cancel it?", set(), False),
    ("I need to cancel my appointment.", "Can I take your date of birth, please?", set(), False),
    (
        "I need help with my account.",
        "Could you please share your registered mobile number for verification?",
        set(),
        False,
    ),
    ("I have a question about my bill.", "Sure, what would you like to know?", set(), False),
    ("The weather has been wild here.", "Tell me about it!", set(), False),
    # Asking what the customer meant seeks detail.
    (
        "It's the thing with the bill again.",
        "What do you mean?",
        {"active_listening.question"},
        True,
    ),
    ("When is it coming then?", "Can I have your order number please?", set(), False),
    ("mi router the wee light's goin on n off", "Sorry, what was that?", set(), False),
    # An interjection put as a question asks nothing; a link or a sign-off echoes nothing.
    ("That finale was incredible!", "Wasn't it?! Glad you enjoyed it.", set(), False),
    ("Best album of the year, no contest.", "Right?! ^Rosa", set(), False),
    (
        "Does the Orbi speaker work with Android?",
        "All the details are at orbi.com/android-speakers",
        set(),
        False,
    ),
    (
        "Thanks to Marta for sorting my refund so fast!",
        "Thank you for the kind words! ^Marta",
        set(),
        False,
    ),
    # Asking for the claim or policy number every chat asks for is no listening.
    ("My car was hit in a car park.", "Okay. Can I take your policy number, please?", set(), False),
    (
        "The heating engineer never came.",
        "Please can you provide your account number and the postcode of the flat?",
        set(),
        False,
    ),
]


@pytest.mark.parametrize(
    ("customer", "agent", "rules", "shows"), LISTENING_CASES, ids=_ids(LISTENING_CASES)
)
def test_active_listening(customer: str, agent: str, rules: set[str], shows: bool) -> None:
    """The active-listening scorer fires the expected rules and crosses the threshold."""
    _check("active_listening", customer, agent, rules, shows)


# --- solution offer -----------------------------------------------------------------------

COMPLETED = {"solution_offer.completed"}
COMMITS = {"solution_offer.commitment"}
LET_ME = {"solution_offer.let_me"}
INSTRUCTS = {"solution_offer.instruction"}
YOU_CAN = {"solution_offer.you_can"}
SUGGESTS = {"solution_offer.suggestion"}

SOLUTION_CASES: list[Case] = [
    # A remedy offered as a question; the account locked; a visit booked; crews on site.
    (
        "The flowers for my sister's birthday came a day late.",
        "Would you like a refund of the delivery fee or a voucher?",
        set(),
        True,
    ),
    (
        "Someone has been using my card!",
        "I've locked the card while we look into it.",
        COMPLETED,
        True,
    ),
    (
        "There's damp coming through the bedroom wall.",
        "A surveyor has been booked for Thursday morning.",
        COMPLETED,
        True,
    ),
    ("The whole street has no power.", "Engineers are on site now.", COMPLETED, True),
    # ...but "what can I sort out for you?" offers nothing yet.
    (
        "I just want to talk to a person.",
        "You've got one! What can I sort out for you?",
        set(),
        False,
    ),
    # Reassurance, hopes and offers to help in general are no concrete step.
    (
        "I can't stop thinking about the breakup.",
        "I'm positive you can get past this!",
        set(),
        False,
    ),
    (
        "My son won't talk to me since the move.",
        "I hope that I can help you a little. What happened after the move?",
        set(),
        False,
    ),
    ("Hi, I have a question.", "Hi Sam, is there something we can help you with?", set(), False),
    (
        "I froze in the interview.",
        "You have good instincts when you can face a situation.",
        set(),
        False,
    ),
    # ...while "when you can, call us" still gives the step.
    ("My card was blocked.", "When you can, give us a call on 0800 123 456.", INSTRUCTS, True),
    # What others do, offered as a way to try; not a remark about others.
    (
        "I don't know what to do with her things. Her bed is still by the radiator.",
        "Some people keep one thing out and pack the rest into a box for later.",
        SUGGESTS,
        True,
    ),
    (
        "It's been a month and I still cry every day.",
        "Some people take longer to heal.",
        set(),
        False,
    ),
    # Where to take the step, then the step.
    (
        "Left my glasses in a cab last night, any way to get them back?",
        "In the app go to Your Trips, pick last night's ride and tap 'I lost an item'.",
        INSTRUCTS,
        True,
    ),
    ("How do I turn off renewal?", "From your account page select Billing.", INSTRUCTS, True),
    # A remedy already under way, said briefly.
    (
        "Lost my phone on the bus, need a new SIM asap",
        "Nightmare. New SIM's in the post.",
        COMPLETED,
        True,
    ),
    (
        "The blender you sent is cracked.",
        "So sorry! The replacement is on its way.",
        COMPLETED,
        True,
    ),
    (
        "Please cancel my veg box after this week.",
        "Done: I've set your veg box subscription to end after Friday's delivery.",
        COMPLETED,
        True,
    ),
    (
        "My loan phone never came.",
        "We've set you up with a loan phone from the Leeds store.",
        COMPLETED,
        True,
    ),
    # ...not news about the customer's own order, nor a note to oneself.
    ("Where's my order?", "Your order is on its way.", set(), False),
    # "before / until you could" narrates what happened; "before you can…" sets a step.
    (
        "The lift got stuck between floors and I was trapped inside.",
        "That sounds terrifying. How long was it before you could get out?",
        set(),
        False,
    ),
    (
        "Why can't I check in for tomorrow's flight?",
        "You must have a seat assigned before you can check in, and you can pick one in the app.",
        YOU_CAN,
        True,
    ),
    # Gladness about a fix already made closes the chat; it proposes nothing new.
    ("Thanks, the line works now.", "You're welcome! Glad we could sort it.", set(), False),
    ("Thanks, the line works now.", "So happy I was able to help you out.", set(), False),
    # A chat-register step, a named party asked, something promised to the customer.
    ("hi my router keeps restarting", "can u try a different power socket", SUGGESTS, True),
    (
        "The replacement kettle leaks too.",
        "I can't promise anything, but I'll ask the warehouse for a different model.",
        COMMITS,
        True,
    ),
    (
        "My order still hasn't arrived.",
        "It's booked on tomorrow's first van and you'll receive a tracking link by 9am.",
        {"solution_offer.promised"},
        True,
    ),
    ("My order still hasn't arrived.", "We'll keep you posted.", set(), False),
    # A disruption reported is news of the problem, not a step; the step beside it counts.
    ("What's happening with my trip?", "Your flight has been cancelled due to fog.", set(), False),
    (
        "What's happening with my trip?",
        "The 9:40 has been cancelled. You should be able to rebook online at no cost.",
        YOU_CAN,
        True,
    ),
    (
        "Can you cancel my booking?",
        "Your booking has been cancelled as you asked.",
        COMPLETED,
        True,
    ),
    ("My seat number is wrong.", "We'll be happy to look into this for you.", COMMITS, True),
    # A named service offered if the customer wants it; a call promised by a team.
    (
        "We just landed two hours late and missed the connection.",
        "Let us know if you need help with rebooking.",
        {"solution_offer.conditional_offer"},
        True,
    ),
    (
        "We just landed two hours late and missed the connection.",
        "Let us know if you need anything else!",
        set(),
        False,
    ),
    (
        "My suitcase still hasn't turned up.",
        "The baggage team will give you a ring as soon as it's found.",
        {"solution_offer.team_commitment"},
        True,
    ),
    # A troubleshooting step put as a question; a fix promised.
    (
        "My router light is flashing orange.",
        "Could you check whether the cable is firmly in the wall socket?",
        {"solution_offer.suggestion_question"},
        True,
    ),
    (
        "My router light is flashing orange.",
        "Our team should have the fault fixed by 6pm.",
        {"solution_offer.fix_by"},
        True,
    ),
    (
        "My router light is flashing orange.",
        "We hope to have you back on board soon.",
        set(),
        False,
    ),
    # Carrying out an action.
    (
        "I was charged twice for my order.",
        "I've issued a full refund for the second charge.",
        COMPLETED,
        True,
    ),
    (
        "My invoice shows the wrong VAT number.",
        "I've corrected the VAT number and sent you a new invoice.",
        COMPLETED,
        True,
    ),
    ("My account got locked after the update.", "Your account has been unlocked.", COMPLETED, True),
    ("My order is stuck in customs.", "I've escalated this to our shipping team.", COMPLETED, True),
    # The same, in the other forms an agent reports an action: the idiom "went ahead and",
    # the passive with the customer as subject, the progressive of a service verb.
    (
        "I was billed for a month I cancelled.",
        "I went ahead and reversed that charge for you.",
        COMPLETED,
        True,
    ),
    ("My train was cancelled this morning.", "You've been rebooked on the 10:40.", COMPLETED, True),
    (
        "The replacement card never came.",
        "You'll be reimbursed for the fee within three days.",
        COMPLETED,
        True,
    ),
    (
        "The replacement card never came.",
        "A new card is being dispatched to your home address.",
        COMPLETED,
        True,
    ),
    (
        "The engineer didn't turn up yesterday.",
        "I'm booking a new engineer visit for you now.",
        {"solution_offer.acting_now"},
        True,
    ),
    (
        "My invoice has the wrong address.",
        "We're reissuing the invoice with the right address.",
        {"solution_offer.acting_now"},
        True,
    ),
    # More verbs of service, and a remedy done to, or promised for, the customer's thing.
    ("I left my bank card on the bus.", "I've frozen your card for now.", COMPLETED, True),
    (
        "The hotel room smelled of smoke.",
        "I've asked housekeeping to air the room this afternoon.",
        COMPLETED,
        True,
    ),
    ("My parcel is two days late.", "I'll chase the courier this morning.", COMMITS, True),
    ("My broadband keeps dropping.", "Let me run a line test from here.", LET_ME, True),
    ("I was charged the wrong fare.", "Your fare was refunded this morning.", COMPLETED, True),
    (
        "The kettle arrived with a cracked lid.",
        "A replacement will be sent out today.",
        COMPLETED,
        True,
    ),
    (
        "My tablet froze on the start screen.",
        "Hold the power button down for ten seconds, then switch it on again.",
        INSTRUCTS,
        True,
    ),
    # Not steps: an event that happened to the customer's thing, a noun "hold", an idiom.
    ("Why was I not told?", "Your flight was cancelled by the airport.", set(), False),
    ("How long is the queue?", "Hold time is about twenty minutes.", set(), False),
    ("My order came with a cracked lid.", "Sorry, we've ran out of lids.", set(), False),
    # A process described, not a step taken for this customer; a greeting, not goods.
    ("Where do I get my seat number?", "Seat numbers will be issued at the gate.", set(), False),
    (
        "It's my birthday flight today!",
        "We're sending you a virtual cake and a big hug!",
        set(),
        False,
    ),
    ("I'm so stressed about the move.", "I'm sending you lots of positive vibes.", set(), False),
    ("I'm so stressed about the move.", "I'll send you a big virtual hug.", set(), False),
    (
        "The coupon code doesn't work.",
        "I have applied the discount to your basket by hand.",
        COMPLETED,
        True,
    ),
    # Committing to or proposing an action.
    ("My kettle arrived broken.", "We'll send a replacement today.", COMMITS, True),
    ("I can't find the tracking link.", "I'll email you the tracking link now.", COMMITS, True),
    (
        "Can I get a refund on the concert tickets?",
        "I'd be happy to process that refund for you.",
        COMMITS,
        True,
    ),
    (
        "The shower in room 12 is cold.",
        "I'm going to send a technician to room 12 right away.",
        COMMITS,
        True,
    ),
    (
        "My subscription renewed by mistake.",
        "We're looking into the renewal and we'll reverse it.",
        COMMITS | {"solution_offer.in_progress"},
        True,
    ),
    ("My booking reference isn't working.", "Let me check that booking for you.", LET_ME, True),
    ("My booking reference isn't working.", "Let me pull your booking up.", LET_ME, True),
    ("My invoice has the wrong address.", "I'll reissue the invoice today.", COMMITS, True),
    ("Nobody told me when the engineer comes.", "I'll text you the time slot.", COMMITS, True),
    # Telling the customer a concrete step they can take.
    (
        "The app won't let me sign in.",
        "Try clearing the app cache, then sign in again.",
        INSTRUCTS,
        True,
    ),
    (
        "The router keeps rebooting.",
        "Unplug it for thirty seconds, then plug it back in.",
        INSTRUCTS,
        True,
    ),
    ("My flight got cancelled.", "You can rebook online at no charge.", YOU_CAN, True),
    ("My delivery slot was missed.", "You can pick a new delivery slot in the app.", YOU_CAN, True),
    (
        "My parcel is missing.",
        "Please DM us your confirmation number so we can fix this.",
        {"solution_offer.contact_request"},
        True,
    ),
    ("The printer jams every time.", "Have you tried a lighter paper?", SUGGESTS, True),
    (
        "My phone screen is flickering.",
        "I'd recommend updating to the latest software.",
        SUGGESTS,
        True,
    ),
    (
        "The microwave arrived with a dent.",
        "I can't refund it, but I can send you a replacement today.",
        COMMITS,
        True,
    ),
    # A step proposed as a question: partial credit, over the threshold.
    (
        "My manager keeps ignoring my emails.",
        "Have you talked to HR about it?",
        {"solution_offer.suggestion_question"},
        True,
    ),
    (
        "I can't cope with the twins alone.",
        "Could you ask a neighbour to take them for an hour?",
        {"solution_offer.suggestion_question"},
        True,
    ),
    (
        "My sister won't call back.",
        "Would it be possible to visit her this weekend?",
        {"solution_offer.suggestion_question"},
        True,
    ),
    ("My manager keeps ignoring my emails.", "Have you talked for long?", set(), False),
    # Softer advice: "I would…", "it might be a good idea", "X is a great way to…".
    (
        "I argued with my flatmate.",
        "I would just give it a few days.",
        {"solution_offer.modal_suggestion"},
        True,
    ),
    (
        "I can't sleep before exams.",
        "Writing lists is a great way to empty your head.",
        {"solution_offer.modal_suggestion"},
        True,
    ),
    (
        "I can't sleep before exams.",
        "You may want to cut coffee after lunch.",
        {"solution_offer.modal_suggestion"},
        True,
    ),
    ("I argued with my flatmate.", "I would love to hear more.", set(), False),
    ("My sister won't call back.", "What about a short letter instead?", SUGGESTS, True),
    ("My sister won't call back.", "What about you?", set(), False),
    ("My sister won't call back.", "Let your sister know you miss her.", SUGGESTS, True),
    ("My sister won't call back.", "You have to focus on yourself for a while.", SUGGESTS, True),
    # Naming a source of help: weak on its own.
    (
        "I can't sleep before exams.",
        "A counsellor at school told me the same thing.",
        {"solution_offer.resource_mention"},
        False,
    ),
    # Encouragement and questions about the customer's wishes are not steps.
    ("I failed my driving test.", "You can do it, I know you will!", set(), False),
    ("I failed my driving test.", "Do you want to talk about it?", set(), False),
    ("I'm so tired.", "Take your time.", set(), False),
    # A wish or a belief about what the customer can do is not a step; the step itself is.
    ("I can't find a cheap flight home.", "I hope you can find a cheaper one.", set(), False),
    ("I can't find a cheap flight home.", "I'm sure you'll sort it out soon.", set(), False),
    (
        "I can't find a cheap flight home.",
        "You can find cheaper fares under Deals.",
        {"solution_offer.you_can"},
        True,
    ),
    # Pure information with no action.
    ("Can I move to the earlier flight?", "That flight was full.", set(), False),
    ("The website keeps crashing.", "Our website had an outage yesterday.", set(), False),
    ("My order hasn't shipped.", "Orders usually ship within five days.", set(), False),
    # Empty reassurance.
    ("The app is awful.", "We're always working to improve.", set(), False),
    (
        "The TV remote doesn't work.",
        "Thanks for the feedback, we'll pass it on to the team.",
        set(),
        False,
    ),
    # Refusing without an alternative.
    ("I need a refund for the broken kettle.", "There's nothing I can do.", set(), False),
    ("My order is missing an item.", "Unfortunately we can't help with that.", set(), False),
    ("I want a refund for these shoes.", "We won't be refunding those.", set(), False),
    ("The lift in my building is broken.", "That's not something we handle.", set(), False),
    (
        "I want my money back for the opened game.",
        "We will not be refunding the game.",
        set(),
        False,
    ),
    ("I want my money back for the opened game.", "We can never refund used items.", set(), False),
    ("I want my money back for the opened game.", "I cannot refund opened items.", set(), False),
    # Asking a question only; sympathy only.
    ("My bill is wrong this month.", "When did you notice the difference?", set(), False),
    ("My card was charged twice.", "Which card did you pay with?", set(), False),
    ("My parcel is late again.", "I'm sorry to hear that.", set(), False),
    ("My parcel is missing.", "How can I help?", set(), False),
    # Actions offered as questions, "let me"/"let's" with other verbs, first steps, and
    # actions already taken in other words.
    (
        "Missed my connection because the first train was late.",
        "Shall I move you to the 18:10?",
        {"solution_offer.offer_question"},
        True,
    ),
    (
        "The 9am to York is cancelled and I have a funeral at 2.",
        "Do you want me to check the 11:52 is running on time?",
        {"solution_offer.offer_question"},
        True,
    ),
    (
        "My card was swallowed by your machine.",
        "Would you like me to reissue the card today?",
        {"solution_offer.offer_question"},
        True,
    ),
    (
        "My prescription has said ready for an hour.",
        "Let me nip back and grab it now.",
        LET_ME,
        True,
    ),
    (
        "I keep getting cut off when I ring.",
        "Right, let's get this sorted while I have you.",
        LET_ME,
        True,
    ),
    (
        "My car was stolen from the drive last night.",
        "The first step is to report it to the police and get a crime number.",
        SUGGESTS,
        True,
    ),
    (
        "Your driver shouted at me.",
        "I've spoken with the driver's manager this morning.",
        COMPLETED,
        True,
    ),
    (
        "You charged me for a scratch that was already there.",
        "The charge was reversed this morning.",
        COMPLETED,
        True,
    ),
    (
        "I can't concentrate before my finals.",
        "One small thing that often helps is a 25-minute timer for one subject.",
        {"solution_offer.suggestion"},
        True,
    ),
    # Vague promises, offers to talk, and "let me know" stay below the line.
    ("My claim has been open a month.", "We will be in touch in due course.", set(), False),
    ("My claim has been open a month.", "Let me know if anything changes.", set(), False),
    ("My boyfriend left me.", "Would you like to talk about it?", set(), False),
    (
        "Nothing is loading.",
        "Please power off the router at the wall for 30 seconds.",
        {"solution_offer.please"},
        True,
    ),
    (
        "The app logs me out whenever I switch apps.",
        "Updating to version 3.8.2 fixes it.",
        SUGGESTS,
        True,
    ),
    (
        "I was charged twice for one ride.",
        "The second charge has now been voided.",
        COMPLETED,
        True,
    ),
    ("My card keeps getting declined.", "I've cleared the block on your card.", COMPLETED, True),
    (
        "The new SIM says no service.",
        "I can push the activation through manually now.",
        COMMITS,
        True,
    ),
    (
        "The power is out on our road.",
        "I've also added you to our priority register.",
        COMPLETED,
        True,
    ),
    (
        "Can I pause my meal box while I'm away?",
        "I've paused your subscription until October.",
        COMPLETED,
        True,
    ),
    (
        "Still waiting for an answer here.",
        "Sorry for the slow reply! Checking now.",
        {"solution_offer.momentary"},
        True,
    ),
    (
        "Can I send the lamp back?",
        "I've attached a prepaid label; pop it on the box and drop it at any post office.",
        INSTRUCTS,
        True,
    ),
    (
        "An hour on hold to port my number.",
        "Flick us a DM with the number and we'll take it from there.",
        {"solution_offer.contact_request"},
        True,
    ),
    ("Thanks, it all works now!", "Glad the issue was resolved!", set(), False),
    ("First time flying, so excited!", "Let's get this party started!", set(), False),
    ("My claim is still open.", "Rest assured you'll hear should we find anything.", set(), False),
    (
        "Nobody came again today.",
        "Your installation is now booked for Thursday 8-12.",
        COMPLETED,
        True,
    ),
    (
        "I need to pay my mortgage today.",
        "Your login's unlocked and a reset link has gone to your email.",
        COMPLETED,
        True,
    ),
    ("Any news on my blender refund?", "Refund's gone through, 3-5 days.", COMPLETED, True),
    ("It's been six hours.", "I've now re-pushed the activation from our side.", COMPLETED, True),
    (
        "Can I get a refund? The food was cold.",
        "Done, refunded.",
        {"solution_offer.brief_action"},
        True,
    ),
    (
        "My 6pm flight was cancelled.",
        "Booked you on tomorrow's 8am instead.",
        {"solution_offer.brief_action"},
        True,
    ),
    (
        "It says Error 503 when I pay.",
        "Cheers, sent to the tech team.",
        {"solution_offer.brief_action"},
        True,
    ),
    ("Can you resend invoice 4471?", "On it!", {"solution_offer.brief_action"}, True),
    ("The PAC code never came.", "Here you go: 2FH 873 221.", set(), True),
    (
        "I booked through Qantas.",
        "Pop your Qantas reference in there and it'll sync.",
        INSTRUCTS,
        True,
    ),
    (
        "The kids are melting down, no food since 6.",
        "Would you like me to reorder from the nearest shop?",
        {"solution_offer.offer_question"},
        True,
    ),
    (
        "The bottom drawers stick.",
        "Can I send the fitter back out on Thursday?",
        {"solution_offer.offer_question"},
        True,
    ),
    (
        "I cried at work today.",
        "Could you book a chat with your GP this week?",
        {"solution_offer.suggestion_question"},
        True,
    ),
    (
        "He says I'm controlling.",
        "Would it help to write the routine down?",
        {"solution_offer.suggestion_question"},
        True,
    ),
    # Not actions: the reply is done with, a turn of phrase, or a question about a detail.
    ("I failed the resit.", "For what it's worth, my mum was kinder than I feared.", set(), False),
    ("Is the form done?", "Once that's done, it should show as paid.", set(), False),
    ("How do I check in?", "Can I check your booking reference?", set(), False),
    (
        "My VPN drops every ten minutes.",
        "Let me push the previous version to your laptop remotely.",
        LET_ME,
        True,
    ),
    (
        "My son spent $89 on skins.",
        "Can lah — request a refund at the store's problem page.",
        INSTRUCTS,
        True,
    ),
    (
        "Water is dripping on the light fitting.",
        "I'm getting an emergency electrician out to you within the hour.",
        {"solution_offer.acting_now"},
        True,
    ),
    (
        "My car wasn't ready at 5.",
        "We can run you home now and drop the car at yours tomorrow.",
        COMMITS,
        True,
    ),
    (
        "I need a 30,000 km service.",
        "I have Friday 2 PM. Shall I block it for you?",
        {"solution_offer.offer_question"},
        True,
    ),
    ("You quoted $480 and billed $760.", "I'll knock it back to the $480 quote.", COMMITS, True),
    (
        "I want a refund for the pass.",
        "I can convert what's left into 800 coins on your account.",
        COMMITS,
        True,
    ),
    (
        "I lost my three-year-old account.",
        "If you send us those, we can try to recover it.",
        COMMITS,
        True,
    ),
    (
        "I'm still getting your magazine.",
        "I've taken you off the mailing list today.",
        COMPLETED,
        True,
    ),
    (
        "The washing machine flooded again.",
        "I have instructed the landlord to replace it outright.",
        COMPLETED,
        True,
    ),
    (
        "My accommodation offer was withdrawn.",
        "Once the deposit is paid, your room will be reinstated.",
        COMPLETED,
        True,
    ),
    (
        "I can't enrol in the module.",
        "Kindly do the needful by submitting the override form.",
        INSTRUCTS,
        True,
    ),
    (
        "The VPN keeps dropping.",
        "Kindly keep it switched on for the next 15 minutes.",
        INSTRUCTS,
        True,
    ),
    # Passing feedback on, a relative clause and a turn of phrase are not actions.
    (
        "I waited 50 minutes past my appointment.",
        "Your feedback is important to us and has been passed to the manager.",
        set(),
        False,
    ),
    ("Kelly's class was amazing!", "Love to hear it, we'll make sure she sees this!", set(), False),
    ("The leak is back.", "Is this the sink that was fixed in August?", set(), False),
    ("I hate the new seats.", "We hear you! Keep that in mind for the future.", set(), False),
    ("Thanks for the great flight!", "We're happy to take you home any time.", set(), False),
    # Actions on the case in forms met in blind replies.
    (
        "The pharmacy says my repeat prescription was never sent.",
        "I'll pull the request history and reopen it with the surgery today.",
        {"solution_offer.commitment"},
        True,
    ),
    (
        "My gym still charges me after I froze the membership.",
        "Let me request a refund of the two charges from accounts.",
        {"solution_offer.let_me"},
        True,
    ),
    (
        "The sofa arrived with a ripped cushion.",
        "I'm adding your photos to the claim and contacting the warehouse now.",
        {"solution_offer.acting_now"},
        True,
    ),
    (
        "Our trial ran out before the audit finished.",
        "I've extended the trial by ten days so you can finish it.",
        {"solution_offer.completed"},
        True,
    ),
    (
        "The locker ate my parcel code.",
        "Please raise it through the app's help page with the locker number.",
        {"solution_offer.please"},
        True,
    ),
    (
        "The dentist's claim was rejected for a missing code.",
        "Ask your dentist to resubmit it with the code on the form.",
        {"solution_offer.instruction"},
        True,
    ),
    # A document sent is not a step; a noun at the start of a sentence is not an order.
    (
        "My card to my gran never arrived.",
        "Please find our delivery standards attached.",
        set(),
        False,
    ),
    ("My storm claim was turned down.", "Claim decisions are final once issued.", set(), False),
    (
        "Your seats are cramped.",
        "We're adding a new aircraft to the fleet each month.",
        set(),
        False,
    ),
    # From a fifth round of blind replies: actions in more forms.
    (
        "The desk I booked is taken.",
        "I've reserved the corner desk for you all week.",
        COMPLETED,
        True,
    ),
    ("My prints came out dark.", "I've queued a free reprint; it ships tomorrow.", COMPLETED, True),
    (
        "Our rental has no child seat.",
        "I've got a colleague bringing one over to you now.",
        COMPLETED,
        True,
    ),
    (
        "My car broke down on the ring road.",
        "I'm sending roadside assistance to you now.",
        {"solution_offer.acting_now"},
        True,
    ),
    (
        "The wardrobe won't fit up the stairs.",
        "We'll have a two-person crew out to you on Monday morning.",
        {"solution_offer.promised"},
        True,
    ),
    (
        "We were billed for 40 seats.",
        "A corrected invoice will be issued by Friday.",
        {"solution_offer.promised"},
        True,
    ),
    (
        "The promo code says invalid.",
        "Here's a fresh code: WINTER5.",
        {"solution_offer.momentary"},
        True,
    ),
    (
        "The VPN drops every hour.",
        "Could you send me the VPN logs so I can see where it fails?",
        {"solution_offer.contact_request"},
        True,
    ),
    (
        "The meeting room wifi rejects my login.",
        "Forget the Guest-WiFi network and join again with your staff password.",
        INSTRUCTS,
        True,
    ),
    (
        "The cake has the wrong name on it.",
        "If you bring it back to the shop, we'll redo the icing while you wait.",
        {"solution_offer.conditional_offer"},
        True,
    ),
    (
        "My interview is tomorrow and I'm a mess.",
        "First thing I'd do is write three examples on a card.",
        {"solution_offer.modal_suggestion"},
        True,
    ),
    # Advice about outlook, a treat and a past perfect are not steps.
    ("My therapist is leaving.", "Try to see it as a new beginning!", set(), False),
    ("My dog died and I can't focus.", "Focus on the happy memories.", set(), False),
    ("I'm caring for my mum alone.", "Remember to look after yourself too.", set(), False),
    ("Thanks for the upgrade!", "We're happy to start your weekend with a treat!", set(), False),
    ("I forgot my bag in the cab.", "I'd already sent the driver home by then.", set(), False),
    # From a sixth round of blind replies: actions said on the phone and in chat.
    (
        "My claim has been open for three weeks.",
        "Bear with me, I'm just pulling up your claim now.",
        {"solution_offer.acting_now"},
        True,
    ),
    (
        "The nurse we saw was the wrong one.",
        "I've got him booked with the asthma nurse on Tuesday.",
        COMPLETED,
        True,
    ),
    (
        "My renewal price went up a lot.",
        "What I can do is match last year's price.",
        COMPLETED,
        True,
    ),
    (
        "I'd rather not get the install letters.",
        "Do you want me to take you off the install list?",
        {"solution_offer.offer_question"},
        True,
    ),
    (
        "Our tutor cancelled three times.",
        "I will assign a new tutor by this evening.",
        COMMITS,
        True,
    ),
    (
        "Where is my refund?",
        "Kindly give me a moment while I check the status.",
        {"solution_offer.momentary"},
        True,
    ),
    (
        "The photo upload fails every time.",
        "If you crop it slightly, it'll go through.",
        {"solution_offer.suggestion"},
        True,
    ),
    ("Dr Patel was brilliant with mum.", "I'll pass your thanks on to Dr Patel.", set(), False),
    # A request for details with no purpose is not a step; with one, or a promise, it is.
    ("My refund never arrived.", "Please DM us your details.", set(), False),
    ("The heater is leaking.", "Hi, please DM us. ^Jo", set(), False),
    ("My parcel is missing.", "Could you send us your order number?", set(), False),
    (
        "My parcel is missing.",
        "Could you send us your order number so we can chase the courier?",
        set(),
        True,
    ),
    (
        "My parcel is missing.",
        "Please DM us your order number. We'll take a closer look today.",
        COMMITS,
        True,
    ),
    # Feedback and suggestions passed on, and holding replies, are not steps.
    ("Bring back the old menu!", "We've passed your suggestion on to the chefs.", set(), False),
    (
        "Huge thanks to the driver on the 42 today.",
        "We'll make sure this reaches the driver.",
        set(),
        False,
    ),
    (
        "When is the new model out?",
        "Keep an eye on our socials for news later this year.",
        set(),
        False,
    ),
    # Work under way, fixes coming, compensation, menu paths and alternatives are.
    (
        "No broadband in the whole street since lunch.",
        "We've got a technician repairing the cabinet on your street now.",
        COMPLETED,
        True,
    ),
    (
        "The app crashes when I open my basket.",
        "A fix is going out tonight.",
        {"solution_offer.fix_coming"},
        True,
    ),
    (
        "The match stream died for an hour.",
        "We're adding 300 coins to every account for the outage.",
        {"solution_offer.compensation"},
        True,
    ),
    (
        "How do I stop the alarm chirping?",
        "Go into Settings > Sounds > Alerts and untick Chirp.",
        {"solution_offer.menu_path"},
        True,
    ),
    (
        "I'm locked out of my card.",
        "We can't unlock it from here, but the app can, or call 0800 123 456.",
        {"solution_offer.alternative_step"},
        True,
    ),
    (
        "The birthday cake has the wrong name.",
        "I've put a new order through for Saturday morning.",
        COMPLETED,
        True,
    ),
    # More forms of acting: an action after "and", a room got ready, a recall put on, a
    # redirect, a clipped "Checking your holds now." / "New code sent.", "I'm removing…".
    (
        "The driver went the long way and I paid double.",
        "I've checked the route and refunded the difference to your card.",
        COMPLETED,
        True,
    ),
    (
        "The heating in room 12 is broken.",
        "I've got a warmer room ready for you on the first floor.",
        COMPLETED,
        True,
    ),
    (
        "I sent the money to the wrong account!",
        "I've put a recall request on the payment.",
        COMPLETED,
        True,
    ),
    (
        "My parcel went to the wrong locker.",
        "I've redirected it to the locker you chose.",
        COMPLETED,
        True,
    ),
    (
        "My library hold disappeared.",
        "Checking your holds now.",
        {"solution_offer.brief_action"},
        True,
    ),
    ("My entry code expired.", "New code sent.", {"solution_offer.brief_action"}, True),
    (
        "The clinic marked me as a no-show but I was there.",
        "I'm removing the no-show from your record.",
        {"solution_offer.acting_now"},
        True,
    ),
    (
        "The cake order is for tomorrow, not today.",
        "No problem — I'll move it to tomorrow at noon.",
        COMMITS,
        True,
    ),
    (
        "Two of my loans hit the renewal limit.",
        "I can extend them both by a week from here.",
        COMMITS,
        True,
    ),
    # Encouragement and thanks for getting in touch are no steps.
    ("My car failed its MOT.", "We'll get through this together.", set(), False),
    ("I just feel so alone lately.", "I'm here if you need to talk.", set(), False),
    (
        "Your engineer was brilliant today.",
        "Thank you for taking the time to send us your feedback.",
        set(),
        False,
    ),
    ("This market drop is scary!", "Please stay calm.", set(), False),
    # Staff sent out, a case handed on, a pass e-mailed, a charge removed, a step after
    # "but"; a charge upheld and how everyone's refunds are processed are not actions.
    (
        "My bin was missed again.",
        "A crew will collect it on Wednesday morning.",
        {"solution_offer.team_commitment"},
        True,
    ),
    (
        "The shower in room 30 is cold.",
        "Maintenance will be up within the hour.",
        {"solution_offer.team_commitment"},
        True,
    ),
    (
        "Someone's spending on my card right now!",
        "I'm connecting you to our fraud team now.",
        {"solution_offer.acting_now"},
        True,
    ),
    (
        "My boarding pass won't load at the gate.",
        "I've emailed your boarding pass to you.",
        COMPLETED,
        True,
    ),
    (
        "I was charged a late fee but paid on time.",
        "The late fee has been removed from your account.",
        COMPLETED,
        True,
    ),
    (
        "You lost my suitcase.",
        "We're sorry these items have been removed from your luggage.",
        set(),
        False,
    ),
    (
        "Can you tell me when it's back in stock?",
        "We can't notify you ourselves, but tap Notify Me on the product page.",
        INSTRUCTS,
        True,
    ),
    (
        "The dishwasher you fitted leaks.",
        "Pop back into the store with your receipt.",
        INSTRUCTS,
        True,
    ),
    (
        "Why did you charge me for the scuffs?",
        "The charges have been applied in line with your lease.",
        set(),
        False,
    ),
    (
        "Where's my refund?",
        "Refunds are being processed as quickly as possible.",
        set(),
        False,
    ),
    (
        "Nothing on the new console yet?",
        "Nothing to share yet, but follow us for news!",
        set(),
        False,
    ),
    (
        "My repair booking disappeared.",
        "Thanks.\n\nKind regards,\nPractice Manager",
        set(),
        False,
    ),
    # Bookings and rebuilds reported, fixes rolling out, a new part going out, people
    # who will call; "that's all updated for you", but not "glad it's sorted".
    (
        "The gym showers have been cold for a week.",
        "Our engineer is booked in for tomorrow morning.",
        COMPLETED,
        True,
    ),
    (
        "My old photos show as blank squares.",
        "I've triggered a rebuild of your thumbnails.",
        COMPLETED,
        True,
    ),
    (
        "The app won't load.",
        "Our engineers are rolling out a fix now.",
        {"solution_offer.fix_coming"},
        True,
    ),
    (
        "My charging cable stopped working.",
        "A new cable is going out by courier today.",
        {"solution_offer.fix_coming"},
        True,
    ),
    (
        "I was hurt when the scooter's brakes failed.",
        "A claims handler will contact you within 24 hours.",
        {"solution_offer.team_commitment"},
        True,
    ),
    ("Here's my new address.", "Thanks, that's all updated for you now.", COMPLETED, True),
    ("It worked, thanks!", "Great, glad it's sorted!", set(), False),
    ("Can I book gowns with you?", "No, it's booked through the supplier's site.", set(), False),
    (
        "The florist cancelled four days before my wedding.",
        "Let me see which of our branches can take it on.",
        LET_ME,
        True,
    ),
    (
        "My mum's care fees went up without notice.",
        "Could you tell me which invoices show the new rate so I can compare them?",
        {"solution_offer.contact_request"},
        True,
    ),
    (
        "The crew were rude to me.",
        "Can you tell us the flight number so we can pass this on?",
        set(),
        False,
    ),
    (
        "My strap reading is way off.",
        "Tighten the strap a notch and it should settle.",
        INSTRUCTS,
        True,
    ),
    (
        "Battery dies in three hours since the update.",
        "Which apps show the most use under Settings > Battery?",
        set(),
        False,
    ),
    ("Your castle set costs £180?!", "Keep an eye on our newsletter for offers.", set(), False),
    # Doctors and surveyors who will act, remedies in the simple past (not in a question),
    # "you've been protected", ready to collect, a credit that will post, a passive step,
    # a path of menus on its own, help offered, "reviewing it now"; not "try again later",
    # "check out our deals", "make sure Kevin hears", a comparison like "Peanuts > Chips".
    (
        "I've been coughing for two weeks.",
        "The duty doctor will call you back before noon.",
        {"solution_offer.team_commitment"},
        True,
    ),
    (
        "My prescription claim was rejected.",
        "We corrected the coding error and resubmitted the claim.",
        COMPLETED,
        True,
    ),
    ("My connection was cancelled.", "Have we rebooked you yet?", set(), False),
    (
        "Will I miss my connection?",
        "You've been protected on the later flight, no action needed.",
        COMPLETED,
        True,
    ),
    (
        "I've only got two days of insulin left.",
        "Your insulin will be ready at the Reno store by 3pm.",
        {"solution_offer.promised"},
        True,
    ),
    (
        "Where's my money from the dispute?",
        "The $84 credit will post to your account within two days.",
        {"solution_offer.promised"},
        True,
    ),
    (
        "My photos vanished after the update.",
        "Deleted files can be restored from Recently Deleted.",
        YOU_CAN,
        True,
    ),
    (
        "Where did undo send go?",
        "Settings > General > Undo Send.",
        {"solution_offer.menu_path"},
        True,
    ),
    ("Peanuts or breadsticks?", "Peanuts > Breadsticks.", set(), False),
    (
        "I'm drowning in debt.",
        "A debt charity can help. Would you like their numbers?",
        {"solution_offer.offer_details"},
        True,
    ),
    ("I sent the DM an hour ago.", "We're reviewing it now.", {"solution_offer.acting_now"}, True),
    ("I can't get through on the phone.", "Please try calling again later.", set(), False),
    ("Four hours on hold!", "Check out our latest deals on the website.", set(), False),
    (
        "Our driver Kevin was so kind.",
        "We'll make sure Kevin hears how much it meant.",
        set(),
        False,
    ),
    # Support-chat suggestions: "some people find it helps to…", "would setting … help?",
    # "you may be able to apply…", "let's break it into sections"; not "try not to
    # worry" or "I'd be furious too in your position". A fix time, a clipped "Refund
    # sent.", a refund pushed through, a place on a list; not a vote passed on.
    (
        "My thoughts race when I try to sleep.",
        "Some people find it helps to keep a notepad by the bed.",
        {"solution_offer.suggestion"},
        True,
    ),
    (
        "My days have no shape since I lost my job.",
        "Would setting a fixed wake-up time help?",
        {"solution_offer.suggestion"},
        True,
    ),
    (
        "My anxiety wrecked my exams.",
        "You may be able to apply for extenuating circumstances.",
        YOU_CAN,
        True,
    ),
    (
        "I still have 800 words to write.",
        "Let's break the remaining 800 into sections.",
        LET_ME,
        True,
    ),
    ("I'm so worried about the results.", "Try not to worry too much.", set(), False),
    ("They fired me by text.", "I'd be furious too in your position.", set(), False),
    (
        "No signal in the whole town since lunch.",
        "Our techs are on it, expected fix by 9pm tonight.",
        {"solution_offer.fix_coming"},
        True,
    ),
    (
        "They sent me a curry instead of my pizza.",
        "Refund sent for the pizza.",
        {"solution_offer.brief_action"},
        True,
    ),
    (
        "Still waiting on my £64 refund.",
        "I've pushed the £64 refund through now.",
        COMPLETED,
        True,
    ),
    (
        "There are no delivery slots this week and I can't get out.",
        "I've put you on our priority list for any cancelled slots.",
        COMPLETED,
        True,
    ),
    ("Bring back the mint one!", "I'll pass your vote on to our buying team!", set(), False),
    # Steps in other words: create a filter, copy your text, dial a code, forward the SMS
    # to a number, re-upload a scan, "emptying the bin should free up space"; remedies
    # promised or done: "will be resolved within…", "₹147 will be credited…", "I've
    # regenerated it", "marked it for reconciliation". Not: "Copy.", "try after some
    # time", "please forward your confirmation #." (a bare request).
    (
        "School emails keep going to spam.",
        "Create a filter for the school and tick Never send to Spam.",
        INSTRUCTS,
        True,
    ),
    (
        "Docs crashes when I paste.",
        "In Chrome, copy your text somewhere safe first.",
        INSTRUCTS,
        True,
    ),
    ("How do I check my loan balance?", "Dial *561*4# and choose option 2.", INSTRUCTS, True),
    (
        "A stranger called asking for my OTP.",
        "Please forward the caller's number to our fraud team at 7726.",
        {"solution_offer.please"},
        True,
    ),
    (
        "My application was rejected.",
        "Please re-upload a clear scan of the slip.",
        {"solution_offer.please"},
        True,
    ),
    (
        "My storage is full.",
        "Emptying your recycle bin should free up the space.",
        {"solution_offer.suggestion"},
        True,
    ),
    (
        "My bill is wrong again.",
        "Your complaint will be resolved within 5 working days.",
        {"solution_offer.promised"},
        True,
    ),
    (
        "I never asked for the caller tune.",
        "The ₹147 you were charged will be credited within 48 hours.",
        {"solution_offer.promised"},
        True,
    ),
    ("The token failed to generate.", "I've regenerated it now.", COMPLETED, True),
    (
        "My fee payment isn't showing.",
        "I have marked it for manual reconciliation.",
        COMPLETED,
        True,
    ),
    ("Any update on my flight?", "Copy.", set(), False),
    ("Recharge is failing.", "Please try after some time.", set(), False),
    ("My bag is lost.", "Please forward your confirmation #.", set(), False),
    # Suggestions from a blind set of peer-support replies (12-05)
    ("I check the rumour forum all day.", "What if you muted it until Friday?", SUGGESTS, True),
    (
        "My laptop repair quote is huge.",
        "Worth asking the shop about paying monthly.",
        SUGGESTS,
        True,
    ),
    ("I can't stop texting him at night.", "Maybe turn your phone off at ten.", SUGGESTS, True),
    (
        "I don't know anyone in this town.",
        "Could you pick one club and go this week?",
        {"solution_offer.suggestion_question"},
        True,
    ),
    (
        "My boss takes credit for my ideas.",
        "One trick is to send a recap after each meeting.",
        SUGGESTS,
        True,
    ),
    ("My family wants me there all week.", "It's okay to stay for just two days.", SUGGESTS, True),
    (
        "We barely talk at home.",
        "Is there a moment when you two could sit down together?",
        {"solution_offer.suggestion_question"},
        True,
    ),
    ("I might fail again.", "What if you fail? You'd still be you.", set(), False),
    ("I felt awful all week.", "It's okay to feel awful after that.", set(), False),
    ("I freeze during recitals.", "How long was it before you could play again?", set(), False),
    ("He expected me to be fine with it.", "He acted like you should just be fine.", set(), False),
    ("Thanks, that's all for tonight.", "Okay! Remember we're here all night.", set(), False),
    ("Can I pay by bank transfer?", "It's fine to pay by transfer.", set(), False),
    ("I'm not sure what I want.", "What would you like to talk about today?", set(), False),
    ("Room 12's heater is broken.", "I've called the duty manager for you.", COMPLETED, True),
    ("The lift in my building is stuck.", "An engineer is on the way now.", COMPLETED, True),
    ("I sent the form again.", "Thanks, looking now.", {"solution_offer.brief_action"}, True),
    (
        "My pass was refused on the 9:10.",
        "Just show it to the guard on the next train.",
        INSTRUCTS,
        True,
    ),
    ("When can I check in?", "Check-in opens at 2pm.", set(), False),
    (
        "The app logged me out again.",
        "Logged out twice in an hour? Which phone is it?",
        set(),
        False,
    ),
]


@pytest.mark.parametrize(
    ("customer", "agent", "rules", "shows"), SOLUTION_CASES, ids=_ids(SOLUTION_CASES)
)
def test_solution_offer(customer: str, agent: str, rules: set[str], shows: bool) -> None:
    """The solution-offer scorer fires the expected rules and crosses the threshold."""
    _check("solution_offer", customer, agent, rules, shows)


@pytest.mark.parametrize(
    ("table", "minimum"),
    [(APOLOGY_CASES, 25), (EMOTION_CASES, 25), (LISTENING_CASES, 25), (SOLUTION_CASES, 25)],
)
def test_tables_are_big_and_balanced(table: list[Case], minimum: int) -> None:
    """Each table has at least 25 cases, with positives and negatives, and no duplicates."""
    assert len(table) >= minimum
    assert {True, False} == {shows for *_, shows in table}
    assert len(table) == len({(customer, agent) for customer, agent, *_ in table})


# --- opportunities: which customer turns report a problem ---------------------------------

#: Problem reports in the forms customers use: a thing that will not do its job, a failed
#: state, something missing, a price gone up, not being told, a complaint frame.
PROBLEM_REPORTS = [
    "My phone screen went black after the update.",
    "The TV keeps freezing on channel 4.",
    "The app won't load past the splash screen.",
    "My laptop is really slow since yesterday.",
    "I got an email saying my account was suspended.",
    "The shower has no hot water.",
    "My payment bounced even though there's money in the account.",
    "The website says my card is invalid.",
    "My bill went up by 20 pounds.",
    "I've been kept on hold for an hour.",
    "The driver left without me.",
    "My seat was given away.",
    "There's a charge on my statement I don't recognise.",
    "The parcel tracking hasn't updated in a week.",
    "My wifi drops every evening around 8.",
    "The hotel room had no towels.",
    "Your agent hung up on me.",
    "The login page just spins forever.",
    "My order is showing as delivered but I don't have it.",
    "Nothing happens when I press the power button.",
    "Nobody told me the branch had closed.",
    "I came home without my suitcase.",
    "What's the deal with the new app?",
    "The booking form is not allowing me to pick a date.",
    "This is the third time I've had to ask.",
    "Where is my refund??",
    "The wifi on this train doesn't wanna work.",
    "I paid for a ticket and I have no seat.",
    "Your driver threw my parcel over the gate and it's smashed.",
    "The wifi hasn't worked since we checked in.",
    "The ticket machine swallowed my card.",
    "The streetlight on our road has been out for a month.",
    "The room wasn't ready when we got there at 3.",
    "I left my rucksack on the 17:05 from Leeds.",
    "The courier left my medication on the doorstep in the rain.",
    "Any news on my claim? It's been three weeks.",
    "Our flat was burgled while we were away.",
    "One of your staff laughed at my wheelchair.",
    "I keep getting cut off when I call.",
    "I've been charged 60 pounds for an upgrade I was told was free.",
    "It's been five days and still no refund.",
    "Why does your check-in page not work?",
    "My son forgot his coat on the 8:15 from Leeds.",
    "The app wouldn't let me pick a seat.",
]

#: Customer turns with nothing to apologise for.
NOT_PROBLEMS = [
    "Thanks so much, the engineer was lovely.",
    "What time does the shop open on Sunday?",
    "I would love to book a table for four.",
    "Just wanted to say the delivery driver was brilliant.",
    "It is freezing outside, can I still collect today?",
    "My new phone arrived a day early, thank you!",
    "I have flown with you three times this year and loved it.",
    "Thanks, the replacement came this morning and works perfectly.",
    "Could you tell me when the pool opens?",
    "You smashed it with the new safety video!",
    "It's been a long day but the crew were great.",
    "Don't let my moaning fool you, the crew were lovely.",
]


@pytest.mark.parametrize("customer", PROBLEM_REPORTS)
def test_problem_reports_are_apology_opportunities(customer: str) -> None:
    """A customer turn that reports a problem calls for an apology, so a reply's apology
    is scored (not N/A)."""
    report = empathykit.score([("customer", customer), ("agent", "Sorry about that.")])
    assert (report["apology"].opportunities, report["apology"].value) == (1, 1.0)


@pytest.mark.parametrize("customer", NOT_PROBLEMS)
def test_turns_without_a_problem_are_not_apology_opportunities(customer: str) -> None:
    """Thanks, plain questions and requests leave apology N/A."""
    report = empathykit.score([("customer", customer), ("agent", "Sorry about that.")])
    assert (report["apology"].opportunities, report["apology"].value) == (0, None)
