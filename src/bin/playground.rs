//! The browser app's entry point (built by trunk for wasm32 with the `web` feature).

fn main() {
    yew::Renderer::<metastable_playground::ui::App>::new().render();
}
