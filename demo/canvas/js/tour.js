// The tour, as data: each page is a label and what it lights up. It opens once, on the first visit
// (localStorage remembers), and whenever the tour button is pressed. Each page scrolls the page so that its lit
// part sits in view above the tour's box, which stays fixed at the bottom of the window.
const TOUR = [
  ["canvas_tour_1", ".canvas-svg"],
  ["canvas_tour_2", ".part.encoder, .part.block[data-side=enc], .typed-row"],
  ["canvas_tour_3", ".part.context"],
  ["canvas_tour_4", ".part.decoder .cell"],
  ["canvas_tour_5", ".part.decoder .bars, .part.decoder .out"],
  ["canvas_tour_6", ".part.decoder .fed, .part.decoder .feed"],
  ["canvas_tour_7", ".part.decoder:has(.out)", "last"],
  ["canvas_tour_8", ".step-panel h4, .step-panel .softmax"],
];
const TOUR_SEEN = "seq2seq-tour-seen";

function tourSeen() {
  try {
    return localStorage.getItem(TOUR_SEEN) === "1";
  } catch {
    return true; // no storage: no tour
  }
}

// Opening the tour stops the play (or guess first) with every part drawn: it speaks of all of them.
const openTour = (state) => ({...stopQuiz(state), tour: 0});

const TOUR_ACTIONS = {
  "tour-open": openTour,
  "tour-back": (state) => ({tour: Math.max(0, state.tour - 1)}),
  "tour-next": (state) => ({tour: state.tour === TOUR.length - 1 ? -1 : state.tour + 1}),
  "tour-close": () => ({tour: -1}),
};

// The lit elements of the tour's page.
function tourFocus(root, page) {
  const [, selector, which] = TOUR[page];
  const found = [...root.querySelectorAll(selector)];
  return which === "last" ? found.slice(-1) : found;
}

// Scroll the window so that the lit part's box is centred in the room above the tour's box (its top in view
// when it is taller than that room); an expanded figure scrolls sideways to it too.
function bringIntoView(focus, box) {
  if (!focus.length) return;
  focus[0].scrollIntoView({block: "center", inline: "nearest"});
  const rects = focus.map((e) => e.getBoundingClientRect());
  const top = Math.min(...rects.map((r) => r.top));
  const bottom = Math.max(...rects.map((r) => r.bottom));
  const room = window.innerHeight - box.getBoundingClientRect().height - 16;
  const dy = bottom - top > room ? top - 8 : (top + bottom) / 2 - room / 2;
  window.scrollBy(0, dy);
}

function showTour(root, box, state) {
  const L = state.labels;
  for (const e of root.querySelectorAll(".tour-focus")) e.classList.remove("tour-focus");
  box.replaceChildren();
  box.hidden = state.tour < 0;
  root.classList.toggle("touring", state.tour >= 0);
  if (state.tour < 0) return;
  const focus = tourFocus(root, state.tour);
  for (const e of focus) e.classList.add("tour-focus");
  html("p", {}, box, L[TOUR[state.tour][0]]);
  const bar = html("div", {class: "tour-bar"}, box);
  html("span", {class: "count"}, bar, `${state.tour + 1} / ${TOUR.length}`);
  const back = html("button", {type: "button", "data-action": "tour-back"}, bar, L.canvas_tour_back);
  back.disabled = state.tour === 0;
  const last = state.tour === TOUR.length - 1;
  if (last) html("button", {type: "button", class: "primary", "data-action": "quiz-start"}, bar, L.canvas_quiz_offer);
  const next = {type: "button", class: last ? "" : "primary", "data-action": "tour-next"};
  html("button", next, bar, last ? L.canvas_tour_done : L.canvas_tour_next);
  const close = {type: "button", class: "close", "aria-label": L.canvas_close, "data-action": "tour-close"};
  html("button", close, bar, "×");
  bringIntoView(focus, box);
  // the page may still be settling (fonts, the other components): once more when it has
  const page = state.tour;
  setTimeout(
    () => box.isConnected && !box.hidden && box.dataset.page === String(page) && bringIntoView(focus, box),
    400,
  );
  box.dataset.page = page;
  try {
    localStorage.setItem(TOUR_SEEN, "1");
  } catch {
    // private mode: the tour shows again next time
  }
}
