"""A :class:`~kg.feedback.events.FeedbackEvent` as RDF quads in a feedback graph.

One event gives a ``genre:Feedback`` node (``genre:givenBy`` the user, ``genre:aboutModel`` the
model — both models for a tie — ``genre:preferredOver`` the loser of a preference,
``genre:feedbackKind``, ``genre:rating``, ``genre:comment``, ``genre:createdAt``), the
``genre:User`` node, and, when the event has a request text, a ``genre:Request`` node
(``genre:requestText``, ``genre:requestedBy``, ``genre:mentions`` each linked entity) that the
feedback is ``genre:aboutRequest``. The same user asking the same text again is the same request.

Examples
--------
>>> from kg.feedback.events import new_event
>>> event = new_event("ana", "https://w3id.org/genre/model/a", prefer="https://w3id.org/genre/model/b", request="hi")
>>> quads = event_quads(event, mentions=["https://w3id.org/genre/task/chat"])
>>> names = sorted({str(p).split("#")[-1] for _, p, _, _ in quads})
>>> len(names), names[:4]
(11, ['aboutModel', 'aboutRequest', 'createdAt', 'feedbackKind'])
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from kg.feedback.events import FeedbackEvent, user_iri
from kg.store import Quad
from ontology.terms import BASE, GENRE, individual

FEEDBACK_GRAPH = URIRef(f"{BASE}graph/feedback")
"""The named graph of feedback people give through GENRE (imports use ``graph/feedback/<name>``)."""


def request_iri(user: str, text: str) -> URIRef:
    """The IRI of the request ``text`` made by ``user`` (the same pair gives the same IRI)."""
    digest = hashlib.sha1(f"{user_iri(user)}\n{text.strip()}".encode()).hexdigest()[:20]
    return individual("request", digest)


def event_quads(event: FeedbackEvent, graph: URIRef = FEEDBACK_GRAPH, *, mentions: Iterable[str] = ()) -> list[Quad]:
    """The quads that record ``event`` in ``graph`` (see the module docstring)."""
    node, user = event.iri, user_iri(event.user)
    quads: list[Quad] = [
        (user, RDF.type, GENRE.User, graph),
        (user, RDFS.label, Literal(event.user), graph),
        (node, RDF.type, GENRE.Feedback, graph),
        (node, GENRE.givenBy, user, graph),
        (node, GENRE.aboutModel, URIRef(event.model), graph),
        (node, GENRE.feedbackKind, Literal(event.kind), graph),
        (node, GENRE.createdAt, Literal(event.created_at, datatype=XSD.dateTime), graph),
    ]
    if event.rating is not None:
        quads.append((node, GENRE.rating, Literal(event.rating, datatype=XSD.integer), graph))
    if event.other_model is not None:
        other = URIRef(event.other_model)
        quads.append((node, GENRE.preferredOver if event.kind == "prefer" else GENRE.aboutModel, other, graph))
    if event.comment:
        quads.append((node, GENRE.comment, Literal(event.comment), graph))
    if event.request:
        request = request_iri(event.user, event.request)
        quads += [
            (node, GENRE.aboutRequest, request, graph),
            (request, RDF.type, GENRE.Request, graph),
            (request, GENRE.requestText, Literal(event.request), graph),
            (request, GENRE.requestedBy, user, graph),
        ]
        quads += [(request, GENRE.mentions, URIRef(iri), graph) for iri in mentions]
    return quads
