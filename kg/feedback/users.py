"""Writing feedback, reading what a user taught GENRE, and forgetting a user.

- :func:`record_feedback` resolves the model names, checks the event (:func:`~kg.feedback.events.new_event`),
  links the request text into the graph (rules only: fast and deterministic) and writes every quad in
  one transaction. Personalization reads the feedback graph live, so the next recommendation uses it.
- :func:`user_profile` lists a user's feedback and what personalization learned from it.
- :func:`forget_user` deletes every node and edge about a user, in every graph, in one transaction.

Examples
--------
>>> import genre
>>> kg = genre.open(snapshot=FIXTURE)
>>> event = record_feedback(kg, "ana", "GPT-4o", rating=5, request="summarise a contract", link=False)
>>> profile = user_profile(kg, "ana")
>>> [(f["kind"], f["model"]) for f in profile.feedback], [m["label"] for m in profile.learned["liked_models"]]
([('rating', 'GPT-4o')], ['GPT-4o'])
>>> forget_user(kg, "ana") > 0, user_profile(kg, "ana").feedback
(True, [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg.feedback.events import FeedbackEvent, new_event, user_id, user_iri
from kg.feedback.quads import FEEDBACK_GRAPH, event_quads


def record_feedback(
    kg: Any,
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
    link: bool = True,
    graph: URIRef = FEEDBACK_GRAPH,
) -> FeedbackEvent:
    """Record one piece of feedback in ``kg`` and return the event written.

    Models are given by any alias or IRI. Raises :class:`~genre.errors.NotFoundError` (with close
    matches) for an unknown model and :class:`~genre.errors.ValidationError` for a malformed event;
    nothing is written then. An unknown user is created.
    """
    model_iri = kg.model_iri(model)
    other = {name: kg.model_iri(value) for name, value in (("prefer", prefer), ("tie", tie)) if value is not None}
    event = new_event(
        user,
        str(model_iri),
        rating=rating,
        up=up,
        down=down,
        prefer=str(other["prefer"]) if "prefer" in other else None,
        tie=str(other["tie"]) if "tie" in other else None,
        chose=chose,
        request=request,
        comment=comment,
    )
    mentions: list[str] = []
    if event.request and link:
        from kg.linking import linker_for

        mentions = linker_for(kg, semantic=False).link(event.request).iris()
    kg.store.add_quads(event_quads(event, graph, mentions=mentions))
    return event


@dataclass(frozen=True, slots=True)
class UserProfile:
    """What GENRE knows of one user: their feedback, newest first, and what personalization learned from it.

    ``learned`` is :func:`kg.recommend.personalization.learned_preferences`: the models, families and
    makers the user likes or dislikes more than most people do (``liked_models``, ``disliked_makers``...),
    the users who judge like them and what those liked.
    """

    user: str
    iri: str
    feedback: list[dict[str, Any]] = field(default_factory=list)
    learned: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return {"user": self.user, "iri": self.iri, "feedback": self.feedback, "learned": self.learned}


_FEEDBACK = """
SELECT ?user ?feedback ?kind ?time ?model ?modelLabel ?rating ?loser ?loserLabel ?text ?comment WHERE {
  ?feedback genre:givenBy ?user ; genre:feedbackKind ?kind ; genre:createdAt ?time .
  OPTIONAL { ?feedback genre:aboutModel ?model OPTIONAL { ?model skos:prefLabel ?modelLabel } }
  OPTIONAL { ?feedback genre:rating ?rating }
  OPTIONAL { ?feedback genre:preferredOver ?loser OPTIONAL { ?loser skos:prefLabel ?loserLabel } }
  OPTIONAL { ?feedback genre:aboutRequest/genre:requestText ?text }
  OPTIONAL { ?feedback genre:comment ?comment }
}"""


def user_profile(kg: Any, user: str) -> UserProfile:
    """The user's feedback (newest first) and what personalization learned from it."""
    from kg.recommend.personalization import learned_preferences

    iri = user_iri(user)
    events: dict[str, dict[str, Any]] = {}
    for row in kg.store.select(_FEEDBACK, {"user": iri}).dicts():
        entry = events.setdefault(
            row["feedback"],
            {
                "id": str(row["feedback"]).rsplit("/", 1)[-1],
                "time": str(row["time"]),
                "kind": row["kind"],
                "models": {},
                "rating": row["rating"],
                "over": None,
                "request": row["text"],
                "comment": row["comment"],
            },
        )
        if row["model"] and row["model"] != row["loser"]:
            entry["models"][row["model"]] = row["modelLabel"] or _tail(row["model"])
        if row["loser"]:
            entry["over"] = row["loserLabel"] or _tail(row["loser"])
    feedback = []
    for entry in sorted(events.values(), key=lambda item: (item["time"], item["id"]), reverse=True):
        models = entry.pop("models")
        feedback.append({**entry, "model": " = ".join(label for _, label in sorted(models.items()))})
    return UserProfile(user_id(user), str(iri), feedback, learned_preferences(kg.store, str(iri)))


def _tail(iri: str) -> str:
    return str(iri).rsplit("/", 1)[-1]


_ABOUT_USER = """
SELECT DISTINCT ?user ?node WHERE {
  { ?node genre:givenBy ?user }
  UNION { ?node genre:requestedBy ?user }
  UNION { ?feedback genre:givenBy ?user ; genre:aboutRequest ?node }
}"""


def forget_user(kg: Any, user: str) -> int:
    """Delete every node and edge about ``user`` (the user, their feedback, their requests); returns quads removed.

    Edges from other nodes to these (for example an outcome pointing at one of their requests) go too,
    all in one transaction; the user's vector leaves the store's graph-embedding file.
    """
    iri = user_iri(user)
    nodes = [iri] + [URIRef(str(row[0])) for row in kg.store.select(_ABOUT_USER, {"user": iri}).rows]
    removed = kg.store.remove_about(nodes)
    _forget_in_embeddings(str(iri))
    return removed


def _forget_in_embeddings(iri: str) -> None:
    """Drop the user's vector from the store's own embeddings file (``genre kg embed``), if it has one."""
    from kg.embeddings.signal import user_embeddings_path
    from kg.embeddings.vectors import load_embeddings

    path = user_embeddings_path()
    if path.is_file():
        embeddings = load_embeddings(path)
        if iri in embeddings.entity_index:
            embeddings.without({iri}).save(path)
