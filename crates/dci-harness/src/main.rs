//! The `dci-harness` command: runs a handler executable the way DCImanager does and shows what
//! it answered. Everything happens in `cli`; `main` only parses the arguments and turns the
//! result into an exit code (documented in `dci-harness --help` and in the crate docs).

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse()).code()
}
