// Guess first (demo/canvas/js/quiz.js) through the store: start, guess, reveal, score, next, done, and a new
// translation starting the round over.
import assert from "node:assert/strict";
import {test} from "node:test";
import {load} from "./load.mjs";

const Q = load(
  ["layout.js", "store.js", "numbers.js", "quiz.js", "tour.js"],
  [
    "initialState",
    "createStore",
    "loadData",
    "revealedSteps",
    "lastOpen",
    "movePart",
    "chooseStep",
    "startQuiz",
    "stopQuiz",
    "guess",
    "nextGuess",
    "quizDone",
    "QUIZ_ACTIONS",
    "openTour",
  ],
);
// 3 tokens read, the context (part 3), 3 decoder steps (parts 4, 5, 6).
const DATA = {
  read: ["c", "b", "a"],
  source: ["a", "b", "c"],
  steps: [
    {
      t: 1,
      token: "我",
      input: "<sos>",
      top: [
        ["我", 0.6],
        ["你", 0.3],
      ],
      eos: 0.01,
    },
    {
      t: 2,
      token: "爱",
      input: "我",
      top: [
        ["爱", 0.7],
        ["是", 0.2],
      ],
      eos: 0.02,
    },
    {
      t: 3,
      token: "<eos>",
      input: "爱",
      top: [
        ["<eos>", 0.8],
        ["你", 0.1],
      ],
      eos: 0.8,
    },
  ],
  context: {h: [[1]], c: [[2]]},
  model: "en-zh",
};

function started() {
  const store = Q.createStore(Q.initialState());
  store.set(Q.loadData(store.get(), DATA, {}));
  store.set(Q.startQuiz(store.get()));
  return store;
}

test("starting hides every decoder step: the encoder and the context drawn, step 1 asked", () => {
  const store = started();
  const s = store.get();
  assert.deepEqual({...s.quiz}, {step: 0, picked: null, right: 0, asked: 0});
  assert.equal(s.playback.shown, 4); // parts 0..3: the encoder and the context
  assert.equal(s.playback.current, 3);
  assert.equal(Q.revealedSteps(s), 0);
  // nothing past what was revealed can be selected: not by ▶, not by a panel
  assert.equal(Q.movePart(s, 1).playback.current, 3);
  assert.equal(Q.chooseStep(s, 2).playback.current, 3);
});

test("a guess is scored and reveals its step; the next step stays hidden until guessed", () => {
  const store = started();
  store.set(Q.guess(store.get(), "你")); // wrong
  let s = store.get();
  assert.deepEqual({...s.quiz}, {step: 0, picked: "你", right: 0, asked: 1});
  assert.equal(s.playback.shown, 5);
  assert.equal(s.selection.step, 0);
  assert.equal(Q.guess(s, "我"), null); // one guess per step
  store.set(Q.nextGuess(s));
  s = store.get();
  assert.equal(Q.revealedSteps(s), 1);
  assert.equal(Q.movePart(s, 5).playback.current, 4); // step 2 still closed
  store.set(Q.guess(s, "爱")); // right
  s = store.get();
  assert.deepEqual([s.quiz.right, s.quiz.asked], [1, 2]);
  assert.equal(s.selection.step, 1);
  assert.ok(!Q.quizDone(s));
  store.set(Q.nextGuess(s));
  store.set(Q.QUIZ_ACTIONS["quiz-pick"](store.get(), {dataset: {token: "<eos>"}})); // the stop, right
  s = store.get();
  assert.deepEqual([s.quiz.right, s.quiz.asked], [2, 3]);
  assert.ok(Q.quizDone(s));
  assert.equal(Q.nextGuess(s), null); // nothing after the last step
  assert.equal(s.playback.shown, 7);
});

test("leaving shows every step again; starting over resets the score", () => {
  const store = started();
  store.set(Q.guess(store.get(), "我"));
  store.set(Q.stopQuiz(store.get()));
  let s = store.get();
  assert.equal(s.quiz, null);
  assert.equal(s.playback.shown, 7);
  assert.equal(Q.revealedSteps(s), 3);
  store.set(Q.QUIZ_ACTIONS["quiz-toggle"](s));
  s = store.get();
  assert.deepEqual({...s.quiz}, {step: 0, picked: null, right: 0, asked: 0});
  assert.equal(s.tour, -1); // offered by the tour's last page: the tour closes
});

test("a new translation starts the round over on the new sentence, and none starts without one", () => {
  const store = started();
  store.set(Q.guess(store.get(), "我"));
  const next = {...DATA, source: ["x"]};
  store.set(Q.loadData(store.get(), next, {}));
  assert.deepEqual({...store.get().quiz}, {step: 0, picked: null, right: 0, asked: 0});
  assert.equal(Q.revealedSteps(store.get()), 0);
  const off = Q.createStore(Q.initialState());
  off.set(Q.loadData(off.get(), DATA, {}));
  assert.equal(off.get().quiz, null);
  assert.equal(Q.revealedSteps(off.get()), 3);
});

test("the tour opens on the whole figure: the play and guess first stop, every part drawn", () => {
  const store = started();
  store.set(Q.guess(store.get(), "我"));
  store.set(Q.openTour(store.get()));
  const s = store.get();
  assert.equal(s.tour, 0);
  assert.equal(s.quiz, null);
  assert.equal(s.playback.shown, 7);
  assert.equal(s.playback.playing, false);
});
