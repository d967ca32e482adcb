"""Is a Cypher query read-only? Comments, strings and quoted names are removed before looking.

A query is a write when, outside comments, string literals and backtick-quoted names, it uses
a clause that changes data, schema or settings (:data:`WRITE_KEYWORDS`), or calls a procedure
that is not a known read-only one. A keyword counts only as a whole word that is not a
property (``n.created``, ``n.set``), a label or map key (``:Create``, ``{set: 1}``) or a
parameter (``$delete``).

Examples
--------
>>> write_clause("MATCH (n) RETURN n.created, 'CREATE (x)' AS text // DELETE everything") is None
True
>>> write_clause("match (n) detach delete n")
'DETACH'
>>> check_read_only("MATCH (n) SET n.x = 1")
Traceback (most recent call last):
...
genre.errors.QueryError: this Cypher query writes (SET); queries are read-only unless write=True (--write)
"""

from __future__ import annotations

import re

from genre.errors import QueryError

WRITE_KEYWORDS = (
    "CREATE",
    "MERGE",
    "DELETE",
    "DETACH",
    "SET",
    "REMOVE",
    "DROP",
    "LOAD",
    "COPY",
    "ALTER",
    "INSTALL",
    "UNINSTALL",
    "IMPORT",
    "EXPORT",
    "ATTACH",
    "FOREACH",
    "CHECKPOINT",
    "GRANT",
    "REVOKE",
    "DENY",
    "RENAME",
    "TERMINATE",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
)
"""Clauses that change data, schema, settings or transactions (Neo4j and Ladybug)."""

READ_ONLY_PROCEDURES = frozenset(
    name.lower()
    for name in (
        # Ladybug / Kùzu table functions
        "show_tables",
        "table_info",
        "show_connection",
        "db_version",
        "show_functions",
        "show_indexes",
        "show_macros",
        "current_setting",
        # Neo4j
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.info",
        "db.ping",
        "dbms.components",
    )
)
"""Procedures a read-only query may CALL; any other procedure counts as a write."""

_TOKENS = re.compile(
    r"""
      (?P<line>//[^\n]*)
    | (?P<block>/\*.*?(?:\*/|\Z))
    | (?P<single>'(?:[^'\\]|\\.|'')*(?:'|\Z))
    | (?P<double>"(?:[^"\\]|\\.|"")*(?:"|\Z))
    | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CALL = re.compile(r"\bCALL\s+(?!\{)([A-Za-z_][A-Za-z0-9_.]*)\s*(=|\()?", re.IGNORECASE)


def strip_literals(text: str) -> str:
    """``text`` with comments, string literals and quoted names blanked out (``''``, ````x````).

    >>> strip_literals("RETURN 'a // b' AS `x y` // note")
    "RETURN '' AS `` "
    """

    def blank(match: re.Match[str]) -> str:
        kind = match.lastgroup
        if kind in ("line", "block"):
            return " "
        return {"single": "''", "double": '""', "quoted": "``"}[kind]  # type: ignore[index]

    return _TOKENS.sub(blank, text)


def write_clause(text: str) -> str | None:
    """The first clause of ``text`` that writes (upper case), or ``None`` for a read-only query."""
    code = strip_literals(text)
    keywords = set(WRITE_KEYWORDS)
    for match in _WORD.finditer(code):
        word = match.group().upper()
        if word not in keywords:
            continue
        before = code[: match.start()].rstrip()
        after = code[match.end() :].lstrip()
        if before.endswith((".", ":", "$")) or after.startswith(":") and not after.startswith("::"):
            continue  # a property, label, map key or parameter
        return word
    for match in _CALL.finditer(code):
        procedure, follows = match.group(1), match.group(2)
        if follows == "=" or procedure.lower() not in READ_ONLY_PROCEDURES:
            return f"CALL {procedure}"
    return None


def check_read_only(text: str) -> None:
    """Raise :class:`QueryError` when ``text`` writes."""
    clause = write_clause(text)
    if clause is not None:
        raise QueryError(f"this Cypher query writes ({clause}); queries are read-only unless write=True (--write)")
