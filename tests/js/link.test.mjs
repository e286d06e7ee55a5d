// The link of demo/canvas/js/link.js: the page's query carries the view, and anything else in it stays.
import assert from "node:assert/strict";
import {test} from "node:test";
import {load} from "./load.mjs";

// link.js starts itself once main.js has made the store: here nothing is started.
const {linkQuery} = load(["link.js"], ["linkQuery"], {URLSearchParams, queueMicrotask: () => {}});
const LINK = {q: "Thank you.", dir: "en-zh", beam: 5};

test("the query names the sentence, the direction, the beam width and the step", () => {
  const query = new URLSearchParams(linkQuery("", LINK, 3));
  assert.deepEqual(
    [...query],
    [
      ["q", "Thank you."],
      ["dir", "en-zh"],
      ["beam", "5"],
      ["step", "3"],
    ],
  );
});

test("any sentence comes back as it was, whatever it holds", () => {
  for (const q of ["a&b=c #d+e%20f?", "我爱你。", "<img src=x onerror=alert(1)>", "  two  spaces ", "😀"]) {
    const query = linkQuery("", {...LINK, q}, 1);
    assert.ok(!query.slice(1).includes("#") && !query.includes(" ")); // nothing that would end or split a URL
    assert.equal(new URLSearchParams(query).get("q"), q);
  }
});

test("the step is the one selected, not the link's; Gradio's own parameters stay", () => {
  const query = new URLSearchParams(linkQuery("?view=api&q=old&step=9&__theme=dark", {...LINK, step: 2}, 4));
  assert.equal(query.get("step"), "4");
  assert.equal(query.get("q"), "Thank you.");
  assert.equal(query.get("view"), "api");
  assert.equal(query.get("__theme"), "dark");
  assert.equal(query.getAll("q").length, 1);
});
