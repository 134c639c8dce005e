"""The scorer registry: names, duplicates, unknown names, and plug-ins found through entry points.

Plug-ins are tested three ways: fake distributions written to a temporary folder on
``sys.path`` (found by the real ``importlib.metadata``), the example package's own entry
point the same way, and (slow) the example package installed with pip into a virtual
environment.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import empathykit
from empathykit import (
    ConfigurationError,
    Conversation,
    DimensionScore,
    DuplicateScorerError,
    PluginError,
    UnknownScorerError,
    _registry,
    scorers,
)
from empathykit.testing import check_scorer, make_conversation
from environments import need_pip, new_environment

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_PACKAGE = ROOT / "examples" / "plugin_package"
BUILT_INS = ("active_listening", "apology", "emotional_acknowledgement", "solution_offer")
CHAT = make_conversation("My parcel is late, please help.", "Thank you for waiting, I'll check.")


@pytest.fixture(autouse=True)
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give each test its own copy of the registry, with plug-ins not yet read."""
    monkeypatch.setattr(_registry, "_registry", dict(_registry._registry))
    monkeypatch.setattr(_registry, "_descriptions", dict(_registry._descriptions))
    monkeypatch.setattr(_registry, "_sources", dict(_registry._sources))
    monkeypatch.setattr(_registry, "_plugins_loaded", False)
    monkeypatch.setattr(_registry, "_builtins_loaded", _registry._builtins_loaded)


def fake_distribution(
    folder: Path, name: str, entry_points: dict[str, str], modules: dict[str, str] | None = None
) -> Path:
    """Write an installed-looking distribution (a ``.dist-info`` folder) and its modules."""
    info = folder / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8"
    )
    lines = [f"{key} = {value}" for key, value in entry_points.items()]
    (info / "entry_points.txt").write_text(
        "[empathykit.scorers]\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    for module, source in (modules or {}).items():
        (folder / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return folder


PLUGIN_MODULE = '''
    """A fake plug-in."""
    import attrs
    import empathykit

    def make():
        """Says thanks."""
        return empathykit.scorers.phrases("fake", ["thank you"])

    def not_a_scorer():
        return 42

    def fails():
        raise RuntimeError("no licence key")

    @attrs.frozen
    class Loud:
        """Shouting agents."""
        name: str = "loud"

        def __call__(self, conversation):
            return empathykit.scorers.phrases("loud", ["!!"])(conversation)
'''


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fake distribution with working and broken plug-ins, on sys.path."""
    fake_distribution(
        tmp_path,
        "fake-plugin",
        {
            "fake": "fake_plugin_mod:make",
            "loud": "fake_plugin_mod:Loud",
            "broken": "fake_missing_module_xyz:make",
            "not_a_scorer": "fake_plugin_mod:not_a_scorer",
            "fails": "fake_plugin_mod:fails",
        },
        {"fake_plugin_mod": PLUGIN_MODULE},
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("fake_plugin_mod", None)


# --- registering --------------------------------------------------------------------------


def test_register_a_factory_with_the_decorator() -> None:
    """A decorated factory is called on lookup; its docstring's first line describes it."""

    @empathykit.register_scorer("gratitude")
    def gratitude() -> scorers.CueScorer:
        """Thanks the customer.

        More detail.
        """
        return scorers.phrases("gratitude", ["thank you"])

    assert scorers.phrases("gratitude", ["thank you"]) == empathykit.get_scorer("gratitude")
    assert "Thanks the customer." == empathykit.available_scorers()["gratitude"]
    report = empathykit.score(CHAT, scorers=["gratitude", "apology"])
    assert ["gratitude", "apology"] == [dim.name for dim in report]


def test_register_an_instance_and_a_class() -> None:
    """An instance is returned as it is; a class is instantiated on each lookup."""
    instance = scorers.phrases("polite", ["please"])
    assert instance is empathykit.register_scorer("polite", instance)
    assert instance is empathykit.get_scorer("polite")

    class Polite:
        name = "polite_class"

        def __call__(self, conversation: Conversation) -> DimensionScore:
            return scorers.phrases("polite_class", ["please"])(conversation)

    empathykit.register_scorer("polite_class", Polite)
    first, second = empathykit.get_scorer("polite_class"), empathykit.get_scorer("polite_class")
    assert isinstance(first, Polite)
    assert first is not second


@pytest.mark.parametrize("name", [*BUILT_INS, "taken"])
def test_duplicate_name_is_an_error(name: str) -> None:
    """Registering a taken name, a built-in's included, raises DuplicateScorerError."""
    empathykit.register_scorer("taken", scorers.phrases("taken", ["x"]))
    with pytest.raises(DuplicateScorerError, match=f"'{name}' is already registered"):
        empathykit.register_scorer(name, scorers.phrases(name, ["y"]))


@pytest.mark.parametrize("name", ["", None, 3, " x", "x "])
def test_name_must_be_a_non_empty_string(name: object) -> None:
    """A name that is not a non-empty str, or has spaces around it, is a
    ConfigurationError (it was a bare TypeError, and " x" was taken as it came)."""
    with pytest.raises(ConfigurationError, match="non-empty str without spaces around it"):
        empathykit.register_scorer(name, scorers.phrases("x", ["x"]))  # type: ignore[call-overload]


def test_a_scorer_registered_under_another_name_is_refused() -> None:
    """Asked for by one name, it reported under another (in reports, weights, columns):
    refused at registration for a scorer, and at lookup for a factory's."""
    with pytest.raises(ConfigurationError) as caught:
        empathykit.register_scorer("test_gratitude", scorers.phrases("thanks", ["thank you"]))
    assert "registered as 'test_gratitude' is named 'thanks'" in str(caught.value)
    assert "test_gratitude" not in empathykit.available_scorers()
    empathykit.register_scorer("test_misnamed", lambda: scorers.phrases("other", ["x"]))
    with pytest.raises(PluginError, match=r"'test_misnamed' .* is named 'other'; expected"):
        empathykit.get_scorer("test_misnamed")


@pytest.mark.parametrize("thing", [42, "apology"])
def test_what_is_not_a_scorer_is_refused_at_registration(thing: object) -> None:
    """It was accepted, and failed only when looked up."""
    with pytest.raises(ConfigurationError, match="expected a scorer, a scorer class or a factory"):
        empathykit.register_scorer("test_not_a_scorer", thing)


def test_unknown_name_lists_the_available_ones() -> None:
    """An unknown name raises UnknownScorerError (a LookupError) listing every name."""
    empathykit.register_scorer("polite", scorers.phrases("polite", ["please"]))
    with pytest.raises(UnknownScorerError) as info:
        empathykit.get_scorer("apolgy")
    assert isinstance(info.value, LookupError)
    listed = str(info.value).split("available scorers are ")[1].split(", ")
    assert sorted([*BUILT_INS, "polite"]) == listed
    with pytest.raises(UnknownScorerError, match="'apolgy'"):
        empathykit.score(CHAT, scorers=["apolgy"])


def test_built_ins_are_registered_even_after_a_user_scorer() -> None:
    """Registering a scorer before any lookup keeps the built-ins available (a fresh process)."""
    out = _run(
        """
        import empathykit
        empathykit.register_scorer("early", empathykit.scorers.phrases("early", ["hi"]))
        print(sorted(empathykit.available_scorers()))
        """
    )
    assert str(sorted([*BUILT_INS, "early"])) == out.strip()


def test_built_ins_are_registered() -> None:
    """The four built-ins are available by name, each described."""
    available = empathykit.available_scorers()
    assert set(BUILT_INS) <= set(available)
    assert all(available[name] for name in BUILT_INS)
    for name in BUILT_INS:
        assert name == empathykit.get_scorer(name).name


# --- plug-ins -----------------------------------------------------------------------------


def test_plugin_is_found_and_loaded_lazily(plugins: Path) -> None:
    """A plug-in is listed without being imported, and imported on its first lookup."""
    available = empathykit.available_scorers()
    assert "plug-in from fake-plugin (fake_plugin_mod:make)" == available["fake"]
    assert "fake_plugin_mod" not in sys.modules
    scorer = empathykit.get_scorer("fake")
    assert "fake_plugin_mod" in sys.modules
    assert [("fake.phrase", "Thank you")] == [
        (ev.rule, ev.text) for ev in empathykit.score(CHAT, scorers=[scorer])["fake"].evidence
    ]


def test_plugin_loads_after_the_importlib_metadata_backport(plugins: Path) -> None:
    """Plug-ins load when entry_points() returns the back-port's EntryPoint (dask imports it)."""
    backport = pytest.importorskip("importlib_metadata")
    assert backport is not None
    assert "fake" == empathykit.get_scorer("fake").name


def test_plugin_looked_up_by_name_in_score(plugins: Path) -> None:
    """A plug-in name works in score(scorers=...) and in a rules file, as does a plug-in class."""
    assert ["loud", "apology"] == [
        d.name for d in empathykit.score(CHAT, scorers=["loud", "apology"])
    ]
    [fake] = empathykit.load_scorers('[scorers.fake]\nregistered = "fake"')
    assert "fake" == fake.name


@pytest.mark.parametrize(
    ("name", "error"),
    [
        (
            "broken",
            "plug-in scorer 'broken' = fake_missing_module_xyz:make (plug-in fake-plugin) "
            "failed to load: ModuleNotFoundError",
        ),
        ("not_a_scorer", "scorer 'not_a_scorer' (plug-in fake-plugin) is not a scorer"),
        (
            "fails",
            "scorer 'fails' (plug-in fake-plugin) could not be created: RuntimeError: no "
            "licence key",
        ),
    ],
)
def test_broken_plugin_names_itself(plugins: Path, name: str, error: str) -> None:
    """A plug-in that fails to import or build raises PluginError (an ImportError) naming it."""
    with pytest.raises(PluginError) as info:
        empathykit.get_scorer(name)
    assert isinstance(info.value, ImportError)
    assert str(info.value).startswith(error)
    # The others still work.
    assert "fake" == empathykit.get_scorer("fake").name


def test_plugin_with_a_taken_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plug-in that reuses a registered name raises DuplicateScorerError naming it."""
    fake_distribution(tmp_path, "clash-plugin", {"apology": "clash_mod:make"})
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(
        DuplicateScorerError, match=r"'apology' = clash_mod:make \(from clash-plugin\)"
    ):
        empathykit.available_scorers()


def test_example_plugin_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example package's declared entry point finds a scorer that passes check_scorer."""
    project = tomllib.loads((PLUGIN_PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["project"]["entry-points"][_registry.ENTRY_POINT_GROUP]
    fake_distribution(tmp_path, project["project"]["name"], declared)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(PLUGIN_PACKAGE / "src"))
    try:
        scorer = empathykit.get_scorer("politeness")
        check_scorer(scorer)
        report = empathykit.score(CHAT, scorers=["politeness"])
        assert ["Thank you for waiting"] == [ev.text for ev in report["politeness"].evidence]
    finally:
        sys.modules.pop("empathykit_politeness", None)


def _run(code: str, *, env: dict[str, str] | None = None, python: str = sys.executable) -> str:
    done = subprocess.run(
        [python, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    return done.stdout


def test_import_does_not_read_or_import_plugins(plugins: Path) -> None:
    """`import empathykit` neither reads entry points nor imports plug-ins, NLTK or VADER."""
    out = _run(
        """
        import importlib.metadata, sys
        calls = []
        real = importlib.metadata.entry_points
        importlib.metadata.entry_points = lambda **kw: calls.append(kw) or real(**kw)
        import empathykit
        heavy = ("fake_plugin_mod", "nltk", "vaderSentiment")
        print(len(calls), sorted(m for m in sys.modules if m.split(".")[0] in heavy))
        empathykit.available_scorers()
        print(len(calls), "fake_plugin_mod" in sys.modules)
        empathykit.get_scorer("fake")
        print("fake_plugin_mod" in sys.modules)
        """,
        env={"PYTHONPATH": os.pathsep.join([str(plugins), os.environ.get("PYTHONPATH", "")])},
    )
    assert ["0 []", "1 False", "True"] == out.split("\n")[:3]


@pytest.mark.slow
def test_example_plugin_installs_with_pip(tmp_path: Path) -> None:
    """pip installs examples/plugin_package into a virtual environment, and it scores there."""
    need_pip()
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("building the example plug-in offline needs hatchling installed")
    python = str(new_environment(tmp_path / "venv", with_empathykit=True))
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
            str(PLUGIN_PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert 0 == install.returncode, install.stderr
    out = _run(
        """
        import sys
        import empathykit
        from empathykit.testing import check_scorer
        print("empathykit_politeness" in sys.modules)
        print(empathykit.available_scorers()["politeness"])
        report = empathykit.score(
            "Customer: My bill is wrong.\\nAgent: Thanks for telling us, please send it over.",
            scorers=["politeness"],
        )
        print([ev.text for ev in report["politeness"].evidence])
        check_scorer(empathykit.get_scorer("politeness"))
        """,
        python=python,
    )
    assert [
        "False",
        "plug-in from empathykit-politeness (empathykit_politeness:politeness)",
        "['Thanks', 'please']",
    ] == out.split("\n")[:3]
    assert not (PLUGIN_PACKAGE / "build").exists()
