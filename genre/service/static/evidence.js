// The evidence of one recommendation as a small graph: request → linked entities and needs → capabilities and
// benchmarks → model. Built from the request's linked entities and the evidence sentences, whose steps are
// joined by " → " ("needs general reasoning → GPQA diamond → 76.3% (source, date), percentile 84 ...").
//
//   import { evidenceGraph } from "./evidence.js";
//   const { nodes, links } = evidenceGraph(result.request, result.recommendations[0]);

const ARROW = " → ";
const RESULT = /^[-+]?\d[\d.,]*\s*(%|elo|points?|score)?\b|^\d/i;

function slugWords(iri) {
  return decodeURIComponent(String(iri).replace(/\/+$/, "").split("/").pop() || "").replace(/[-_]+/g, " ").toLowerCase();
}

function iriType(iri) {
  const parts = String(iri).split("/");
  return parts.length > 1 ? parts[parts.length - 2] : "need";
}

/** {nodes: [{id, label, type, detail}], links: [{source, target, label}]}: the picture of one recommendation. */
export function evidenceGraph(request, recommendation) {
  const nodes = new Map();
  const links = new Map();
  const add = (key, label, type, detail = "") => {
    const id = `${type}:${key.toLowerCase()}`;
    if (!nodes.has(id)) nodes.set(id, { id, label, type, detail });
    else if (detail && !nodes.get(id).detail) nodes.get(id).detail = detail;
    return id;
  };
  const link = (source, target, label = "") => {
    const id = `${source}→${target}`;
    if (source === target) return;
    if (!links.has(id)) links.set(id, { source, target, label });
    else if (label && !links.get(id).label.includes(label)) links.get(id).label += `; ${label}`;
  };

  const req = request || {};
  const root = add("request", "your request", "request", req.text || "");
  const model = add(recommendation.model_id, recommendation.label || recommendation.model_id, "model", recommendation.model_id);
  const entities = (req.entities || []).map((entity) => ({
    label: entity.label || slugWords(entity.iri),
    type: entity.type || iriType(entity.iri),
    iri: entity.iri,
  }));
  const needs = (req.default_needs || []).map((iri) => ({ label: slugWords(iri), type: iriType(iri), iri }));
  for (const modality of req.modalities || []) {
    if (modality !== "text") needs.push({ label: slugWords(modality), type: "modality", iri: modality });
  }
  for (const entity of entities) {
    const id = add(entity.label, entity.label, entity.type, entity.iri);
    link(root, id, "mentions");
  }

  // A need named in a sentence ("image input", "general reasoning") → the linked entity or default need it means.
  const needNode = (words) => {
    const lower = words.toLowerCase();
    const exact = [...entities, ...needs].find((item) => item.label.toLowerCase() === lower);
    const partial = exact || [...entities, ...needs].find((item) => lower.split(/\s+/).includes(item.label.toLowerCase()));
    const found = exact || partial;
    const id = found ? add(found.label, found.label, found.type, found.iri) : add(words, words, "need");
    link(root, id, "needs");
    return id;
  };

  for (const sentence of recommendation.evidence || []) {
    const steps = String(sentence).split(ARROW).map((step) => step.trim());
    const first = steps[0];
    if (steps.length === 1) {
      const named = first.match(/^you named (.+)$/i);
      const feedback = first.match(/^(?:your|their) feedback on (.+?)(?: \((.+?)\))?:\s*(.*)$/i);
      if (named) link(root, model, "you named it");
      else if (feedback) {
        const who = add("user", feedback[2] ? `feedback (${feedback[2]})` : "your feedback", "user", first);
        link(root, who, "from");
        link(who, model, feedback[3] || "feedback");
      }
      continue;
    }
    let previous;
    const needs1 = first.match(/^needs (.+)$/i);
    const asked = first.match(/^asked for (.+)$/i);
    if (needs1) previous = needNode(needs1[1]);
    else if (asked) previous = needNode(asked[1]);
    else previous = add(first, first, "need");
    const last = steps[steps.length - 1];
    const middle = steps.slice(1, -1);
    const hasIt = / has it$/i.test(last);
    const isResult = !hasIt && RESULT.test(last);
    middle.forEach((step, index) => {
      let type = "capability";
      if (isResult && index === middle.length - 1) type = "benchmark";
      const kinded = step.match(/^(task|capability|domain|modality|language|provider|family|benchmark) (.+)$/i);
      const label = kinded ? kinded[2] : step;
      if (kinded) type = kinded[1].toLowerCase();
      const id = add(label, label, type, isResult && type === "benchmark" ? last : "");
      link(previous, id);
      previous = id;
    });
    if (hasIt) link(previous, model, "has it");
    else if (isResult) link(previous, model, last.split(" (")[0].split(",")[0]);
    else {
      const kinded = last.match(/^(task|capability|domain|modality|language|provider|family) (.+)$/i);
      if (kinded) {
        const id = add(kinded[2], kinded[2], kinded[1].toLowerCase());
        link(previous, id);
        link(id, model);
      } else link(previous, model, last);
    }
  }
  if (![...links.values()].some((item) => item.target === model)) link(root, model, "ranked");
  return { nodes: [...nodes.values()], links: [...links.values()] };
}

/** The column of a node type, left (request) to right (model). */
export const LAYER = { request: 0, user: 1, task: 1, domain: 1, language: 1, modality: 1, need: 1, provider: 1,
  family: 1, capability: 2, benchmark: 3, model: 4 };
