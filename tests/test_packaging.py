"""The built wheel: it ships every file of the package (the lexicons and ``py.typed``
included), and once installed on its own it scores offline, as the source tree does.

The wheel is built with the project's own build backend (hatchling), without an index,
so these tests need hatchling installed (it is in the ``tests`` extra); they skip
without it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import empathykit
from environments import new_environment

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


def test_wheel_ships_every_file_of_the_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        scripts = archive.read(entry_points).decode()
    sources = {
        "empathykit/" + path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
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
    # only from the wheel.
    python = new_environment(venv, with_empathykit=False)
    bin_dir = python.parent
    _pip("--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheel))
    chat_file = tmp_path / "chat.txt"
    chat_file.write_text(CHAT, encoding="utf-8")
    code = textwrap.dedent(
        f"""
        import socket, sys
        from pathlib import Path

        def refuse(*args, **kwargs):
            raise RuntimeError("empathykit reached for the network")

        socket.socket.connect = refuse  # no downloads, of models or of corpora
        socket.create_connection = refuse
        import nltk
        nltk.download = refuse
        import empathykit
        print(Path(empathykit.__file__).resolve().is_relative_to(Path({str(venv)!r}).resolve()))
        report = empathykit.score(Path({str(chat_file)!r}).read_text(encoding="utf-8"))
        print(report)
        print([(ev.turn, ev.rule, ev.text) for ev in report.evidence])
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["NLTK_DATA"] = str(tmp_path / "no-nltk-data")
    done = subprocess.run(
        [str(python), "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the repository, whose src/ must not be what is imported
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    here = empathykit.score(CHAT)
    assert [
        "True",
        str(here),
        str([(ev.turn, ev.rule, ev.text) for ev in here.evidence]),
    ] == done.stdout.splitlines()

    cli = subprocess.run(
        [str(bin_dir / "empathykit"), str(chat_file), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    (record,) = json.loads(cli.stdout)
    expected = here.to_dict()
    assert record["overall"] == expected["overall"]
    assert record["dimensions"] == expected["dimensions"]
