"""New virtual environments for the tests that install packages (the built wheel, the
example plug-in), without downloading anything.

A new environment made with ``--system-site-packages`` sees the packages of the base
interpreter, not those of the environment the tests run in (when that is itself a virtual
environment), so NLTK, VADER or hatchling could be missing there. Instead, the new
environment is given a ``.pth`` file naming this environment's site-packages folders.
A folder named in a ``.pth`` file is put on ``sys.path`` without its own ``.pth`` files
being read, so an editable install of empathykit here is not importable there unless
asked for. (Its metadata is still found there, as is that of every package here.)
"""

from __future__ import annotations

import importlib.util
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

import empathykit

#: Written into a new environment by :func:`watch_network`: an audit hook, installed at
#: start-up, that writes to a log every attempt to resolve a host name or open a
#: connection, and every file opened under ``nltk_data`` (audit hooks see these even when
#: the code that made them catches an error, and cannot be removed).
_NETWORK_HOOK = """\
import os, sys
_NETWORK = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname")
def _log_network(event, args, _path=os.environ.get("EMPATHYKIT_TEST_NETWORK_LOG")):
    if not _path:
        return
    if event in _NETWORK or (
        event == "open" and isinstance(args[0], str) and "nltk_data" in args[0]
    ):
        with open(_path, "a", encoding="utf-8") as log:
            log.write(f"{event} {args[:2]!r}\\n")
sys.addaudithook(_log_network)
"""


def need_pip() -> None:
    """Skip the calling test when this environment has no pip to install with."""
    if importlib.util.find_spec("pip") is None:
        pytest.skip("installing into a new environment needs pip")


def new_environment(where: Path, *, with_empathykit: bool) -> Path:
    """Make a virtual environment at ``where`` that imports this environment's packages
    (after its own), and return its Python.

    Args:
        where: A folder that does not exist yet.
        with_empathykit: Also import the empathykit these tests run against. Without it,
            an editable install of empathykit here is not importable there; a regular
            install is, unless one is installed there (with ``--ignore-installed``, as
            pip would otherwise see this one and install nothing).
    """
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=60
    )
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    folders = list(site.getsitepackages())  # (on Windows, also sys.prefix: left out below)
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    lines = [
        folder
        for folder in folders
        if Path(folder).name in ("site-packages", "dist-packages") and Path(folder).is_dir()
    ]
    if with_empathykit:
        lines.insert(0, str(Path(empathykit.__file__).resolve().parents[1]))
    (_site_packages(python) / "_tests_outer_environment.pth").write_text("\n".join(lines) + "\n")
    return python


def watch_network(python: Path) -> None:
    """Make every process of the environment of ``python`` log its network attempts to
    the file named by the ``EMPATHYKIT_TEST_NETWORK_LOG`` environment variable, and
    every file it opens under a folder named ``nltk_data`` (NLTK's downloaded data)."""
    own = _site_packages(python)
    (own / "_tests_network_hook.py").write_text(_NETWORK_HOOK, encoding="utf-8")
    (own / "_tests_network_hook.pth").write_text("import _tests_network_hook\n")


def _site_packages(python: Path) -> Path:
    """Where the environment of ``python`` installs pure-Python packages."""
    return Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
    )
