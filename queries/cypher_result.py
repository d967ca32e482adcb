"""The answer of a Cypher query, whatever engine ran it.

Examples
--------
>>> result = CypherResult(("model", "price"), [("gpt-4o", 2.5)])
>>> result.dicts()
[{'model': 'gpt-4o', 'price': 2.5}]
>>> native(Decimal("2.5")), native([Decimal("1")])
(2.5, [1.0])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class CypherResult:
    """Columns and rows (plain Python values: str, int, float, bool, date, datetime, lists, dicts)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    counters: dict[str, int] = field(default_factory=dict)
    """What a write changed, where the engine reports it (Neo4j's summary counters)."""

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def native(value: Any) -> Any:
    """A plain Python value from an engine's value (Neo4j's temporal types, decimals, nested lists)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [native(item) for item in value]
    if isinstance(value, dict):
        return {key: native(item) for key, item in value.items()}
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        return to_native()
    return value
