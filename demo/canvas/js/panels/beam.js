// Panel: the beam search tree: every hypothesis kept, pruned or finished at each step; the winner's path thick.
// Labels sit beside their node on a white halo, drawn after every edge, so no path runs over a word.
const BEAM_X = 70;
const BEAM_Y = 26;

const BEAM_PANEL = {
  keys: ["data", "labels", "selection.step", "quiz"],
  draw(box, state) {
    const {data: D, labels: L} = state;
    const B = D.beam;
    if (!B) return;
    const view = section(box, fill(L, "canvas_beam_title", {k: B.size, alpha: B.alpha}), L.canvas_beam_note);
    const limit = state.quiz ? revealedSteps(state) : Number.POSITIVE_INFINITY; // guess-first: no spoilers
    const nodes = B.nodes.filter((nd) => nd.t <= limit);
    const ys = nodes.map((nd) => nd.y);
    const top = Math.min(...ys);
    const steps = Math.max(...nodes.map((nd) => nd.t));
    const [w, h] = [BEAM_X * (steps + 1) + 60, BEAM_Y * (Math.max(...ys) - top + 1) + 30];
    const s = svg("svg", {viewBox: `0 0 ${w} ${h}`, width: w, height: h, class: "beam"}, scrolling(view));
    const at = {};
    for (const nd of nodes) at[nd.id] = [20 + nd.t * BEAM_X, 28 + (nd.y - top) * BEAM_Y];
    const selectedT = D.steps[state.selection.step] ? D.steps[state.selection.step].t : -1;
    svg("rect", {x: 20 + selectedT * BEAM_X - 30, y: 0, width: 60, height: h, class: "sel-band"}, s);
    for (const nd of nodes) {
      if (nd.parent === null || !at[nd.parent]) continue;
      const [[x1, y1], [x2, y2]] = [at[nd.parent], at[nd.id]];
      svg("line", {x1, y1, x2, y2, class: `edge${nd.path ? " path" : ""}`}, s);
    }
    const labels = [];
    for (const nd of nodes) {
      const [x, y] = at[nd.id];
      const cls = `node ${nd.status}${nd.path ? " path" : ""}${nd.path && nd.t === selectedT ? " selected" : ""}`;
      const pickable = nd.path && nd.t > 0 ? {"data-action": "step", "data-pick": nd.t - 1} : {};
      const g = svg("g", {class: cls, "data-t": nd.t, ...pickable}, s);
      svg("circle", {cx: x, cy: y, r: nd.path ? 6 : 4}, g);
      const status = `t=${nd.t} ${nd.token} · ${L[`canvas_${nd.status}`] || nd.status}`;
      const scores = `log P ${fmt(nd.log_prob)} · ${L.canvas_score} ${fmt(nd.score)}`;
      svg("title", {}, g, `${status}\n${scores} · ${L.canvas_normalized} ${fmt(nd.normalized)}`);
      labels.push([x, y, nd, pickable]);
    }
    // A label goes where no edge of its node runs: above, else below, else on the left (only the edge from the
    // parent arrives there) on the side away from the parent.
    const edges = {};
    const mark = (id, side) => {
      edges[id] = {...edges[id], [side]: true};
    };
    for (const nd of nodes) {
      const [parent, here] = [at[nd.parent], at[nd.id]];
      if (!parent || parent[1] === here[1]) continue;
      mark(nd.id, parent[1] < here[1] ? "up" : "down");
      mark(nd.parent, parent[1] < here[1] ? "down" : "up");
    }
    const words = svg("g", {class: "labels"}, s); // last: above every edge and node
    for (const [x, y, nd, pickable] of labels) {
      const {up, down} = edges[nd.id] || {};
      const fromAbove = at[nd.parent] && at[nd.parent][1] < y;
      const place = !up ? [x, y - 9] : !down ? [x, y + 17] : [x - 8, fromAbove ? y + 15 : y - 7, "end"];
      const attrs = {x: place[0], y: place[1], class: `label${nd.path ? " path" : ""}${place[2] ? " left" : ""}`};
      svg("text", {...attrs, ...pickable}, words, short(nd.token, 6));
    }
    const legend = html("p", {class: "legend"}, view);
    for (const key of ["kept", "pruned", "finished", "winner"]) {
      html("span", {class: `key ${key}`}, legend, L[`canvas_${key}`]);
    }
  },
};
