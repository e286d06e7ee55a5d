// The page's URL follows the view, as TensorFlow Playground's does, so a copied link opens it again: the sentence,
// direction and beam width of data.link (demo/translate/link.py reads them when the page loads) and the step.

// The query of a view: `search` with data.link's values and step t set, any other parameter (Gradio's) kept.
function linkQuery(search, link, t) {
  const query = new URLSearchParams(search);
  for (const [key, value] of Object.entries({...link, step: t})) query.set(key, value);
  return `?${query}`;
}

// Copy link (the URL is the link); where the page may not write to the clipboard (plain http), nothing changes.
function copyLink(button, L) {
  navigator.clipboard?.writeText(location.href).then(() => (button.textContent = L.canvas_link_copied));
}

// The URL follows the store (main.js calls this once). The view painted into the page leaves the URL as it came,
// for the page's load to read; a linked step is selected once render() has started the play.
function followLink(store) {
  const painted = store.get().data;
  store.subscribe(["data", "selection.step"], ({data, selection}, before) => {
    if (data === painted || !data?.link) return;
    if (data !== before.data && data.link.step) setTimeout(() => act(chooseStep(store.get(), data.link.step - 1)));
    history.replaceState(null, "", linkQuery(location.search, data.link, selection.step + 1));
  });
}
