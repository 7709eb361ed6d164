//! Running cargo from a task: the cargo that runs xtask (`CARGO`), else the one on `PATH`.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// A `cargo` command, not yet configured.
pub fn command() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs `cargo <args>` in `dir` with `env` added, and fails unless it succeeds.
pub fn run(dir: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> Result<(), String> {
    let status = command()
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed ({status})", args.join(" ")))
    }
}
