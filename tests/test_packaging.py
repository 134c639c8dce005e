"""The built wheel: it ships every file of the package (the lexicons and ``py.typed``
included), and once installed on its own it scores offline, as the source tree does.

The wheel is built with the project's own build backend (hatchling), without an index,
so these tests need hatchling and pip installed (both come with the ``tests`` extra's
usual install); they skip without them. "Offline" is checked by an audit hook in the new
environment that logs every host-name lookup, connection and file opened under
``nltk_data``, whether or not the code that made it went on.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import empathykit
from environments import need_pip, new_environment, watch_network

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "empathykit"

#: A chat of our own, scored both by the installed wheel and by the source tree.
CHAT = (
    "Customer: My parcel was meant to come on Monday and it still isn't here!!\n"
    "Agent: I'm so sorry your parcel is late, that's really frustrating. "
    "I've sent a replacement by express, it will reach you tomorrow."
)

pytestmark = pytest.mark.slow


def _pip(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_pip()
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("building the wheel offline needs hatchling installed")
    out = tmp_path_factory.mktemp("dist")
    _pip(
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--quiet",
        "--wheel-dir",
        str(out),
        str(ROOT),
    )
    (built,) = out.glob("empathykit-*.whl")
    return built


def _package_files() -> set[str]:
    """The package's files as the wheel names them: those git tracks, when this is a git
    checkout (so that a stray file, which the build leaves out, does not count), else
    every file but compiled ones."""
    try:
        tracked = subprocess.run(
            ["git", "ls-files", "-z", "--", "."],
            cwd=PACKAGE,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.split("\0")
    except (OSError, subprocess.SubprocessError):  # no git, or not a checkout (an sdist)
        tracked = []
    if not any(tracked):  # (or a checkout that does not track them)
        paths = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*") if p.is_file()]
        tracked = [p for p in paths if "__pycache__" not in p and not p.endswith((".pyc", ".pyo"))]
    return {"empathykit/" + path for path in tracked if path}


def test_wheel_ships_every_file_of_the_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        scripts = archive.read(entry_points).decode()
    sources = _package_files()
    assert {"empathykit/py.typed", "empathykit/lexicons/stopwords.txt"} <= sources
    assert sources - names == set()  # nothing left behind: lexicons, py.typed, modules
    tops = {name.split("/")[0] for name in names}
    assert {"empathykit"} == {top for top in tops if not top.endswith(".dist-info")}
    assert "empathykit = empathykit.cli:main" in scripts


def test_installed_wheel_scores_offline_as_the_source_tree_does(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    # The dependencies (NLTK, VADER, attrs) come from this environment; empathykit
    # only from the wheel (--ignore-installed: pip would otherwise take a regular install
    # of the same version here for the wheel's, and install nothing).
    python = new_environment(venv, with_empathykit=False)
    _pip(
        "--python",
        str(python),
        "install",
        "--no-deps",
        "--no-index",
        "--ignore-installed",
        "--quiet",
        str(wheel),
    )
    watch_network(python)
    network_log = tmp_path / "network.log"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["EMPATHYKIT_TEST_NETWORK_LOG"] = str(network_log)
    chat_file = tmp_path / "chat.txt"
    chat_file.write_text(CHAT, encoding="utf-8")

    def run(*command: str) -> str:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=tmp_path,  # not the repository, whose src/ must not be what is imported
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    out = run(
        str(python),
        "-c",
        textwrap.dedent(
            f"""
            from pathlib import Path
            import empathykit
            print(Path(empathykit.__file__).resolve().is_relative_to(Path({str(venv)!r}).resolve()))
            report = empathykit.score(Path({str(chat_file)!r}).read_text(encoding="utf-8"))
            print(report)
            print([(ev.turn, ev.rule, ev.text) for ev in report.evidence])
            """
        ),
    )
    here = empathykit.score(CHAT)
    assert [
        "True",
        str(here),
        str([(ev.turn, ev.rule, ev.text) for ev in here.evidence]),
    ] == out.splitlines()

    script = shutil.which("empathykit", path=str(python.parent))
    assert script is not None, "the wheel installed no empathykit command"
    (record,) = json.loads(run(script, str(chat_file), "--format", "json"))
    expected = here.to_dict()
    assert record["overall"] == expected["overall"]
    assert record["dimensions"] == expected["dimensions"]

    # Neither run reached for the network or for NLTK's downloaded data ...
    assert not network_log.exists(), network_log.read_text()
    # ... and the log would have said so.
    run(str(python), "-c", "import socket; socket.getaddrinfo('localhost', 80)")
    assert "socket.getaddrinfo" in network_log.read_text()
