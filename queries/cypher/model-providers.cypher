// The providers that serve a model, with their cheapest input price for it.
// param model: model = gpt-4o
MATCH (m:Model {iri: $model})-[:hasOffer]->(o:Offer)-[:offeredBy]->(p:Provider)
RETURN m.iri AS model, p.iri AS provider, p.id AS provider_id, count(DISTINCT o.iri) AS offers,
       min(o.inputPricePerMillionTokens) AS cheapest_input_price
ORDER BY cheapest_input_price IS NULL, cheapest_input_price, provider_id
