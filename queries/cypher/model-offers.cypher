// A model's offers: who serves it, under which id, at what price and with which limits.
// param model: model = gpt-4o
MATCH (m:Model {iri: $model})-[:hasOffer]->(o:Offer)-[:offeredBy]->(p:Provider), (s:Source)
WHERE o.providerModelId IS NOT NULL AND s.iri IN o.graphs AND s.title IS NOT NULL AND s.generatedAtTime IS NOT NULL
RETURN o.iri AS offer, p.id AS provider, o.callId AS call_id, o.providerModelId AS provider_model_id,
       o.inputPricePerMillionTokens AS input_price, o.outputPricePerMillionTokens AS output_price,
       o.contextWindow AS context_window, o.maxOutputTokens AS max_output_tokens, s.title AS source,
       s.generatedAtTime AS retrieved, m.iri AS model
ORDER BY input_price IS NULL, input_price, provider, call_id
