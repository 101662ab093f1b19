//! The engine, the playback driver and the link codec stay free of web dependencies: nothing under
//! src/sim, src/playback or src/link names a browser crate or reads a clock.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn engine_modules_use_no_web_crate() {
    let mut files = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    sources(&root.join("src/sim"), &mut files);
    sources(&root.join("src/playback"), &mut files);
    sources(&root.join("src/link"), &mut files);
    assert!(files.len() > 20, "found only {} engine files", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        for banned in ["yew", "web_sys", "wasm_bindgen", "js_sys", "gloo", "std::time", "getrandom"] {
            assert!(!text.contains(banned), "{} mentions {banned}", file.display());
        }
    }
}
