// Panel: the selected step's softmax, candidate by candidate: logit, logit − log Z, probability; and a what-if
// temperature that redraws P_t from these logits in the browser (js/numbers.js temperatureProbs).
// each column's label and the word it explains; the logits' columns only when the maths were recorded
const STEP_HEADS = [
  ["canvas_col_token", null],
  ["canvas_col_logit", "logit", true],
  ["canvas_col_shift", "log_z", true],
  ["canvas_col_prob", "P_t"],
  ["canvas_col_temp", "softmax", true],
];

const STEP_PANEL = {
  keys: ["data", "labels", "selection.step", "quiz"],
  draw(box, state) {
    const {data: D, labels: L} = state;
    const step = D.steps[state.selection.step];
    if (!step) return;
    if (state.selection.step >= revealedSteps(state)) {
      section(box, L.canvas_quiz_title, L.canvas_quiz_hidden).classList.add("step-panel");
      return;
    }
    const view = section(box, fill(L, "canvas_step_title", {t: step.t, token: chosen(step)}), L.canvas_step_note);
    view.classList.add("step-panel");
    const table = html("table", {class: "softmax"}, view);
    const head = html("tr", {}, html("thead", {}, table));
    const maths = step.logits !== undefined;
    for (const [key, term, needsMaths] of STEP_HEADS) {
      if (needsMaths && !maths) continue;
      if (term) termLabel("th", head, term, L[key]);
      else html("th", {}, head, L[key]);
    }
    const body = html("tbody", {}, table);
    step.top.forEach(([token, p], k) => {
      const row = html("tr", {class: isChosen(step, token) ? "chosen" : ""}, body);
      const tok = html("td", {class: "tok"}, row);
      // another candidate: a click forces it (demo/translate/forcing.py), and the canvas draws what follows
      if (isChosen(step, token)) tok.textContent = token;
      else
        html("button", {class: "force", "data-action": "force", "data-k": k, title: L.canvas_force_hint}, tok, token);
      if (maths) {
        html("td", {}, row, fmt(step.logits[k]));
        html("td", {}, row, fmt(step.logits[k] - step.log_z));
      }
      const cell = html("td", {class: "p"}, row);
      html("span", {class: "pbar", style: `width:${Math.max(1, p * 40)}px`}, cell);
      html("span", {class: "pval"}, cell, fmt(p, 4));
      if (maths) html("td", {class: "temp"}, row);
    });
    html("p", {class: "note"}, view, L.canvas_force_hint);
    const share = step.top.reduce((a, [, p]) => a + p, 0);
    if (maths) html("p", {class: "formula"}, view, fill(L, "canvas_log_z", {z: fmt(step.log_z)}));
    const held = {k: step.top.length, p: fmt(share, 4), eos: fmt(step.eos, 4), h: fmt(step.entropy, 3)};
    html("p", {class: "formula"}, view, fill(L, "canvas_topk_share", held));
    if (maths) {
      const what = html("div", {class: "whatif-temp"}, view);
      const label = html("label", {}, what);
      html("span", {class: "tlabel"}, label);
      const range = {
        type: "range",
        min: 0,
        max: 100,
        value: tToSlider(state.temperature),
        "data-action": "temperature",
      };
      html("input", {...range, "aria-label": L.canvas_col_temp}, label);
      html("p", {class: "note"}, what, fill(L, "canvas_temp_note", {k: step.top.length}));
      showTemperature(view, state);
    }
    const st = html("div", {class: "st"}, view);
    termLabel("span", st, "s_t", fill(L, "canvas_st", {n: D.strip_units}), {class: "tiny-label"});
    stripSvg(st, step.s, 256, 14, sharedScale(D));
  },
};

// The temperature moved: only the what-if column and its label change (the slider keeps the pointer).
function showTemperature(root, state) {
  const step = state.data?.steps[state.selection.step];
  const label = root.querySelector(".whatif-temp .tlabel");
  if (!step?.logits || !label) return;
  const T = state.temperature;
  label.textContent = fill(state.labels, "canvas_temp", {T: T < 1 ? fmt(T, 2) : fmt(T, 1)});
  const probs = temperatureProbs(step.logits, T);
  root.querySelectorAll(".softmax td.temp").forEach((td, k) => {
    td.replaceChildren();
    html("span", {class: "pbar what", style: `width:${Math.max(1, probs[k] * 40)}px`}, td);
    html("span", {class: "tval"}, td, fmt(probs[k], 3));
  });
}
