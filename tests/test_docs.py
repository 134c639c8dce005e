"""The documentation: every public name is in the reference, and the docs build and pass."""

from __future__ import annotations

import importlib
import importlib.resources
import importlib.util
import re
import subprocess
import sys
import tomllib
import zlib
from pathlib import Path

import pytest

import empathykit

DOCS = Path(__file__).resolve().parents[1] / "docs"
REFERENCE = DOCS / "reference"
#: The public submodules, each with a reference page that covers its ``__all__``.
PUBLIC_MODULES = (
    "empathykit.scorers",
    "empathykit.analysis",
    "empathykit.typing",
    "empathykit.exceptions",
    "empathykit.io",
    "empathykit.testing",
)

_DIRECTIVE_RE = re.compile(
    r"^\s*(?:\.\. (?P<rst>[\w:]+)::|```\{(?P<myst>[\w:]+)\})[ \t]*(?P<target>\S*)(?P<body>.*?)"
    r"(?=^\s*(?:\.\. [\w:]+::|```\{)|\Z)",
    re.MULTILINE | re.DOTALL,
)


def _documented() -> set[str]:
    """Fully qualified names the reference pages document with autodoc or py directives."""
    found: set[str] = set()
    for page in sorted(REFERENCE.glob("*.md")):
        module = "empathykit"
        for match in _DIRECTIVE_RE.finditer(page.read_text(encoding="utf-8")):
            directive = (match["rst"] or match["myst"]).removeprefix("py:")
            target, body = match["target"], match["body"]
            if directive in ("module", "currentmodule"):
                module = target
                continue
            if directive == "automodule":
                module = target
                found.add(target)
                if ":members:" in body and ":no-members:" not in body:
                    found.update(
                        f"{target}.{name}" for name in importlib.import_module(target).__all__
                    )
                continue
            if directive.startswith("auto") or directive in ("data", "function", "class"):
                found.add(target if target.startswith("empathykit") else f"{module}.{target}")
    return found


@pytest.mark.parametrize(
    "name", ["active_listening", "emotional_acknowledgement", "apology", "solution_offer"]
)
def test_every_lexicon_rule_is_named_in_its_scorer_docstring(name: str) -> None:
    """``rule_weights=`` takes rule ids, so each built-in scorer's docstring names them all."""
    from empathykit import scorers

    lexicon = importlib.resources.files("empathykit.lexicons") / f"{name}.toml"
    rules = tomllib.loads(lexicon.read_text(encoding="utf-8"))["rules"]
    doc = getattr(scorers, name).__doc__ or ""
    missing = [
        rule for rule in rules if f"``{rule}``" not in doc and f"``{name}.{rule}``" not in doc
    ]
    assert missing == []


def test_every_top_level_name_is_in_the_reference() -> None:
    """Each name in empathykit.__all__ is documented, under empathykit or its public module."""
    documented = _documented()
    missing = []
    for name in empathykit.__all__:
        obj = getattr(empathykit, name)
        homes = [f"empathykit.{name}"] + [
            f"{module}.{name}"
            for module in PUBLIC_MODULES
            if getattr(importlib.import_module(module), name, None) is obj
        ]
        if not any(home in documented for home in homes):
            missing.append(name)
    assert missing == []


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_submodule_name_is_in_the_reference(module: str) -> None:
    """Each name in a public submodule's __all__ is documented on its page."""
    documented = _documented()
    names = importlib.import_module(module).__all__
    assert [name for name in names if f"{module}.{name}" not in documented] == []


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_every_page_has_a_runnable_example_or_a_figure(page: Path) -> None:
    """Each page has a doctest (run by the doctest builder) or a figure."""
    text = page.read_text(encoding="utf-8")
    assert re.search(r"```\{(doctest|figure|image)\}", text), page


def _toml_blocks() -> list[tuple[str, str]]:
    blocks = []
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        for number, block in enumerate(re.findall(r"^```toml\n(.*?)^```", text, re.M | re.S)):
            blocks.append((f"{page.relative_to(DOCS)}#{number}", block))
    return blocks


@pytest.mark.parametrize(("where", "block"), _toml_blocks(), ids=lambda v: v[:40])
def test_toml_examples_parse(where: str, block: str) -> None:
    """Every TOML example parses; those that declare scorers load as a rules file."""
    data = tomllib.loads(block)
    tables = data.get("scorers", {})
    if tables and not any("registered" in t for t in tables.values()):
        scorers = empathykit.load_scorers(block)
        assert [s.name for s in scorers] == list(tables), where


def _inventory_names(path: Path) -> set[str]:
    """The Python objects in a Sphinx objects.inv (version 2: four header lines, then zlib)."""
    raw = path.read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode("utf-8")
    names = set()
    for line in body.splitlines():
        name, kind = line.split(" ", 2)[:2]
        if kind.startswith("py:"):
            names.add(name)
    return names


def _sphinx(builder: str, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-n", "-q", "-b", builder, str(DOCS), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )


def _need_sphinx() -> None:
    for package in ("sphinx", "myst_parser", "furo"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed (pip install -e '.[docs]')")


@pytest.mark.slow
def test_html_builds_without_warnings(tmp_path: Path) -> None:
    """sphinx-build -W -n -b html succeeds, and its inventory has every public name."""
    _need_sphinx()
    result = _sphinx("html", tmp_path)
    assert result.returncode == 0, result.stderr
    names = _inventory_names(tmp_path / "objects.inv")
    expected = {f"{m}.{n}" for m in PUBLIC_MODULES for n in importlib.import_module(m).__all__}
    expected |= {
        f"empathykit.{n}"
        for n in empathykit.__all__
        if n not in importlib.import_module("empathykit.exceptions").__all__
    }
    assert set() == expected - names


@pytest.mark.slow
def test_doctests_pass(tmp_path: Path) -> None:
    """sphinx-build -b doctest runs every example in the docs and public docstrings."""
    _need_sphinx()
    result = _sphinx("doctest", tmp_path)
    output = tmp_path / "output.txt"
    report = output.read_text(encoding="utf-8") if output.exists() else result.stderr
    failures = [part for part in report.split("*" * 70) if "Failed example" in part]
    assert result.returncode == 0, "".join(failures) or report
