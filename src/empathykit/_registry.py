"""The scorer registry: names for scorers, and third-party scorers found through entry points.

Plug-in packages declare scorers in the entry-point group ``empathykit.scorers``; the
group is read the first time a name is looked up that is not registered in-process,
or when every scorer is listed, never at ``import empathykit``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar, overload

from .exceptions import ConfigurationError, DuplicateScorerError, PluginError, UnknownScorerError
from .typing import Scorer

__all__ = ["ENTRY_POINT_GROUP", "available_scorers", "get_scorer", "register_scorer"]

#: The entry-point group plug-in packages register their scorers in.
ENTRY_POINT_GROUP = "empathykit.scorers"

_T = TypeVar("_T")
_Factory = Callable[[], Scorer]

_lock = threading.RLock()
_registry: dict[str, object] = {}  # name -> Scorer, or a zero-argument factory
_descriptions: dict[str, str] = {}
_sources: dict[str, str] = {}  # name -> "builtin", "user" or the plug-in's distribution
_builtins_loaded = False
_plugins_loaded = False


def _first_line(obj: object) -> str:
    doc = getattr(obj, "__doc__", None) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def _add(name: str, obj: object, source: str) -> None:
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        raise ConfigurationError(
            "expected a scorer name as a non-empty str without spaces around it, got "
            f"{type(name).__name__} {name!r}"
        )
    if (
        source == "user"
        and not isinstance(obj, type)
        and isinstance(obj, Scorer)
        and getattr(obj, "name", name) != name
    ):
        raise ConfigurationError(
            f"register_scorer: the scorer registered as {name!r} is named {obj.name!r}; "
            "expected the same name (reports, weights and columns use the scorer's own)"
        )
    if source == "user" and not callable(obj):
        raise ConfigurationError(
            f"register_scorer: expected a scorer, a scorer class or a factory for {name!r}, "
            f"got {type(obj).__name__} {obj!r:.40}"
        )
    with _lock:
        if name in _registry:
            raise DuplicateScorerError(
                f"a scorer named {name!r} is already registered (from {_sources[name]}); "
                "choose another name"
            )
        _registry[name] = obj
        _descriptions[name] = _first_line(obj)
        _sources[name] = source


@overload
def register_scorer(name: str) -> Callable[[_T], _T]: ...
@overload
def register_scorer(name: str, scorer: _T) -> _T: ...
def register_scorer(name: str, scorer: object = None) -> object:
    """Register a scorer under ``name``, for :func:`get_scorer`, the CLI and TOML files.

    Use it as a decorator on a scorer class or a zero-argument factory function, or
    call it with a scorer instance. Classes and factories are called on first lookup.

    Raises:
        DuplicateScorerError: ``name`` is taken.
        ConfigurationError: ``name`` is not a non-empty str, or ``scorer`` is not a
            scorer (or class, or factory), or is a scorer whose own ``name`` differs.

    Example:
        >>> import empathykit
        >>> @empathykit.register_scorer("doctest_politeness")
        ... def politeness():
        ...     '''Thanks and please.'''
        ...     return empathykit.scorers.phrases("doctest_politeness", ["please", "thank you"])
        >>> empathykit.get_scorer("doctest_politeness").name
        'doctest_politeness'
    """
    _ensure_builtins()  # so that a built-in's name is taken from the start
    if scorer is not None:
        _add(name, scorer, "user")
        return scorer

    def decorate(obj: _T) -> _T:
        _add(name, obj, "user")
        return obj

    return decorate


def _ensure_builtins() -> None:
    """Register the built-ins, once (not at import: ``scorers`` may still be importing)."""
    global _builtins_loaded
    with _lock:
        if _builtins_loaded:
            return
        _builtins_loaded = True
        from . import scorers

        for name in ("active_listening", "emotional_acknowledgement", "apology", "solution_offer"):
            _add(name, getattr(scorers, name), "builtin")


class _Plugin:
    """An entry point not loaded yet.

    Wrapped rather than tested with ``isinstance(obj, EntryPoint)``: once a package such
    as dask imports the ``importlib_metadata`` back-port, ``entry_points()`` returns the
    back-port's EntryPoint class, not the standard library's.
    """

    __slots__ = ("entry_point",)

    def __init__(self, entry_point: Any) -> None:
        self.entry_point = entry_point


def _load_plugins() -> None:
    """Register every entry point of the group, unloaded: each loads on first lookup."""
    global _plugins_loaded
    with _lock:
        if _plugins_loaded:
            return
        _plugins_loaded = True
        # Imported here: importlib.metadata costs a fifth of `import empathykit`.
        from importlib.metadata import entry_points

        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            dist = entry_point.dist.name if entry_point.dist else "an unknown distribution"
            if entry_point.name in _registry:
                raise DuplicateScorerError(
                    f"plug-in scorer {entry_point.name!r} = {entry_point.value} (from {dist}) "
                    f"uses a name already registered (from {_sources[entry_point.name]})"
                )
            _registry[entry_point.name] = _Plugin(entry_point)
            _descriptions[entry_point.name] = f"plug-in from {dist} ({entry_point.value})"
            _sources[entry_point.name] = f"plug-in {dist}"


def _instantiate(name: str, obj: object) -> Scorer:
    if isinstance(obj, _Plugin):
        entry_point = obj.entry_point
        try:
            obj = entry_point.load()
        except Exception as error:
            raise PluginError(
                f"plug-in scorer {name!r} = {entry_point.value} ({_sources[name]}) failed to load: "
                f"{type(error).__name__}: {error}"
            ) from error
    if isinstance(obj, type) or (callable(obj) and not isinstance(obj, Scorer)):
        try:
            obj = obj()
        except Exception as error:
            raise PluginError(
                f"scorer {name!r} ({_sources[name]}) could not be created: "
                f"{type(error).__name__}: {error}"
            ) from error
    if not isinstance(obj, Scorer):
        raise PluginError(
            f"scorer {name!r} ({_sources[name]}) is not a scorer: expected an object with "
            f"'name' and '__call__(conversation)', got {type(obj).__name__}"
        )
    if obj.name != name:
        raise PluginError(
            f"scorer {name!r} ({_sources[name]}) is named {obj.name!r}; expected the name "
            "it is registered under (reports, weights and columns use the scorer's own)"
        )
    return obj


def get_scorer(name: str) -> Scorer:
    """Return a fresh scorer registered under ``name``.

    Raises:
        UnknownScorerError: Nothing is registered under ``name``; the message lists what is.
        PluginError: The plug-in that provides ``name`` failed to load, or made a scorer
            with another name.

    Example:
        >>> get_scorer("apology").name
        'apology'
    """
    with _lock:
        _ensure_builtins()
        if name not in _registry:
            _load_plugins()
        if name not in _registry:
            raise UnknownScorerError(
                f"no scorer named {name!r}; available scorers are {', '.join(sorted(_registry))}"
            )
        obj = _registry[name]
    return _instantiate(name, obj)


def available_scorers() -> dict[str, str]:
    """Every registered scorer name with its one-line description, plug-ins included.

    Example:
        >>> "apology" in available_scorers()
        True
    """
    with _lock:
        _ensure_builtins()
        _load_plugins()
        return dict(sorted(_descriptions.items()))


def _unregister(name: str) -> None:
    """Remove ``name`` (for tests)."""
    with _lock:
        _registry.pop(name, None)
        _descriptions.pop(name, None)
        _sources.pop(name, None)
