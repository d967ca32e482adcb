// The Explore tab: search and filter the models (GET /v1/models), and a model's card (GET /v1/models/{id}) with
// its offers, benchmark results and sources. Filter choices come from the graph's vocabularies through /sparql.

import { ApiError, api } from "./api.js";
import { dollars, h, showStatus, tokens, words } from "./dom.js";

const PAGE = 20;
let offset = 0;
let loadedFilters = false;
let listRequest = 0;

const VOCABULARY = (scheme) => `PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX genre: <https://w3id.org/genre/ontology#>
SELECT ?id ?label WHERE {
  ?concept skos:inScheme genre:${scheme} ; skos:prefLabel ?label .
  BIND(REPLACE(STR(?concept), "^.*/", "") AS ?id)
  FILTER(langMatches(lang(?label), "en"))
} ORDER BY LCASE(STR(?label))`;

export function initExplorer() {
  document.getElementById("explore-form").addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    search();
  });
  for (const id of ["filter-capability", "filter-modality", "filter-open"]) {
    document.getElementById(id).addEventListener("change", () => { offset = 0; search(); });
  }
  document.getElementById("page-prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); search(); });
  document.getElementById("page-next").addEventListener("click", () => { offset += PAGE; search(); });
}

async function loadFilters() {
  if (loadedFilters) return;
  loadedFilters = true;
  const note = document.getElementById("filter-status");
  try {
    const [capabilities, modalities] = await Promise.all([api.sparql(VOCABULARY("CapabilityScheme")), api.sparql(VOCABULARY("ModalityScheme"))]);
    fill(document.getElementById("filter-capability"), capabilities);
    fill(document.getElementById("filter-modality"), modalities);
  } catch (error) {
    loadedFilters = false;
    note.textContent = `The capability and modality lists could not be loaded (${error.message}) — search still works.`;
  }
}

function fill(select, rows) {
  const keep = select.value;
  const first = select.options[0];
  select.replaceChildren(first, ...rows.map((row) => h("option", { value: row.id }, row.label)));
  select.value = keep;
}

/** Show the search view (and run the first search the first time). */
export function showList() {
  document.getElementById("model-card").hidden = true;
  document.getElementById("explorer-list-view").hidden = false;
  loadFilters();
  if (!document.getElementById("model-table").dataset.loaded) search();
}

function modelsOf(body) {
  if (Array.isArray(body)) return { models: body, total: null, more: null };
  for (const key of ["data", "models", "items", "results"]) {
    if (body && Array.isArray(body[key])) {
      return { models: body[key], total: body.total ?? null, more: typeof body.has_more === "boolean" ? body.has_more : null };
    }
  }
  return { models: [], total: null, more: null };
}

async function search() {
  const status = document.getElementById("explore-status");
  const table = document.getElementById("model-table");
  const price = document.getElementById("filter-price").value;
  if (price !== "" && !(Number(price) >= 0)) {
    showStatus(status, "error", "The max input price must be a number of dollars per million tokens, 0 or more.");
    document.getElementById("filter-price").focus();
    return;
  }
  const params = {
    q: document.getElementById("model-search").value.trim(),
    capability: document.getElementById("filter-capability").value,
    input_modality: document.getElementById("filter-modality").value,
    max_input_price: price,
    open_weights: document.getElementById("filter-open").checked ? "true" : "",
    limit: PAGE,
    offset,
  };
  const mine = ++listRequest;
  showStatus(status, "busy", "Searching…");
  try {
    const { models, total, more } = modelsOf(await api.get("/v1/models", params));
    if (mine !== listRequest) return;
    table.dataset.loaded = "true";
    table.querySelector("tbody").replaceChildren(...models.map(row));
    table.hidden = models.length === 0;
    const shown = models.length ? `${offset + 1}–${offset + models.length}${total !== null ? ` of ${total}` : ""}` : "";
    showStatus(status, models.length ? "info" : "error", models.length ? `Models ${shown}, cheapest offer first.`
      : "No model matches: remove a filter or change the search.");
    const pager = document.querySelector(".pager");
    const hasMore = more !== null ? more : total !== null ? offset + models.length < total : models.length >= PAGE;
    pager.hidden = offset === 0 && !hasMore;
    document.getElementById("page-prev").disabled = offset === 0;
    document.getElementById("page-next").disabled = !hasMore;
    document.getElementById("page-info").textContent = shown;
  } catch (error) {
    if (mine !== listRequest) return;
    showStatus(status, "error", error instanceof ApiError ? error.message : String(error), error.details || []);
  }
}

function row(model) {
  const offer = model.offer || {};
  return h("tr", {},
    h("th", { scope: "row" }, h("a", { href: `#/models/${encodeURIComponent(model.id)}` }, model.label || model.id),
      h("div", { class: "hint" }, model.id)),
    h("td", { "data-label": "via" }, offer.provider || h("span", { class: "hint" }, "no priced offer")),
    h("td", { class: "num", "data-label": "in" }, offer.provider ? dollars(offer.input_price) : "—"),
    h("td", { class: "num", "data-label": "out" }, offer.provider ? dollars(offer.output_price) : "—"),
    h("td", { class: "num", "data-label": "context" }, tokens(offer.context_window)));
}

/** Show the card of model `id` (any alias the service accepts). */
export async function openModel(id) {
  const view = document.getElementById("model-card");
  document.getElementById("explorer-list-view").hidden = true;
  view.hidden = false;
  view.replaceChildren(backLink(), h("p", { class: "status busy", role: "status" }, `Loading ${id}…`));
  try {
    const model = await api.get(`/v1/models/${encodeURIComponent(id)}`);
    view.replaceChildren(...modelCard(model));
    view.querySelector("h2").focus();
  } catch (error) {
    const message = error instanceof ApiError ? error.message : String(error);
    view.replaceChildren(backLink(), h("p", { class: "status error", role: "alert" }, message));
  }
}

function parameters(count) {
  if (!count) return null;
  if (count >= 1e9) return `${+(count / 1e9).toFixed(1)} billion`;
  if (count >= 1e6) return `${+(count / 1e6).toFixed(1)} million`;
  return String(count);
}

function backLink() {
  return h("a", { class: "back", href: "#/models" }, "← All models");
}

function benchmarkValue(result) {
  const value = Number(result.value);
  if (result.scale_max === 1 || (result.scale_max === null && value <= 1 && /accuracy|rate|score|pass/i.test(result.metric || ""))) {
    return `${(value * 100).toFixed(1)}%`;
  }
  if (result.scale_max === 100) return `${value.toFixed(1)}%`;
  return `${+value.toFixed(2)}`;
}

function sourcesOf(model) {
  if (Array.isArray(model.sources) && model.sources.length) {
    return model.sources.map((source) => (typeof source === "string" ? { name: source } : {
      name: source.title || source.name || (source.graph ? `${words(String(source.graph).split("/").pop())} (GENRE)` : source.url),
      url: source.homepage || source.url,
      note: [source.licence && `licence ${source.licence}`, source.retrieved && `retrieved ${String(source.retrieved).slice(0, 10)}`]
        .filter(Boolean).join(", "),
    }));
  }
  const found = new Map();
  for (const item of [...(model.offers || []), ...(model.benchmarks || [])]) {
    if (item.source && !found.has(item.source)) found.set(item.source, { name: item.source, count: 0 });
    if (item.source) found.get(item.source).count += 1;
  }
  return [...found.values()];
}

function modelCard(model) {
  const facts = [
    ["Id", h("code", {}, model.id)],
    ["Maker", model.creator && words(model.creator)],
    ["Family", model.family],
    ["Released", model.release_date],
    ["Knowledge cutoff", model.knowledge_cutoff],
    ["Parameters", parameters(model.parameter_count)],
    ["Open weights", model.open_weights === true ? "yes" : model.open_weights === false ? "no" : null],
    ["Licence", model.licence],
    ["Input", (model.input_modalities || []).join(", ")],
    ["Output", (model.output_modalities || []).join(", ")],
  ].filter(([, value]) => value);
  const offers = [...(model.offers || [])].sort((a, b) => (a.input_price ?? Infinity) - (b.input_price ?? Infinity));
  const results = [...(model.benchmarks || [])].sort((a, b) => String(a.benchmark_label).localeCompare(String(b.benchmark_label)));
  const sources = sourcesOf(model);
  const benchmarkUrls = new Map(results.filter((r) => r.source_url).map((r) => [r.source_url, r.source]));
  return [
    backLink(),
    h("header", { class: "card-header" },
      h("h2", { tabindex: "-1" }, model.label || model.id),
      model.aliases && model.aliases.length ? h("p", { class: "hint" }, `also known as ${model.aliases.slice(0, 4).join(", ")}${model.aliases.length > 4 ? ` and ${model.aliases.length - 4} more` : ""}`) : ""),
    h("div", { class: "card-grid" },
      h("section", { "aria-labelledby": "card-facts" }, h("h3", { id: "card-facts" }, "Facts"),
        h("dl", { class: "facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]))),
      h("section", { "aria-labelledby": "card-capabilities" }, h("h3", { id: "card-capabilities" }, "Capabilities"),
        (model.capabilities || []).length ? h("ul", { class: "chips" }, model.capabilities.map((c) => h("li", { class: "chip type-capability" }, words(c))))
          : h("p", { class: "hint" }, "none recorded"))),
    h("section", { "aria-labelledby": "card-offers" },
      h("h3", { id: "card-offers" }, `Offers (${offers.length})`),
      offers.length ? scrollTable(["Provider", "Call id", "Input $/1M", "Output $/1M", "Context", "Source"],
        offers.map((o) => [o.provider, o.call_id ? h("code", {}, o.call_id) : "—", dollars(o.input_price), dollars(o.output_price), tokens(o.context_window), o.source]),
        [2, 3, 4], "offers") : h("p", { class: "hint" }, "No provider offers this model.")),
    h("section", { "aria-labelledby": "card-benchmarks" },
      h("h3", { id: "card-benchmarks" }, `Benchmark results (${results.length})`),
      results.length ? scrollTable(["Benchmark", "Result", "Metric", "Date", "Source"],
        results.map((r) => [r.benchmark_label || r.benchmark, benchmarkValue(r), r.metric || "—", r.date || "—",
          r.source_url ? h("a", { href: r.source_url, rel: "noopener noreferrer", target: "_blank" }, r.source) : r.source]),
        [1], "benchmarks") : h("p", { class: "hint" }, "No benchmark results recorded.")),
    h("section", { "aria-labelledby": "card-sources" },
      h("h3", { id: "card-sources" }, "Sources"),
      h("ul", { class: "sources" }, sources.map((s) => h("li", {}, s.url ? h("a", { href: s.url, rel: "noopener noreferrer", target: "_blank" }, s.name) : s.name,
        s.note ? h("span", { class: "hint" }, ` — ${s.note}`) : "",
        s.count ? h("span", { class: "hint" }, ` — ${s.count} fact${s.count === 1 ? "" : "s"} shown here`) : ""))),
      benchmarkUrls.size ? h("details", {}, h("summary", {}, `Pages the benchmark results cite (${benchmarkUrls.size})`),
        h("ul", { class: "sources" }, [...benchmarkUrls.keys()].map((url) => h("li", {}, h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, url))))) : ""),
    model.aliases && model.aliases.length ? h("details", { class: "aliases" }, h("summary", {}, `All names (${model.aliases.length})`),
      h("p", {}, model.aliases.join(" · "))) : "",
  ];
}

function scrollTable(headers, rows, numeric, name) {
  const LIMIT = 12;
  const body = h("tbody", {}, rows.map((cells, index) => h("tr", { hidden: index >= LIMIT },
    cells.map((cell, column) => (column === 0 ? h("th", { scope: "row" }, cell) : h("td", { class: numeric.includes(column) ? "num" : "" }, cell))))));
  const table = h("table", { class: `data-table ${name}-table` },
    h("thead", {}, h("tr", {}, headers.map((header, column) => h("th", { scope: "col", class: numeric.includes(column) ? "num" : "" }, header)))), body);
  const more = rows.length > LIMIT ? h("button", { type: "button", class: "link-button",
    onclick: (event) => { for (const tr of body.children) tr.hidden = false; event.currentTarget.remove(); } }, `Show all ${rows.length}`) : "";
  return h("div", { class: "table-wrap" }, table, more);
}
