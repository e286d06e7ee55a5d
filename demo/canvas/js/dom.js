// Drawing helpers: elements built with textContent only (nothing the user typed is parsed as HTML), number
// formats, label filling, strips. No external requests: the one URL is SVG's namespace name.
const SVG_NS = "http://www.w3.org/2000/svg";
const LANG = (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en"; // as gr.I18n picks
const REDUCED_MOTION = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;

function el(ns, tag, attrs, parent, text) {
  const e = ns ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
const svg = (tag, attrs, parent, text) => el(true, tag, attrs, parent, text);
const html = (tag, attrs, parent, text) => el(false, tag, attrs, parent, text);

// A label with its {placeholders} filled: fill(L, "canvas_step_title", {t: 2, token: "认"}).
const fill = (L, key, values) => Object.entries(values).reduce((s, [k, v]) => s.split(`{${k}}`).join(v), L[key] || key);
const fmt = (v, d = 3) => (v === undefined || v === null ? "" : Number(v).toFixed(d));
const term = (v, d = 3) => (v < 0 ? `(${fmt(v, d)})` : fmt(v, d)); // a factor in a product: −5 as (−5.000)

// A strip coloured against `scale`: the translation's shared one (layout.js sharedScale), so colours compare.
function strip(g, values, x, y, width, height, scale) {
  for (const r of stripLayout(values, x, width, scale)) {
    svg("rect", {x: r.x, y, width: r.width + 0.2, height: height || STRIP_H, fill: r.fill}, g);
  }
}
function stripSvg(parent, values, width, height, scale) {
  const attrs = {width, height, viewBox: `0 0 ${width} ${height}`, class: "strip", preserveAspectRatio: "none"};
  const s = svg("svg", attrs, parent);
  strip(s, values, 0, 0, width, height, scale);
  return s;
}
function arrow(g, x1, y1, x2, y2, cls) {
  svg("line", {x1, y1, x2, y2, class: `arrow ${cls || ""}`, "marker-end": "url(#s2s-arrow-head)"}, g);
}
// A panel: a titled section with its note.
function section(parent, title, note) {
  const box = html("section", {class: "panel"}, parent);
  html("h4", {}, box, title);
  if (note) html("p", {class: "note"}, box, note);
  return box;
}
// A box cleared for its view to draw again.
function emptied(box) {
  box.replaceChildren();
  return box;
}
const scrolling = (parent) => html("div", {class: "hscroll"}, parent);
