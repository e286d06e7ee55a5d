// Loads canvas browser files the way the page runs them: one after another in one shared scope (demo/canvas/
// component.py concatenates them), here a node:vm context. Returns the named top-level bindings.
import {readFileSync} from "node:fs";
import vm from "node:vm";

const JS = new URL("../../demo/canvas/js/", import.meta.url);

export function load(files, names, globals = {}) {
  const context = vm.createContext({...globals});
  for (const file of files) vm.runInContext(readFileSync(new URL(file, JS), "utf-8"), context, {filename: file});
  return vm.runInContext(`({${names.join(",")}})`, context);
}
