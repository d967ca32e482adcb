// The Recommend tab: the request box (text, attachments, cost slider, user name), the ranked model cards with
// their score bars, offer, configuration, evidence sentences and evidence graph, and the feedback buttons.

import { ApiError, api, readAttachment, stored } from "./api.js";
import { dollars, h, showStatus, tokens, words } from "./dom.js";
import { evidenceGraph } from "./evidence.js";
import { drawGraph } from "./graph.js";

const form = () => document.getElementById("recommend-form");
let attachments = [];
let lastResult = null;

/** What a cost weight means, in words. */
export function tradeOff(value) {
  const weight = Number(value);
  if (weight <= 0.05) return "quality first";
  if (weight < 0.4) return "mostly quality";
  if (weight <= 0.6) return "balanced";
  if (weight < 0.95) return "mostly cost";
  return "cost first";
}

export function initRecommend() {
  const slider = document.getElementById("cost-weight");
  const output = document.getElementById("cost-weight-value");
  const showSlider = () => {
    const text = tradeOff(slider.value);
    output.textContent = `${text} (${Number(slider.value).toFixed(2)})`;
    slider.setAttribute("aria-valuetext", text);
  };
  slider.addEventListener("input", showSlider);
  showSlider();

  const user = document.getElementById("user-name");
  user.value = stored.user;
  user.addEventListener("change", () => { stored.user = user.value.trim(); });

  const picker = document.getElementById("attachments");
  picker.addEventListener("change", () => {
    attachments.push(...picker.files);
    picker.value = "";
    renderAttachments();
  });
  form().addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  document.getElementById("request-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submit(); }
  });
}

function renderAttachments() {
  const list = document.getElementById("attachment-list");
  list.replaceChildren(...attachments.map((file, index) => h("li", {},
    h("span", {}, `${file.name} `, h("span", { class: "hint" }, `(${Math.max(1, Math.round(file.size / 1024))} KB)`)),
    h("button", { type: "button", class: "link-button", "aria-label": `Remove ${file.name}`,
      onclick: () => { attachments.splice(index, 1); renderAttachments(); document.getElementById("attachments").focus(); } }, "remove"),
  )));
}

async function submit() {
  const status = document.getElementById("recommend-status");
  const textBox = document.getElementById("request-text");
  const text = textBox.value.trim();
  if (!text) {
    showStatus(status, "error", "Write what the model should do first.");
    textBox.focus();
    return;
  }
  const k = Number(document.getElementById("k").value || 5);
  if (!Number.isInteger(k) || k < 1 || k > 20) {
    showStatus(status, "error", "“How many models” must be a whole number from 1 to 20.");
    document.getElementById("k").focus();
    return;
  }
  const user = document.getElementById("user-name").value.trim();
  stored.user = user;
  const button = document.getElementById("recommend-button");
  button.disabled = true;
  form().setAttribute("aria-busy", "true");
  showStatus(status, "busy", "Finding models… (the first request after the service starts can take a few seconds)");
  try {
    const body = { text, k, cost_weight: Number(document.getElementById("cost-weight").value) };
    if (user) body.user = user;
    if (attachments.length) body.attachments = await Promise.all(attachments.map(readAttachment));
    const result = await api.post("/v1/recommend", body);
    lastResult = result;
    render(result);
    const count = (result.recommendations || []).length;
    showStatus(status, count ? "ok" : "info", count ? `${count} model${count === 1 ? "" : "s"} recommended.`
      : "No model meets every constraint of this request: loosen a constraint (see below) and try again.");
  } catch (error) {
    const message = error instanceof ApiError ? error.message : `Something went wrong in the page: ${error.message}`;
    showStatus(status, "error", message, error.details || []);
  } finally {
    button.disabled = false;
    form().removeAttribute("aria-busy");
  }
}

function render(result) {
  renderSummary(result);
  const list = document.getElementById("result-list");
  const recommendations = result.recommendations || [];
  list.replaceChildren(...recommendations.map((rec) => card(result, rec, recommendations)));
  document.getElementById("results").hidden = recommendations.length === 0;
}

function chip(text, kind = "") {
  return h("li", { class: `chip ${kind}` }, text);
}

function renderSummary(result) {
  const request = result.request || {};
  const section = document.getElementById("request-summary");
  const body = document.getElementById("request-summary-body");
  const rows = [];
  const entities = request.entities || [];
  rows.push(["Linked to", entities.length
    ? h("ul", { class: "chips" }, entities.map((entity) => chip(`${entity.type}: ${entity.label}`, `type-${entity.type}`)))
    : h("span", { class: "hint" }, "no named entity — judged by the general needs of any request")]);
  const needs = request.default_needs || [];
  if (needs.length) rows.push(["Needs", h("ul", { class: "chips" }, needs.map((iri) => chip(words(iri.split("/").pop()), "need")))]);
  rows.push(["Input", h("ul", { class: "chips" }, (request.modalities || []).map((m) => chip(words(m), "type-modality")))]);
  const constraints = Object.entries(request.constraints || {});
  rows.push(["Constraints", constraints.length
    ? h("ul", { class: "chips" }, constraints.map(([name, value]) => chip(`${words(name)}: ${constraintValue(value)}`, "constraint")))
    : h("span", { class: "hint" }, "none")]);
  if (request.estimated_input_tokens !== undefined) rows.push(["Input size", `about ${tokens(request.estimated_input_tokens)} tokens`]);
  const removed = Object.entries(result.removed_by_constraint || {}).filter(([, count]) => count > 0);
  if (removed.length) rows.push(["Left out", h("ul", { class: "chips" }, removed.map(([name, count]) => chip(`${count} by ${words(name)}`, "removed")))]);
  body.replaceChildren(h("dl", { class: "facts" }, rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])));
  section.hidden = false;
}

function constraintValue(value) {
  const one = (item) => (typeof item === "string" && item.includes("/") ? words(item.split("/").pop()) : String(item));
  return Array.isArray(value) ? value.map(one).join(", ") : one(value);
}

function bar(name, value, help) {
  const percent = Math.round(Math.max(0, Math.min(1, Number(value) || 0)) * 100);
  return h("div", { class: `score-row score-${name}` },
    h("span", { class: "score-name", title: help }, name),
    h("div", { class: "bar", role: "meter", "aria-label": name, "aria-valuemin": "0", "aria-valuemax": "1",
      "aria-valuenow": String(Number(value).toFixed(3)), "aria-valuetext": `${percent}%`, title: help },
    h("div", { class: "bar-fill", style: `width: ${percent}%` })),
    h("span", { class: "score-value" }, Number(value).toFixed(2)));
}

const CONFIG_NAMES = { temperature: "temperature", top_p: "top p", max_tokens: "max tokens", reasoning_effort: "reasoning effort" };

function card(result, rec, all) {
  const titleId = `rec-${rec.rank}-title`;
  const offer = rec.offer || {};
  const config = rec.config || {};
  const settings = Object.entries(config).filter(([name]) => name !== "preset" && name !== "preset_label");
  const caption = h("figcaption", { class: "graph-caption", "aria-live": "polite" });
  const graphBox = h("div", { class: "graph-box" });
  const figure = h("figure", { class: "evidence-figure" }, graphBox, caption);
  const element = h("li", { class: "rec-card", dataset: { model: rec.model_id } },
    h("article", { "aria-labelledby": titleId },
      h("header", { class: "rec-header" },
        h("span", { class: "rank", "aria-label": `rank ${rec.rank}` }, `#${rec.rank}`),
        h("div", { class: "rec-title" },
          h("h3", { id: titleId }, rec.label || rec.model_id),
          h("a", { class: "model-link", href: `#/models/${encodeURIComponent(rec.model_id)}` }, `${rec.model_id} · model card`)),
        h("div", { class: "final-score", title: "relevance × performance × personalization, adjusted for cost" },
          h("span", { class: "final-value" }, Number(rec.score).toFixed(3)), h("span", { class: "final-name" }, "score"))),
      h("div", { class: "rec-body" },
        h("div", { class: "rec-facts" },
          h("div", { class: "scores", role: "group", "aria-label": "parts of the score" },
            bar("relevance", rec.relevance, "how closely the graph links this model to what the request needs"),
            bar("performance", rec.performance, "benchmark results on what the request needs"),
            bar("personalization", rec.personalization, "your feedback and that of people who agree with you (1.00 without feedback)")),
          h("dl", { class: "facts" },
            h("dt", {}, "Estimated cost"),
            h("dd", { class: "cost" }, rec.estimated_cost_usd === null || rec.estimated_cost_usd === undefined
              ? "unknown (no per-token price)" : `${dollars(rec.estimated_cost_usd)} for this request`),
            h("dt", {}, "Offer"),
            h("dd", { class: "offer" },
              h("strong", {}, offer.provider || "—"),
              offer.call_id ? [" · ", h("code", {}, offer.call_id)] : "",
              h("br"),
              h("span", { class: "hint" }, `in ${dollars(offer.input_price)} · out ${dollars(offer.output_price)} per 1M tokens`
                + (offer.context_window ? ` · context ${tokens(offer.context_window)}` : ""))),
            h("dt", {}, "Configuration"),
            h("dd", { class: "config" },
              h("strong", {}, config.preset_label || config.preset || "default"),
              settings.length ? h("ul", { class: "chips" }, settings.map(([name, value]) => chip(`${CONFIG_NAMES[name] || words(name)} ${value}`, "setting"))) : "")),
          h("h4", {}, "Why"),
          h("ul", { class: "evidence" }, (rec.evidence || []).map((sentence) => h("li", {}, sentence)))),
        figure),
      feedbackBox(result, rec, all)));
  const graph = evidenceGraph(result.request, rec);
  drawGraph(graphBox, graph, { caption, title: `Evidence for ${rec.label}` });
  return element;
}

function feedbackBox(result, rec, all) {
  const status = h("p", { class: "feedback-status", role: "status", "aria-live": "polite" });
  const send = (judgement, description) => sendFeedback(result, rec, judgement, description, status);
  const stars = h("div", { class: "stars", role: "group", "aria-label": `Rate ${rec.label} from 1 to 5` },
    [1, 2, 3, 4, 5].map((n) => h("button", { type: "button", class: "star", "aria-label": `${n} of 5`, title: `${n} of 5`,
      dataset: { rating: String(n) },
      onclick: (event) => {
        for (const star of event.currentTarget.parentElement.children) star.classList.toggle("on", Number(star.dataset.rating) <= n);
        send({ rating: n }, `your rating ${n}/5 for ${rec.label}`);
      } }, "★")));
  const others = all.filter((other) => other.model_id !== rec.model_id);
  const select = h("select", { "aria-label": `Model that ${rec.label} is better than` },
    others.map((other) => h("option", { value: other.model_id }, other.label || other.model_id)));
  return h("footer", { class: "feedback", "aria-label": `Feedback on ${rec.label}` },
    h("span", { class: "feedback-label" }, "Your feedback:"),
    stars,
    h("button", { type: "button", class: "thumb up", "aria-label": `Thumbs up: ${rec.label} suits this request`,
      onclick: () => send({ kind: "up" }, `your thumbs up for ${rec.label}`) }, thumb(false), h("span", {}, "Good fit")),
    h("button", { type: "button", class: "thumb down", "aria-label": `Thumbs down: ${rec.label} does not suit this request`,
      onclick: () => send({ kind: "down" }, `your thumbs down for ${rec.label}`) }, thumb(true), h("span", {}, "Poor fit")),
    others.length ? h("span", { class: "prefer" },
      h("button", { type: "button", class: "prefer-button",
        onclick: () => send({ prefer: select.value }, `your preference for ${rec.label} over ${select.selectedOptions[0].textContent}`) },
      "Prefer this over"), select) : "",
    status);
}

const SVG = "http://www.w3.org/2000/svg";

/** A thumb drawn in SVG (no emoji font needed); `down` turns it over. */
function thumb(down) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "thumb-icon");
  const group = document.createElementNS(SVG, "g");
  if (down) group.setAttribute("transform", "rotate(180 12 12)");
  for (const d of ["M2.5 10.5h3.5v10h-3.5z",
    "M8 10.5l3.6-7.1c.5-1 1.9-1.2 2.6-.3.4.5.5 1.1.4 1.7L14 9h5.6c1.5 0 2.6 1.4 2.2 2.9l-2 7.4c-.3 1-1.2 1.7-2.2 1.7H8z"]) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    group.appendChild(path);
  }
  svg.appendChild(group);
  return svg;
}

async function sendFeedback(result, rec, judgement, description, status) {
  const userBox = document.getElementById("user-name");
  const user = userBox.value.trim();
  if (!user) {
    status.className = "feedback-status error";
    status.textContent = "Enter your name in the request box first: feedback is kept per person.";
    userBox.focus();
    return;
  }
  status.className = "feedback-status busy";
  status.textContent = "Sending…";
  try {
    await api.post("/v1/feedback", { user, model: rec.model_id, request: (result.request || {}).text, ...judgement });
    status.className = "feedback-status ok";
    status.textContent = `Thanks — ${description} was recorded. It will shape your next recommendations.`;
  } catch (error) {
    status.className = "feedback-status error";
    status.textContent = error instanceof ApiError ? `Not recorded: ${error.message}` : `Not recorded: ${error.message}`;
  }
}

/** The last result shown (for tests and the console). */
export function lastRecommendation() {
  return lastResult;
}
