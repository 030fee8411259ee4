//! Test support: where the built executables are, and running one as DCImanager does.

pub mod agents;
pub mod bmc;
pub mod faults;
pub mod fixtures;
pub mod ipmi_sim;
pub mod pdus;
pub mod redfish;
pub mod snmprec;
pub mod upses;
pub mod vlans;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A workspace binary built by `cargo build --workspace --bins` (which `cargo xtask test` runs
/// first). The tests run the real executables, so a missing one is a setup error, said plainly.
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    // target/<profile>/deps/e2e-HASH → target/<profile>/NAME
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("test binaries live in target/<profile>/deps");
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "{} is not built: run `cargo build --workspace --bins` first (`cargo xtask test` does)",
        path.display()
    );
    path
}

/// Runs `exe` with `args`, writes `stdin` (when given) and closes it, and waits. `env` adds
/// variables; `RUST_LOG` and the `DCIH_*` variables of the caller are cleared so tests do not
/// depend on the shell they run in.
pub fn run(exe: &PathBuf, args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("RUST_LOG");
    for (k, _) in std::env::vars() {
        if k.starts_with("DCIH_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd.spawn().expect("spawn handler");
    let mut pipe = child.stdin.take().expect("stdin pipe");
    if let Some(bytes) = stdin {
        // A handler may refuse early and close its stdin; a broken pipe is then expected.
        let _ = pipe.write_all(bytes);
    }
    drop(pipe);
    child.wait_with_output().expect("wait for handler")
}

/// The stdout of a run, as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// The stderr of a run, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh directory for one test's files, removed when dropped.
#[derive(Debug)]
pub struct Scratch(std::path::PathBuf);

impl Scratch {
    /// `$TMPDIR/dcih-e2e-LABEL-PID`, empty.
    pub fn new(label: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dcih-e2e-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch directory");
        Scratch(dir)
    }

    /// The directory itself.
    pub fn dir(&self) -> &std::path::Path {
        &self.0
    }

    /// A path inside it.
    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }

    /// Writes `text` to `name` inside it and returns the path.
    pub fn file(&self, name: &str, text: &str) -> std::path::PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write a scratch file");
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
