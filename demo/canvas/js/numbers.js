// Arithmetic on a step's own numbers, done in the browser: P_t at another temperature, and the figures behind
// a guess's "why". Pure functions (tests/js/numbers.test.mjs).

// P_t redrawn at temperature T from the shown candidates' logits: p_i(T) = exp(z_i/T) / Σ_j exp(z_j/T), the sum
// over these candidates only (the rest of the vocabulary's logits are not sent), so at T = 1 it gives the
// recorded probabilities divided by their share. A what-if view: the decoding always used T = 1.
function temperatureProbs(logits, T) {
  const t = Math.max(T, 1e-3);
  const top = Math.max(...logits);
  const e = logits.map((z) => Math.exp((z - top) / t)); // shifted by the largest: no overflow
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

// The temperature slider's scale: position 0..100 <-> T from 0.1 to 10, 1 in the middle (a log scale).
const sliderToT = (position) => 10 ** ((position - 50) / 50);
const tToSlider = (T) => Math.round(50 + 50 * Math.log10(T));

// P_t of a token at a step: from the top candidates, or P_t(<eos>) for the stop.
function probOf(step, token) {
  const found = step.top.find(([t]) => t === token);
  if (found) return found[1];
  return token === "<eos>" ? step.eos : 0;
}

// The numbers behind "why": the token taken and its P_t, against the learner's pick (when it was another)
// or the runner-up; the gap between them; and the taken token's rank (beam search may take rank 2 or lower).
function whyNumbers(step, pick) {
  const taken = chosen(step);
  const ranked = [...step.top].sort((a, b) => b[1] - a[1]);
  const other = pick !== taken ? pick : (ranked.find(([t]) => t !== taken) || [""])[0];
  const p = probOf(step, taken);
  const q = probOf(step, other);
  const rank = ranked.findIndex(([t]) => t === taken) + 1;
  return {taken, p, other, q, gap: p - q, rank};
}

// The choices offered before a step is revealed: its most likely words (at most `n`, the taken one always
// among them) in an order that gives nothing away (by spelling), then the stop.
function quizOptions(step, n = 4) {
  const words = step.top.map(([t]) => t).filter((t) => t !== "<eos>");
  const options = words.slice(0, n);
  const taken = chosen(step);
  if (taken !== "<eos>" && !options.includes(taken)) options.splice(Math.min(options.length, n - 1), 1, taken);
  return [...options.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), "<eos>"];
}
