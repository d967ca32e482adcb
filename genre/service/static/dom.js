// Building DOM without innerHTML: every text the service sends is set as text, never parsed as HTML.
//
//   h("p", { class: "hint" }, "Hello ", h("strong", {}, "you"))

/** An element with attributes (`on*` functions become listeners; false/null are left out) and children. */
export function h(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Dollars for people: small amounts keep their significant digits. */
export function dollars(value, { perMillion = false } = {}) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "unknown";
  const number = Number(value);
  if (number === 0) return "$0";
  const text = number >= 1 ? number.toFixed(2) : number >= 0.01 ? number.toFixed(3) : number.toPrecision(2);
  return `$${text}${perMillion ? " / 1M tokens" : ""}`;
}

/** A token count as 128k / 1M. */
export function tokens(value) {
  if (!value) return "—";
  if (value >= 1_000_000) return `${+(value / 1_000_000).toFixed(1)}M`;
  if (value >= 1000) return `${Math.round(value / 1000)}k`;
  return String(value);
}

/** A status line: kind is "info", "busy", "ok" or "error"; details become a list under the message. */
export function showStatus(element, kind, message, details = []) {
  element.className = `status ${kind}`;
  element.replaceChildren();
  if (!message) return;
  element.append(h("p", {}, message));
  if (details.length) element.append(h("ul", {}, details.map((detail) => h("li", {}, detail))));
}

/** "general-reasoning" → "general reasoning". */
export function words(id) {
  return String(id || "").replace(/[-_]+/g, " ");
}
