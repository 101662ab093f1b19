//! The browser app's entry point (built by trunk for wasm32 with the `web` feature).

/// Talc in place of the default allocator (dlmalloc): a smaller page.
#[cfg(target_family = "wasm")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    yew::Renderer::<metastable_playground::ui::App>::new().render();
}
