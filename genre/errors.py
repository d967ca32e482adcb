"""GENRE's one exception tree.

Every error GENRE raises on purpose is a :class:`GenreError`. Messages say what
was wrong and, where there is a closed set of valid values, list them.

This module imports nothing from GENRE so that every layer (ontology, loaders,
kg, queries, genre) can share it without breaking the one-way dependency rule.

Examples
--------
>>> try:
...     raise ConfigError("unknown setting 'colour'", options=["home", "store"])
... except GenreError as error:
...     print(error)
unknown setting 'colour' (valid options: home, store)
"""

from __future__ import annotations

from collections.abc import Iterable


class GenreError(Exception):
    """Root of every error GENRE raises on purpose.

    Parameters
    ----------
    message:
        What went wrong, in words a user understands.
    options:
        The valid values, when the problem is an unknown name; they are appended to
        the message.
    """

    def __init__(self, message: str, *, options: Iterable[str] | None = None) -> None:
        self.options = sorted(set(options)) if options is not None else None
        if self.options is not None:
            shown = ", ".join(self.options[:40])
            if len(self.options) > 40:
                shown += f", ... ({len(self.options) - 40} more)"
            message = f"{message} (valid options: {shown})"
        super().__init__(message)


class ConfigError(GenreError):
    """A setting, option or command-line argument is wrong."""


class OntologyError(GenreError):
    """A term is not part of GENRE's ontology, or the ontology files are broken."""


class ValidationError(GenreError):
    """Data does not conform to the SHACL shapes; nothing was written.

    Parameters
    ----------
    problems:
        Every violation found, each with its focus node, path and message.
    """

    def __init__(self, message: str, *, problems: Iterable[object] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message)


class LoaderError(GenreError):
    """A source could not be read or parsed: missing file, malformed CSV/JSON/YAML/RDF."""


class StoreError(GenreError):
    """The knowledge-graph store could not be opened, read or written."""


class QueryError(GenreError):
    """A query is malformed, unknown, writes when it must only read, or lacks a parameter."""


class NotFoundError(QueryError):
    """A named thing (model, query, benchmark...) does not exist; the message lists close matches."""


class LinkingError(GenreError):
    """A request or one of its attachments could not be linked into the graph."""


class RecommendationError(GenreError):
    """No model meets the request: ``constraint`` names the hard constraint that emptied the list.

    ``removed`` counts the models each constraint applied so far removed.

    >>> error = RecommendationError("nothing left", constraint="open_weights", removed={"open_weights": 3})
    >>> error.constraint, isinstance(error, GenreError)
    ('open_weights', True)
    """

    def __init__(self, message: str, *, constraint: str | None = None, removed: dict[str, int] | None = None) -> None:
        self.constraint = constraint
        self.removed = dict(removed or {})
        super().__init__(message)


class ModelCallError(GenreError):
    """A recommended model could not be called: LiteLLM is missing, nothing is configured, or every call failed.

    ``attempts`` holds what was tried, one entry per candidate (model and error);
    ``configured`` is False when no candidate could even be tried (install or set something).

    >>> error = ModelCallError("no model can be called: set GENRE_LLM_API_BASE", configured=False)
    >>> error.configured, error.attempts, isinstance(error, GenreError)
    (False, [], True)
    """

    def __init__(self, message: str, *, attempts: Iterable[object] = (), configured: bool = True) -> None:
        self.attempts = list(attempts)
        self.configured = configured
        super().__init__(message)
