// The seq2seq canvas: draws props.value (demo/translate/canvas.py) as the unrolled encoder-decoder, and
// below it every view of the decoder, all following one selected step. Tokens are set with textContent
// only: nothing the user typed is ever parsed as HTML. No external requests.
const SVG = "http://www.w3.org/2000/svg";
const CELL = 104, CELL_W = 80, CELL_H = 40, GAP = 12, TOP = 128, STRIP_H = 9;
const reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
const TOUR = [  // [label key, what it lights up]
  ["canvas_tour_1", ".canvas-svg"], ["canvas_tour_2", ".part.encoder"], ["canvas_tour_3", ".part.context"],
  ["canvas_tour_4", ".part.decoder .cell"], ["canvas_tour_5", ".part.decoder .bars, .part.decoder .out"], ["canvas_tour_6", ".part.decoder .fed"],
  ["canvas_tour_7", ".part.decoder:last-of-type"], ["canvas_tour_8", ".canvas-panels"],
];
const LANG = (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";  // as gr.I18n picks
const S = {data: null, shown: 0, current: -1, total: 0, timer: null, speed: 1, step: 0, cell: null, previous: null, tour: -1};
let root = element.querySelector(".canvas-root") || element, L = {}, parts = [], refs = {};

function el(ns, tag, attrs, parent, text) {
  const e = ns ? document.createElementNS(SVG, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
const svg = (tag, attrs, parent, text) => el(true, tag, attrs, parent, text);
const html = (tag, attrs, parent, text) => el(false, tag, attrs, parent, text);
const fill = (key, values) => Object.entries(values).reduce((s, [k, v]) => s.split(`{${k}}`).join(v), L[key] || key);
const fmt = (v, d = 3) => (v === undefined || v === null ? "" : Number(v).toFixed(d));
const term = (v, d = 3) => (v < 0 ? `(${fmt(v, d)})` : fmt(v, d));  // a factor in a product: −5 as (−5.000)
function colour(v, scale) {  // diverging: blue (negative), white (0), red (positive)
  const x = Math.max(-1, Math.min(1, v / (scale || 1))), w = Math.round(255 * (1 - Math.abs(x)));
  return x >= 0 ? `rgb(255,${w},${w})` : `rgb(${w},${w},255)`;
}
function strip(g, values, x, y, width, height) {
  const scale = Math.max(...values.map(Math.abs), 1e-6), w = width / Math.max(values.length, 1);
  values.forEach((v, i) => svg("rect", {x: x + i * w, y, width: w + 0.2, height: height || STRIP_H, fill: colour(v, scale)}, g));
}
function stripSvg(parent, values, width, height) {
  const s = svg("svg", {width, height, viewBox: `0 0 ${width} ${height}`, class: "strip", preserveAspectRatio: "none"}, parent);
  strip(s, values, 0, 0, width, height);
  return s;
}
function arrow(g, x1, y1, x2, y2, cls) { svg("line", {x1, y1, x2, y2, class: "arrow " + (cls || ""), "marker-end": "url(#s2s-arrow-head)"}, g); }
const layerY = (layer) => TOP + (S.data.layers - 1 - layer) * (CELL_H + GAP);  // layer 0 at the bottom
const section = (parent, title, note) => {
  const box = html("section", {class: "panel"}, parent);
  html("h4", {}, box, title);
  if (note) html("p", {class: "note"}, box, note);
  return box;
};

// ------------------------------------------------------------------ the figure
function cells(g, x, hs, cs, kind, index) {  // one LSTM cell per layer: its h and c as strips
  hs.forEach((h, layer) => {
    const y = layerY(layer), box = svg("g", {class: "layer", "data-layer": layer}, g);  // one cell: a click target
    svg("rect", {x, y, width: CELL_W, height: CELL_H, rx: 7, class: `cell ${kind}`}, box);
    svg("text", {x: x + 5, y: y + 10, class: "tiny"}, box, kind === "dec" && layer === S.data.layers - 1 ? `s${index + 1} · ℓ${layer + 1}` : `LSTM ℓ${layer + 1}`);
    const c = (cs && cs[layer]) || [];
    for (const [name, values, dy] of [["h", h, 14], ["c", c, 26]]) {
      if (!values.length) continue;
      svg("text", {x: x + 4, y: y + dy + 7, class: "tiny"}, box, name);
      strip(box, values, x + 12, y + dy, CELL_W - 17);
    }
    if (layer > 0) arrow(g, x + CELL_W / 2, y + CELL_H + GAP, x + CELL_W / 2, y + CELL_H + 1);
  });
  const bottom = layerY(0) + CELL_H;
  arrow(g, x + CELL_W / 2, bottom + 8, x + CELL_W / 2, bottom + 1);
  return bottom;
}
function drawFigure(scroller) {
  const D = S.data, nRead = D.read.length, nSteps = D.steps.length, L1 = D.layers;
  const bottom = layerY(0) + CELL_H, width = (nRead + 1 + nSteps) * CELL + 12, height = bottom + 86;
  const s = svg("svg", {width, height, viewBox: `0 0 ${width} ${height}`, class: "canvas-svg", role: "img", "aria-label": L.canvas_tour_1}, scroller);
  const marker = svg("marker", {id: "s2s-arrow-head", markerWidth: 8, markerHeight: 8, refX: 7, refY: 4, orient: "auto"}, svg("defs", {}, s));
  svg("path", {d: "M0,0 L8,4 L0,8 z", class: "head"}, marker);
  svg("text", {x: 6, y: 16, class: "row-title"}, s, L.canvas_encoder);
  svg("text", {x: (nRead + 1) * CELL + 6, y: 16, class: "row-title"}, s, L.canvas_decoder);
  svg("text", {x: (nRead + 1) * CELL + 6, y: 30, class: "tiny"}, s, L.canvas_softmax);
  parts = [];
  D.read.forEach((token, i) => {  // encoder: one column per token read, one cell per layer
    const g = svg("g", {class: "part encoder", "data-index": i}, s), x = i * CELL + 8;
    cells(g, x, D.encoder[i], D.encoder_c && D.encoder_c[i], "enc", i);
    for (let layer = 0; layer < L1; layer++) arrow(g, x + CELL_W, layerY(layer) + CELL_H / 2, x + CELL - 6, layerY(layer) + CELL_H / 2);
    const unk = D.unknown[i];
    const t = svg("text", {x: x + CELL_W / 2, y: bottom + 22, class: "token" + (unk ? " unk" : "")}, g, token);
    svg("title", {}, t, `${token} · id ${D.read_ids[i]}`);
    parts.push(g);
  });
  const n = D.source.length;  // "you typed": the source in writing order, a line to where the encoder read it
  svg("text", {x: 6, y: bottom + 52, class: "tiny"}, s, L.canvas_typed);
  D.source.forEach((word, i) => {
    const readAt = D.reversed ? n - 1 - i : i, x = i * CELL + 8 + CELL_W / 2, xr = readAt * CELL + 8 + CELL_W / 2;
    const g = svg("g", {class: "typed", "data-read": readAt}, s);
    svg("line", {x1: x, y1: bottom + 62, x2: xr, y2: bottom + 28, class: "link"}, g);
    const t = svg("text", {x, y: bottom + 76, class: "token typed-word" + (D.unknown[readAt] ? " unk" : "")}, g, word);
    svg("title", {}, t, D.unknown[readAt] ? fill("canvas_unk", {word}) : word);
    g.addEventListener("mouseenter", () => parts[readAt] && parts[readAt].classList.add("hover"));
    g.addEventListener("mouseleave", () => parts[readAt] && parts[readAt].classList.remove("hover"));
  });
  const cx = nRead * CELL + 4, ctx = svg("g", {class: "part context"}, s);  // the context: the only bridge
  svg("rect", {x: cx, y: 40, width: CELL - 8, height: bottom - 10, rx: 8, class: "cell ctx"}, ctx);
  svg("text", {x: cx + (CELL - 8) / 2, y: 56, class: "cell-name"}, ctx, L.canvas_context);
  svg("text", {x: cx + (CELL - 8) / 2, y: 70, class: "small"}, ctx, `${D.context_size}`);
  let y = 80;
  for (const part of ["h", "c"]) D.context[part].forEach((values, layer) => {
    svg("text", {x: cx + 4, y: y + 8, class: "tiny"}, ctx, `${part}${layer + 1}`);
    strip(ctx, values.slice(0, D.strip_units), cx + 20, y, CELL - 34); y += STRIP_H + 5;
  });
  svg("text", {x: cx + (CELL - 8) / 2, y: bottom + 22, class: "small note"}, ctx, L.canvas_context_note);
  for (let layer = 0; layer < L1; layer++) arrow(ctx, cx + CELL - 8, layerY(layer) + CELL_H / 2, cx + CELL + 3, layerY(layer) + CELL_H / 2, "bridge");
  parts.push(ctx);
  D.steps.forEach((step, i) => {  // decoder: s_t → softmax(W s_t + b) → P_t, the chosen token fed back
    const g = svg("g", {class: "part decoder", "data-step": step.t}, s), x = (nRead + 1 + i) * CELL + 8;
    cells(g, x, step.h, step.c, "dec", i);
    if (i < nSteps - 1) for (let layer = 0; layer < L1; layer++) arrow(g, x + CELL_W, layerY(layer) + CELL_H / 2, x + CELL - 6, layerY(layer) + CELL_H / 2);
    svg("text", {x: x + CELL_W / 2, y: bottom + 22, class: "token fed"}, g, step.input);
    arrow(g, x + CELL_W / 2, TOP - 2, x + CELL_W / 2, TOP - 12);
    const bars = svg("g", {class: "bars"}, g);
    svg("text", {x, y: 44, class: "tiny"}, bars, `P${step.t}`);
    step.top.slice(0, 3).forEach(([token, p], k) => {  // the three most likely, one row each
      const yk = 50 + k * 14;
      svg("rect", {x: x + 30, y: yk, width: Math.max(1, p * (CELL_W - 30)), height: 10, class: token === step.token ? "bar chosen" : "bar"}, bars);
      const label = svg("text", {x: x + 28, y: yk + 9, class: "tiny bar-token"}, bars, token.length > 6 ? token.slice(0, 5) + "…" : token);
      svg("title", {}, label, `${token}: ${fmt(p, 4)}`);
    });
    svg("text", {x: x + CELL_W / 2, y: 104, class: "token out"}, g, `${step.token} ${fmt(step.prob, 2)}`);
    svg("text", {x: x + CELL_W / 2, y: 116, class: "tiny eos"}, g, `P(<eos>) ${fmt(step.eos, 2)}`);
    parts.push(g);
  });
  if (!D.finished) svg("text", {x: width - 6, y: bottom + 52, class: "small note end"}, s, L.canvas_cap);
  parts.forEach((g, i) => g.addEventListener("click", (event) => {
    const rect = event.target.closest("[data-layer]");
    const kind = g.classList.contains("encoder") ? "enc" : g.classList.contains("decoder") ? "dec" : null;
    S.cell = rect && kind ? {kind, index: kind === "enc" ? i : i - nRead - 1, layer: Number(rect.dataset.layer)} : S.cell;
    select(i, true, true);
  }));
}

// ------------------------------------------------------------------ the views that follow the selected step
function stepPanel(box, step) {
  const view = section(box, fill("canvas_step_title", {t: step.t, token: step.token}), L.canvas_step_note);
  const table = html("table", {class: "softmax"}, html("div", {class: "hscroll"}, view)), head = html("tr", {}, html("thead", {}, table));
  const maths = step.logits !== undefined;
  for (const key of ["canvas_col_token", ...(maths ? ["canvas_col_logit", "canvas_col_shift"] : []), "canvas_col_prob"]) html("th", {}, head, L[key]);
  const body = html("tbody", {}, table);
  step.top.forEach(([token, p], k) => {
    const row = html("tr", {class: token === step.token ? "chosen" : ""}, body);
    html("td", {class: "tok"}, row, token);
    if (maths) { html("td", {}, row, fmt(step.logits[k])); html("td", {}, row, fmt(step.logits[k] - step.log_z)); }
    const cell = html("td", {class: "p"}, row);
    html("span", {class: "pbar", style: `width:${Math.max(1, p * 60)}px`}, cell);
    html("span", {class: "pval"}, cell, fmt(p, 4));
  });
  const share = step.top.reduce((a, [, p]) => a + p, 0);
  if (maths) html("p", {class: "formula"}, view, fill("canvas_log_z", {z: fmt(step.log_z)}));
  html("p", {class: "formula"}, view, fill("canvas_topk_share", {k: step.top.length, p: fmt(share, 4), eos: fmt(step.eos, 4), h: fmt(step.entropy, 3)}));
  const st = html("div", {class: "st"}, view);
  html("span", {class: "tiny-label"}, st, L.canvas_st);
  stripSvg(st, step.s, 256, 14);
}
function linesPanel(box) {
  const steps = S.data.steps, w = Math.max(320, 46 * steps.length), h = 150, left = 34, right = 40, bottom = 122;
  const view = section(box, L.canvas_lines_title, L.canvas_lines_note);
  const s = svg("svg", {viewBox: `0 0 ${w} ${h}`, class: "lines", preserveAspectRatio: "xMinYMin meet"}, html("div", {class: "hscroll"}, view));
  const X = (i) => left + (i + 0.5) * ((w - left - right) / steps.length), maxH = Math.max(...steps.map((st) => st.entropy), 1e-6);
  svg("rect", {x: X(S.step) - (w - left - right) / steps.length / 2, y: 8, width: (w - left - right) / steps.length, height: bottom - 8, class: "sel-band"}, s);
  for (const v of [0, 0.5, 1]) svg("text", {x: left - 4, y: bottom - v * (bottom - 10) + 3, class: "tiny axis"}, s, v);
  svg("text", {x: w - right + 4, y: 14, class: "tiny"}, s, fmt(maxH, 1));
  const series = [["chosen", (st) => st.prob, 1], ["eos", (st) => st.eos, 1], ["entropy", (st) => st.entropy, maxH]];
  for (const [name, value, scale] of series) {
    const pts = steps.map((st, i) => `${X(i)},${bottom - (value(st) / scale) * (bottom - 10)}`).join(" ");
    svg("polyline", {points: pts, class: `series ${name}`}, s);
    steps.forEach((st, i) => svg("title", {}, svg("circle", {cx: X(i), cy: bottom - (value(st) / scale) * (bottom - 10), r: 3, class: `dot ${name}`}, s), `t=${st.t} ${st.token}: ${fmt(value(st), 4)}`));
  }
  steps.forEach((st, i) => {
    const t = svg("text", {x: X(i), y: bottom + 14, class: "tiny tick" + (i === S.step ? " selected" : "")}, s, `${st.t} ${st.token}`);
    const hit = svg("rect", {x: X(i) - (w - left - right) / steps.length / 2, y: 0, width: (w - left - right) / steps.length, height: h, class: "hit"}, s);
    hit.addEventListener("click", () => selectStep(i)); t.addEventListener("click", () => selectStep(i));
  });
  const legend = html("p", {class: "legend"}, view);
  for (const [name, key] of [["chosen", "canvas_chosen"], ["eos", "canvas_eos"], ["entropy", "canvas_entropy"]]) html("span", {class: `key ${name}`}, legend, L[key]);
}
function gridPanel(box) {
  const view = section(box, L.canvas_grid_title, L.canvas_grid_note), k = Math.max(...S.data.steps.map((st) => st.top.length));
  const table = html("table", {class: "grid"}, html("div", {class: "hscroll"}, view)), head = html("tr", {}, html("thead", {}, table));
  html("th", {}, head, "t");
  for (let r = 1; r <= k; r++) html("th", {}, head, `${L.canvas_rank} ${r}`);
  const body = html("tbody", {}, table);
  S.data.steps.forEach((st, i) => {
    const row = html("tr", {class: i === S.step ? "selected" : "", "data-step": st.t}, body);
    html("th", {}, row, `${st.t}${st.forced ? " ✎" : ""}`);
    st.top.forEach(([token, p]) => {
      const c = html("td", {class: token === st.token ? "chosen" : "", style: `background: rgba(49,130,189,${(0.08 + 0.8 * p).toFixed(3)})`}, row);
      html("span", {class: "tok"}, c, token); html("span", {class: "pv"}, c, fmt(p, 2));
    });
    row.addEventListener("click", () => selectStep(i));
  });
}
function beamPanel(box) {
  const B = S.data.beam;
  if (!B) return;
  const view = section(box, fill("canvas_beam_title", {k: B.size, alpha: B.alpha}), L.canvas_beam_note);
  const ys = B.nodes.map((nd) => nd.y), top = Math.min(...ys), steps = Math.max(...B.nodes.map((nd) => nd.t));
  const w = 70 * (steps + 1) + 60, h = 22 * (Math.max(...ys) - top + 1) + 30, at = {};
  const s = svg("svg", {viewBox: `0 0 ${w} ${h}`, width: w, height: h, class: "beam"}, html("div", {class: "hscroll"}, view));
  B.nodes.forEach((nd) => { at[nd.id] = [20 + nd.t * 70, 20 + (nd.y - top) * 22]; });
  const selectedT = S.data.steps[S.step] ? S.data.steps[S.step].t : -1;
  svg("rect", {x: 20 + selectedT * 70 - 30, y: 0, width: 60, height: h, class: "sel-band"}, s);
  B.nodes.forEach((nd) => { if (nd.parent !== null && at[nd.parent]) svg("line", {x1: at[nd.parent][0], y1: at[nd.parent][1], x2: at[nd.id][0], y2: at[nd.id][1], class: "edge" + (nd.path ? " path" : "")}, s); });
  B.nodes.forEach((nd) => {
    const [x, y] = at[nd.id], g = svg("g", {class: `node ${nd.status}` + (nd.path ? " path" : "") + (nd.path && nd.t === selectedT ? " selected" : ""), "data-t": nd.t}, s);
    svg("circle", {cx: x, cy: y, r: nd.path ? 6 : 4}, g);
    svg("text", {x: x + 8, y: y + 4, class: "tiny"}, g, nd.token);
    svg("title", {}, g, `t=${nd.t} ${nd.token} · ${L["canvas_" + nd.status] || nd.status}\nlog P ${fmt(nd.log_prob)} · ${L.canvas_score} ${fmt(nd.score)} · ${L.canvas_normalized} ${fmt(nd.normalized)}`);
    if (nd.path && nd.t > 0) g.addEventListener("click", () => selectStep(nd.t - 1));
  });
  const legend = html("p", {class: "legend"}, view);
  for (const key of ["kept", "pruned", "finished", "winner"]) html("span", {class: `key ${key}`}, legend, L["canvas_" + key]);
}
function contextPanel(box) {
  const D = S.data, view = section(box, L.canvas_ctx_title, fill("canvas_ctx_note", {n: D.context_size}));
  const flat = [];
  for (const part of ["h", "c"]) D.context[part].forEach((values, layer) => values.forEach((v, u) => flat.push([`${part}${layer + 1}[${u}]`, v])));
  const largest = [...flat].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 10), scale = Math.abs(largest[0] ? largest[0][1] : 1) || 1;
  html("p", {class: "sub"}, view, L.canvas_ctx_largest);
  const list = html("div", {class: "units"}, view);
  for (const [name, v] of largest) {
    const row = html("div", {class: "unit"}, list);
    html("span", {class: "uname"}, row, name);
    html("span", {class: "ubar " + (v < 0 ? "neg" : "pos"), style: `width:${Math.max(2, (Math.abs(v) / scale) * 120)}px`}, row);
    html("span", {class: "uval"}, row, fmt(v));
  }
  const P = S.previous;
  html("p", {class: "sub"}, view, L.canvas_ctx_previous);
  if (!P || P.model !== D.model || P.values.length !== flat.length) { html("p", {class: "note"}, view, L.canvas_ctx_first); return; }
  let dot = 0, a = 0, b = 0;
  flat.forEach(([, v], i) => { dot += v * P.values[i]; a += v * v; b += P.values[i] * P.values[i]; });
  html("p", {class: "formula"}, view, fill("canvas_ctx_cosine", {cos: fmt(dot / Math.sqrt(a * b || 1)), previous: P.text}));
  const moved = flat.map(([name, v], i) => [name, P.values[i], v]).sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1])).slice(0, 6);
  const changes = html("div", {class: "units"}, view);
  for (const [name, before, now] of moved) html("div", {class: "unit"}, changes, `${name}: ${fmt(before)} → ${fmt(now)}`);
}
function cellPanel(box) {
  if (!S.cell) return;
  const D = S.data, {kind, index, layer} = S.cell;
  const maths = kind === "enc" ? D.encoder_cells && D.encoder_cells[index] : D.steps[index] && D.steps[index].cells;
  const token = kind === "enc" ? D.read[index] : D.steps[index] ? D.steps[index].input : "";
  const title = fill(kind === "enc" ? "canvas_cell_enc" : "canvas_cell_dec", {layer: layer + 1, token, t: index + 1});
  const view = section(box, title, L.canvas_cell_note);
  view.classList.add("cell-maths");
  const close = html("button", {type: "button", class: "close", "aria-label": L.canvas_close}, view, "×");
  close.onclick = () => { S.cell = null; panels(); };
  if (!maths || !maths[layer]) { html("p", {class: "note"}, view, L.canvas_nomaths); return; }
  const layers = html("div", {class: "layers"}, view);
  maths.forEach((_, l) => { const b = html("button", {type: "button", class: l === layer ? "on" : ""}, layers, `ℓ${l + 1}`); b.onclick = () => { S.cell.layer = l; panels(); }; });
  const cell = maths[layer], rows = html("div", {class: "gates"}, view);
  const drawn = kind === "enc" ? {h: D.encoder[index][layer], c: D.encoder_c[index][layer]} : {h: D.steps[index].h[layer], c: D.steps[index].c[layer]};
  const strips = {...cell.strips, ...drawn};  // h_t and c_t: the strips the cell shows in the figure
  for (const name of ["i", "f", "g", "o", "c_prev", "c", "h"]) {
    const row = html("div", {class: "gate"}, rows);
    html("span", {class: "gname"}, row, L["canvas_gate_" + name]);
    stripSvg(row, strips[name], 256, 12);
  }
  html("p", {class: "sub"}, view, fill("canvas_cell_units", {n: cell.units.length}));
  const table = html("table", {class: "unit-maths"}, html("div", {class: "hscroll"}, view)), head = html("tr", {}, html("thead", {}, table));
  for (const h of [L.canvas_unit, "i", "f", "g", "o", "c_{t−1}", "c_t = f·c_{t−1} + i·g", "h_t = o·tanh(c_t)"]) html("th", {}, head, h);
  const body = html("tbody", {}, table);
  for (const [unit, i, f, g, o, cPrev, c, h] of cell.units) {
    const row = html("tr", {"data-unit": unit}, body);
    for (const v of [unit, fmt(i), fmt(f), fmt(g), fmt(o), fmt(cPrev)]) html("td", {}, row, v);
    html("td", {class: "c"}, row, `${fmt(f)}·${term(cPrev)} + ${fmt(i)}·${term(g)} = ${fmt(f * cPrev + i * g, 4)}`);
    html("td", {class: "h"}, row, `${fmt(o)}·tanh(${fmt(c, 4)}) = ${fmt(h, 4)}`);
  }
}
function panels() {
  const box = refs.panels;
  if (!box) return;
  box.replaceChildren();
  cellPanel(box);
  const step = S.data.steps[S.step];
  if (step) stepPanel(box, step);
  linesPanel(box); gridPanel(box); beamPanel(box); contextPanel(box);
}

// ------------------------------------------------------------------ play, select, tour
function update() {
  parts.forEach((g, i) => { g.classList.toggle("future", i >= S.shown); g.classList.toggle("current", i === S.current); });
  refs.scrub.value = S.shown;
  refs.play.textContent = S.timer ? L.canvas_pause : L.canvas_play;
  const current = parts[S.current], scroller = refs.scroller;
  if (current && S.timer && scroller) {  // follow the play sideways only: the page itself never jumps
    const box = current.getBBox(), left = scroller.scrollLeft, width = scroller.clientWidth;
    if (box.x < left || box.x + box.width > left + width) scroller.scrollLeft = Math.max(0, box.x + box.width - width + 20);
  }
}
// Two positions: how far the play has drawn (S.shown parts; the scrubber) and the selected part
// (S.current). Selecting a part never hides what was already drawn; the scrubber moves the play.
function select(part, byUser, keepPlayed) {
  const first = S.data.read.length + 1, step = part - first, shown = Math.max(0, Math.min(S.total, part + 1));
  if (byUser) stop();
  S.shown = keepPlayed ? Math.max(S.shown, shown) : shown;
  S.current = shown - 1;
  if (step >= 0 && step < S.data.steps.length && step !== S.step) {
    S.step = step;
    if (byUser) trigger("click", {step: S.data.steps[step].t});  // the what-if step follows (server side)
  }
  update(); panels();
}
const selectStep = (i) => select(S.data.read.length + 1 + i, true, true);
const move = (by) => select(Math.max(0, S.current + by), true, true);  // the ◀ ▶ buttons and arrow keys
function stop() { clearInterval(S.timer); S.timer = null; }
function start() {
  if (S.shown >= S.total) S.shown = 0;
  stop();
  S.timer = setInterval(() => { if (S.shown + 1 >= S.total) { stop(); } select(S.shown, false); }, 450 / S.speed);
  update();
}
function tour() {
  root.querySelectorAll(".tour-focus").forEach((e) => e.classList.remove("tour-focus"));
  refs.tour.replaceChildren();
  refs.tour.hidden = S.tour < 0;
  root.classList.toggle("touring", S.tour >= 0);
  if (S.tour < 0) return;
  const [key, focus] = TOUR[S.tour];
  root.querySelectorAll(focus).forEach((e) => e.classList.add("tour-focus"));
  const first = refs.scroller && refs.scroller.querySelector(".tour-focus");  // bring the part it speaks of into view
  if (first && first.getBBox) refs.scroller.scrollLeft = Math.max(0, first.getBBox().x - 40);
  html("p", {}, refs.tour, L[key]);
  const bar = html("div", {class: "tour-bar"}, refs.tour);
  html("span", {class: "count"}, bar, `${S.tour + 1} / ${TOUR.length}`);
  const back = html("button", {type: "button"}, bar, L.canvas_tour_back), next = html("button", {type: "button", class: "primary"}, bar, S.tour === TOUR.length - 1 ? L.canvas_tour_done : L.canvas_tour_next);
  const close = html("button", {type: "button", class: "close", "aria-label": L.canvas_close}, bar, "×");
  back.disabled = S.tour === 0;
  back.onclick = () => { S.tour -= 1; tour(); };
  next.onclick = () => { S.tour = S.tour === TOUR.length - 1 ? -1 : S.tour + 1; tour(); };
  close.onclick = () => { S.tour = -1; tour(); };
  try { localStorage.setItem("seq2seq-tour-seen", "1"); } catch (e) { /* private mode: the tour shows again next time */ }
}
function draw() {
  root.replaceChildren();
  const D = S.data;
  if (!D || !D.steps) return false;  // nothing translated (the message is in the details box)
  L = D.labels[LANG] || D.labels.en;
  S.total = D.read.length + 1 + D.steps.length;
  const controls = html("div", {class: "canvas-controls"}, root);
  const back = html("button", {type: "button", "aria-label": L.canvas_back}, controls, "◀");
  refs.play = html("button", {type: "button", class: "play"}, controls, L.canvas_play);
  const next = html("button", {type: "button", "aria-label": L.canvas_forward}, controls, "▶");
  refs.scrub = html("input", {type: "range", min: 0, max: S.total, value: S.shown, "aria-label": L.canvas_step}, controls);
  const pace = html("select", {"aria-label": L.canvas_speed}, controls);
  for (const v of [0.5, 1, 2]) { const o = html("option", {value: v}, pace, v + "×"); if (v === S.speed) o.selected = true; }
  const guide = html("button", {type: "button", class: "tour-open"}, controls, L.canvas_tour);
  refs.tour = html("div", {class: "tour", role: "dialog", "aria-live": "polite"}, root);
  // The figure takes the keyboard too: ← and → step back and forward, as the buttons do.
  refs.scroller = html("div", {class: "canvas-scroll", tabindex: 0, "aria-label": L.canvas_step}, root);
  refs.scroller.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") { event.preventDefault(); move(event.key === "ArrowRight" ? 1 : -1); }
  });
  drawFigure(refs.scroller);
  html("p", {class: "caption"}, root, L.canvas_units);
  refs.panels = html("div", {class: "canvas-panels"}, root);
  refs.play.onclick = () => (S.timer ? (stop(), update()) : start());
  back.onclick = () => move(-1);
  next.onclick = () => move(1);
  refs.scrub.oninput = () => { stop(); S.shown = Number(refs.scrub.value); S.current = S.shown - 1; update(); };
  refs.scrub.onchange = () => select(Number(refs.scrub.value) - 1, true);
  pace.onchange = () => { S.speed = Number(pace.value); if (S.timer) start(); };
  guide.onclick = () => { S.tour = 0; tour(); };
  return true;
}
function flatContext(D) {
  const values = [];
  for (const part of ["h", "c"]) D.context[part].forEach((layer) => values.push(...layer));
  return {values, text: D.source.join(" "), model: D.model};
}
function render() {
  const fresh = root !== (element.querySelector(".canvas-root") || element);
  root = element.querySelector(".canvas-root") || element;  // the template may have been rendered again
  let value = props.value;
  if (typeof value === "string") { try { value = JSON.parse(value); } catch (e) { value = null; } }  // canvas_json
  // The same decoding again (the page's opening example, answered once more when the page loads): keep
  // the drawing, and the play where it is.
  if (value && S.data && value.id === S.data.id && !fresh && root.firstChild) return;
  stop();
  if (S.data && S.data.context && value !== S.data) S.previous = flatContext(S.data);
  S.data = value;
  S.step = 0; S.cell = null;
  if (!draw()) return;
  panels();
  let seen = true;
  try { seen = localStorage.getItem("seq2seq-tour-seen") === "1"; } catch (e) { /* no storage: no tour */ }
  if (!seen && S.tour < 0) S.tour = 0;
  tour();
  if (reduced) select(S.total - 1, false); else { S.shown = 0; S.current = -1; start(); }
}
watch("value", render);
render();
