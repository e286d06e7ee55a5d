// The layout arithmetic of demo/canvas/js/layout.js: positions, read order <-> written order, strips.
import assert from "node:assert/strict";
import {test} from "node:test";
import {load} from "./load.mjs";

const L = load(
  ["layout.js"],
  [
    "CELL",
    "CELL_W",
    "CELL_H",
    "GAP",
    "TOP",
    "GATES",
    "readIndex",
    "partCount",
    "partOfStep",
    "stepOfPart",
    "contextPart",
    "layerY",
    "figureBottom",
    "figureHeight",
    "planColumns",
    "fitScale",
    "MIN_SCALE",
    "BLOCK",
    "short",
    "sharedScale",
    "chosen",
    "isChosen",
    "colour",
    "stripLayout",
  ],
);
const data = (read, steps, layers = 2) => ({read: Array(read).fill("w"), steps: Array(steps).fill({}), layers});

test("a reversed source is read last word first, and the mapping is its own inverse", () => {
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => L.readIndex(i, 4, true)),
    [3, 2, 1, 0],
  );
  for (let n = 1; n <= 6; n++) {
    for (let i = 0; i < n; i++) assert.equal(L.readIndex(L.readIndex(i, n, true), n, true), i);
  }
});

test("a source read in order keeps every position", () => {
  assert.deepEqual(
    [0, 1, 2].map((i) => L.readIndex(i, 3, false)),
    [0, 1, 2],
  );
  assert.deepEqual(
    [0, 1, 2].map((r) => L.readIndex(r, 3, false)),
    [0, 1, 2],
  );
});

test("parts run encoder columns, the context, then decoder steps, and steps map back to their parts", () => {
  const d = data(5, 4);
  assert.equal(L.partCount(d), 10);
  assert.equal(L.contextPart(d), 5);
  assert.deepEqual(
    [0, 1, 2, 3].map((s) => L.partOfStep(d, s)),
    [6, 7, 8, 9],
  );
  assert.deepEqual(
    [0, 4, 5, 6, 9].map((p) => L.stepOfPart(d, p)),
    [-6, -2, -1, 0, 3],
  );
  for (let s = 0; s < 4; s++) assert.equal(L.stepOfPart(d, L.partOfStep(d, s)), s);
});

test("layer 0 is drawn at the bottom, each layer above one cell and a gap higher", () => {
  assert.equal(L.layerY(1, 0), L.TOP);
  assert.equal(L.layerY(3, 2), L.TOP);
  assert.equal(L.layerY(3, 0) - L.layerY(3, 1), L.CELL_H + L.GAP);
  assert.equal(L.figureBottom(3), L.TOP + 2 * (L.CELL_H + L.GAP) + L.CELL_H);
});

test("a strip splits its width evenly and colours against the scale it is given", () => {
  const rects = L.stripLayout([2, -1, 0, -2], 10, 80, 2);
  assert.deepEqual(
    rects.map((r) => r.x),
    [10, 30, 50, 70],
  );
  assert.ok(rects.every((r) => r.width === 20));
  assert.deepEqual(
    rects.map((r) => r.fill),
    ["rgb(255,0,0)", "rgb(128,128,255)", "rgb(255,255,255)", "rgb(0,0,255)"],
  );
  // One scale for all strips: the same value has the same colour in a strip of small values and one of large.
  const small = L.stripLayout([0.5, 0.1], 0, 20, 4);
  const large = L.stripLayout([0.5, 4], 0, 20, 4);
  assert.equal(small[0].fill, large[0].fill);
  assert.notEqual(L.stripLayout([0.5, 0.1], 0, 20)[0].fill, L.stripLayout([0.5, 4], 0, 20)[0].fill); // own scale
  assert.deepEqual(L.stripLayout([], 0, 50, 1), []);
  assert.equal(L.stripLayout([0, 0], 0, 50)[0].fill, "rgb(255,255,255)"); // all zero: white, no division by 0
});

test("the shared scale covers every strip of the translation, past a few outliers", () => {
  const many = Array.from({length: 100}, (_, i) => (i % 2 ? -0.5 : 0.5));
  const d = {encoder: [[many]], encoder_c: [[[...many.slice(0, 99), 40]]], steps: [{h: [[0.2]], c: [[]]}]};
  d.context = {h: [[0.1]], c: [[0.3]]};
  assert.equal(L.sharedScale(d), 0.5); // the one 40 does not wash every strip out
  assert.equal(L.sharedScale({steps: []}), 1);
});

// A sentence of `read` tokens read and `steps` decoder steps, 2 layers.
const sized = (read, steps) => data(read, steps);

test("a short sentence is drawn whole, each part once, and scaled to fit its box", () => {
  const d = sized(6, 7); // "I am a student." at the paper's reversal: 13 columns
  const plan = L.planColumns(d, 1190);
  assert.deepEqual([...plan.columns.flatMap((c) => c.parts)], [...Array(L.partCount(d)).keys()]);
  assert.ok(plan.columns.every((c) => c.type !== "block"));
  assert.ok(plan.width > 1190 && L.fitScale(plan, 1190) * plan.width <= 1190); // scaled, not scrolled
  assert.ok(L.fitScale(plan, 1190) >= L.MIN_SCALE);
  assert.equal(L.fitScale(L.planColumns(sized(2, 2), 1190), 1190), 1); // never enlarged
});

test("a long sentence is condensed into +N blocks that fit, at 1400 px and on a phone", () => {
  for (const [read, steps] of [
    [26, 30],
    [101, 200],
    [6, 7],
  ]) {
    for (const width of [1190, 358]) {
      const d = sized(read, steps);
      for (const focus of [0, Math.floor(steps / 2), steps - 1]) {
        const plan = L.planColumns(d, width, {}, focus);
        // every part is drawn exactly once, as a column or inside a block, in order
        assert.deepEqual([...plan.columns.flatMap((c) => c.parts)], [...Array(L.partCount(d)).keys()]);
        assert.ok(plan.width * L.fitScale(plan, width) <= width + 0.5, `${read}/${steps} at ${width}`);
        assert.ok(L.fitScale(plan, width) >= L.MIN_SCALE);
        // the selected step is always drawn in full, and so is the encoder's last column (the hand-over)
        const shown = plan.columns.filter((c) => c.type === "dec").map((c) => c.index);
        assert.ok(shown.includes(focus));
        assert.equal(plan.columns.filter((c) => c.type === "enc").at(-1).index, read - 1);
        // columns never overlap: each starts where the one before it ends
        for (let k = 1; k < plan.columns.length; k++) assert.ok(plan.columns[k].x > plan.columns[k - 1].x);
      }
    }
  }
});

test("the decoder's window stays put while the selection moves inside it, and expanding shows every column", () => {
  const d = sized(20, 20);
  const plan = L.planColumns(d, 1190, {}, 0);
  const next = L.planColumns(d, 1190, {}, 1, plan.start);
  assert.equal(next.start, plan.start);
  const far = L.planColumns(d, 1190, {}, 19, plan.start);
  assert.ok(far.columns.some((c) => c.type === "dec" && c.index === 19));
  const all = L.planColumns(d, 1190, {dec: true}, 0);
  assert.equal(all.columns.filter((c) => c.type === "dec").length, 20);
  assert.ok(all.columns.some((c) => c.type === "block" && c.side === "enc")); // the other side stays condensed
});

test("long tokens are shortened so that neighbouring labels never meet", () => {
  assert.equal(L.short("station"), "station");
  assert.equal(L.short("internationalisation"), "internat…");
  assert.equal(L.short("internationalisation").length, 9);
});

test("the chosen token and the gate names are defined once", () => {
  const step = {
    token: "认",
    top: [
      ["认", 0.8],
      ["觉", 0.1],
    ],
  };
  assert.equal(L.chosen(step), "认");
  assert.deepEqual(
    step.top.map(([t]) => L.isChosen(step, t)),
    [true, false],
  );
  assert.deepEqual([...L.GATES], ["i", "f", "g", "o", "c_prev", "c", "h"]); // demo/canvas/data.py GATES
  assert.equal(L.colour(5, 1), "rgb(255,0,0)"); // clamped at the scale
});
