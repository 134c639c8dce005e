"""Time to score pathological text at ×1, ×2, ×4 and ×8 of a base size: growth must be linear.

Each case builds a conversation whose hostile part grows with the factor; ×8 is the size
the hardening issue names (a 1 MB turn, 200,000 × "sorry ", 100,000 "!", runs without
spaces, a 50,000-turn conversation). Each size is timed a few times and the fastest run
kept (timings on a shared machine are noisy); the ratio ``t(×k) / t(×1)`` is printed
beside ``k``. Linear growth gives ratios near 1, 2, 4 and 8; quadratic growth (a regular
expression that backtracks) would give 1, 4, 16 and 64.

Usage::

    python benchmarks/pathological.py              # every case
    python benchmarks/pathological.py bang turns   # some of them
    python benchmarks/pathological.py --repeat 1   # one run per size (faster, noisier)

The texts are written here; nothing is read from disk.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import empathykit

Conversation = list[tuple[str, str]]
FACTORS = (1, 2, 4, 8)

_CUSTOMER = "My order never arrived!! I'm so frustrated, why is this so hard? "  # 66 chars
_AGENT = "I'm so sorry about that, let me check the tracking for you. "  # 61 chars


def one_megabyte(factor: int) -> Conversation:
    """Ordinary sentences repeated to 128 kB × factor per turn (1 MB at ×8), both roles."""
    size = 131_072 * factor
    return [
        ("customer", (_CUSTOMER * (size // len(_CUSTOMER) + 1))[:size]),
        ("agent", (_AGENT * (size // len(_AGENT) + 1))[:size]),
    ]


def sorry(factor: int) -> Conversation:
    """25,000 × "sorry " × factor (200,000 at ×8), as a customer and as an agent turn."""
    text = "sorry " * (25_000 * factor)
    return [("customer", text), ("agent", text)]


def bang(factor: int) -> Conversation:
    """12,500 × "!" × factor (100,000 at ×8), alone and after a complaint, both roles."""
    text = "!" * (12_500 * factor)
    return [("customer", "It broke" + text), ("agent", text), ("customer", text + "x")]


def no_spaces(factor: int) -> Conversation:
    """Runs without a space: letters, "sorry" glued together, a URL, digits and dots."""
    size = 32_768 * factor
    return [
        ("customer", "a" * size),
        ("agent", "sorry" * (size // 5)),
        ("customer", "https://example.invalid/" + "x" * size),
        ("agent", "1." * (size // 2)),
        ("customer", "I'" * (size // 2)),
    ]


def turns(factor: int) -> Conversation:
    """6,250 × factor turns (50,000 at ×8), customers and agents alternating."""
    pair = [("customer", "It broke again!"), ("agent", "Sorry, I'll send a new one today.")]
    return pair * (3_125 * factor)


CASES: dict[str, Callable[[int], Conversation]] = {
    "one_megabyte": one_megabyte,
    "sorry": sorry,
    "bang": bang,
    "no_spaces": no_spaces,
    "turns": turns,
}


def _best_of(conversation: Conversation, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        empathykit.score(conversation)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", metavar="CASE", help=f"some of {', '.join(CASES)}")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (fastest kept)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.cases) - set(CASES))
    if unknown:
        parser.error(f"unknown cases {unknown}; choose from {', '.join(CASES)}")
    empathykit.score("Customer: warm up\nAgent: VADER and NLTK")  # load them before timing
    print(f"{'case':<14} {'size ×k':>8} {'seconds':>9} {'t(×k)/t(×1)':>12}")
    for name in args.cases or CASES:
        base = 0.0
        for factor in FACTORS:
            seconds = _best_of(CASES[name](factor), args.repeat)
            base = base or seconds
            print(f"{name:<14} {factor:>8} {seconds:>9.3f} {seconds / base:>12.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
