"""The errors empathykit raises.

Every error derives from :class:`EmpathyKitError`, and each is also an instance of the
builtin exception that fits it (hypothesis and httpx do the same), so
``except ValueError`` keeps working in code that does not know empathykit::

    EmpathyKitError
    ├── InvalidConversationError (ValueError)   a conversation or turn is malformed
    ├── InputFileError (ValueError)             a file record is malformed (names file and line)
    ├── ConfigurationError (ValueError)         bad weights, phrase lists, patterns or TOML
    ├── ScorerError (RuntimeError)              a scorer broke its contract or raised
    ├── UnknownScorerError (LookupError)        no scorer is registered under that name
    ├── DuplicateScorerError (ValueError)       a name is registered twice
    ├── PluginError (ImportError)               a plug-in package failed to load
    └── MissingDependencyError (ImportError)    an optional extra is not installed

Messages say what was expected, what was received, and where.
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "DuplicateScorerError",
    "EmpathyKitError",
    "InputFileError",
    "InvalidConversationError",
    "MissingDependencyError",
    "PluginError",
    "ScorerError",
    "UnknownScorerError",
]


class EmpathyKitError(Exception):
    """Base class of every error empathykit raises on purpose."""


class InvalidConversationError(EmpathyKitError, ValueError):
    """A conversation, or one of its turns, is not what empathykit can score.

    Attributes:
        turn: Index of the offending turn, or ``None`` when the problem is the
            conversation as a whole (for example, it has no turns).
    """

    def __init__(self, message: str, *, turn: int | None = None) -> None:
        self.turn = turn
        self.reason = message
        super().__init__(message if turn is None else f"turn {turn}: {message}")

    def __reduce__(self) -> tuple[object, ...]:  # keep keyword state across processes
        return (_rebuild_invalid_conversation, (self.reason, self.turn))


def _rebuild_invalid_conversation(reason: str, turn: int | None) -> InvalidConversationError:
    return InvalidConversationError(reason, turn=turn)


class InputFileError(EmpathyKitError, ValueError):
    """A record in an input file cannot be read as a conversation.

    Attributes:
        path: The file, as given.
        line: 1-based line number of the record, or ``None`` when not known.
    """

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_input_file_error, (self.reason, self.path, self.line))


def _rebuild_input_file_error(reason: str, path: str, line: int | None) -> InputFileError:
    return InputFileError(reason, path=path, line=line)


class ConfigurationError(EmpathyKitError, ValueError):
    """Weights, phrase lists, patterns or a TOML rules file are invalid."""


class ScorerError(EmpathyKitError, RuntimeError):
    """A scorer raised, or returned something that breaks the scorer contract."""


class UnknownScorerError(EmpathyKitError, LookupError):
    """No scorer is registered under the requested name."""


class DuplicateScorerError(EmpathyKitError, ValueError):
    """A scorer name is registered twice, or used twice in one call."""


class PluginError(EmpathyKitError, ImportError):
    """A third-party scorer registered through an entry point failed to load."""


class MissingDependencyError(EmpathyKitError, ImportError):
    """An optional dependency is needed for this feature but not installed."""
