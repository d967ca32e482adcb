// A model's benchmark results, with the source of each.
// param model: model = gpt-4o
MATCH (m:Model {iri: $model})-[:hasBenchmarkResult]->(r:BenchmarkResult)-[:evaluatedOn]->(b:Benchmark), (s:Source)
WHERE r.value IS NOT NULL AND r.metric IS NOT NULL AND b.prefLabel IS NOT NULL AND s.iri IN r.graphs
RETURN b.iri AS benchmark, b.prefLabel AS benchmark_label, r.value AS value, r.metric AS metric,
       r.scaleMax AS scale_max, r.evaluationSetting AS setting, r.resultDate AS date, r.identifier AS reported_as,
       s.title AS source, r.source AS source_url, m.iri AS model
ORDER BY benchmark_label, value DESC
