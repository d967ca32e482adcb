// A model's card: name, maker, dates, size, licence, modalities and capabilities.
// (Its offers and benchmark results are the named queries model-offers and model-benchmarks.)
// param model: model = gpt-4o
MATCH (m:Model {iri: $model})
WHERE m.prefLabel IS NOT NULL
OPTIONAL MATCH (m)-[:createdBy]->(creator:Provider)
OPTIONAL MATCH (m)-[:inFamily]->(family:ModelFamily)
OPTIONAL MATCH (m)-[:supportsInputModality]->(input:Modality)
OPTIONAL MATCH (m)-[:supportsOutputModality]->(output:Modality)
OPTIONAL MATCH (m)-[:hasCapability]->(capability:Capability)
RETURN m.iri AS model, coalesce(m.identifier, m.id) AS id, m.prefLabel AS label, creator.id AS creator,
       family.prefLabel AS family, m.releaseDate AS release_date, m.knowledgeCutoff AS knowledge_cutoff,
       m.parameterCount AS parameter_count, m.openWeights AS open_weights, m.licence AS licence,
       collect(DISTINCT input.id) AS input_modalities, collect(DISTINCT output.id) AS output_modalities,
       collect(DISTINCT capability.id) AS capabilities
