"""Error hierarchy. Every error the product raises on user data is a :class:`PolicyGraphError`
and carries enough context (file path, offset, query name) to act on it without a traceback."""

from __future__ import annotations


class PolicyGraphError(Exception):
    """Base of all errors raised on user input or stored data."""


class ReadError(PolicyGraphError):
    """A file could not be read or decoded. ``path`` names the file, ``reason`` the problem."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedEncodingError(ReadError):
    """The bytes are in an encoding the reader does not convert (named in ``reason``)."""


class UnsupportedFormatError(ReadError):
    """The file is not a format the reader knows (text, HTML, DOCX, PDF)."""


class ParseError(PolicyGraphError):
    """A document's text could not be parsed; ``offset`` is a character offset when known."""

    def __init__(self, path: str, reason: str, offset: int | None = None):
        self.path, self.reason, self.offset = str(path), reason, offset
        where = f" at character {offset}" if offset is not None else ""
        super().__init__(f"{self.path}{where}: {reason}")


class StoreError(PolicyGraphError):
    """The store could not be opened, read or written; nothing was changed."""


class QueryError(PolicyGraphError):
    """A SPARQL query failed (syntax, refused operation, time limit). ``name`` is the named
    query, if any; ``status`` the HTTP status the server maps it to."""

    def __init__(self, message: str, *, name: str | None = None, status: int = 400):
        self.name, self.status = name, status
        super().__init__(f"{name}: {message}" if name else message)


class ValidationFailed(PolicyGraphError):
    """SHACL validation found violations; ``report`` is the text report."""

    def __init__(self, report: str):
        self.report = report
        super().__init__(report)
