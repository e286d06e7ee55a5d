// The canvas's one store: named state, and subscribers told only when a key they read changes. Every view
// subscribes with the keys it depends on ("data", "selection.step", ...); nothing else redraws it.
// The transitions below are pure: state in, patch out, so node --test checks them (tests/js/store.test.mjs).

function initialState() {
  return {
    // canvas_data() of the translation drawn (demo/canvas/data.py)
    data: null,
    // the data's labels in the page's language
    labels: {},
    // the context of the sentence drawn before: the context panel compares
    previous: null,
    // parts drawn; the part selected
    playback: {shown: 0, current: -1, playing: false, speed: 1},
    // the decoder step every view follows; the cell opened {kind, index, layer}
    selection: {step: 0, cell: null},
    // the read position under the pointer (a word the user typed)
    hover: null,
    // the tour's page, -1 when closed
    tour: -1,
    // guess first (js/quiz.js): null when off, else {step, picked, right, asked}
    quiz: null,
    // the figure's box: its width in px, and the sides ("enc", "dec") the learner expanded in full
    layout: {width: 0, expand: {}},
    // the word of the notation being explained (js/glossary.js), and the what-if temperature of P_t
    term: null,
    temperature: 1,
  };
}

// The value at a dotted key ("selection.step").
function pick(state, key) {
  return key.split(".").reduce((value, name) => (value == null ? undefined : value[name]), state);
}

// Did any of `keys` change between two states?
const changed = (state, before, ...keys) => keys.some((key) => pick(before, key) !== pick(state, key));

function createStore(initial) {
  let state = initial;
  const subscribers = [];
  return {
    get: () => state,
    // Shallow-merge `patch` (replace a nested object, never mutate it) and notify whoever reads a changed key.
    set(patch) {
      const before = state;
      state = {...state, ...patch};
      for (const {keys, fn} of subscribers.slice()) {
        if (changed(state, before, ...keys)) fn(state, before);
      }
    },
    subscribe(keys, fn) {
      const entry = {keys, fn};
      subscribers.push(entry);
      return () => subscribers.splice(subscribers.indexOf(entry), 1);
    },
  };
}

// A step index kept inside the translation: 0 .. steps - 1.
const clampStep = (data, step) => Math.max(0, Math.min(data.steps.length - 1, step));

// Two positions: how far the play has drawn (`shown` parts; the scrubber) and the selected part (`current`).
// Selecting a part never hides what was drawn when `keepPlayed`; a decoder part also selects its step.
function selectPart(state, part, keepPlayed) {
  const total = partCount(state.data);
  const shown = Math.max(0, Math.min(total, part + 1));
  const playback = {...state.playback, shown: keepPlayed ? Math.max(state.playback.shown, shown) : shown};
  playback.current = shown - 1;
  const step = stepOfPart(state.data, part);
  const inside = step >= 0 && step < state.data.steps.length;
  const selection = inside && step !== state.selection.step ? {...state.selection, step} : state.selection;
  return {playback, selection};
}

// The user picked a part: the play stops there (in guess-first, no further than what was revealed).
function choosePart(state, part, keepPlayed) {
  const patch = selectPart(state, Math.min(lastOpen(state), part), keepPlayed);
  return {...patch, playback: {...patch.playback, playing: false}};
}

// A panel picked decoder step `step` (0-based), kept inside the translation.
const chooseStep = (state, step) => choosePart(state, partOfStep(state.data, clampStep(state.data, step)), true);

// ◀ ▶ and the arrow keys: the part before or after the selected one, never past what guess-first revealed.
const movePart = (state, by) => choosePart(state, Math.max(0, state.playback.current + by), true);

// The scrubber stands where the selection is: ◀ ▶, the keys and a click move it too.
const scrubValue = (playback) => playback.current + 1;

// Start the play: from the beginning when it had reached the end; the scrubber goes with it.
function startPlay(state) {
  const from = state.playback.shown >= partCount(state.data) ? 0 : state.playback.shown;
  return {playback: {...state.playback, shown: from, current: from - 1, playing: true}};
}

const stopPlay = (state) => ({playback: {...state.playback, playing: false}});

// One tick of the play: draw the next part and select it; the play ends on the last part.
function tick(state) {
  const ended = state.playback.shown + 1 >= partCount(state.data);
  const patch = selectPart(state, state.playback.shown, false);
  return {...patch, playback: {...patch.playback, playing: state.playback.playing && !ended}};
}

// The scrubber moved: the play stops and shows that many parts, the last of them selected.
function scrubTo(state, shown) {
  const total = partCount(state.data);
  const parts = Math.max(0, Math.min(total, shown));
  return {playback: {...state.playback, shown: parts, current: parts - 1, playing: false}};
}

const setSpeed = (state, speed) => ({playback: {...state.playback, speed}});

// A new translation to draw: the selection and the play start over; the sentence before becomes `previous`;
// a guess-first round starts over on the new sentence; the figure is fitted again, condensed.
function loadData(state, data, labels) {
  const previous = state.data?.context && data !== state.data ? flatContext(state.data) : state.previous;
  const playback = {...state.playback, shown: 0, current: -1, playing: false};
  const quiz = state.quiz && data?.steps ? {step: 0, picked: null, right: 0, asked: 0} : null;
  const layout = {...state.layout, expand: {}};
  return {data, labels, previous, playback, selection: {step: 0, cell: null}, hover: null, quiz, layout};
}

// How many decoder steps the learner may see: all, unless guess-first has revealed only some.
function revealedSteps(state) {
  const {quiz, data} = state;
  if (!quiz) return data.steps.length;
  return quiz.step + (quiz.picked === null ? 0 : 1);
}

// The last part that may be selected: in guess-first, the last step revealed (or the context before any).
const lastOpen = (state) => partOfStep(state.data, revealedSteps(state) - 1);

// A sentence's whole context vector, h then c, layer by layer, with what the context panel needs to compare.
function flatContext(data) {
  const values = [];
  for (const part of ["h", "c"]) for (const layer of data.context[part]) values.push(...layer);
  return {values, text: data.text, model: data.model};
}
