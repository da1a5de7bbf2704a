//! Builds the page of `weft serve` (the front end in `web/`) and embeds it in the binary, and
//! fetches the JavaScript libraries of the expression engine (`expression-library/`: Luxon and
//! jmespath at the versions n8n 2.41.1 ships) into `$OUT_DIR/expression-library/`.
//!
//! Cargo runs this only when a file of the front end changes (the `rerun-if-changed` lines), so
//! Rust edits never rebuild it. It runs `npm ci` when `web/node_modules` is missing or older than
//! the lockfile, then `npm run build` into `$OUT_DIR/web`, and writes `$OUT_DIR/web_assets.rs`: a
//! list of `(path, content type, include_bytes!(file))` that `serve/assets.rs` includes. It needs
//! Node.js 20+ and npm; without them it stops with a message saying so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

/// The front end's inputs: a change to any of them rebuilds the page.
const SOURCES: &[&str] = &[
    "src",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.js",
];

/// The expression engine's libraries: the browser builds `js.rs` evaluates in every runtime.
const LIBRARIES: &[&str] = &["luxon/build/global/luxon.js", "jmespath/jmespath.js"];

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    expression_library(&manifest.join("expression-library"));
    web(&manifest.join("../web"));
}

/// `npm ci` of `expression-library/` (when needed), then a copy of each of [`LIBRARIES`] into
/// `$OUT_DIR/expression-library/`.
fn expression_library(library: &Path) {
    println!("cargo:rerun-if-changed=expression-library/package.json");
    println!("cargo:rerun-if-changed=expression-library/package-lock.json");
    if needs_install(library) {
        npm(library, &["ci", "--no-audit", "--no-fund"]);
    }
    let out =
        PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it")).join("expression-library");
    fs::create_dir_all(&out).expect("OUT_DIR is writable");
    for file in LIBRARIES {
        let source = library.join("node_modules").join(file);
        let name = Path::new(file).file_name().expect("a file name");
        fs::copy(&source, out.join(name)).unwrap_or_else(|error| {
            panic!(
                "{} could not be copied: {error}\nhint: delete {} and build again",
                source.display(),
                library.join("node_modules").display()
            )
        });
    }
}

fn web(web: &Path) {
    for source in SOURCES {
        println!("cargo:rerun-if-changed=../web/{source}");
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it")).join("web");
    if needs_install(web) {
        npm(web, &["ci", "--no-audit", "--no-fund"]);
    }
    let out_arg = out.to_str().expect("OUT_DIR is UTF-8");
    npm(
        web,
        &["run", "build", "--", "--outDir", out_arg, "--emptyOutDir"],
    );
    let mut files = Vec::new();
    collect(&out, &out, &mut files);
    files.sort();
    assert!(
        files.iter().any(|(path, _)| path == "/index.html"),
        "the web build wrote no index.html into {}",
        out.display()
    );
    let entries: String = files
        .iter()
        .map(|(path, file)| {
            format!(
                "    ({path:?}, {:?}, include_bytes!({:?})),\n",
                content_type(path),
                file.display().to_string()
            )
        })
        .collect();
    let listing = format!("&[\n{entries}]\n");
    let target =
        PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it")).join("web_assets.rs");
    fs::write(&target, listing).expect("OUT_DIR is writable");
}

/// True when `node_modules` is missing or older than `package-lock.json` (npm writes
/// `node_modules/.package-lock.json` at every install).
fn needs_install(web: &Path) -> bool {
    let modified = |path: PathBuf| fs::metadata(path).and_then(|m| m.modified()).ok();
    match (
        modified(web.join("node_modules/.package-lock.json")),
        modified(web.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed < locked,
        _ => true,
    }
}

fn npm(directory: &Path, args: &[&str]) {
    let status = Command::new("npm")
        .args(args)
        .current_dir(directory)
        .status()
        .unwrap_or_else(|error| {
            panic!(
                "weft embeds its web page (web/) and its expression libraries, fetched with npm, but `npm` could not be run: {error}\n\
                 hint: install Node.js 20 or later with npm, then build again"
            )
        });
    assert!(
        status.success(),
        "`npm {}` failed in {} ({status}); the output above says why\n\
         hint: run it there by hand to see the problem (Node.js 20+ and the npm registry are needed)",
        args.join(" "),
        directory.display()
    );
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    for entry in fs::read_dir(dir).expect("the build output is readable") {
        let path = entry.expect("the build output is readable").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).expect("under the root");
            let name = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push((format!("/{name}"), path));
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}
