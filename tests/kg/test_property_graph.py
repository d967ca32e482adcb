"""The property-graph projection: derived from the ontology, loaded into Ladybug, kept in step with the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import OWL, RDF

from kg.property_graph.ladybug import ensure_ladybug, schema_statements
from kg.property_graph.projection import project
from kg.property_graph.schema import GENRE_NS, local_name, ontology_terms
from ontology.files import ontology_graph


@pytest.fixture()
def graph(kg):
    return project(kg.store)


def test_every_class_used_by_instances_is_a_node_label(kg, graph):
    used = {
        local_name(str(row[0]))
        for row in kg.sparql("SELECT DISTINCT ?c WHERE { ?x a ?c FILTER(STRSTARTS(STR(?c), STR(genre:))) }").rows
        if (row[0], RDF.type, OWL.Class) in ontology_graph()
    }
    assert used and used <= set(graph.nodes)
    for label in used:
        assert graph.nodes[label].count > 0, label


def test_every_object_property_used_is_a_relationship_type(kg, graph):
    object_properties = set(ontology_graph().subjects(RDF.type, OWL.ObjectProperty))
    used = {
        local_name(str(row[0]))
        for row in kg.sparql("SELECT DISTINCT ?p WHERE { ?s ?p ?o }").rows
        if row[0] in object_properties
    }
    assert used and used <= set(graph.relationships)
    for name in used:
        assert graph.relationships[name].count > 0, name


def test_labels_and_types_come_from_the_ontology_only(graph):
    terms = ontology_terms()
    assert set(graph.nodes) == set(terms.classes)
    assert set(graph.relationships) == set(terms.object_properties)
    assert all(iri.startswith(GENRE_NS) for iri in terms.classes.values())


def test_datatype_properties_are_typed_by_their_range(graph):
    columns = {column.name: column for column in graph.nodes["Model"].columns}
    assert columns["releaseDate"].type == "DATE"
    assert columns["parameterCount"].type == "INT64"
    assert columns["openWeights"].type == "BOOLEAN"
    assert columns["knowledgeCutoff"].type == "DATE"  # declared for Model even where no model states one
    offer = {column.name: column for column in graph.nodes["Offer"].columns}
    assert offer["inputPricePerMillionTokens"].type == "DOUBLE"
    assert {c.name for c in graph.nodes["Model"].columns} >= {"iri", "id", "classes", "graphs", "prefLabel"}


def test_concepts_are_typed_and_labelled(graph):
    vision = next(row for row in graph.nodes["Capability"].rows if row["id"] == "vision")
    assert vision["prefLabel"] == "vision"
    assert "prefLabel_zh" in vision and vision["prefLabel_zh"]
    assert isinstance(vision["altLabels"], list) and vision["altLabels"] == sorted(vision["altLabels"])
    assert vision["graphs"] == ["https://w3id.org/genre/graph/ontology"]


def test_sources_are_kept_on_nodes_and_relationships(graph):
    model = next(row for row in graph.nodes["Model"].rows if row["id"] == "gpt-4o")
    assert all(g.startswith("https://w3id.org/genre/source/") for g in model["graphs"]) and model["graphs"]
    links = [link for rows in graph.relationships["hasCapability"].rows.values() for link in rows]
    assert all(where for _, _, where in links)


def test_name_collisions_are_prefixed():
    from kg.property_graph.projection import _property_names

    names = _property_names(
        ontology_terms(),
        "Feedback",
        {"https://w3id.org/genre/ontology#comment", "http://www.w3.org/2000/01/rdf-schema#comment"},
        {},
    )
    assert names[("https://w3id.org/genre/ontology#comment", "")] == "comment"
    assert names[("http://www.w3.org/2000/01/rdf-schema#comment", "")] == "rdfs_comment"


def test_conflicting_values_are_reduced_and_counted(kg):
    from decimal import Decimal

    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    offer = kg.sparql("SELECT ?o WHERE { ?o a genre:Offer ; genre:inputPricePerMillionTokens ?p } LIMIT 1").rows[0][0]
    second_price = Literal(Decimal("0.0001"), datatype=XSD.decimal)
    price = URIRef("https://w3id.org/genre/ontology#inputPricePerMillionTokens")
    kg.store.add_quads([(offer, price, second_price, URIRef("https://w3id.org/genre/source/user"))])
    graph = project(kg.store)
    assert graph.report.conflicts["Offer.inputPricePerMillionTokens"] == 1
    assert not graph.report.skipped


def test_schema_statements_cover_every_table(graph):
    statements = schema_statements(graph)
    assert len(statements) == len(graph.nodes) + len(graph.relationships)


def test_ladybug_loads_the_fixture_graph(kg, graph, ladybug_folder: Path):
    import ladybug

    database = ensure_ladybug(kg.store, folder=ladybug_folder)
    assert database.path.is_file()
    assert database.counts["Model"] == graph.nodes["Model"].count
    connection = ladybug.Connection(ladybug.Database(str(database.path), read_only=True))
    try:
        (count,) = connection.execute("MATCH (m:Model) RETURN count(m)").get_all()[0]
        (links,) = connection.execute("MATCH ()-[r:hasCapability]->() RETURN count(r)").get_all()[0]
    finally:
        connection.close()
    assert count == graph.nodes["Model"].count
    assert links == graph.relationships["hasCapability"].count


def test_refresh_after_the_store_changes(kg, ladybug_folder: Path, tmp_path: Path):
    from queries.cypher import Cypher

    folder = ladybug_folder / "refresh"
    cypher = Cypher(kg, folder=folder)
    query = "MATCH (m:Model {id: 'acme-chat-7b'}) RETURN m.prefLabel AS label"
    try:
        assert cypher.run(query).rows == []
        before = cypher.backend.database.fingerprint
        description = tmp_path / "acme.yaml"
        description.write_text(
            "id: acme-chat-7b\nname: Acme Chat 7B\ncreator: acme\nopen_weights: true\n"
            "input_modalities: [text]\noutput_modalities: [text]\n",
            encoding="utf-8",
        )
        kg.add_model(description)
        assert cypher.run(query).rows == [("Acme Chat 7B",)]
        assert cypher.backend.database.fingerprint != before
        assert cypher.backend.database.built
    finally:
        cypher.close()
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 1  # the old database is gone
