//! Web Workers that run sweeps: as many as the machine has cores, each loading the worker build of
//! the engine (`sweep_worker`, compiled once per page and posted to every worker). Messages are
//! `sim::sweep::wire` JSON text. Dropping the pool stops its workers at once, mid-run.

use crate::sim::sweep::wire::{FromWorker, ToWorker};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

const LOADER: &str = "./sweep-worker.js";
const MODULE: &str = "./sweep_worker_bg.wasm";
/// Most workers, whatever the machine reports.
const MAX_WORKERS: usize = 16;

/// What a worker of the pool said: its answer, or that it broke (failed to load, or crashed).
pub enum Heard {
    Answer(FromWorker),
    Broken(String),
}

struct Slot {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

pub struct Pool {
    slots: Vec<Slot>,
}

thread_local! {
    /// The worker's compiled module, kept for the page's life.
    static COMPILED: RefCell<Option<js_sys::WebAssembly::Module>> = const { RefCell::new(None) };
}

/// How many workers to start: one per core the browser reports (at least one).
pub fn cores() -> usize {
    web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency()).clamp(1.0, MAX_WORKERS as f64) as usize
}

fn js_error(context: &str, e: JsValue) -> String {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string());
    format!("{context}: {detail}")
}

async fn module() -> Result<js_sys::WebAssembly::Module, String> {
    if let Some(module) = COMPILED.with(|m| m.borrow().clone()) {
        return Ok(module);
    }
    let window = web_sys::window().ok_or("no window")?;
    let compiled = JsFuture::from(js_sys::WebAssembly::compile_streaming(&window.fetch_with_str(MODULE)))
        .await
        .map_err(|e| js_error("cannot load the sweep engine", e))?;
    let module: js_sys::WebAssembly::Module = compiled.unchecked_into();
    COMPILED.with(|m| *m.borrow_mut() = Some(module.clone()));
    Ok(module)
}

impl Pool {
    /// Starts `count` workers; `on_heard` hears each message as (worker, what it said).
    pub async fn start(count: usize, on_heard: Callback<(usize, Heard)>) -> Result<Pool, String> {
        let module = module().await?;
        let mut slots = Vec::with_capacity(count);
        for i in 0..count {
            let worker = Worker::new(LOADER).map_err(|e| js_error("cannot start a worker", e))?;
            let heard = on_heard.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let text = event.data().as_string().unwrap_or_default();
                heard.emit((
                    i,
                    match serde_json::from_str::<FromWorker>(&text) {
                        Ok(answer) => Heard::Answer(answer),
                        Err(e) => Heard::Broken(format!("an unreadable answer ({e})")),
                    },
                ));
            });
            let heard = on_heard.clone();
            let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                event.prevent_default();
                heard.emit((i, Heard::Broken(format!("a worker failed: {}", event.message()))));
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            let slot = Slot { worker, _on_message: on_message, _on_error: on_error };
            slot.worker.post_message(&module).map_err(|e| js_error("cannot start a worker", e))?;
            slots.push(slot);
        }
        Ok(Pool { slots })
    }

    /// Sends `message` to worker `i`.
    pub fn send(&self, i: usize, message: &ToWorker) {
        if let (Some(slot), Ok(text)) = (self.slots.get(i), serde_json::to_string(message)) {
            let _ = slot.worker.post_message(&JsValue::from_str(&text));
        }
    }
}

/// A worker stops with its slot (a pool dropped, or one that failed to start part way), before
/// its handlers are freed.
impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
