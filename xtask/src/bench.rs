//! `cargo xtask bench`: how fast the generator is. Each public spec in `../shared/specs/` and each
//! of ours in `spec/` is generated (load, lower, emit: everything but writing files) a few times;
//! the table shows the median and the lines of Rust emitted per second.
//!
//! Speed is only meaningful in an optimised build, so a debug build of xtask runs itself again
//! with `cargo run --release`. Not part of `cargo xtask test`: timings depend on the machine.

use crate::paths::{root, shared, spec_files};
use crate::stats::Stats;
use cloudspec_codegen::{generate, Options, SpecSource};
use std::process::Command;
use std::time::{Duration, Instant};

/// Set in the optimised child so that it never starts another.
const CHILD: &str = "CLOUDSPEC_BENCH_OPTIMISED";

/// `cargo xtask bench`'s flags.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// How many times each spec is generated (the table shows the median)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
}

pub fn run(args: &BenchArgs) -> Result<(), String> {
    let runs = args.runs as usize;
    if cfg!(debug_assertions) && std::env::var_os(CHILD).is_none() {
        println!("building xtask optimised (cargo run --release) to time the generator");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["run", "--release", "--quiet", "--package", "xtask", "--", "bench", "--runs"])
            .arg(runs.to_string())
            .current_dir(root())
            .env(CHILD, "1")
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        return if status.success() { Ok(()) } else { Err(format!("the optimised bench failed ({status})")) };
    }
    let mut specs = spec_files(&shared().join("specs"))?;
    specs.extend(spec_files(&root().join("spec"))?);
    println!(
        "generator speed: median of {runs} run(s) of load + lower + emit per spec ({} build)\n",
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    println!(
        "| spec | size | lines emitted | median | fastest | lines/s |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut failures = Vec::new();
    for spec in &specs {
        let name = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        let kib = text.len() / 1024;
        let source = [SpecSource { file: name.clone(), text }];
        let options = Options { crate_name: "bench".into(), runtime_path: None, repository: None };
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

/// The median of `times` (the lower middle one of an even count); sorts them.
fn median(times: &mut [Duration]) -> Duration {
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
