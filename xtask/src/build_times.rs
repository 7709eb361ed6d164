//! `cargo xtask bench`'s compile-time figures, timed as a user's first build of a generated
//! crate: a debug `cargo build` in a throwaway workspace under `target/bench-build/`, the
//! crate's dependencies built beforehand in the same target folder, so only the crate itself is
//! timed (`cargo clean -p` before each run). Incremental compilation is off, as it is for a crate
//! a user gets from a registry: cargo builds only workspace members incrementally, and its
//! bookkeeping (writing the dependency graph and query cache) would otherwise weigh more on a
//! small build than on a large one. Each figure is the median of interleaved runs, as
//! wall time and as the CPU time of cargo and its rustc children (from `/proc`, Linux only): on
//! a shared machine the CPU time moves least with other processes' load.
//!
//! 1. Per-tag features: GitHub's crate generated with `--features-per-tag`, built with one tag's
//!    feature ([`PER_TAG_FEATURE`]) and with `full`. Target: one tag at most 15 % of all.
//! 2. Beside progenitor ([`crate::progenitor`]), where cargo-progenitor installs: generation and
//!    build of the same specs by both generators.

use crate::paths::{relative, root, shared, target_dir};
use cloudspec_codegen::{generate, Options, SpecSource};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The spec of the per-tag figure: the largest of the corpus (767 operations, 1,125 types).
const PER_TAG_SPEC: &str = "github-api.json";

/// The tag built alone: `issues` has 39 of GitHub's 767 operations and reaches the types most
/// tags share (users, repositories, reactions, labels, milestones), so it is a typical tag; the
/// largest, `repos` (159 operations), is a fifth of the API on its own.
const PER_TAG_FEATURE: &str = "issues";

/// The target for one tag, as a percentage of building every tag.
const PER_TAG_TARGET_PERCENT: f64 = 15.0;

/// How long one build took.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub wall: Duration,
    /// User + system time of cargo and the rustc processes it waited for; `None` off Linux.
    pub cpu: Option<Duration>,
}

impl Timing {
    /// The median wall and CPU times of `runs` (each the lower middle one of an even count).
    pub fn median(runs: &[Timing]) -> Timing {
        let mut walls: Vec<Duration> = runs.iter().map(|t| t.wall).collect();
        let mut cpus: Vec<Duration> = runs.iter().filter_map(|t| t.cpu).collect();
        let cpu = (cpus.len() == runs.len()).then(|| crate::bench::median(&mut cpus));
        Timing { wall: crate::bench::median(&mut walls), cpu }
    }

    /// `12.3 s wall, 40.1 s CPU`.
    pub fn describe(&self) -> String {
        match self.cpu {
            Some(cpu) => format!("{:.1} s wall, {:.1} s CPU", self.wall.as_secs_f64(), cpu.as_secs_f64()),
            None => format!("{:.1} s wall", self.wall.as_secs_f64()),
        }
    }
}

/// A generated crate in its own throwaway workspace under `target/bench-build/`.
pub struct BenchCrate {
    pub dir: PathBuf,
    pub package: String,
}

impl BenchCrate {
    /// The crate written at `dir`, package `package`, made a workspace of its own (an empty
    /// `[workspace]` table added to its manifest); with `lock`, this workspace's `Cargo.lock`
    /// copied beside it.
    pub fn standalone(dir: PathBuf, package: &str, lock: bool) -> Result<Self, String> {
        let manifest = dir.join("Cargo.toml");
        std::fs::OpenOptions::new()
            .append(true)
            .open(&manifest)
            .and_then(|mut file| file.write_all(b"\n[workspace]\n"))
            .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
        if lock {
            // This workspace's versions, so one build of the dependencies serves every crate.
            std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))
                .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
        }
        Ok(Self { dir, package: package.to_owned() })
    }

    /// Builds the crate's dependencies (and the crate with `features`) untimed.
    pub fn prebuild(&self, features: Option<&str>) -> Result<(), String> {
        self.cargo(&["build"], features).map(drop)
    }

    /// One timed debug build of the crate alone with `features` (`None`: its defaults).
    pub fn timed_build(&self, features: Option<&str>) -> Result<Timing, String> {
        self.cargo(&["clean", "--package", &self.package], None)?;
        let cpu_before = children_cpu_time();
        let started = Instant::now();
        self.cargo(&["build"], features)?;
        let wall = started.elapsed();
        let cpu = cpu_before.zip(children_cpu_time()).map(|(before, after)| after.saturating_sub(before));
        Ok(Timing { wall, cpu })
    }

    fn cargo(&self, args: &[&str], features: Option<&str>) -> Result<std::process::Output, String> {
        let mut command = crate::cargo::command();
        command.args(args).arg("--quiet").arg("--manifest-path").arg(self.dir.join("Cargo.toml"));
        if let Some(features) = features {
            command.args(["--no-default-features", "--features", features]);
        }
        let output = command
            .env("CARGO_TARGET_DIR", work_dir().join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if output.status.success() {
            Ok(output)
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).take(3).collect();
            Err(format!("cargo {} of {} failed: {}", args[0], self.package, first.join("; ")))
        }
    }
}

/// `target/bench-build/`: the throwaway workspaces and the target folder they share.
pub fn work_dir() -> PathBuf {
    target_dir().join("bench-build")
}

/// The CPU time (user + system) of the children this process has waited for, from
/// `/proc/self/stat` (`cutime`, `cstime`, in clock ticks of 1/100 s); `None` where it is not.
fn children_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces; `state` is the third field.
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<u64>().ok();
    Some(Duration::from_millis((ticks(16)? + ticks(17)?) * 10))
}

/// Our crate generated from `spec`, written as a bench crate named `name`.
pub fn our_crate(spec: &Path, name: &str, features_per_tag: bool) -> Result<(BenchCrate, Duration), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let file = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let dir = work_dir().join(name);
    let runtime = relative(&dir, &root().join("runtime")).to_string_lossy().replace('\\', "/");
    let package = format!("bench-{name}");
    let options =
        Options { crate_name: package.clone(), runtime_path: Some(runtime), features_per_tag, ..Options::default() };
    let started = Instant::now();
    let generated =
        generate(&[SpecSource { file, text }], &options).map_err(|d| format!("{} diagnostic(s)", d.0.len()))?;
    let took = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    crate::files::write_files(&dir, &generated.files)?;
    Ok((BenchCrate::standalone(dir, &package, true)?, took))
}

/// The per-tag figure: one tag's build beside every tag's, interleaved, `runs` times.
pub fn per_tag(runs: usize) -> Result<(), String> {
    let spec = shared().join("specs").join(PER_TAG_SPEC);
    let (bench, _) = our_crate(&spec, "github-per-tag", true)?;
    println!(
        "\ncompile time with per-tag features: {PER_TAG_SPEC} generated with --features-per-tag, debug `cargo build` of the crate alone (dependencies prebuilt), median of {runs} interleaved run(s)\n"
    );
    bench.prebuild(Some(""))?;
    let (mut one, mut all) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        one.push(bench.timed_build(Some(PER_TAG_FEATURE))?);
        all.push(bench.timed_build(Some(cloudspec_codegen::emit::FULL_FEATURE))?);
    }
    let (one, all) = (Timing::median(&one), Timing::median(&all));
    let percent = |part: Duration, whole: Duration| 100.0 * part.as_secs_f64() / whole.as_secs_f64().max(f64::EPSILON);
    let verdict = |p: f64| if p <= PER_TAG_TARGET_PERCENT { "meets" } else { "MISSES" };
    println!("| features | build | wall % of full | CPU % of full |\n| --- | --- | ---: | ---: |");
    let wall = percent(one.wall, all.wall);
    let cpu = one.cpu.zip(all.cpu).map(|(o, a)| percent(o, a));
    let cpu_cell = cpu.map_or("n/a".to_owned(), |p| format!("{p:.1} %"));
    println!("| `{PER_TAG_FEATURE}` | {} | {wall:.1} % | {cpu_cell} |", one.describe());
    println!("| `full` | {} | 100 % | 100 % |", all.describe());
    println!(
        "\none tag ({PER_TAG_FEATURE}) builds in {wall:.1} % of the whole crate's wall time ({} the ≤ {PER_TAG_TARGET_PERCENT} % target){}",
        verdict(wall),
        cpu.map_or(String::new(), |p| format!(", {p:.1} % of its CPU time ({})", verdict(p)))
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_children_cpu_time_is_read_and_grows() {
        let before = children_cpu_time().expect("Linux has /proc/self/stat");
        // A child that burns a little CPU, then is waited for.
        let status = std::process::Command::new("sh")
            .args(["-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"])
            .status()
            .unwrap();
        assert!(status.success());
        let after = children_cpu_time().unwrap();
        assert!(after > before, "{before:?} -> {after:?}");
    }

    #[test]
    fn a_written_crate_becomes_a_workspace_of_its_own() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-crate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = BTreeMap::from([("Cargo.toml".to_owned(), "[package]\nname = \"x\"\n".to_owned())]);
        crate::files::write_files(&dir, &files).unwrap();
        let bench = BenchCrate::standalone(dir.clone(), "x", true).unwrap();
        assert_eq!(bench.package, "x");
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert_eq!(manifest, "[package]\nname = \"x\"\n\n[workspace]\n");
        assert!(dir.join("Cargo.lock").is_file());
        // Nothing written there (progenitor failed silently): an error naming the manifest.
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(BenchCrate::standalone(dir, "x", false).err().unwrap().contains("Cargo.toml"));
    }

    #[test]
    fn medians_of_timings() {
        let t =
            |wall: u64, cpu: Option<u64>| Timing { wall: Duration::from_secs(wall), cpu: cpu.map(Duration::from_secs) };
        let m = Timing::median(&[t(3, Some(30)), t(1, Some(10)), t(2, Some(20))]);
        assert_eq!((m.wall, m.cpu), (Duration::from_secs(2), Some(Duration::from_secs(20))));
        assert_eq!(Timing::median(&[t(1, None), t(2, Some(5))]).cpu, None);
        assert_eq!(m.describe(), "2.0 s wall, 20.0 s CPU");
    }
}
