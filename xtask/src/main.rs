//! Development tasks for this repository: `cargo xtask <task>`.
//!
//! - `gen [--check]`: regenerate `generated/` (and the generator's feature snapshots) from
//!   `spec/`, or check that what is committed is what the generator writes now.
//! - `gen --spec <file-or-dir> --out <dir> [--crate-name <name>]`: generate a crate from any
//!   OpenAPI 3.0 document(s).
//! - `test`: everything CI runs, installing the spec tools it needs first.
//! - `lint-spec`: validate and lint `spec/*.yaml` with the tools other languages use.
//! - `corpus [--compile all|small|none]`: generate every public spec in `../shared/specs/`, build
//!   what was generated, and print a table.
//! - `bench [--runs N]`: time the generator on every public spec and ours (optimised build).

mod bench;
mod corpus;
mod crate_name;
mod format;
mod generate;
mod lint;
mod paths;
mod stats;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  gen                       regenerate generated/ (and codegen/snapshots/) from the specs
  gen --check               fail, with a diff, if anything committed differs from what gen writes
  gen --spec <file-or-dir> --out <dir> [--crate-name <name>]
                            generate a standalone crate from any OpenAPI 3.0 document(s)
  test                      run everything CI runs (installs the spec tools on first use)
  lint-spec                 validate and lint spec/*.yaml (openapi-spec-validator, redocly, openapi-generator)
  corpus [--compile small|all|none]
                            generate every spec in ../shared/specs, compile some, and report
  bench [--runs N]          time the generator on every public spec and ours (builds xtask optimised)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => generate::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("lint-spec") => lint::run(),
        Some("corpus") => corpus::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("help") | Some("--help") | Some("-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing task\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
