// Controls: ◀ play ▶, the scrubber (how far the play has drawn), the speed, the tour button, Copy link; ← → on the
// figure.
// Built once per translation; their clicks reach the root's one listener through data-action.
const SPEEDS = [0.5, 1, 2];
const TICK_MS = 450; // one part drawn per tick at 1×

function buildControls(root, state) {
  const L = state.labels;
  const box = html("div", {class: "canvas-controls"}, root);
  const button = (action, text, attrs) => html("button", {type: "button", "data-action": action, ...attrs}, box, text);
  button("back", "◀", {"aria-label": L.canvas_back});
  const play = button("play", L.canvas_play, {class: "play"});
  button("forward", "▶", {"aria-label": L.canvas_forward});
  const range = {type: "range", min: 0, max: partCount(state.data), value: state.playback.shown};
  const scrub = html("input", {...range, "aria-label": L.canvas_step, "data-action": "scrub"}, box);
  const pace = html("select", {"aria-label": L.canvas_speed, "data-action": "speed"}, box);
  for (const v of SPEEDS) {
    const option = html("option", {value: v}, pace, `${v}×`);
    option.selected = v === state.playback.speed;
  }
  const fit = button("fit", L.canvas_fit, {class: "fit"});
  const quiz = button("quiz-toggle", L.canvas_quiz_toggle, {class: "quiz-toggle"});
  button("tour-open", L.canvas_tour, {class: "tour-open"});
  button("copy-link", L.canvas_copy_link);
  return {play, scrub, pace, fit, quiz};
}

function showControls(controls, state) {
  const L = state.labels;
  controls.scrub.value = scrubValue(state.playback);
  controls.play.textContent = state.playback.playing ? L.canvas_pause : L.canvas_play;
  // guess first reveals one step at a time: the play and the scrubber would give the answers away
  for (const e of [controls.play, controls.scrub, controls.pace]) e.disabled = Boolean(state.quiz);
  controls.quiz.setAttribute("aria-pressed", String(Boolean(state.quiz)));
  controls.fit.hidden = !Object.values(state.layout.expand).some(Boolean);
}

// The play's clock follows the state: running while playback.playing, at playback.speed.
function playClock(store) {
  let timer = null;
  const restart = (state) => {
    clearInterval(timer);
    timer = null;
    if (!state.playback.playing) return;
    timer = setInterval(() => store.set(tick(store.get())), TICK_MS / state.playback.speed);
  };
  store.subscribe(["playback.playing", "playback.speed"], restart);
}

// What each data-action does to the state: (state, the element acted on, the event) -> patch.
const CONTROL_ACTIONS = {
  back: (state) => movePart(state, -1),
  forward: (state) => movePart(state, 1),
  play: (state) => (state.playback.playing ? stopPlay(state) : startPlay(state)),
  // a "+N" block: show that side in full (the figure then scrolls sideways); "fit" condenses it again
  expand: (state, target) => ({
    layout: {...state.layout, expand: {...state.layout.expand, [target.dataset.side]: true}},
  }),
  fit: (state) => ({layout: {...state.layout, expand: {}}}),
  "copy-link": (state, target) => copyLink(target, state.labels), // js/link.js; the state stays as it is
};

// The keyboard on the figure: ← and → step back and forward, as the buttons do.
function keyPatch(state, event) {
  if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return null;
  event.preventDefault();
  return movePart(state, event.key === "ArrowRight" ? 1 : -1);
}
