// The canvas: draws props.value (demo/canvas/data.py) as the unrolled encoder-decoder and, below it, every view
// of the decoder, all following one store. Runs last: the files before it only define. `element`, `props`,
// `trigger` and `watch` are gr.HTML's (js_on_load).
const PANELS = [CELL_PANEL, STEP_PANEL, LINES_PANEL, GRID_PANEL, BEAM_PANEL, CONTEXT_PANEL]; // in page order
const store = createStore(initialState());
const view = {root: null, figure: null, figureKey: "", refs: null}; // the DOM drawn for the current data

// The caption: what a square of a strip is, and the one colour scale every strip shares.
function caption(root, D, L) {
  const p = html("p", {class: "caption"}, root);
  html("span", {}, p, fill(L, "canvas_units", {hidden: D.hidden, shown: D.strip_units}));
  const scale = sharedScale(D);
  const legend = html("span", {class: "scale"}, p);
  html("span", {}, legend, fmt(-scale, 2));
  stripSvg(
    legend,
    Array.from({length: 11}, (_, i) => ((i - 5) * scale) / 5),
    110,
    10,
    scale,
  );
  html("span", {}, legend, `+${fmt(scale, 2)}`);
  html("p", {class: "caption"}, root, L.canvas_softmax);
}

// The words as the user typed them, in one row; hovering one lights the column (or block) that read it.
function typedRow(root, D, L) {
  const row = html("p", {class: "typed-row"}, root);
  html("span", {class: "label"}, row, D.reversed ? L.canvas_typed : L.canvas_typed_forward);
  D.source.forEach((word, i) => {
    const at = readIndex(i, D.source.length, D.reversed);
    const unk = D.unknown[at];
    const w = html("span", {class: `typed${unk ? " unk" : ""}`, "data-read": at}, row, word);
    w.title = unk ? fill(L, "canvas_unk", {word}) : `${word} → ${at + 1}`;
  });
}

// A what-if drawn: which step the visitor forced, the model's own translation, and the way back to it.
function forcedNote(root, D, L) {
  const note = html("p", {class: "forced-note", role: "status"}, root);
  const token = D.steps[D.forced_at - 1]?.token ?? "";
  html("span", {}, note, fill(L, "canvas_forced", {t: D.forced_at, token, own: D.own}));
  html("button", {"data-action": "own"}, note, L.canvas_own);
}

// A new translation: the controls, the tour's box, the figure's box, the quiz's box, the words, and one slot per
// panel, each redrawn on its own.
function drawSkeleton(state) {
  const root = view.root;
  root.replaceChildren();
  view.figure = null;
  view.refs = null;
  // nothing translated (the message is in the details box)
  if (!state.data?.steps) return;
  const {data: D, labels: L} = state;
  const controls = buildControls(root, state);
  if (D.own !== undefined) forcedNote(root, D, L);
  const tour = html("div", {class: "tour", role: "dialog", "aria-live": "polite"}, root);
  const scroller = html("div", {class: "canvas-scroll", tabindex: 0, "aria-label": L.canvas_step}, root);
  typedRow(root, D, L);
  const quiz = html("div", {class: "quiz", "aria-live": "polite"}, root);
  const definition = buildGlossary(root, L);
  caption(root, D, L);
  const panels = html("div", {class: "canvas-panels"}, root);
  const slots = PANELS.map(() => html("div", {class: "slot"}, panels));
  view.refs = {controls, tour, scroller, quiz, definition, panels, slots};
}

// The figure: drawn again when its plan changes (the data, the box's width, a side expanded, the decoder's window
// moved to the selected step), else only its classes change.
function showFigure(refs, state, before) {
  const focus = state.quiz ? state.quiz.step : state.selection.step;
  const width = Math.max(200, (state.layout.width || refs.scroller.clientWidth || 1000) - 2);
  const plan = planColumns(state.data, width, state.layout.expand, focus, view.figure?.plan.start);
  const scale = fitScale(plan, width);
  const key = `${plan.columns.map((c) => c.type + c.parts[0]).join()}@${scale.toFixed(3)}`;
  const fresh = !view.figure || key !== view.figureKey;
  if (fresh) {
    refs.scroller.replaceChildren();
    view.figure = drawFigure(refs.scroller, state, plan, scale);
    view.figureKey = key;
  }
  showPlayback(view.figure, state.playback, refs.scroller);
  showHover(view.figure, state.hover);
  const revealed = state.playback.shown > before.playback.shown && state.playback.current !== before.playback.current;
  if (revealed && before.data === state.data) showFlow(view.figure, state.data, state.playback.current);
  if (fresh && state.tour >= 0) showTour(view.root, refs.tour, state);
}

// Every view with the state it reads; each redraws only when one of its keys changes. The skeleton comes first:
// the others draw into what it built.
const VIEWS = [
  [["data", "labels", "layout", "selection.step", "quiz", "playback", "hover"], showFigure],
  [["data", "playback", "quiz", "layout"], (refs, state) => showControls(refs.controls, state)],
  [["data", "labels", "term"], (refs, state) => showTerm(refs.definition, state)],
  [QUIZ_PANEL.keys, (refs, state) => QUIZ_PANEL.draw(emptied(refs.quiz), state)],
  ...PANELS.map((panel, i) => [panel.keys, (refs, state) => panel.draw(emptied(refs.slots[i]), state)]),
  [["temperature"], (refs, state) => showTemperature(refs.panels, state)],
  // after the panels: a panel drawn again (another step selected) gets its highlight back
  [["data", "tour", "selection.step"], (refs, state) => showTour(view.root, refs.tour, state)],
];
store.subscribe(["data", "labels"], drawSkeleton);
for (const [keys, redraw] of VIEWS) {
  store.subscribe(keys, (state, before) => view.refs && redraw(view.refs, state, before));
}
playClock(store);
// Guess first: the translation box above the canvas (demo/page.py CSS) stays blurred until every step is guessed.
store.subscribe(["quiz"], (s) => document.body.classList.toggle("guessing", Boolean(s.quiz) && !quizDone(s)));

// A user's action: the new state, and the what-if step follows (server side) when the selected step moved.
function act(patch) {
  if (!patch) return;
  const before = store.get();
  store.set(patch);
  const after = store.get();
  if (after.selection.step !== before.selection.step) {
    trigger("click", {step: after.data.steps[after.selection.step].t});
  }
}

const ACTIONS = {
  ...CONTROL_ACTIONS,
  ...TOUR_ACTIONS,
  ...QUIZ_ACTIONS,
  step: (state, target) => chooseStep(state, Number(target.dataset.pick)),
  // the server decodes (demo/translate/forcing.py) and sends new data: nothing changes here until then
  force: (state, target) =>
    void trigger("click", {step: state.data.steps[state.selection.step].t, force: +target.dataset.k}),
  own: () => void trigger("click", {back: true}),
  "cell-close": (state) => ({selection: {...state.selection, cell: null}}),
  "cell-layer": (state, target) => {
    const cell = {...state.selection.cell, layer: Number(target.dataset.layer)};
    return {selection: {...state.selection, cell}};
  },
};

// A click on the figure selects that part; on an LSTM cell it also opens the cell's maths. Guess-first keeps
// the steps not yet revealed closed.
function partPatch(state, g, target) {
  const part = Number(g.dataset.part);
  if (part > lastOpen(state)) return null;
  const layer = target.closest("[data-layer]");
  const kind = g.classList.contains("encoder") ? "enc" : g.classList.contains("decoder") ? "dec" : null;
  const index = kind === "enc" ? part : stepOfPart(state.data, part);
  const cell = layer && kind ? {kind, index, layer: Number(layer.dataset.layer)} : state.selection.cell;
  const patch = choosePart(state, part, true);
  return {...patch, selection: {...patch.selection, cell}};
}

// The listeners, attached once to the component's element: every view's clicks arrive here by delegation.
const ready = () => Boolean(view.refs && store.get().data);
element.addEventListener("click", (event) => {
  if (!ready()) return;
  const term = event.target.closest?.("[data-term]");
  if (term) store.set({term: term.dataset.term}); // a tap explains the word, and acts as a click too
  const state = store.get();
  const target = event.target.closest("[data-action]");
  if (target && target.tagName !== "INPUT") return act(ACTIONS[target.dataset.action]?.(state, target, event));
  const part = event.target.closest("g.part");
  if (part) act(partPatch(state, part, event.target));
});
element.addEventListener("input", (event) => {
  if (!ready()) return;
  const {action} = event.target.dataset;
  if (action === "scrub") act(scrubTo(store.get(), Number(event.target.value)));
  if (action === "temperature") store.set({temperature: sliderToT(Number(event.target.value))});
});
element.addEventListener("change", (event) => {
  if (!ready()) return;
  const {action} = event.target.dataset;
  if (action === "scrub") act(choosePart(store.get(), Number(event.target.value) - 1, false));
  if (action === "speed") act(setSpeed(store.get(), Number(event.target.value)));
});
element.addEventListener("keydown", (event) => {
  if (ready() && event.target.closest(".canvas-scroll")) act(keyPatch(store.get(), event));
});
element.addEventListener("mouseover", (event) => {
  if (!ready()) return;
  const typed = event.target.closest?.(".typed");
  const term = event.target.closest?.("[data-term]");
  store.set({hover: typed ? Number(typed.dataset.read) : null, ...(term ? {term: term.dataset.term} : {})});
});
element.addEventListener("mouseleave", () => ready() && store.set({hover: null}));
// The figure follows its box's width (a window resized, a phone turned).
new ResizeObserver(() => {
  const width = Math.floor((view.refs?.scroller.clientWidth || 0) / 8) * 8;
  if (ready() && width && width !== store.get().layout.width) store.set({layout: {...store.get().layout, width}});
}).observe(element);

function render() {
  const root = element.querySelector(".canvas-root") || element;
  const fresh = root !== view.root; // the template may have been rendered again
  view.root = root;
  let value = props.value;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value); // canvas_json
    } catch {
      value = null;
    }
  }
  const state = store.get();
  // The same decoding again (the page's opening example, answered once more when the page loads): keep the
  // drawing, and the play where it is.
  if (value && state.data && value.id === state.data.id && !fresh && root.firstChild) return;
  if (fresh && value && value === state.data) value = {...value}; // redraw into the new root
  const labels = value?.labels ? value.labels[LANG] || value.labels.en : {};
  store.set(loadData(state, value, labels));
  if (!view.refs) return;
  const now = store.get();
  if (now.quiz) store.set(startQuiz(now));
  else if (REDUCED_MOTION || now.data.own !== undefined) store.set(selectPart(now, partCount(now.data) - 1, false));
  else store.set(startPlay(now));
  // a what-if: drawn whole, on the step the visitor forced (no play from the start)
  if (!now.quiz && now.data.forced_at) store.set(chooseStep(store.get(), now.data.forced_at - 1));
  if (!tourSeen() && store.get().tour < 0) store.set(openTour(store.get()));
}
watch("value", render);
render();
// after the first drawing: the view painted into the page is not a link's (js/link.js)
followLink(store);
