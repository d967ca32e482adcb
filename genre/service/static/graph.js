// A small force layout drawn in SVG: nodes keep to their column (request on the left, the model on the right),
// push each other apart and are pulled together along links. Nodes can be dragged with a pointer, focused with
// Tab and moved with the arrow keys; hovering or focusing one highlights its links and describes it.
//
//   import { drawGraph } from "./graph.js";
//   drawGraph(containerElement, { nodes, links }, { caption: captionElement });

const SVG = "http://www.w3.org/2000/svg";
const TYPE_NAMES = { request: "your request", need: "need", user: "feedback", model: "recommended model" };

function el(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) if (value !== null && value !== undefined) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

/** Column of every node: the longest path from the request, the model one column right of everything else. */
function columns(graph) {
  const depth = new Map(graph.nodes.map((node) => [node.id, node.type === "request" ? 0 : 1]));
  for (let round = 0; round < graph.nodes.length; round += 1) {
    let changed = false;
    for (const { source, target } of graph.links) {
      const targetNode = graph.nodes.find((node) => node.id === target);
      if (targetNode.type === "model") continue;
      const next = Math.min(depth.get(source) + 1, 4);
      if (next > depth.get(target)) { depth.set(target, next); changed = true; }
    }
    if (!changed) break;
  }
  const last = Math.max(1, ...[...depth.entries()].filter(([id]) => !id.startsWith("model:")).map(([, d]) => d)) + 1;
  for (const node of graph.nodes) if (node.type === "model") depth.set(node.id, last);
  return { depth, last };
}

/** Positions after a seeded force simulation; pure, so the same graph always looks the same. */
export function layout(graph, width, height) {
  const { depth, last } = columns(graph);
  const margin = 60;
  const right = width - 185; // room for the model's name, written to the right of its node
  const columnX = (d) => margin + ((right - margin) * d) / last;
  const perColumn = new Map();
  const points = graph.nodes.map((node) => {
    const d = depth.get(node.id);
    const index = perColumn.get(d) || 0;
    perColumn.set(d, index + 1);
    return { node, x: columnX(d), y: 0, tx: columnX(d), index, column: d };
  });
  for (const point of points) {
    const count = perColumn.get(point.column);
    point.y = height / 2 + (point.index - (count - 1) / 2) * Math.min(48, (height - 40) / Math.max(count, 1));
  }
  const byId = new Map(points.map((point) => [point.node.id, point]));
  const edges = graph.links.map((link) => [byId.get(link.source), byId.get(link.target)]).filter(([a, b]) => a && b);
  for (let step = 0; step < 240; step += 1) {
    const heat = 1 - step / 240;
    for (const a of points) {
      for (const b of points) {
        if (a === b) continue;
        const dx = a.x - b.x;
        const dy = a.y - b.y || 0.01 * (a.index - b.index + 0.5);
        const distance2 = Math.max(dx * dx + dy * dy, 25);
        const push = (1600 / distance2) * heat;
        a.y += dy * push * 0.05;
        a.x += dx * push * 0.01;
      }
    }
    for (const [a, b] of edges) {
      const dy = b.y - a.y;
      a.y += dy * 0.02 * heat;
      b.y -= dy * 0.02 * heat;
    }
    for (const point of points) {
      point.x += (point.tx - point.x) * 0.3;
      point.y += (height / 2 - point.y) * 0.004;
      point.x = Math.max(margin, Math.min(right, point.x));
      point.y = Math.max(22, Math.min(height - 22, point.y));
    }
  }
  return points;
}

function short(text, length = 22) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Draw `graph` into `container` (an SVG with title and description); `caption` shows the focused node. */
export function drawGraph(container, graph, { caption = null, title = "Evidence graph" } = {}) {
  container.replaceChildren();
  const width = 600;
  const height = Math.max(230, Math.min(380, 70 + 52 * Math.max(...countColumns(graph))));
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "group", class: "evidence-graph",
    "aria-label": `${title}: ${graph.nodes.length} nodes; use Tab to visit them and the arrow keys to move one` }, container);
  const defs = el("defs", {}, svg);
  const marker = el("marker", { id: `arrow-${uid()}`, viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7",
    markerHeight: "7", orient: "auto-start-reverse" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow-head" }, marker);
  const edgeLayer = el("g", { class: "edges" }, svg);
  const nodeLayer = el("g", { class: "nodes" }, svg);
  const points = layout(graph, width, height);
  const byId = new Map(points.map((point) => [point.node.id, point]));

  const edges = graph.links.map((link) => {
    const group = el("g", { class: "edge" }, edgeLayer);
    const line = el("line", { "marker-end": `url(#${marker.id})` }, group);
    if (link.label) el("title", {}, line).textContent = link.label;
    return { link, line, group, source: byId.get(link.source), target: byId.get(link.target) };
  }).filter((edge) => edge.source && edge.target);

  const radius = (point) => (point.node.type === "model" || point.node.type === "request" ? 13 : 9);
  const place = () => {
    for (const edge of edges) {
      const { source, target } = edge;
      const dx = target.x - source.x;
      const dy = target.y - source.y;
      const length = Math.hypot(dx, dy) || 1;
      edge.line.setAttribute("x1", source.x + (dx * radius(source)) / length);
      edge.line.setAttribute("y1", source.y + (dy * radius(source)) / length);
      edge.line.setAttribute("x2", target.x - (dx * (radius(target) + 2)) / length);
      edge.line.setAttribute("y2", target.y - (dy * (radius(target) + 2)) / length);
    }
    for (const point of points) point.group.setAttribute("transform", `translate(${point.x} ${point.y})`);
  };

  const describe = (point) => {
    const incoming = edges.filter((edge) => edge.target === point).map((edge) => `${edge.source.node.label}${edge.link.label ? ` (${edge.link.label})` : ""}`);
    const outgoing = edges.filter((edge) => edge.source === point).map((edge) => `${edge.target.node.label}${edge.link.label ? ` (${edge.link.label})` : ""}`);
    const kind = TYPE_NAMES[point.node.type] || point.node.type;
    let text = `${point.node.label} — ${kind}`;
    if (incoming.length) text += `; from ${incoming.join(", ")}`;
    if (outgoing.length) text += `; to ${outgoing.join(", ")}`;
    return text;
  };
  const highlight = (point) => {
    svg.classList.toggle("has-focus", Boolean(point));
    for (const edge of edges) edge.group.classList.toggle("active", Boolean(point) && (edge.source === point || edge.target === point));
    for (const other of points) other.group.classList.toggle("active", other === point);
    if (caption) caption.textContent = point ? describe(point) : "Hover over or focus a node to see how it links the request to the model.";
  };

  for (const point of points) {
    const { node } = point;
    const group = el("g", { class: `node type-${node.type}`, tabindex: "0", role: "button",
      "aria-label": `${node.label}, ${TYPE_NAMES[node.type] || node.type}` }, nodeLayer);
    el("circle", { r: radius(point) }, group);
    const isModel = node.type === "model";
    const anchor = isModel ? "start" : node.type === "request" ? "start" : "middle";
    const shift = isModel ? radius(point) + 5 : node.type === "request" ? -radius(point) : 0;
    const label = el("text", { x: shift, y: isModel ? 4 : radius(point) + 13, "text-anchor": anchor,
      class: isModel ? "model-name" : null }, group);
    label.textContent = short(node.label, isModel ? 21 : 22);
    const result = node.type === "benchmark" && graph.links.find((link) => link.source === node.id && link.label);
    if (result) {
      const value = el("tspan", { x: shift, dy: "1.15em", class: "result" }, label);
      value.textContent = short(result.label, 22);
    }
    el("title", {}, group).textContent = node.detail ? `${node.label} (${TYPE_NAMES[node.type] || node.type}): ${node.detail}` : node.label;
    point.group = group;
    group.addEventListener("pointerenter", () => highlight(point));
    group.addEventListener("pointerleave", () => highlight(null));
    group.addEventListener("focus", () => highlight(point));
    group.addEventListener("blur", () => highlight(null));
    group.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-10, 0], ArrowRight: [10, 0], ArrowUp: [0, -10], ArrowDown: [0, 10] };
      if (!moves[event.key]) return;
      event.preventDefault();
      point.x = clamp(point.x + moves[event.key][0], 12, width - 12);
      point.y = clamp(point.y + moves[event.key][1], 12, height - 12);
      place();
    });
    group.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      try { group.setPointerCapture(event.pointerId); } catch { /* a synthetic pointer: follow it without capture */ }
      group.classList.add("dragging");
      const move = (moveEvent) => {
        const matrix = svg.getScreenCTM();
        if (!matrix) return;
        const spot = new DOMPoint(moveEvent.clientX, moveEvent.clientY).matrixTransform(matrix.inverse());
        point.x = clamp(spot.x, 12, width - 12);
        point.y = clamp(spot.y, 12, height - 12);
        place();
      };
      const up = () => {
        group.classList.remove("dragging");
        group.removeEventListener("pointermove", move);
        group.removeEventListener("pointerup", up);
        group.removeEventListener("pointercancel", up);
      };
      group.addEventListener("pointermove", move);
      group.addEventListener("pointerup", up);
      group.addEventListener("pointercancel", up);
      highlight(point);
    });
  }
  place();
  highlight(null);
  return svg;
}

function countColumns(graph) {
  const { depth } = columns(graph);
  const counts = new Map();
  for (const value of depth.values()) counts.set(value, (counts.get(value) || 0) + 1);
  return [...counts.values(), 1];
}

function clamp(value, low, high) {
  return Math.max(low, Math.min(high, value));
}

let counter = 0;
function uid() {
  counter += 1;
  return counter;
}
