//! `cargo xtask bench`: first the criterion ratios (`bench_ratios`), then how fast the generator is. Each public spec in `../shared/specs/`, each of
//! ours in `spec/` and two synthetic ones (a 10,000-alias chain, a 100,000-value enum) is
//! generated (load, lower, emit: everything but writing files) a few times; the table shows the
//! median and the lines of Rust emitted per second. Last, the compile times of generated crates
//! (`build_times`: one tag of GitHub's crate with per-tag features beside all of it; and
//! `progenitor`: both generators on the same specs, where cargo-progenitor installs).
//!
//! Speed is only meaningful in an optimised build, so a debug build of xtask runs itself again
//! with `cargo run --release`. Not part of `cargo xtask test`: timings depend on the machine.

use crate::paths::{root, shared, spec_files};
use crate::stats::Stats;
use cloudspec_codegen::{generate, Options, SpecSource};
use std::time::{Duration, Instant};

/// Set in the optimised child so that it never starts another.
const CHILD: &str = "CLOUDSPEC_BENCH_OPTIMISED";

/// `cargo xtask bench`'s flags.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// How many times each spec is generated (the table shows the median)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    /// Only time the generator (skip `cargo bench` of the signers, decoding and calls, and the
    /// compile times)
    #[arg(long)]
    pub generator_only: bool,
    /// Skip the compile times (per-tag features, and beside progenitor)
    #[arg(long)]
    pub no_builds: bool,
    /// Only the compile times (per-tag features, and beside progenitor): no criterion ratios, no
    /// generator table
    #[arg(long, conflicts_with_all = ["generator_only", "no_builds"])]
    pub builds_only: bool,
    /// How many times each compile-time figure is built (the table shows the median)
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub build_runs: u32,
}

pub fn run(args: &BenchArgs) -> Result<(), String> {
    let runs = args.runs as usize;
    let child = std::env::var_os(CHILD).is_some();
    if !child && !args.generator_only && !args.builds_only {
        crate::bench_ratios::run()?;
    }
    if cfg!(debug_assertions) && !child {
        println!("building xtask optimised (cargo run --release) to time the generator");
        // The child, told by `CHILD` that the criterion ratios are done, times the generator and
        // the builds (whose generation step is timed too), as the flags say.
        let mut command = crate::cargo::command();
        command
            .args(["run", "--release", "--quiet", "--package", "xtask", "--", "bench", "--runs"])
            .arg(runs.to_string())
            .arg("--build-runs")
            .arg(args.build_runs.to_string());
        for (set, flag) in [
            (args.generator_only, "--generator-only"),
            (args.no_builds, "--no-builds"),
            (args.builds_only, "--builds-only"),
        ] {
            if set {
                command.arg(flag);
            }
        }
        let status =
            command.current_dir(root()).env(CHILD, "1").status().map_err(|e| format!("cannot run cargo: {e}"))?;
        return if status.success() { Ok(()) } else { Err(format!("the optimised bench failed ({status})")) };
    }
    let generated = if args.builds_only { Ok(()) } else { generator_table(runs) };
    if !args.no_builds && !args.generator_only {
        let build_runs = args.build_runs as usize;
        crate::build_times::per_tag(build_runs)?;
        crate::progenitor::compare(build_runs)?;
    }
    generated
}

/// The generator's speed on each spec: median time of load + lower + emit, lines per second.
fn generator_table(runs: usize) -> Result<(), String> {
    let mut files = spec_files(&shared().join("specs"))?;
    files.extend(spec_files(&root().join("spec"))?);
    let mut specs = Vec::with_capacity(files.len() + 2);
    for spec in &files {
        let name = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        specs.push((name, text));
    }
    specs.extend(synthetic_specs());
    println!(
        "generator speed: median of {runs} run(s) of load + lower + emit per spec ({} build)\n",
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    println!(
        "| spec | size | lines emitted | median | fastest | lines/s |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut failures = Vec::new();
    for (name, text) in specs {
        let kib = text.len() / 1024;
        let source = [SpecSource { file: name.clone(), text }];
        let options = Options { crate_name: "bench".into(), runtime_path: None, ..Options::default() };
        let mut times = Vec::with_capacity(runs);
        let mut lines = 0;
        let mut failed = None;
        for _ in 0..runs {
            let started = Instant::now();
            let result = generate(&source, &options);
            times.push(started.elapsed());
            // Counted once; a failure (diagnostics, or Rust that does not parse) ends this spec's row.
            if lines == 0 || result.is_err() {
                match Stats::of_generation(&result) {
                    Ok((_, stats)) => lines = stats.lines,
                    Err(why) => {
                        failed = Some(why);
                        break;
                    }
                }
            }
        }
        if let Some(why) = failed {
            println!("| {name} | {kib} KiB | {} | | | |", why.replace('|', "\\|"));
            failures.push(name);
            continue;
        }
        let median = median(&mut times);
        let fastest = times.first().copied().unwrap_or_default();
        let per_second = lines as f64 / median.as_secs_f64().max(f64::EPSILON);
        println!(
            "| {name} | {kib} KiB | {lines} | {:.1} ms | {:.1} ms | {per_second:.0} |",
            median.as_secs_f64() * 1e3,
            fastest.as_secs_f64() * 1e3
        );
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("did not generate: {}", failures.join(", ")))
    }
}

/// Specs that show whether generation stays linear in the size of the document: a chain of
/// 10,000 `$ref` aliases and an enum of 100,000 values.
fn synthetic_specs() -> [(String, String); 2] {
    let head = "openapi: 3.0.3\ninfo: {title: synthetic, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";
    let aliases: String =
        (0..10_000).map(|i| format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1)).collect();
    let alias_chain = format!("{head}{aliases}    S10000: {{type: object, properties: {{a: {{type: string}}}}}}\n");
    let values: String = (0..100_000).map(|i| format!("        - value_{i}\n")).collect();
    let large_enum = format!("{head}    Large:\n      type: string\n      enum:\n{values}");
    [("(10,000-alias $ref chain)".to_owned(), alias_chain), ("(100,000-value enum)".to_owned(), large_enum)]
}

/// The median of `times` (the lower middle one of an even count); sorts them.
pub fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len().saturating_sub(1) / 2).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(&mut [ms(30), ms(10), ms(20)]), ms(20));
        assert_eq!(median(&mut [ms(40), ms(10), ms(30), ms(20)]), ms(20));
        assert_eq!(median(&mut []), Duration::ZERO);
    }
}
