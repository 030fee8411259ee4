//! Unit tests of loading secrets: from a variable, from a file's first line, from the prompt,
//! and the refusals, none of which shows a value.

use std::ffi::OsString;
use std::io;
use std::path::PathBuf;

use super::{Prompt, Source, Wanted, load};

fn wanted(source: Option<Source>, needed: bool) -> Wanted {
    Wanted {
        what: "SNMP community",
        env_flag: "--community-env",
        file_flag: "--community-file",
        source,
        needed: needed.then_some("for SNMP v1 and v2c"),
    }
}

fn env(var: &str) -> Option<OsString> {
    match var {
        "COMM" => Some("s3cret".into()),
        "EMPTY" => Some(OsString::new()),
        #[cfg(unix)]
        "BINARY" => {
            use std::os::unix::ffi::OsStringExt;
            Some(OsString::from_vec(vec![0xff, 0xfe]))
        }
        _ => None,
    }
}

fn no_prompt() -> Prompt<'static> {
    None
}

/// A file in a fresh directory under the system's temporary directory, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &[u8]) -> TempFile {
        let dir =
            std::env::temp_dir().join(format!("dci-harness-secrets-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("secret");
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[track_caller]
fn loads(w: &Wanted, expected: Option<&str>) {
    let got = load(w, &env, no_prompt()).unwrap();
    assert_eq!(got.as_ref().map(|s| s.expose()), expected);
}

#[track_caller]
fn fails(w: &Wanted, message: &str) {
    let err = load(w, &env, no_prompt()).unwrap_err().to_string();
    assert_eq!(err, message);
    assert!(!err.contains("s3cret"));
}

#[test]
fn from_the_environment() {
    loads(
        &wanted(Some(Source::Env("COMM".into())), true),
        Some("s3cret"),
    );
    loads(
        &wanted(Some(Source::Env("COMM".into())), false),
        Some("s3cret"),
    );
    loads(&wanted(Some(Source::Env("EMPTY".into())), true), Some(""));
    fails(
        &wanted(Some(Source::Env("NOPE".into())), true),
        "environment variable NOPE (given with --community-env) is not set",
    );
    #[cfg(unix)]
    fails(
        &wanted(Some(Source::Env("BINARY".into())), true),
        "environment variable BINARY (given with --community-env) is not valid UTF-8",
    );
}

#[test]
fn from_the_first_line_of_a_file() {
    for (name, contents, expected) in [
        ("lf", &b"s3cret\n"[..], "s3cret"),
        ("crlf", b"s3cret\r\n", "s3cret"),
        ("bare", b"s3cret", "s3cret"),
        ("lines", b"s3cret\nsecond line\n", "s3cret"),
        ("spaces", b" with spaces \n", " with spaces "),
        ("empty", b"", ""),
    ] {
        let f = TempFile::new(name, contents);
        loads(
            &wanted(Some(Source::File(f.0.clone())), true),
            Some(expected),
        );
    }
    let f = TempFile::new("binary", b"\xff\xfe\n");
    fails(
        &wanted(Some(Source::File(f.0.clone())), true),
        &format!(
            "{} (given with --community-file) is not valid UTF-8",
            f.0.display()
        ),
    );
    let missing = std::env::temp_dir().join("dci-harness-no-such-dir/secret");
    let err = load(
        &wanted(Some(Source::File(missing.clone())), true),
        &env,
        no_prompt(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with(&format!(
            "cannot read {} (given with --community-file): ",
            missing.display()
        )),
        "{err}"
    );
}

#[test]
fn from_the_prompt_only_when_needed() {
    let asked = std::cell::Cell::new(0);
    let prompt = |label: &str| {
        asked.set(asked.get() + 1);
        assert_eq!(label, "SNMP community");
        Ok("typed".to_owned())
    };
    let got = load(&wanted(None, true), &env, Some(&prompt)).unwrap();
    assert_eq!(got.unwrap().expose(), "typed");
    assert_eq!(
        load(&wanted(None, false), &env, Some(&prompt)).unwrap(),
        None
    );
    // A source named by a flag wins over the prompt.
    let got = load(
        &wanted(Some(Source::Env("COMM".into())), true),
        &env,
        Some(&prompt),
    )
    .unwrap();
    assert_eq!(got.unwrap().expose(), "s3cret");
    assert_eq!(asked.get(), 1);

    let broken = |_: &str| Err(io::Error::other("no tty"));
    let err = load(&wanted(None, true), &env, Some(&broken)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read the SNMP community from the terminal: no tty"
    );
}

#[test]
fn missing_without_a_terminal() {
    loads(&wanted(None, false), None);
    fails(
        &wanted(None, true),
        "the SNMP community is needed for SNMP v1 and v2c: give --community-env VAR or --community-file PATH (standard input is not a terminal, so it cannot be asked for)",
    );
}
