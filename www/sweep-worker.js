// Starts a sweep worker. The page posts the worker's compiled WebAssembly module first (compiled
// once for every worker); the module's own code then answers every later message.
importScripts("./sweep_worker.js");

self.onmessage = (event) => {
  self.onmessage = null;
  wasm_bindgen({ module_or_path: event.data });
};
