// Talking to the GENRE service: JSON in and out, API key from the page's settings, errors in plain words.
//
//   import { api, ApiError } from "./api.js";
//   const result = await api.post("/v1/recommend", { text: "write a python function", k: 3 });

const KEY_STORAGE = "genre.apiKey";
const USER_STORAGE = "genre.user";

/** Settings the page keeps in localStorage (the API key never leaves this browser except in X-API-Key). */
export const stored = {
  get apiKey() { return localStorage.getItem(KEY_STORAGE) || ""; },
  set apiKey(value) { value ? localStorage.setItem(KEY_STORAGE, value) : localStorage.removeItem(KEY_STORAGE); },
  get user() { return localStorage.getItem(USER_STORAGE) || ""; },
  set user(value) { value ? localStorage.setItem(USER_STORAGE, value) : localStorage.removeItem(USER_STORAGE); },
};

/** An error the page can show as it is: `message` is a sentence for people, `status` the HTTP status (0: no answer). */
export class ApiError extends Error {
  constructor(message, status = 0, details = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.details = details;
  }
}

/** The service's own words from an error body: {"error": {"message"}}, FastAPI's {"detail"} or {"message"}. */
export function serviceMessage(body) {
  if (!body || typeof body !== "object") return { message: "", details: [] };
  const error = body.error && typeof body.error === "object" ? body.error : null;
  const details = [];
  for (const list of [error && (error.problems || error.details), body.problems]) {
    if (Array.isArray(list)) details.push(...list.map(describeProblem));
  }
  if (error && error.message) return { message: String(error.message), details };
  if (typeof body.error === "string") return { message: body.error, details };
  if (typeof body.detail === "string") return { message: body.detail, details };
  if (Array.isArray(body.detail)) {
    const all = body.detail.map(describeProblem);
    return { message: all[0] || "", details: all.slice(1) };
  }
  if (typeof body.message === "string") return { message: body.message, details };
  return { message: "", details };
}

function describeProblem(problem) {
  if (typeof problem === "string") return problem;
  if (problem && problem.msg) {
    const where = Array.isArray(problem.loc) ? problem.loc.filter((part) => part !== "body").join(".") : "";
    return where ? `${where}: ${problem.msg}` : problem.msg;
  }
  return JSON.stringify(problem);
}

const PLAIN = {
  400: "The service could not use this request",
  401: "This needs a valid API key",
  403: "The service refused this",
  404: "Not found",
  413: "The request is too large (the attached files are probably too big)",
  422: "The service could not use this request",
  429: "Too many requests: wait a moment and try again",
  500: "The service had an internal error",
  503: "The service cannot do this right now",
};

/** One sentence for a failed answer: the service's message when it gave one, else what the status means. */
export function plainWords(status, body) {
  const { message, details } = serviceMessage(body);
  const general = PLAIN[status] || `The service answered with an error (HTTP ${status})`;
  if (status === 401) {
    const said = message ? capitalise(message.replace(/\.$/, "")) : general;
    return { message: `${said}. Enter a valid key under “API key” at the top of the page.`, details };
  }
  if (!message) return { message: `${general}.`, details };
  if (status === 404 || status === 422 || status === 400) return { message: capitalise(message.endsWith(".") ? message : `${message}.`), details };
  if (status >= 500 && status !== 503) return { message: `${general}: ${message}.`.replace(/\.\.$/, "."), details };
  return { message: capitalise(message.endsWith(".") ? message : `${message}.`), details };
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

async function request(method, path, { json, params, accept = "application/json", signal } = {}) {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "" && value !== false) url.searchParams.set(name, value);
  }
  const headers = { Accept: accept };
  if (stored.apiKey) headers["X-API-Key"] = stored.apiKey;
  if (json !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError("The GENRE service could not be reached. Is `genre serve` still running?", 0);
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) {
    const { message, details } = plainWords(response.status, body);
    throw new ApiError(message, response.status, details);
  }
  if (body === null && text) throw new ApiError("The service answered with something that is not JSON.", response.status);
  return body;
}

export const api = {
  get: (path, params, options = {}) => request("GET", path, { ...options, params }),
  post: (path, json, options = {}) => request("POST", path, { ...options, json }),
  /** A SPARQL SELECT through the SPARQL protocol endpoint; rows as plain objects of strings. */
  async sparql(query) {
    const body = await request("GET", "/sparql", { params: { query }, accept: "application/sparql-results+json" });
    const bindings = (body && body.results && body.results.bindings) || [];
    return bindings.map((row) => Object.fromEntries(Object.entries(row).map(([name, term]) => [name, term.value])));
  },
};

/** A file as {filename, content_base64}, as POST /v1/recommend takes attachments. */
export function readAttachment(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ filename: file.name, content_base64: url.slice(url.indexOf(",") + 1) });
    };
    reader.onerror = () => reject(new ApiError(`The file “${file.name}” could not be read.`));
    reader.readAsDataURL(file);
  });
}
