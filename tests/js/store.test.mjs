// The store of demo/canvas/js/store.js: who is told about a change, and the play and selection transitions.
import assert from "node:assert/strict";
import {test} from "node:test";
import {load} from "./load.mjs";

const S = load(
  ["layout.js", "store.js"],
  [
    "initialState",
    "createStore",
    "changed",
    "clampStep",
    "selectPart",
    "choosePart",
    "chooseStep",
    "movePart",
    "scrubValue",
    "startPlay",
    "stopPlay",
    "tick",
    "scrubTo",
    "setSpeed",
    "loadData",
    "flatContext",
  ],
);
// 3 tokens read, the context, 4 decoder steps: 8 parts; step s is part 4 + s.
const DATA = {
  read: ["c", "b", "a"],
  steps: [1, 2, 3, 4].map((t) => ({t, token: `w${t}`})),
  source: ["a", "b", "c"],
  text: "Ab, c?",
  model: "en-zh",
  context: {h: [[1, 2]], c: [[3]]},
};
const loaded = () => ({...S.initialState(), ...S.loadData(S.initialState(), DATA, {})});

test("a subscriber hears only about the keys it reads, dotted keys included", () => {
  const store = S.createStore(S.initialState());
  const heard = {step: 0, cell: 0, tour: 0, any: 0};
  store.subscribe(["selection.step"], () => heard.step++);
  store.subscribe(["selection.cell"], () => heard.cell++);
  store.subscribe(["tour"], () => heard.tour++);
  store.subscribe(["tour", "selection.step"], () => heard.any++);
  store.set({selection: {step: 0, cell: null}}); // a new object, the same values: nobody
  assert.deepEqual(heard, {step: 0, cell: 0, tour: 0, any: 0});
  store.set({selection: {step: 2, cell: null}});
  assert.deepEqual(heard, {step: 1, cell: 0, tour: 0, any: 1});
  store.set({tour: 3, selection: {step: 3, cell: null}}); // two of its keys at once: told once
  assert.deepEqual(heard, {step: 2, cell: 0, tour: 1, any: 2});
  store.set({hover: 1}); // a key nobody reads
  assert.deepEqual(heard, {step: 2, cell: 0, tour: 1, any: 2});
});

test("a subscriber gets the new state and the one before; unsubscribing stops it", () => {
  const store = S.createStore(S.initialState());
  const seen = [];
  const stop = store.subscribe(["tour"], (state, before) => seen.push([before.tour, state.tour]));
  store.set({tour: 0});
  stop();
  store.set({tour: 1});
  assert.deepEqual(seen, [[-1, 0]]);
  assert.equal(store.get().tour, 1);
  assert.ok(S.changed({a: {b: 1}}, {a: {b: 2}}, "x", "a.b"));
  assert.ok(!S.changed({a: {b: 1}}, {a: {b: 1}}, "a.b"));
});

test("selecting a part clamps to the figure and selects the step of a decoder part", () => {
  const state = loaded();
  assert.deepEqual({...S.selectPart(state, 99, false).playback}, {...state.playback, shown: 8, current: 7});
  assert.equal(S.selectPart(state, -5, false).playback.shown, 0);
  assert.equal(S.selectPart(state, 2, false).selection, state.selection); // an encoder part: the step stays
  assert.equal(S.selectPart(state, 3, false).selection, state.selection); // the context too
  assert.equal(S.selectPart(state, 6, false).selection.step, 2);
  assert.equal(S.chooseStep(state, 17).selection.step, 3); // past the last step: the last
  assert.equal(S.chooseStep(state, -2).playback.current, 4); // before the first: the first (part 4)
  assert.equal(S.clampStep(DATA, 2), 2);
});

test("selecting never hides what the play drew when asked to keep it, and stops the play", () => {
  const state = {...loaded(), playback: {shown: 7, current: 6, playing: true, speed: 1}};
  const kept = S.choosePart(state, 2, true).playback;
  assert.deepEqual({...kept}, {shown: 7, current: 2, playing: false, speed: 1});
  assert.equal(S.choosePart(state, 2, false).playback.shown, 3); // the scrubber moves the play itself
  assert.equal(S.movePart(state, 1).playback.current, 7);
  assert.equal(S.movePart({...state, playback: {...state.playback, current: 0}}, -1).playback.current, 0);
});

test("the play steps one part per tick, follows the decoder's steps, and ends on the last part", () => {
  let state = {...loaded(), ...S.startPlay(loaded())};
  assert.equal(state.playback.playing, true);
  const currents = [];
  const steps = [];
  while (state.playback.playing) {
    state = {...state, ...S.tick(state)};
    currents.push(state.playback.current);
    steps.push(state.selection.step);
  }
  assert.deepEqual(currents, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(steps, [0, 0, 0, 0, 0, 1, 2, 3]);
  assert.equal(state.playback.shown, 8);
  // Played to the end, play starts from the beginning again; paused midway, it goes on from there.
  assert.equal(S.startPlay(state).playback.shown, 0);
  assert.equal(S.scrubValue(S.startPlay(state).playback), 0); // the scrubber starts over too
  assert.equal(S.startPlay({...state, playback: {...state.playback, shown: 5}}).playback.shown, 5);
  assert.equal(S.stopPlay(state).playback.playing, false);
  assert.equal(S.setSpeed(state, 2).playback.speed, 2);
});

test("the scrubber shows that many parts, clamped, with the last one selected", () => {
  const state = {...loaded(), playback: {shown: 2, current: 1, playing: true, speed: 1}};
  assert.deepEqual({...S.scrubTo(state, 5).playback}, {shown: 5, current: 4, playing: false, speed: 1});
  assert.equal(S.scrubTo(state, 50).playback.shown, 8);
  assert.equal(S.scrubTo(state, -1).playback.current, -1);
});

test("a new translation starts the selection over and keeps the sentence before to compare", () => {
  const state = {...loaded(), selection: {step: 2, cell: {kind: "dec", index: 2, layer: 0}}};
  const next = {...DATA, source: ["x"]};
  const patch = S.loadData(state, next, {canvas_play: "Play"});
  assert.deepEqual({...patch.selection}, {step: 0, cell: null});
  assert.equal(patch.playback.shown, 0);
  assert.deepEqual([...patch.previous.values], [1, 2, 3]);
  assert.equal(patch.previous.text, "Ab, c?"); // the sentence as typed, not its tokens joined ("train station ?")
  assert.equal(S.loadData(S.initialState(), DATA, {}).previous, null); // nothing drawn before
});

test("◀, ▶, the arrow keys and a click move the scrubber with the outline", () => {
  const state = {...loaded(), playback: {shown: 8, current: 7, playing: false, speed: 1}};
  const back = S.movePart(state, -1).playback;
  assert.equal(back.current, 6);
  assert.equal(S.scrubValue(back), 7); // the scrubber follows the outline back
  assert.equal(back.shown, 8); // nothing drawn is hidden
  assert.equal(S.scrubValue(S.movePart({...state, playback: back}, -3).playback), 4);
  assert.equal(S.scrubValue(S.choosePart(state, 2, true).playback), 3);
  assert.equal(S.scrubValue(S.scrubTo(state, 5).playback), 5); // and the scrubber itself stays where it was put
});
