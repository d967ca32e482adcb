"""One piece of feedback, checked: :class:`FeedbackEvent` and :func:`new_event`.

A user gives exactly one judgement per event: a rating from 1 to 5, a thumbs up or down, a
pairwise preference (this model over another) or a tie, a choice (a click), or only a comment.
A comment may also ride along with any of the others.

Examples
--------
>>> event = new_event("Ana", "https://w3id.org/genre/model/gpt-4o", rating=5, comment="great")
>>> event.kind, event.rating, event.user
('rating', 5, 'ana')
>>> new_event("ana", "https://w3id.org/genre/model/gpt-4o", rating=5, up=True)
Traceback (most recent call last):
...
genre.errors.ValidationError: give exactly one judgement (rating, up, down, prefer, tie or chose), not 2: rating, up
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from rdflib import URIRef

from genre.errors import ValidationError
from ontology.terms import BASE, individual, slug

KINDS = ("rating", "up", "down", "prefer", "tie", "choice", "comment")
"""Every kind of feedback (the values of ``genre:feedbackKind``)."""

MAX_TEXT = 10_000
"""The longest request or comment text kept (characters)."""


CHOICE_WEIGHT = 0.5
"""How much a choice (a click) counts, against 1 for a thumbs up."""


def likes_and_dislikes(kind: str, rating: float | None = None, *, loser: bool = False) -> tuple[float, float]:
    """What one judgement says of one model, as (likes, dislikes).

    A rating ``r`` is a like of ``(r - 1) / 4`` and a dislike of the rest; up is a like, down a
    dislike; the winner of a preference gets a like and the loser (``loser=True``) a dislike; a
    choice is a like of :data:`CHOICE_WEIGHT`; ties and comments say nothing.

    >>> likes_and_dislikes("rating", 4), likes_and_dislikes("prefer", loser=True), likes_and_dislikes("tie")
    ((0.75, 0.25), (0.0, 1.0), (0.0, 0.0))
    """
    if kind == "rating" and rating is not None:
        like = min(1.0, max(0.0, (float(rating) - 1.0) / 4.0))
        return like, 1.0 - like
    if kind == "prefer":
        return (0.0, 1.0) if loser else (1.0, 0.0)
    return {"up": (1.0, 0.0), "down": (0.0, 1.0), "choice": (CHOICE_WEIGHT, 0.0)}.get(kind, (0.0, 0.0))


def user_iri(user: str) -> URIRef:
    """The IRI of a user given by name or IRI.

    >>> str(user_iri("Ana Lima"))
    'https://w3id.org/genre/user/ana-lima'
    """
    return URIRef(user) if user.startswith(BASE) else individual("user", slug(user))


def user_id(user: str) -> str:
    """The id of a user given by name or IRI (``"Ana Lima"`` → ``"ana-lima"``)."""
    return str(user_iri(user)).rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class FeedbackEvent:
    """A checked piece of feedback; :func:`new_event` makes one.

    Attributes
    ----------
    id:
        A unique hex id; the feedback node is ``https://w3id.org/genre/feedback/<id>``.
    user:
        The user's id (``"ana-lima"``).
    model:
        IRI of the model judged (for ``prefer``: the preferred one).
    kind:
        One of :data:`KINDS`.
    rating:
        1–5 for ``rating``, else ``None``.
    other_model:
        IRI of the losing model of ``prefer``, or the other model of ``tie``.
    request, comment:
        The request text and a free-text comment, when given.
    created_at:
        When it was given (ISO 8601, UTC).
    """

    id: str
    user: str
    model: str
    kind: str
    rating: int | None = None
    other_model: str | None = None
    request: str | None = None
    comment: str | None = None
    created_at: str = ""

    @property
    def iri(self) -> URIRef:
        """The feedback node's IRI."""
        return individual("feedback", self.id)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return asdict(self)


def new_event(
    user: str,
    model: str,
    *,
    rating: int | None = None,
    up: bool = False,
    down: bool = False,
    prefer: str | None = None,
    tie: str | None = None,
    chose: bool = False,
    request: str | None = None,
    comment: str | None = None,
    created_at: datetime | None = None,
) -> FeedbackEvent:
    """Check one piece of feedback and give it an id and a time.

    ``model``, ``prefer`` and ``tie`` are model IRIs (resolve names first). Raises
    :class:`ValidationError` naming every problem: no or several judgements, a rating outside
    1–5, a model compared with itself, an empty user, text longer than :data:`MAX_TEXT`.
    """
    problems = []
    given = {
        "rating": rating is not None,
        "up": up,
        "down": down,
        "prefer": prefer is not None,
        "tie": tie is not None,
        "chose": chose,
    }
    chosen = [name for name, present in given.items() if present]
    if len(chosen) > 1:
        problems.append(f"give exactly one judgement (rating, up, down, prefer, tie or chose), not {len(chosen)}: ")
        problems[-1] += ", ".join(chosen)
    if not chosen and not (comment and comment.strip()):
        problems.append("give a judgement (rating, up, down, prefer, tie or chose) or a comment")
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5):
        problems.append(f"a rating is a whole number from 1 to 5, got {rating!r}")
    other = prefer if prefer is not None else tie
    if other is not None and other == model:
        problems.append("a model cannot be compared with itself")
    if not user or not user.strip() or slug(user) == "unnamed":
        problems.append("give a user name (letters or digits)")
    for name, text in (("request", request), ("comment", comment)):
        if text is not None and len(text) > MAX_TEXT:
            problems.append(f"the {name} is longer than {MAX_TEXT} characters")
    if problems:
        raise ValidationError(problems[0] if len(problems) == 1 else "the feedback is not valid", problems=problems)
    kind = {"rating": "rating", "up": "up", "down": "down", "prefer": "prefer", "tie": "tie", "chose": "choice"}.get(
        chosen[0] if chosen else "", "comment"
    )
    when = (created_at or datetime.now(UTC)).astimezone(UTC)
    return FeedbackEvent(
        id=uuid.uuid4().hex,
        user=user_id(user),
        model=str(model),
        kind=kind,
        rating=rating,
        other_model=None if other is None else str(other),
        request=request.strip() if request and request.strip() else None,
        comment=comment.strip() if comment and comment.strip() else None,
        created_at=when.isoformat(timespec="seconds"),
    )
