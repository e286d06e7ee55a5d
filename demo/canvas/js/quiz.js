// Guess first: before each decoder step is revealed, the learner picks the word the model will choose (or the
// stop), then sees P_t. The state is the store's `quiz`: {step (the step being guessed), picked (the guess, null
// until made), right, asked}. Pure transitions (tests/js/quiz.test.mjs).

const freshQuiz = () => ({step: 0, picked: null, right: 0, asked: 0});

// Start (or start over): the encoder and the context drawn, every decoder step hidden, the first one asked.
function startQuiz(state) {
  const ctx = contextPart(state.data);
  const playback = {...state.playback, shown: ctx + 1, current: ctx, playing: false};
  return {quiz: freshQuiz(), playback, selection: {step: 0, cell: null}, tour: -1};
}

// Leave: every step drawn again, the selection kept.
function stopQuiz(state) {
  const total = partCount(state.data);
  return {quiz: null, playback: {...state.playback, shown: total, current: total - 1, playing: false}};
}

// The learner guessed `token` for the step asked: it is scored and the step revealed (drawn and selected).
function guess(state, token) {
  const {quiz} = state;
  if (!quiz || quiz.picked !== null) return null;
  const right = token === chosen(state.data.steps[quiz.step]);
  const next = {...state, quiz: {...quiz, picked: token, right: quiz.right + (right ? 1 : 0), asked: quiz.asked + 1}};
  return {quiz: next.quiz, ...selectPart(next, partOfStep(state.data, quiz.step), true)};
}

// On to the next step's guess; nothing after the last step.
function nextGuess(state) {
  const {quiz} = state;
  if (!quiz || quiz.picked === null || quizDone(state)) return null;
  return {quiz: {...quiz, step: quiz.step + 1, picked: null}};
}

// Every step guessed and revealed.
const quizDone = (state) =>
  Boolean(state.quiz && state.quiz.picked !== null && state.quiz.step >= state.data.steps.length - 1);

const QUIZ_ACTIONS = {
  "quiz-start": startQuiz,
  "quiz-stop": stopQuiz,
  "quiz-toggle": (state) => (state.quiz ? stopQuiz(state) : startQuiz(state)),
  "quiz-pick": (state, target) => guess(state, target.dataset.token),
  "quiz-next": nextGuess,
};
