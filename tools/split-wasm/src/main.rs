//! `split-wasm INPUT OUT_DIR MAIN_MODULE LINK_NAME`
//!
//! Cuts cargo's release wasm (linked with `--emit-relocs`) at its
//! `wasm_split` functions: writes `OUT_DIR/main.wasm` (the module the page
//! starts with, still to go through wasm-bindgen), one `.wasm` per part
//! loaded on demand, and the link module `OUT_DIR/LINK_NAME`, which the main
//! module imports to fetch those parts and which imports `initSync` from
//! `MAIN_MODULE` (wasm-bindgen's JS, as a path relative to the link module).
//! Prints the path of every part it wrote, one a line, for the trunk hook
//! (scripts/split-wasm.mjs) to optimise, hash and stage.
//!
//! Why a binary of our own: trunk has no step between cargo and
//! wasm-bindgen, and the splitter exists only as a library
//! (`wasm_split_cli_support`); this is the smallest program that runs it.

use std::{path::Path, process::ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, main_module, link_name] = args.as_slice() else {
        eprintln!("usage: split-wasm INPUT OUT_DIR MAIN_MODULE LINK_NAME");
        return ExitCode::from(2);
    };
    match split(input, Path::new(out_dir), main_module, link_name) {
        Ok(parts) => {
            for part in parts {
                println!("{}", part.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("split-wasm: {error:?}");
            ExitCode::FAILURE
        }
    }
}

fn split(
    input: &str,
    out_dir: &Path,
    main_module: &str,
    link_name: &str,
) -> Result<Vec<std::path::PathBuf>, Box<dyn std::error::Error>> {
    let wasm = std::fs::read(input).map_err(|e| format!("reading {input}: {e}"))?;
    let main_out = out_dir.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = out_dir;
    options.main_out_path = &main_out;
    options.main_module = main_module;
    options.link_name = link_name;
    let result = wasm_split_cli_support::transform(options).map_err(|e| format!("{e:?}"))?;
    Ok(result.split_modules)
}
