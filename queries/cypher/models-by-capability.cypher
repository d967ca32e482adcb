// Models with a capability that take an input modality, through an offer under a price.
// One row per model: its cheapest such offer, cheapest first.
// param capability: capability = vision
// param modality: modality = image
// param max_input_price: decimal = 1000000
MATCH (m:Model)-[:hasCapability]->(:Capability {iri: $capability}),
      (m)-[:supportsInputModality]->(:Modality {iri: $modality}),
      (m)-[:hasOffer]->(qualifying:Offer)
WHERE qualifying.inputPricePerMillionTokens <= $max_input_price
WITH m, min(qualifying.inputPricePerMillionTokens) AS cheapest
MATCH (m)-[:hasOffer]->(o:Offer)-[:offeredBy]->(p:Provider), (s:Source)
WHERE o.inputPricePerMillionTokens = cheapest AND o.providerModelId IS NOT NULL
  AND m.prefLabel IS NOT NULL AND s.iri IN o.graphs
RETURN m.iri AS model, m.prefLabel AS label, p.id AS provider, o.callId AS call_id,
       o.inputPricePerMillionTokens AS input_price, o.outputPricePerMillionTokens AS output_price,
       o.contextWindow AS context_window, s.title AS source
ORDER BY input_price, output_price IS NULL, output_price, label, call_id
