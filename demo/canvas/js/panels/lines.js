// Panel: confidence at every step: P of the chosen token, P(<eos>) and the entropy, the selected step banded.
const LINES_PANEL = {
  keys: ["data", "labels", "selection.step", "quiz"],
  draw(box, state) {
    const {data: D, labels: L} = state;
    const steps = D.steps.slice(0, revealedSteps(state)); // guess-first: only the steps revealed
    const [w, h, left, right, bottom] = [Math.max(320, 46 * steps.length), 150, 34, 40, 122];
    const view = section(box, L.canvas_lines_title, steps.length ? L.canvas_lines_note : L.canvas_quiz_hidden);
    if (!steps.length) return;
    const attrs = {viewBox: `0 0 ${w} ${h}`, class: "lines", preserveAspectRatio: "xMinYMin meet"};
    const s = svg("svg", attrs, scrolling(view));
    const band = (w - left - right) / steps.length;
    const X = (i) => left + (i + 0.5) * band;
    const Y = (v) => bottom - v * (bottom - 10);
    const maxH = Math.max(...steps.map((st) => st.entropy), 1e-6);
    const selected = state.selection.step;
    svg("rect", {x: X(selected) - band / 2, y: 8, width: band, height: bottom - 8, class: "sel-band"}, s);
    for (const v of [0, 0.5, 1]) svg("text", {x: left - 4, y: Y(v) + 3, class: "tiny axis"}, s, v);
    svg("text", {x: w - right + 4, y: 14, class: "tiny"}, s, fmt(maxH, 1));
    const series = [
      ["chosen", (st) => st.prob, 1],
      ["eos", (st) => st.eos, 1],
      ["entropy", (st) => st.entropy, maxH],
    ];
    for (const [name, value, scale] of series) {
      const points = steps.map((st, i) => `${X(i)},${Y(value(st) / scale)}`).join(" ");
      svg("polyline", {points, class: `series ${name}`}, s);
      steps.forEach((st, i) => {
        const dot = svg("circle", {cx: X(i), cy: Y(value(st) / scale), r: 3, class: `dot ${name}`}, s);
        svg("title", {}, dot, `t=${st.t} ${chosen(st)}: ${fmt(value(st), 4)}`);
      });
    }
    steps.forEach((st, i) => {
      const tick = {x: X(i), y: bottom + 14, class: `tiny tick${i === selected ? " selected" : ""}`};
      svg("text", {...tick, "data-action": "step", "data-pick": i}, s, `${st.t} ${chosen(st)}`);
      const hit = {x: X(i) - band / 2, y: 0, width: band, height: h, class: "hit"};
      svg("rect", {...hit, "data-action": "step", "data-pick": i}, s);
    });
    const legend = html("p", {class: "legend"}, view);
    for (const [name, key] of [
      ["chosen", "canvas_chosen"],
      ["eos", "canvas_eos"],
      ["entropy", "canvas_entropy"],
    ]) {
      html("span", {class: `key ${name}`}, legend, L[key]);
    }
  },
};
