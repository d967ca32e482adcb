"""The knowledge graph as a typed property graph, for Cypher engines (Ladybug, Neo4j).

- :mod:`kg.property_graph.schema`: node labels, relationship types and typed properties, read
  from the ontology (``ontology/genre.ttl``).
- :mod:`kg.property_graph.projection`: the store's quads projected onto that schema.
- :mod:`kg.property_graph.ladybug`: the projection bulk-loaded into an embedded Ladybug
  database under ``$GENRE_HOME/ladybug``, rebuilt when the store changes.
- :mod:`kg.property_graph.neo4j`: the projection synced into Neo4j through the official driver.

The mapping, in short (details in :mod:`kg.property_graph.projection`):

* every ``owl:Class`` of GENRE's ontology is a node label; every ``owl:ObjectProperty`` a
  relationship type, between the classes its domain and range name (and any pair the data uses);
* every node has ``iri`` (unique key), ``id`` (the IRI's last segment), ``classes`` (all its
  GENRE classes) and ``graphs`` (the named graphs, i.e. sources, that state its class);
  every relationship has ``graphs`` (the named graphs that state it);
* literals become typed properties named by the predicate's local name: the ontology's datatype
  properties typed by their ``rdfs:range``, other predicates (SKOS, Dublin Core, PROV...) by the
  datatypes found; ``skos:altLabel`` becomes the list ``altLabels``.
"""
