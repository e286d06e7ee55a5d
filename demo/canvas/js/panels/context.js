// Panel: the context vector made readable: its largest values, and how it moved since the sentence before.
function unitBars(parent, rows, scale) {
  const list = html("div", {class: "units"}, parent);
  for (const [name, v] of rows) {
    const row = html("div", {class: "unit"}, list);
    html("span", {class: "uname"}, row, name);
    const width = `width:${Math.max(2, (Math.abs(v) / scale) * 120)}px`;
    html("span", {class: `ubar ${v < 0 ? "neg" : "pos"}`, style: width}, row);
    html("span", {class: "uval"}, row, fmt(v));
  }
}

const CONTEXT_PANEL = {
  keys: ["data", "labels", "previous"],
  draw(box, state) {
    const {data: D, labels: L, previous: P} = state;
    const view = section(box, L.canvas_ctx_title, fill(L, "canvas_ctx_note", {n: D.context_size}));
    const flat = []; // [name, value]: h1[0] ... c2[n]
    for (const part of ["h", "c"]) {
      D.context[part].forEach((values, layer) => {
        values.forEach((v, u) => {
          flat.push([`${part}${layer + 1}[${u}]`, v]);
        });
      });
    }
    const largest = [...flat].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 10);
    html("p", {class: "sub"}, view, L.canvas_ctx_largest);
    unitBars(view, largest, Math.abs(largest[0] ? largest[0][1] : 1) || 1);
    html("p", {class: "sub"}, view, L.canvas_ctx_previous);
    if (!P || P.model !== D.model || P.values.length !== flat.length) {
      html("p", {class: "note"}, view, L.canvas_ctx_first);
      return;
    }
    let [dot, a, b] = [0, 0, 0];
    flat.forEach(([, v], i) => {
      dot += v * P.values[i];
      a += v * v;
      b += P.values[i] * P.values[i];
    });
    html(
      "p",
      {class: "formula"},
      view,
      fill(L, "canvas_ctx_cosine", {cos: fmt(dot / Math.sqrt(a * b || 1)), previous: P.text}),
    );
    const moved = flat
      .map(([name, v], i) => [name, P.values[i], v])
      .sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]))
      .slice(0, 6);
    const changes = html("div", {class: "units"}, view);
    for (const [name, before, now] of moved) {
      html("div", {class: "unit"}, changes, `${name}: ${fmt(before)} → ${fmt(now)}`);
    }
  },
};
