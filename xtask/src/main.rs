//! Development tasks for this repository: `cargo xtask <task>` (`cargo xtask help` lists them,
//! `cargo xtask <task> --help` explains one).

mod bench;
mod bench_ratios;
mod build_times;
mod cargo;
mod clients;
mod contract;
mod corpus;
mod crate_name;
mod docs;
mod english;
mod files;
mod format;
mod generate;
mod lint;
mod msrv;
mod package;
mod path_examples;
mod paths;
mod prism;
mod progenitor;
#[cfg(test)]
mod size_limits;
mod stats;
mod test;
mod tools;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Development tasks for cloudspec: generate the SDK, check it, and run everything CI runs.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Regenerate generated/ (and codegen/snapshots/) from the specs, check them (--check), or
    /// generate a standalone crate from any OpenAPI 3.0 or 3.1 document(s) (--spec, --out)
    Gen(generate::GenArgs),
    /// Run everything CI runs, in order, stopping at the first failure (installs the spec tools
    /// into .tools/ on first use)
    Test,
    /// Validate and lint spec/*.yaml with openapi-spec-validator, Redocly and Spectral
    LintSpec,
    /// Generate every public spec in ../shared/specs, check the selected crates with clippy, and
    /// print a table
    Corpus(corpus::CorpusArgs),
    /// Generate the Python and TypeScript clients of every spec with openapi-generator, call every
    /// operation through the Python clients against Prism mocks, and compile the TypeScript ones
    /// with tsc --strict
    Clients,
    /// Build the offline HTML API reference, one page per spec (target/docs/<spec>.html), and with
    /// --check render each page in headless Chromium and check what it shows
    Docs(docs::DocsArgs),
    /// Package the published crates (cargo package, cargo publish --dry-run), then build a new
    /// project from the .crate files alone and run the README quick start against a local server
    Package,
    /// Run the criterion benches (signers, decoding, loopback calls) and print their ratios to
    /// hand-written references, then time the generator on every spec (optimised), then the
    /// compile time of generated crates: one tag of GitHub's with per-tag features beside all of
    /// it, and beside progenitor where cargo-progenitor installs (not part of test)
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Gen(args) => generate::run(&args),
        Task::Test => test::run(),
        Task::LintSpec => lint::run(),
        Task::Corpus(args) => corpus::run(&args),
        Task::Clients => clients::run(),
        Task::Docs(args) => docs::run(&args),
        Task::Package => package::run(),
        Task::Bench(args) => bench::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("cargo xtask").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_task_has_help() {
        for task in ["gen", "test", "lint-spec", "corpus", "clients", "docs", "package", "bench"] {
            let err = parse(&[task, "--help"]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::DisplayHelp, "{task}");
            assert!(err.to_string().contains(&format!("cargo xtask {task}")), "{task}: {err}");
        }
        let help = parse(&["gen", "--help"]).unwrap_err().to_string();
        for flag in ["--check", "--spec", "--out", "--crate-name", "--runtime-path", "--contract", "--features-per-tag"]
        {
            assert!(help.contains(flag), "gen --help does not mention {flag}:\n{help}");
        }
    }

    #[test]
    fn unknown_flags_and_tasks_get_suggestions() {
        let err = parse(&["gen", "--chek"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownArgument);
        assert!(err.to_string().contains("--check"), "{err}");
        let err = parse(&["tset"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSubcommand);
        assert!(err.to_string().contains("test"), "{err}");
        let err = parse(&["corpus", "--compile", "everything"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        assert!(err.to_string().contains("small"), "{err}");
    }

    #[test]
    fn every_existing_task_and_flag_parses() {
        let Task::Gen(args) = parse(&["gen", "--check"]).unwrap().task else { panic!("not gen") };
        assert!(args.check && args.spec.is_none());
        let standalone = ["gen", "--spec", "a.yaml", "--out", "o", "--crate-name", "pets", "--runtime-path", "runtime"];
        let Task::Gen(args) = parse(&standalone).unwrap().task else { panic!("not gen") };
        assert_eq!(args.crate_name.as_deref(), Some("pets"));
        assert_eq!(args.runtime_path.as_deref(), Some(std::path::Path::new("runtime")));
        assert!(!args.contract);
        let Task::Gen(args) = parse(&["gen", "--spec", "a.yaml", "--out", "o", "--contract"]).unwrap().task else {
            panic!("not gen")
        };
        assert!(args.contract);
        assert!(!args.features_per_tag);
        let Task::Gen(args) = parse(&["gen", "--spec", "a.yaml", "--out", "o", "--features-per-tag"]).unwrap().task
        else {
            panic!("not gen")
        };
        assert!(args.features_per_tag);
        assert_eq!(parse(&["gen", "--features-per-tag"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert!(matches!(parse(&["test"]).unwrap().task, Task::Test));
        assert!(matches!(parse(&["lint-spec"]).unwrap().task, Task::LintSpec));
        assert!(matches!(parse(&["package"]).unwrap().task, Task::Package));
        assert!(matches!(parse(&["clients"]).unwrap().task, Task::Clients));
        assert!(matches!(parse(&["docs", "--check"]).unwrap().task, Task::Docs(docs::DocsArgs { check: true })));
        let Task::Corpus(args) = parse(&["corpus", "--compile", "all"]).unwrap().task else { panic!("not corpus") };
        assert_eq!(args.compile, corpus::Compile::All);
        assert!(!args.contract);
        let Task::Corpus(args) = parse(&["corpus", "--contract", "--compile", "none"]).unwrap().task else {
            panic!("not corpus")
        };
        assert!(args.contract && args.compile == corpus::Compile::None);
        let Task::Corpus(args) = parse(&["corpus"]).unwrap().task else { panic!("not corpus") };
        assert_eq!(args.compile, corpus::Compile::Small);
        let Task::Bench(args) = parse(&["bench", "--runs", "3"]).unwrap().task else { panic!("not bench") };
        assert_eq!(args.runs, 3);
        assert_eq!(parse(&["bench", "--runs", "0"]).unwrap_err().kind(), ErrorKind::ValueValidation);
    }

    #[test]
    fn standalone_flags_need_spec_and_out() {
        assert_eq!(parse(&["gen", "--spec", "a.yaml"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["gen", "--out", "o"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["gen", "--crate-name", "x"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["gen", "--runtime-path", "r"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["gen", "--contract"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
    }
}
