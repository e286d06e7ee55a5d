// The figure: the model unrolled on the sentence (encoder columns, the context, decoder steps), scaled to its
// box's width, long runs of columns condensed into "+N" blocks (js/layout.js planColumns). Drawn again only when
// the plan changes; the play, the selection and the hover only toggle classes on its parts.

// A label of the notation: hover or tap it for its definition (js/glossary.js).
const termText = (g, attrs, name, text) =>
  svg("text", {...attrs, class: `${attrs.class} term`, "data-term": name}, g, text);

function drawCells(g, x, hs, cs, kind, index, layers, scale) {
  // one LSTM cell per layer, its h and c as strips; each cell is a click target (data-layer)
  hs.forEach((h, layer) => {
    const y = layerY(layers, layer);
    const box = svg("g", {class: "layer", "data-layer": layer}, g);
    svg("rect", {x, y, width: CELL_W, height: CELL_H, rx: 7, class: `cell ${kind}`}, box);
    const top = kind === "dec" && layer === layers - 1;
    termText(
      box,
      {x: x + 5, y: y + 10, class: "tiny"},
      top ? "s_t" : "layer",
      top ? `s${index + 1} · ℓ${layer + 1}` : `LSTM ℓ${layer + 1}`,
    );
    const c = cs?.[layer] || [];
    const strips = svg("g", {class: "strips"}, box);
    for (const [label, values, dy] of [
      ["h", h, 14],
      ["c", c, 26],
    ]) {
      if (!values.length) continue;
      termText(strips, {x: x + 4, y: y + dy + 7, class: "tiny"}, `${label}_t`, label);
      strip(strips, values, x + 12, y + dy, CELL_W - 17, STRIP_H, scale);
    }
    if (layer > 0) arrow(g, x + CELL_W / 2, y + CELL_H + GAP, x + CELL_W / 2, y + CELL_H + 1);
  });
  const bottom = figureBottom(layers);
  arrow(g, x + CELL_W / 2, bottom + 8, x + CELL_W / 2, bottom + 1);
}

function tokenText(g, x, y, cls, token, title) {
  const term = {"<sos>": "sos", "<eos>": "eos", "<unk>": "unk"}[token];
  const attrs = {x, y, class: `token ${cls}${term ? " term" : ""}`, ...(term ? {"data-term": term} : {})};
  const t = svg("text", attrs, g, short(token));
  svg("title", {}, t, title || token);
  return t;
}

function drawEncoder(g, D, i, x, scale) {
  drawCells(g, x, D.encoder[i], D.encoder_c?.[i], "enc", i, D.layers, scale);
  const title = `${D.read[i]} · id ${D.read_ids[i]}`;
  tokenText(g, x + CELL_W / 2, figureBottom(D.layers) + 22, D.unknown[i] ? "unk" : "", D.read[i], title);
}

function drawContext(g, D, L, x, scale) {
  // the context: the only bridge from the encoder to the decoder
  const bottom = figureBottom(D.layers);
  const cx = x - 4;
  const middle = cx + (CELL - 8) / 2;
  svg("rect", {x: cx, y: 40, width: CELL - 8, height: bottom - 10, rx: 8, class: "cell ctx"}, g);
  termText(g, {x: middle, y: 56, class: "cell-name"}, "context", L.canvas_context);
  svg("text", {x: middle, y: 70, class: "small"}, g, `${D.context_size}`);
  let y = 80;
  for (const part of ["h", "c"]) {
    D.context[part].forEach((values, layer) => {
      termText(g, {x: cx + 4, y: y + 8, class: "tiny"}, `${part}_t`, `${part}${layer + 1}`);
      strip(g, values.slice(0, D.strip_units), cx + 20, y, CELL - 34, STRIP_H, scale);
      y += STRIP_H + 5;
    });
  }
  svg("text", {x: middle, y: bottom + 22, class: "small note"}, g, L.canvas_context_note);
}

function drawBars(g, step, x) {
  // the three most likely tokens of P_t, one row each, the chosen one in orange
  const bars = svg("g", {class: "bars"}, g);
  termText(bars, {x, y: 44, class: "tiny"}, "P_t", `P${step.t}`);
  step.top.slice(0, 3).forEach(([token, p], k) => {
    const y = 50 + k * 14;
    const width = Math.max(1, p * (CELL_W - 30));
    svg("rect", {x: x + 30, y, width, height: 10, class: isChosen(step, token) ? "bar chosen" : "bar"}, bars);
    const label = svg("text", {x: x + 28, y: y + 9, class: "tiny bar-token"}, bars, short(token, 5));
    svg("title", {}, label, `${token}: ${fmt(p, 4)}`);
  });
}

// The chosen token fed back: from the step before's output, down the gap between the columns, into this input.
function feedPath(xPrev, x, bottom) {
  const gap = xPrev + CELL_W + (CELL - CELL_W) / 2;
  return `M${xPrev + CELL_W / 2 + 18},100 H${gap} V${bottom + 17} H${x + 16}`;
}

function drawDecoder(g, D, i, x, xPrev, scale) {
  // s_t -> softmax(W s_t + b) -> P_t, the chosen token fed back
  const step = D.steps[i];
  const bottom = figureBottom(D.layers);
  drawCells(g, x, step.h, step.c, "dec", i, D.layers, scale);
  tokenText(g, x + CELL_W / 2, bottom + 22, "fed", step.input);
  arrow(g, x + CELL_W / 2, TOP - 2, x + CELL_W / 2, TOP - 12);
  drawBars(g, step, x);
  svg("text", {x: x + CELL_W / 2, y: 104, class: "token out"}, g, `${short(chosen(step))} ${fmt(step.prob, 2)}`);
  termText(g, {x: x + CELL_W / 2, y: 116, class: "tiny eos"}, "eos", `P(<eos>) ${fmt(step.eos, 2)}`);
  if (xPrev === null) return null;
  const d = feedPath(xPrev, x, bottom);
  svg("path", {d, class: "feed"}, g);
  return d;
}

function drawBlock(g, D, L, column) {
  // a condensed run: "+N", a click shows the whole side
  const n = column.to - column.from;
  const bottom = figureBottom(D.layers);
  const y = TOP - 6;
  const box = {x: column.x, y, width: BLOCK_W, height: bottom - y + 6, rx: 6, class: "cell condensed"};
  svg("rect", box, g);
  svg("text", {x: column.x + BLOCK_W / 2, y: (y + bottom) / 2 + 4, class: "count"}, g, `+${n}`);
  svg("title", {}, g, fill(L, "canvas_condensed", {n}));
}

const PART_CLASS = {enc: "encoder", ctx: "context", dec: "decoder", block: "block"};

// The right and left edges of a column's drawing, for the arrows between neighbours.
const rightEdge = (c) => c.x + (c.type === "block" ? BLOCK_W : c.type === "ctx" ? CELL - 12 : CELL_W);
const leftEdge = (c) => c.x - (c.type === "ctx" ? 4 : 0);

// Draws the figure into `scroller` following `plan` at `scale`: returns every part's element (a condensed
// part's is its block), the drawn elements with their parts, and the feed-back paths by part.
function drawFigure(scroller, state, plan, scale) {
  const {data: D, labels: L} = state;
  const attrs = {width: plan.width * scale, height: plan.height * scale, class: "canvas-svg", role: "img"};
  const s = svg(
    "svg",
    {...attrs, viewBox: `0 0 ${plan.width} ${plan.height}`, "aria-label": L.canvas_tour_1},
    scroller,
  );
  const head = {id: "s2s-arrow-head", markerWidth: 8, markerHeight: 8, refX: 7, refY: 4, orient: "auto"};
  svg("path", {d: "M0,0 L8,4 L0,8 z", class: "head"}, svg("marker", head, svg("defs", {}, s)));
  const ctx = plan.columns.find((c) => c.type === "ctx");
  svg("text", {x: plan.columns[0].x, y: 16, class: "row-title"}, s, L.canvas_encoder);
  svg("text", {x: rightEdge(ctx) + 8, y: 16, class: "row-title"}, s, L.canvas_decoder);
  const colourScale = sharedScale(D);
  const figure = {svg: s, parts: [], drawn: [], paths: {}, plan};
  plan.columns.forEach((column, k) => {
    const before = plan.columns[k - 1];
    const g = svg("g", {class: `part ${PART_CLASS[column.type]}`, "data-part": column.parts[0]}, s);
    if (column.type === "enc") {
      g.dataset.index = column.index;
      drawEncoder(g, D, column.index, column.x, colourScale);
    } else if (column.type === "ctx") drawContext(g, D, L, column.x, colourScale);
    else if (column.type === "dec") {
      g.dataset.step = D.steps[column.index].t;
      const xPrev = before?.type === "dec" ? before.x : null;
      const d = drawDecoder(g, D, column.index, column.x, xPrev, colourScale);
      figure.paths[column.parts[0]] = d;
    } else {
      Object.assign(g.dataset, {action: "expand", side: column.side});
      drawBlock(g, D, L, column);
    }
    for (const part of column.parts) figure.parts[part] = g;
    figure.drawn.push({g, parts: column.parts});
    const next = plan.columns[k + 1];
    if (!next) return;
    for (let layer = 0; layer < D.layers; layer++) {
      const y = layerY(D.layers, layer) + CELL_H / 2;
      arrow(g, rightEdge(column), y, leftEdge(next) - 1, y, column.type === "ctx" ? "bridge" : "");
    }
  });
  if (!D.finished) {
    svg("text", {x: plan.width - 6, y: plan.height - 4, class: "small note end"}, s, L.canvas_cap);
  }
  return figure;
}

// The play and the selection on the drawn parts: future ones hidden (an empty outline, no numbers), the selected
// one outlined; a block is future when all its parts are. While the play runs, an expanded figure follows it.
function showPlayback(figure, playback, scroller) {
  for (const {g, parts} of figure.drawn) {
    g.classList.toggle(
      "future",
      parts.every((p) => p >= playback.shown),
    );
    g.classList.toggle("current", parts.includes(playback.current));
  }
  const current = figure.parts[playback.current];
  if (!current || !playback.playing || !scroller) return;
  const box = current.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  if (box.left < view.left || box.right > view.right) scroller.scrollLeft += box.right - view.right + 20;
}

// Data moving along the arrows as a step is revealed: the context into the first step, the chosen token fed
// back into the next. Skipped when the visitor asked for reduced motion.
function showFlow(figure, D, part) {
  if (REDUCED_MOTION || !figure.parts[part] || figure.parts[part].classList.contains("block")) return;
  const step = stepOfPart(D, part);
  if (step < 0) return;
  const ctx = figure.plan.columns.find((c) => c.type === "ctx");
  const y = layerY(D.layers, D.layers - 1) + CELL_H / 2;
  const d = step === 0 ? `M${rightEdge(ctx) - 30},${y} H${rightEdge(ctx) + 30}` : figure.paths[part];
  if (!d) return;
  const g = svg("g", {class: "flow"}, figure.svg);
  if (step === 0) svg("circle", {r: 5}, g);
  else svg("text", {class: "token"}, g, short(D.steps[step].input));
  // begun now: an animation's default start is the drawing's own time 0, long past
  svg("animateMotion", {path: d, dur: "0.7s", fill: "freeze", begin: "indefinite"}, g).beginElement();
  setTimeout(() => g.remove(), 900);
}

// A word the user typed is under the pointer: the encoder column that read it (or its block) lights up.
function showHover(figure, hover) {
  for (const {g, parts} of figure.drawn) g.classList.toggle("hover", hover !== null && parts.includes(hover));
}
