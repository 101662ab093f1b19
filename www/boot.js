// Starts the app. A file rather than an inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval').
import init from "./playground.js";

await init({ module_or_path: "./playground_bg.wasm" });
