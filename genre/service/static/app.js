// The page's entry point: tabs, the saved API key and user name, and the address bar (#/recommend, #/models,
// #/models/<id>), so a model's card can be linked to and the Back button works.

import { stored } from "./api.js";
import { initExplorer, openModel, showList } from "./explorer.js";
import { initRecommend } from "./recommend.js";

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab, { focus = false } = {}) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
  }
  if (focus) tab.focus();
}

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  if (hash.startsWith("models")) {
    selectTab(document.getElementById("tab-explore"));
    const id = hash.slice("models/".length);
    if (hash.startsWith("models/") && id) openModel(id);
    else showList();
  } else selectTab(document.getElementById("tab-recommend"));
}

function initTabs() {
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => {
      const target = tab.id === "tab-explore" ? "#/models" : "#/recommend";
      if (location.hash !== target) location.hash = target;
      else route();
    });
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (event.key === "Home" || event.key === "End" || step) {
        event.preventDefault();
        const next = event.key === "Home" ? 0 : event.key === "End" ? tabs.length - 1 : (index + step + tabs.length) % tabs.length;
        tabs[next].click();
        tabs[next].focus();
      }
    });
  });
  window.addEventListener("hashchange", route);
}

function initKey() {
  const input = document.getElementById("api-key");
  const state = document.getElementById("api-key-state");
  const save = () => {
    stored.apiKey = input.value.trim();
    state.textContent = stored.apiKey ? "Saved in this browser." : "No key saved: feedback will be refused if the service needs one.";
  };
  input.value = stored.apiKey;
  state.textContent = stored.apiKey ? "A key is saved in this browser." : "";
  document.getElementById("api-key-save").addEventListener("click", save);
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); save(); } });
}

initTabs();
initKey();
initRecommend();
initExplorer();
route();
document.documentElement.dataset.ready = "true";
