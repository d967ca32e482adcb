// The best models on a benchmark: each model's best reported score, highest first.
// param benchmark: benchmark = mmlu-pro
MATCH (m:Model)<-[:evaluatedModel]-(r:BenchmarkResult)-[:evaluatedOn]->(b:Benchmark {iri: $benchmark})
WITH b, m, max(r.value) AS best
MATCH (m)<-[:evaluatedModel]-(r:BenchmarkResult)-[:evaluatedOn]->(b), (s:Source)
WHERE r.value = best AND r.metric IS NOT NULL AND m.prefLabel IS NOT NULL AND s.iri IN r.graphs
RETURN m.iri AS model, m.prefLabel AS label, r.value AS value, r.metric AS metric, r.scaleMax AS scale_max,
       r.resultDate AS date, s.title AS source, r.source AS source_url, b.iri AS benchmark
ORDER BY value DESC, label
