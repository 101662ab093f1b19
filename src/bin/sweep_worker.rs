//! The sweep worker's entry point (built by trunk for wasm32 with the `worker` feature, loaded by
//! `www/sweep-worker.js`). It answers each message from the page with the engine's result; see
//! `sim::sweep::wire`.

use metastable_playground::sim::sweep::wire::Worker;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = RefCell::new(Worker::default());
    let replies = scope.clone();
    let performance = scope.performance();
    let clock = move || performance.as_ref().map_or(0.0, |p| p.now());
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        worker.borrow_mut().handle(&text, &clock, &mut |answer| {
            let _ = replies.post_message(&JsValue::from_str(&answer));
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its handler.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(&Worker::ready()));
}
