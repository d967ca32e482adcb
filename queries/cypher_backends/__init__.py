"""Cypher back ends: engines that run Cypher over GENRE's property graph.

Each back end has ``run(text, parameters, *, write=False) -> CypherResult`` and ``close()``, and is registered
by name in :data:`queries.cypher.CYPHER_BACKENDS` (``ladybug``: embedded, the default;
``neo4j``: a server reached through the official driver).
"""
