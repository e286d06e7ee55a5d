// The seq2seq canvas: draws props.value (demo/translate/canvas.py) as the unrolled encoder-decoder.
// Tokens are set with textContent only: nothing the user typed is ever parsed as HTML.
const SVG = "http://www.w3.org/2000/svg";
const CELL = 104, TOP = 150, CELL_H = 64, STRIP_H = 10;
const reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
let root = element.querySelector(".canvas-root");
let shown = 0, total = 0, timer = null, speed = 1, data = null;

function node(tag, attrs, parent, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}
function html(tag, attrs, parent, text) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}
function colour(v, scale) {  // diverging: blue (negative), white (0), red (positive)
  const x = Math.max(-1, Math.min(1, v / (scale || 1)));
  const w = Math.round(255 * (1 - Math.abs(x)));
  return x >= 0 ? `rgb(255,${w},${w})` : `rgb(${w},${w},255)`;
}
function strip(g, values, x, y, width) {
  const scale = Math.max(...values.map(Math.abs), 1e-6), w = width / Math.max(values.length, 1);
  values.forEach((v, i) => node("rect", {x: x + i * w, y, width: w + 0.2, height: STRIP_H, fill: colour(v, scale)}, g));
}
function arrow(svg, x1, y1, x2, y2, cls) {
  node("line", {x1, y1, x2, y2, class: "arrow " + (cls || ""), "marker-end": "url(#head)"}, svg);
}
function draw() {
  root.replaceChildren();
  if (!data || !data.steps) { html("p", {class: "canvas-empty"}, root, data && data.labels ? data.labels.canvas_empty : ""); return; }
  const L = data.labels, nRead = data.read.length, nSteps = data.steps.length;
  total = nRead + 1 + nSteps;
  const controls = html("div", {class: "canvas-controls"}, root);
  const back = html("button", {type: "button", "aria-label": L.canvas_back}, controls, "◀");
  const play = html("button", {type: "button", class: "play"}, controls, L.canvas_play);
  const next = html("button", {type: "button", "aria-label": L.canvas_forward}, controls, "▶");
  const scrub = html("input", {type: "range", min: 0, max: total, value: shown, "aria-label": L.canvas_step}, controls);
  const pace = html("select", {"aria-label": L.canvas_speed}, controls);
  for (const s of [0.5, 1, 2]) { const o = html("option", {value: s}, pace, s + "×"); if (s === speed) o.selected = true; }
  const scroller = html("div", {class: "canvas-scroll"}, root);
  const width = (total + 0.5) * CELL, height = TOP + CELL_H + 70;
  const svg = node("svg", {width, height, viewBox: `0 0 ${width} ${height}`, class: "canvas-svg"}, scroller);
  const defs = node("defs", {}, svg), marker = node("marker", {id: "head", markerWidth: 8, markerHeight: 8, refX: 7, refY: 4, orient: "auto"}, defs);
  node("path", {d: "M0,0 L8,4 L0,8 z", class: "head"}, marker);
  node("text", {x: 8, y: 16, class: "row-title"}, svg, L.canvas_encoder);
  node("text", {x: (nRead + 1) * CELL + 8, y: 16, class: "row-title"}, svg, L.canvas_decoder);
  node("text", {x: (nRead + 1) * CELL + 8, y: 30, class: "tiny"}, svg, L.canvas_softmax);
  const parts = [];
  // Encoder: one cell per token read (reversed, then <eos>), its top-layer h as a strip.
  data.read.forEach((token, i) => {
    const g = node("g", {class: "part encoder", "data-index": i}, svg), x = i * CELL + 10;
    node("rect", {x, y: TOP, width: CELL - 24, height: CELL_H, rx: 8, class: "cell enc"}, g);
    node("text", {x: x + (CELL - 24) / 2, y: TOP + 18, class: "cell-name"}, g, "LSTM");
    strip(g, data.encoder[i] || [], x + 6, TOP + 30, CELL - 36);
    node("text", {x: x + (CELL - 24) / 2, y: TOP + CELL_H + 22, class: "token"}, g, token);
    arrow(g, x + (CELL - 24) / 2, TOP + CELL_H + 8, x + (CELL - 24) / 2, TOP + CELL_H + 2);
    arrow(g, x + CELL - 24, TOP + CELL_H / 2, x + CELL - 4, TOP + CELL_H / 2);
    parts.push(g);
  });
  // The context vector: the final (h, c) of every layer, the only bridge.
  const cx = nRead * CELL + 6, ctx = node("g", {class: "part context"}, svg);
  node("rect", {x: cx, y: TOP - 60, width: CELL - 16, height: CELL_H + 90, rx: 8, class: "cell ctx"}, ctx);
  node("text", {x: cx + (CELL - 16) / 2, y: TOP - 44, class: "cell-name"}, ctx, L.canvas_context);
  node("text", {x: cx + (CELL - 16) / 2, y: TOP - 30, class: "small"}, ctx, `${data.context_size}`);
  let y = TOP - 20;
  for (const part of ["h", "c"]) data.context[part].forEach((values, layer) => {
    node("text", {x: cx + 4, y: y + 9, class: "tiny"}, ctx, `${part}${layer + 1}`);
    strip(ctx, values, cx + 20, y, CELL - 42); y += STRIP_H + 6;
  });
  node("text", {x: cx + (CELL - 16) / 2, y: TOP + CELL_H + 24, class: "small note"}, ctx, L.canvas_context_note);
  arrow(ctx, cx + CELL - 16, TOP + CELL_H / 2, cx + CELL + 4, TOP + CELL_H / 2, "bridge");
  parts.push(ctx);
  // Decoder: one cell per step; s_t → softmax(W s_t + b) → P_t (top candidates), the chosen token fed back.
  data.steps.forEach((step, i) => {
    const g = node("g", {class: "part decoder", "data-step": step.t}, svg), x = (nRead + 1 + i) * CELL + 10;
    node("rect", {x, y: TOP, width: CELL - 24, height: CELL_H, rx: 8, class: "cell dec"}, g);
    node("text", {x: x + (CELL - 24) / 2, y: TOP + 18, class: "cell-name"}, g, `LSTM · s${step.t}`);
    strip(g, step.s, x + 6, TOP + 30, CELL - 36);
    node("text", {x: x + (CELL - 24) / 2, y: TOP + CELL_H + 22, class: "token fed"}, g, step.input);
    arrow(g, x + (CELL - 24) / 2, TOP + CELL_H + 8, x + (CELL - 24) / 2, TOP + CELL_H + 2);
    if (i < nSteps - 1) arrow(g, x + CELL - 24, TOP + CELL_H / 2, x + CELL - 4, TOP + CELL_H / 2);
    // P_t: bars of the top candidates, the chosen one marked; P_t(<eos>) beside them.
    const bars = node("g", {class: "bars"}, g), bw = (CELL - 24) / step.top.length;
    node("text", {x: x, y: 40, class: "tiny"}, bars, `P${step.t}`);
    step.top.forEach(([token, p], k) => {
      const h = Math.max(1, p * 60);
      node("rect", {x: x + k * bw + 1, y: 104 - h, width: bw - 2, height: h, class: token === step.token ? "bar chosen" : "bar"}, bars);
      const label = node("text", {x: x + k * bw + bw / 2, y: 116, class: "tiny bar-token"}, bars, token);
      node("title", {}, label, `${token}: ${p.toFixed(4)}`);
    });
    node("text", {x: x + (CELL - 24) / 2, y: 134, class: "token out"}, g, `${step.token} ${step.prob.toFixed(2)}`);
    node("text", {x: x + (CELL - 24) / 2, y: TOP - 4, class: "tiny eos"}, g, `P(<eos>) ${step.eos.toFixed(2)}`);
    parts.push(g);
  });
  if (!data.finished) node("text", {x: (total - 0.5) * CELL, y: TOP + CELL_H + 44, class: "small note"}, svg, L.canvas_cap);
  node("text", {x: 8, y: height - 6, class: "tiny"}, svg, L.canvas_units);
  const update = () => {
    parts.forEach((g, i) => g.classList.toggle("future", i >= shown));
    parts.forEach((g, i) => g.classList.toggle("current", i === shown - 1));
    scrub.value = shown;
    play.textContent = timer ? L.canvas_pause : L.canvas_play;
    const current = parts[shown - 1];
    if (current && timer) current.scrollIntoView({block: "nearest", inline: "nearest"});
  };
  const stop = () => { clearInterval(timer); timer = null; update(); };
  const start = () => {
    if (shown >= total) shown = 0;
    clearInterval(timer);
    timer = setInterval(() => { shown += 1; if (shown >= total) stop(); else update(); }, 450 / speed);
    update();
  };
  play.onclick = () => (timer ? stop() : start());
  back.onclick = () => { stop(); shown = Math.max(0, shown - 1); update(); };
  next.onclick = () => { stop(); shown = Math.min(total, shown + 1); update(); };
  scrub.oninput = () => { stop(); shown = Number(scrub.value); update(); };
  pace.onchange = () => { speed = Number(pace.value); if (timer) start(); };
  parts.forEach((g, i) => g.addEventListener("click", () => { stop(); shown = i + 1; update(); }));
  update();
  return {start};
}
function render() {
  clearInterval(timer); timer = null;
  root = element.querySelector(".canvas-root") || element;  // the template may have been rendered again
  data = props.value;
  shown = reduced ? Number.MAX_SAFE_INTEGER : 0;
  const view = draw();
  if (reduced) { shown = total; } else if (view) { view.start(); }
}
watch("value", render);
render();
