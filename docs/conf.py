"""Sphinx configuration for the empathykit documentation.

Build (warnings are errors, every cross-reference must resolve)::

    python -m sphinx -W -n -b html docs docs/_build/html
    python -m sphinx -W -n -b doctest docs docs/_build/doctest

The build is offline: no intersphinx (CI has no network), so standard-library and
third-party types in signatures cannot be linked and are listed in ``nitpick_ignore_regex``.
"""

from __future__ import annotations

import doctest
import re
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# -- Project -----------------------------------------------------------------------------

project = "empathykit"
author = "The empathykit developers"
copyright = "the empathykit developers"  # noqa: A001 - Sphinx's name for it
release = _version("empathykit")
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path: list[str] = []

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- Cross-references --------------------------------------------------------------------

nitpicky = True
# No intersphinx (the build must work without a network), so types from the standard
# library and from third-party packages that appear in signatures have no target here.
# They are shown as plain names; everything empathykit's own must still resolve.
nitpick_ignore_regex = [
    # standard library: collections.abc, typing, re, enum, pathlib, …
    (r"py:.*", r"(collections\.abc|typing|re|enum|pathlib|os|io|json|importlib\.metadata)\..*"),
    (r"py:.*", r"(Callable|Iterable|Iterator|Mapping|Sequence|TypeAlias|Path|EntryPoint)"),
    # attrs generates classes and field types that attrs itself documents
    (r"py:.*", r"attr(s)?\..*"),
    # third party, documented by their own projects
    (r"py:.*", r"(pandas|pd|dask|vaderSentiment|nltk)(\..*)?"),
    # Internal types that show in public signatures but are not public API: the compiled
    # cue set of a CueScorer, the `opportunity=` alias, and register_scorer's TypeVar.
    (r"py:class", r"(empathykit\._lexicon\.)?(Cue|CueSet)"),
    (r"py:class", r"(empathykit\.scorers\._phrases\.)?Opportunity"),
    (r"py:class", r"empathykit\._registry\._T"),
    # empathykit.io's private aliases for its parameters: str | os.PathLike[str], and a
    # callable taking an InputFileError.
    (r"py:class", r"(empathykit\.io\.)?(PathLike|ErrorHandler)"),
    # load_scorers' private alias for its argument: str | os.PathLike[str].
    (r"py:class", r"(empathykit\._toml\.)?RulesSource"),
    # score_many's private alias for one item: ConversationLike | Mapping[str, Any].
    (r"py:class", r"(empathykit\._batch\.)?ConversationInput"),
]


# -- Autodoc -----------------------------------------------------------------------------

autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
autoclass_content = "class"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True

# Public classes live in private modules (empathykit._results and so on) and are
# documented under the names users import (empathykit.Report). Type annotations name the
# private home, so a reference that fails is retried under the public name.
_PRIVATE_PART = re.compile(r"\._[a-z]\w*(?=\.)")
_PUBLIC_MODULES = (
    "empathykit",
    "empathykit.exceptions",
    "empathykit.typing",
    "empathykit.analysis",
    "empathykit.scorers",
    "empathykit.io",
    "empathykit.testing",
)


def _public_target(target: str) -> str | None:
    if not target.startswith("empathykit."):
        return None
    public = _PRIVATE_PART.sub("", target)
    return public if public != target else None


def _resolve_private(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.reference | None:
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    public = _public_target(target) or target
    candidates = [public] if public != target else []
    # The exceptions are documented once, in empathykit.exceptions, and importable from
    # empathykit too: `empathykit.ScorerError` means `empathykit.exceptions.ScorerError`.
    if public.count(".") == 1 and public.startswith("empathykit."):
        candidates.append(f"empathykit.exceptions.{public.split('.')[1]}")
    # Annotations written with names imported only for type checking stay unqualified.
    if "." not in target and target[:1].isupper():
        candidates += [f"{module}.{target}" for module in _PUBLIC_MODULES]
    domain = env.get_domain("py")
    for candidate in candidates:
        new = node.deepcopy()
        new["reftarget"] = candidate
        ref = domain.resolve_xref(
            env, node.get("refdoc", ""), app.builder, node["reftype"], candidate, new, contnode
        )
        if ref is not None:
            return ref
    return None


# -- Doctest -----------------------------------------------------------------------------

# The how-to guides import the example modules in docs/howto/_examples, as a reader
# would import their own; the doctest process is not the reader's, so put them on the path.
doctest_global_setup = f"""
import sys
sys.path.insert(0, {str(DOCS / "howto" / "_examples")!r})
import empathykit
"""
doctest_test_doctest_blocks = "default"  # >>> blocks in docstrings are tested too
# The flags pytest's --doctest-modules uses (pyproject.toml), so docstrings pass both.
doctest_default_flags = (
    doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1
)

# -- HTML --------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"empathykit {release}"
html_static_path = ["_static"]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("missing-reference", _resolve_private)
    return {"parallel_read_safe": True}
