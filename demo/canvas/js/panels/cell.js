// Panel: one LSTM cell opened into its maths: every gate as a strip, and the units with the largest |h_t|
// worked through c_t = f·c_{t−1} + i·g and h_t = o·tanh(c_t) with this sentence's numbers.
const CELL_COLUMNS = ["i", "f", "g", "o", "c_{t−1}", "c_t = f·c_{t−1} + i·g", "h_t = o·tanh(c_t)"];
// the word each gate row explains (js/glossary.js)
const CELL_TERMS = {i: "gate_i", f: "gate_f", g: "gate_g", o: "gate_o", c_prev: "c_t", c: "c_t", h: "h_t"};

// The cell's recorded maths, the token it took in, and the h and c strips the figure draws for it.
function cellOf(D, {kind, index, layer}) {
  if (kind === "enc") {
    const strips = {h: D.encoder[index][layer], c: D.encoder_c[index][layer]};
    return {maths: D.encoder_cells?.[index], token: D.read[index], strips};
  }
  const step = D.steps[index];
  return {maths: step?.cells, token: step ? step.input : "", strips: step && {h: step.h[layer], c: step.c[layer]}};
}

const CELL_PANEL = {
  keys: ["data", "labels", "selection.cell"],
  draw(box, state) {
    const {data: D, labels: L} = state;
    const opened = state.selection.cell;
    if (!opened) return;
    const {maths, token, strips} = cellOf(D, opened);
    const layer = opened.layer;
    const names = {layer: layer + 1, token, t: opened.index + 1};
    const view = section(
      box,
      fill(L, opened.kind === "enc" ? "canvas_cell_enc" : "canvas_cell_dec", names),
      L.canvas_cell_note,
    );
    view.classList.add("cell-maths");
    html(
      "button",
      {type: "button", class: "close", "aria-label": L.canvas_close, "data-action": "cell-close"},
      view,
      "×",
    );
    if (!maths?.[layer]) {
      html("p", {class: "note"}, view, L.canvas_nomaths);
      return;
    }
    const layers = html("div", {class: "layers"}, view);
    maths.forEach((_, l) => {
      const attrs = {type: "button", class: l === layer ? "on" : "", "data-action": "cell-layer", "data-layer": l};
      html("button", attrs, layers, `ℓ${l + 1}`);
    });
    const cell = maths[layer];
    // h_t and c_t: the strips the cell shows in the figure
    const gates = {...cell.strips, ...strips};
    const rows = html("div", {class: "gates"}, view);
    const shared = sharedScale(D); // the figure's colours; the gates' own range is 0..1 (g: −1..1)
    for (const name of GATES) {
      const row = html("div", {class: "gate"}, rows);
      termLabel("span", row, CELL_TERMS[name], L[`canvas_gate_${name}`], {class: "gname"});
      stripSvg(row, gates[name], 256, 12, name.length === 1 ? 1 : shared);
    }
    html("p", {class: "sub"}, view, fill(L, "canvas_cell_units", {n: cell.units.length}));
    const table = html("table", {class: "unit-maths"}, scrolling(view));
    const head = html("tr", {}, html("thead", {}, table));
    termLabel("th", head, "unit", L.canvas_unit);
    for (const h of CELL_COLUMNS) html("th", {}, head, h);
    const body = html("tbody", {}, table);
    for (const [unit, i, f, g, o, cPrev, c, h] of cell.units) {
      const row = html("tr", {"data-unit": unit}, body);
      for (const v of [unit, fmt(i), fmt(f), fmt(g), fmt(o), fmt(cPrev)]) html("td", {}, row, v);
      html("td", {class: "c"}, row, `${fmt(f)}·${term(cPrev)} + ${fmt(i)}·${term(g)} = ${fmt(f * cPrev + i * g, 4)}`);
      html("td", {class: "h"}, row, `${fmt(o)}·tanh(${fmt(c, 4)}) = ${fmt(h, 4)}`);
    }
  },
};
