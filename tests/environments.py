"""New virtual environments for the tests that install packages (the built wheel, the
example plug-in), without downloading anything.

A new environment made with ``--system-site-packages`` sees the packages of the base
interpreter, not those of the environment the tests run in (when that is itself a virtual
environment), so NLTK, VADER or hatchling could be missing there. Instead, the new
environment is given a ``.pth`` file naming this environment's site-packages folders.
A folder named in a ``.pth`` file is put on ``sys.path`` without its own ``.pth`` files
being read, so an editable install of empathykit here is not seen there unless asked for.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import empathykit


def new_environment(where: Path, *, with_empathykit: bool) -> Path:
    """Make a virtual environment at ``where`` that imports this environment's packages
    (after its own), and return its Python.

    Args:
        where: A folder that does not exist yet.
        with_empathykit: Also import the empathykit these tests run against. Without it,
            empathykit is importable there only once something installs it.
    """
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=60
    )
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    folders = [*site.getsitepackages(), site.getusersitepackages()]
    if with_empathykit:
        folders.insert(0, str(Path(empathykit.__file__).resolve().parents[1]))
    lines = [folder for folder in folders if Path(folder).is_dir()]
    Path(own, "_tests_outer_environment.pth").write_text("\n".join(lines) + "\n")
    return python
