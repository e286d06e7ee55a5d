// Layout arithmetic: where every part of the figure sits, and which word the encoder read when. Pure functions,
// defined once here and used by the drawing, the panels and node --test (tests/js/layout.test.mjs).
// one column of the figure: a token read or a decoder step
const CELL = 104;
const CELL_W = 80;
// a condensed run of columns ("+N"), and the width of its box
const BLOCK = 48;
const BLOCK_W = 30;
const CELL_H = 40;
const GAP = 12; // between stacked layers
// y of the top layer's cell: the softmax bars sit above it
const TOP = 128;
const STRIP_H = 9;
// The figure is scaled to its box's width, never below this (smaller text would not be read): runs of columns
// are condensed until the figure fits at this scale.
const MIN_SCALE = 0.7;
const MARGIN = 12;
// demo/canvas/data.py GATES: a cell's maths, in order
const GATES = ["i", "f", "g", "o", "c_prev", "c", "h"];

// Read order <-> written order. The encoder reads the source reversed (the paper's trick) unless the model was
// trained without it; the mapping is its own inverse, so it also gives the written position of a read one.
const readIndex = (written, count, reversed) => (reversed ? count - 1 - written : written);

// The figure's parts, left to right: one per token read, the context, one per decoder step.
const partCount = (data) => data.read.length + 1 + data.steps.length;
const partOfStep = (data, step) => data.read.length + 1 + step;
const stepOfPart = (data, part) => part - data.read.length - 1; // < 0: an encoder part or the context
const contextPart = (data) => data.read.length;

const layerY = (layers, layer) => TOP + (layers - 1 - layer) * (CELL_H + GAP); // layer 0 at the bottom
const figureBottom = (layers) => layerY(layers, 0) + CELL_H;
const figureHeight = (layers) => figureBottom(layers) + 34;

// How many encoder cells and decoder steps to draw in full so that the figure fits `width` px at MIN_SCALE:
// the longer side gives up a column first; each side keeps at least one (the encoder's last, the decoder's
// selected step). A side the learner expanded keeps every column.
function fitCounts(nE, nD, width, expand) {
  const room = width / MIN_SCALE - MARGIN;
  const cost = (kE, kD) => (kE + 1 + kD) * CELL + (kE < nE ? BLOCK : 0) + (kD < nD ? 2 * BLOCK : 0);
  let [kE, kD] = [nE, nD];
  while (cost(kE, kD) > room) {
    const canE = !expand.enc && kE > 1;
    const canD = !expand.dec && kD > 1;
    if (!canE && !canD) break;
    if (canE && (kE >= kD || !canD)) kE--;
    else kD--;
  }
  return [kE, kD];
}

// The decoder's window of `k` steps: kept where it was while `focus` is inside it, else moved to hold it.
function decoderWindow(n, k, focus, start) {
  const last = Math.max(0, n - k);
  if (start !== undefined && start <= last && focus >= start && focus < start + k) return start;
  return Math.max(0, Math.min(last, focus - Math.floor(k / 2)));
}

// The columns drawn, left to right, each with its x and the parts it stands for: a full column is one part,
// a condensed block ("+N") several. `plan.start` is the decoder window's first step (pass it back to keep it).
function planColumns(data, width, expand = {}, focus = 0, start = undefined) {
  const nE = data.read.length;
  const nD = data.steps.length;
  const [kE, kD] = fitCounts(nE, nD, width, expand);
  const columns = [];
  let x = MARGIN / 2;
  const add = (column, pitch) => {
    columns.push({...column, x});
    x += pitch;
  };
  const block = (side, from, to) => {
    if (to > from) add({type: "block", side, from, to, parts: range(from, to)}, BLOCK);
  };
  // the encoder: its first word when there is room, a block, and the last words read (they hand over)
  const head = kE >= 3 && kE < nE ? 1 : kE === nE ? nE : 0;
  for (let i = 0; i < head; i++) add({type: "enc", index: i, parts: [i]}, CELL);
  block("enc", head, nE - (kE - head));
  for (let i = Math.max(head, nE - (kE - head)); i < nE; i++) add({type: "enc", index: i, parts: [i]}, CELL);
  add({type: "ctx", parts: [nE]}, CELL);
  const first = decoderWindow(nD, kD, Math.max(0, Math.min(nD - 1, focus)), start);
  block("dec", nE + 1, nE + 1 + first);
  for (let i = first; i < first + kD; i++) add({type: "dec", index: i, parts: [nE + 1 + i]}, CELL);
  block("dec", nE + 1 + first + kD, nE + 1 + nD);
  return {columns, start: first, width: x + MARGIN / 2, height: figureHeight(data.layers)};
}

function range(from, to) {
  return Array.from({length: to - from}, (_, i) => from + i);
}

// The scale the figure is drawn at: its box's width over its own, never above 1 (it never grows) nor below
// MIN_SCALE (an expanded side then scrolls sideways instead).
const fitScale = (plan, width) => Math.min(1, Math.max(MIN_SCALE, width / plan.width));

// A short form of a long token, so that neighbouring labels never meet; the whole token goes in its title.
const short = (token, max = 9) => (token.length > max ? `${token.slice(0, max - 1)}…` : token);

// The chosen token of a step, and whether a candidate is it: every view marks it through these two.
const chosen = (step) => step.token;
const isChosen = (step, token) => token === chosen(step);

function colour(v, scale) {
  // diverging: blue (negative), white (0), red (positive)
  const x = Math.max(-1, Math.min(1, v / (scale || 1)));
  const w = Math.round(255 * (1 - Math.abs(x)));
  return x >= 0 ? `rgb(255,${w},${w})` : `rgb(${w},${w},255)`;
}

// One colour scale for every strip of a translation, so the same colour is the same number in every cell:
// the 98th percentile of |value| over all of them (a few outliers would otherwise wash every strip out).
function sharedScale(data) {
  const all = [];
  const push = (values) => {
    for (const v of values || []) all.push(Math.abs(v));
  };
  for (const column of [...(data.encoder || []), ...(data.encoder_c || [])]) column.forEach(push);
  for (const step of data.steps || []) [...(step.h || []), ...(step.c || [])].forEach(push);
  for (const part of ["h", "c"]) for (const layer of data.context?.[part] || []) push(layer);
  if (!all.length) return 1;
  all.sort((a, b) => a - b);
  return Math.max(all[Math.min(all.length - 1, Math.floor(0.98 * all.length))], 1e-6);
}

// A state strip: one rectangle per unit across `width`, coloured against `scale` (the shared one).
function stripLayout(values, x, width, scale) {
  const s = scale || Math.max(...values.map(Math.abs), 1e-6);
  const w = width / Math.max(values.length, 1);
  return values.map((v, i) => ({x: x + i * w, width: w, fill: colour(v, s)}));
}
