// The browser's own arithmetic on a step (demo/canvas/js/numbers.js): the what-if temperature, a guess's "why",
// the choices offered.
import assert from "node:assert/strict";
import {test} from "node:test";
import {load} from "./load.mjs";

const N = load(
  ["layout.js", "numbers.js"],
  ["temperatureProbs", "sliderToT", "tToSlider", "probOf", "whyNumbers", "quizOptions"],
);
// A step as canvas_data draws it: the top candidates' P_t, their logits and the vocabulary's log Z.
const LOGITS = [4.1, 3.0, 1.2, -0.5];
const LOG_Z = 4.6;
const STEP = {
  token: "我",
  eos: 0.01,
  top: [
    ["我", Math.exp(4.1 - LOG_Z)],
    ["你", Math.exp(3.0 - LOG_Z)],
    ["<eos>", Math.exp(1.2 - LOG_Z)],
    ["他", Math.exp(-0.5 - LOG_Z)],
  ],
  logits: LOGITS,
  log_z: LOG_Z,
};
const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test("at T = 1 the what-if gives the recorded probabilities renormalised over the shown candidates", () => {
  const share = STEP.top.reduce((a, [, p]) => a + p, 0);
  const probs = N.temperatureProbs(LOGITS, 1);
  for (const [k, [, p]] of STEP.top.entries()) close(probs[k], p / share);
  close(
    probs.reduce((a, b) => a + b, 0),
    1,
  );
});

test("a low temperature concentrates on the largest logit; a high one flattens towards uniform", () => {
  const cold = N.temperatureProbs(LOGITS, 0.01);
  close(cold[0], 1, 1e-6);
  const hot = N.temperatureProbs(LOGITS, 1000);
  for (const p of hot) close(p, 0.25, 1e-3);
  // the order never changes, and the entropy grows with T
  const entropy = (ps) => -ps.reduce((a, p) => a + (p > 0 ? p * Math.log(p) : 0), 0);
  const ts = [0.1, 0.5, 1, 2, 5];
  const hs = ts.map((t) => entropy(N.temperatureProbs(LOGITS, t)));
  for (let i = 1; i < hs.length; i++) assert.ok(hs[i] > hs[i - 1]);
  for (const t of ts) {
    const ps = N.temperatureProbs(LOGITS, t);
    for (let i = 1; i < ps.length; i++) assert.ok(ps[i] <= ps[i - 1]);
  }
  assert.deepEqual(
    [...N.temperatureProbs([1000, 999], 1)].map((p) => p.toFixed(4)),
    ["0.7311", "0.2689"],
  ); // no overflow
  assert.ok(N.temperatureProbs(LOGITS, 0).every(Number.isFinite)); // T = 0 is clamped, not a division by zero
});

test("the slider maps to T on a log scale with 1 in the middle, both ways", () => {
  close(N.sliderToT(50), 1);
  close(N.sliderToT(0), 0.1);
  close(N.sliderToT(100), 10);
  for (const t of [0.1, 0.5, 1, 2, 10]) assert.equal(N.tToSlider(N.sliderToT(N.tToSlider(t))), N.tToSlider(t));
});

test("the why compares the word taken with the learner's other pick, or with the runner-up", () => {
  const wrong = N.whyNumbers(STEP, "你");
  assert.equal(wrong.taken, "我");
  assert.equal(wrong.other, "你");
  close(wrong.gap, STEP.top[0][1] - STEP.top[1][1]);
  assert.equal(wrong.rank, 1);
  const right = N.whyNumbers(STEP, "我");
  assert.equal(right.other, "你"); // the runner-up
  close(N.whyNumbers(STEP, "<eos>").q, STEP.top[2][1]); // the stop, as P_t gave it
  const beam = {...STEP, token: "你"};
  assert.equal(N.whyNumbers(beam, "你").rank, 2); // beam search took rank 2
  assert.equal(N.whyNumbers(beam, "你").other, "我");
  assert.ok(N.whyNumbers(beam, "你").gap < 0);
  close(N.probOf({top: [], eos: 0.3}, "<eos>"), 0.3);
});

test("the choices hold the word taken and the stop, in an order that gives nothing away", () => {
  const options = N.quizOptions(STEP);
  assert.deepEqual([...options], ["他", "你", "我", "<eos>"]);
  const many = {token: "f", top: "abcdefg".split("").map((t, i) => [t, 0.3 - i * 0.04])};
  assert.deepEqual([...N.quizOptions(many, 4)], ["a", "b", "c", "f", "<eos>"]); // rank 6 taken: still offered
  const stop = {token: "<eos>", top: [["<eos>", 0.9]]};
  assert.deepEqual([...N.quizOptions(stop)], ["<eos>"]);
});
