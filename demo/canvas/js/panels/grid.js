// Panel: the top candidates of every step, shaded by probability; the chosen token outlined, the step selected.
const GRID_PANEL = {
  keys: ["data", "labels", "selection.step", "quiz"],
  draw(box, state) {
    const {data: D, labels: L} = state;
    const view = section(box, L.canvas_grid_title, L.canvas_grid_note);
    const k = Math.max(...D.steps.map((st) => st.top.length));
    const table = html("table", {class: "grid"}, scrolling(view));
    const head = html("tr", {}, html("thead", {}, table));
    html("th", {}, head, "t");
    for (let r = 1; r <= k; r++) html("th", {}, head, `${L.canvas_rank} ${r}`);
    const body = html("tbody", {}, table);
    D.steps.slice(0, revealedSteps(state)).forEach((st, i) => {
      const selected = i === state.selection.step ? "selected" : "";
      const row = html("tr", {class: selected, "data-step": st.t, "data-action": "step", "data-pick": i}, body);
      html("th", {}, row, `${st.t}${st.forced ? " ✎" : ""}`);
      for (const [token, p] of st.top) {
        const shade = `background: rgba(49,130,189,${(0.08 + 0.8 * p).toFixed(3)})`;
        const c = html("td", {class: isChosen(st, token) ? "chosen" : "", style: shade}, row);
        html("span", {class: "tok"}, c, token);
        html("span", {class: "pv"}, c, fmt(p, 2));
      }
    });
  },
};
