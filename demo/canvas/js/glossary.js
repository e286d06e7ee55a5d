// Words for the notation: every symbol and term on the canvas carries data-term; hovering or tapping it shows
// its definition (both languages, from the locale keys) in the bar under the figure; the whole list is folded
// under it. The gates' definitions are the cell panel's own gate names.
const TERMS = [
  "s_t",
  "h_t",
  "c_t",
  "P_t",
  "logit",
  "log_z",
  "softmax",
  "unit",
  "layer",
  "context",
  "sos",
  "eos",
  "unk",
];
const GATE_TERMS = ["gate_i", "gate_f", "gate_g", "gate_o"];
const termKey = (name) => (name.startsWith("gate_") ? `canvas_${name}` : `canvas_def_${name}`);

// An HTML label of the notation (a table header, a gate's name): dotted, explained on hover or tap.
function termLabel(tag, parent, name, text, attrs) {
  return html(
    tag,
    {...attrs, class: `${attrs?.class || ""} term`.trim(), "data-term": name, tabindex: 0},
    parent,
    text,
  );
}

function buildGlossary(root, L) {
  const bar = html("p", {class: "definition", "aria-live": "polite"}, root);
  const list = html("details", {class: "glossary"}, root);
  html("summary", {}, list, L.canvas_glossary);
  const dl = html("ul", {}, list);
  for (const name of [...TERMS, ...GATE_TERMS]) {
    html("li", {"data-term": name, class: "term"}, dl, L[termKey(name)]);
  }
  return bar;
}

function showTerm(bar, state) {
  const name = state.term;
  bar.hidden = !name;
  bar.textContent = name ? state.labels[termKey(name)] || "" : "";
}
