"""Write detection of Cypher queries: refused unless write=True, robust to comments and strings."""

from __future__ import annotations

import pytest

from genre.errors import QueryError
from queries.cypher_safety import write_clause

WRITES = [
    "CREATE (n:Model {iri: 'x'})",
    "create (n)",
    "MATCH (n) SET n.x = 1",
    "MATCH (n) set n:Other",
    "MATCH (n) DELETE n",
    "MATCH (n) detach delete n",
    "MERGE (n:Model {iri: $iri})",
    "MATCH (n) REMOVE n.x",
    "DROP TABLE Model",
    "LOAD FROM 'x.csv' RETURN *",
    "COPY Model FROM 'x.csv'",
    "ALTER TABLE Model ADD x INT64",
    "INSTALL json",
    "CALL db.createLabel('X')",
    "CALL apoc.create.node(['X'], {})",
    "CALL threads = 4",
    "MATCH (n) // comment\nSET n.x = 1",
    "/* note */ MATCH (n) WITH n SET n.x = 'CREATE'",
    "MATCH (n) FOREACH (x IN [1] | SET n.x = x)",
    "MATCH (n) RETURN n UNION MATCH (m) CREATE (k) RETURN k",
    "EXPORT DATABASE '/tmp/x'",
    "  Create\t(n)",
    "MATCH (n) SeT n.x = 1",
]
READS = [
    "MATCH (n) RETURN n.created, n.set, n.deleted",
    "MATCH (n) WHERE n.prefLabel = 'CREATE (x)' RETURN n",
    'MATCH (n) WHERE n.prefLabel = "DELETE me" RETURN n',
    "MATCH (n) RETURN n // CREATE (x)",
    "MATCH (n) /* MERGE (y) */ RETURN n",
    "MATCH (n:`CREATE`) RETURN n",
    "MATCH (n) RETURN {set: 1, create: 2} AS m",
    "MATCH (n) WHERE n.x = $delete RETURN n",
    "MATCH (n) WHERE n.title CONTAINS 'it\\'s SET' RETURN n",
    "CALL show_tables() RETURN *",
    "CALL db.labels()",
    "MATCH (n) CALL { WITH n MATCH (n)-->(m) RETURN m } RETURN m",
    "MATCH (created:Model) RETURN created",
]


@pytest.mark.parametrize("text", WRITES)
def test_writes_are_detected(text):
    assert write_clause(text) is not None


@pytest.mark.parametrize("text", READS)
def test_reads_pass(text):
    assert write_clause(text) is None


@pytest.mark.parametrize("text", WRITES[:6])
def test_runner_refuses_writes_unless_asked(cypher, text):
    with pytest.raises(QueryError, match="writes"):
        cypher.run(text)


def test_write_true_runs_a_write(cypher):
    assert cypher.run(
        "MATCH (n:Model) WHERE n.id = 'no-such-model' SET n.licence = 'x' RETURN count(n)", write=True
    ).rows


def test_strings_containing_create_are_allowed(cypher):
    result = cypher.run("MATCH (m:Model) WHERE m.prefLabel = 'CREATE (x) DELETE y' RETURN m.iri")
    assert result.rows == []


def test_parameters_are_passed_as_parameters(cypher):
    hostile = "x' OR 1=1 RETURN m //"
    assert cypher.run("MATCH (m:Model) WHERE m.id = $id RETURN m.iri", id=hostile).rows == []
    assert cypher.run("MATCH (m:Model) WHERE m.prefLabel = $label RETURN m.id", label="GPT-4o").rows == [("gpt-4o",)]
    assert cypher.run("MATCH (m:Model) RETURN count(m)").rows[0][0] > 10  # nothing broke


def test_injection_looking_concept_is_not_found(cypher):
    from genre.errors import NotFoundError

    with pytest.raises(NotFoundError):
        cypher.run("models-by-capability", capability="vision'}) DETACH DELETE (m) //")
    with pytest.raises(NotFoundError):
        cypher.run("model-card", model="gpt-4o'}) RETURN 1 //")


def test_unknown_parameters_and_queries_are_errors(cypher):
    with pytest.raises(QueryError, match="no parameter"):
        cypher.run("model-card", colour="red")
    with pytest.raises(QueryError, match="must be a decimal"):
        cypher.run("models-by-capability", max_input_price="cheap")
    with pytest.raises(QueryError, match="Cypher query failed"):
        cypher.run("MATCH (m:Model) RETURN m.noSuchProperty")


def test_ladybug_is_opened_read_only_for_reads(cypher):
    """Defence in depth: a write that got past the keyword check is refused by the engine itself."""
    with pytest.raises(QueryError, match="Cypher query failed"):
        cypher.backend.run("MATCH (n:Model) WHERE n.id = 'gpt-4o' SET n.licence = 'x'", {})
    assert cypher.run("MATCH (n:Model) WHERE n.id = 'gpt-4o' RETURN n.licence").rows != [("x",)]
