// Guess first, the learner's box under the figure: the step asked with its choices, then the answer, the score
// and a one-line "why" from that step's own numbers.
const QUIZ_PANEL = {
  keys: ["data", "labels", "quiz"],
  draw(box, state) {
    const {data: D, labels: L, quiz} = state;
    box.hidden = !quiz;
    if (!quiz) return;
    const step = D.steps[quiz.step];
    const button = (action, text, attrs) =>
      html("button", {type: "button", "data-action": action, ...attrs}, box, text);
    html("p", {class: "score"}, box, fill(L, "canvas_quiz_score", {right: quiz.right, asked: quiz.asked}));
    if (quiz.picked === null) {
      html("p", {class: "ask"}, box, fill(L, "canvas_quiz_ask", {t: step.t, input: step.input}));
      const choices = html("div", {class: "choices"}, box);
      for (const token of quizOptions(step)) {
        const text = token === "<eos>" ? L.canvas_quiz_stop : token;
        html("button", {type: "button", "data-action": "quiz-pick", "data-token": token}, choices, text);
      }
    } else {
      const right = quiz.picked === chosen(step);
      const said = {token: chosen(step), pick: quiz.picked};
      html(
        "p",
        {class: right ? "verdict right" : "verdict wrong"},
        box,
        fill(L, right ? "canvas_quiz_right" : "canvas_quiz_wrong", said),
      );
      const why = whyNumbers(step, quiz.picked);
      const numbers = {a: why.taken, p: fmt(why.p, 2), b: why.other, q: fmt(why.q, 2), gap: fmt(why.gap, 2)};
      html("p", {class: "why"}, box, fill(L, "canvas_quiz_why", numbers));
      if (why.rank > 1) html("p", {class: "why"}, box, fill(L, "canvas_quiz_beam", {rank: why.rank}));
      if (quizDone(state)) {
        html("p", {class: "ask"}, box, fill(L, "canvas_quiz_done", {right: quiz.right, asked: quiz.asked}));
        button("quiz-start", L.canvas_quiz_again, {class: "primary"});
      } else {
        button("quiz-next", L.canvas_quiz_next, {class: "primary"});
      }
    }
    button("quiz-stop", L.canvas_quiz_leave, {class: "leave"});
  },
};
