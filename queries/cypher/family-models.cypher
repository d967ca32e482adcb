// The models of a family, newest first.
// param family: family = gpt
MATCH (m:Model)-[:inFamily]->(f:ModelFamily {iri: $family})
WHERE m.prefLabel IS NOT NULL
RETURN m.iri AS model, m.prefLabel AS label, m.releaseDate AS release_date, m.parameterCount AS parameter_count,
       m.openWeights AS open_weights, f.iri AS family
ORDER BY release_date IS NULL, release_date DESC, label
