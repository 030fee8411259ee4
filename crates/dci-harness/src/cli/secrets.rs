//! Secrets for the request: read from an environment variable or a file named by a flag, or
//! asked for without echo; never taken from the command line, where `ps` and shell histories
//! would show them.
//!
//! A secret is read when a flag names its source, or asked for when the request needs it (SNMP
//! v1 and v2c need a community, SNMPv3 `authnopriv` the authentication phrase, `authpriv` both
//! phrases, an IPMI user a password) and standard input is a terminal. Otherwise the call is
//! refused with the flags that would provide it. No error text holds a secret's value.

use std::ffi::OsString;
use std::io;
use std::path::PathBuf;

use dci_protocol::Secret;

/// Where a flag says a secret is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// An environment variable (`--community-env VAR`).
    Env(String),
    /// The first line of a file (`--community-file PATH`).
    File(PathBuf),
}

/// One secret the request may carry.
#[derive(Debug, Clone)]
pub(crate) struct Wanted {
    /// What it is, for prompts and messages: "SNMP community".
    pub(crate) what: &'static str,
    /// The flag naming an environment variable: "--community-env".
    pub(crate) env_flag: &'static str,
    /// The flag naming a file: "--community-file".
    pub(crate) file_flag: &'static str,
    /// Where the flags say it is.
    pub(crate) source: Option<Source>,
    /// Why the request needs it ("for SNMP v1 and v2c"), when it does.
    pub(crate) needed: Option<&'static str>,
}

/// The four secrets a request may carry, in the order [`load_all`] returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Secrets {
    pub(crate) community: Option<Secret>,
    pub(crate) auth_phrase: Option<Secret>,
    pub(crate) priv_phrase: Option<Secret>,
    pub(crate) pass: Option<Secret>,
}

/// A secret that cannot be had. The messages name the variable, file or flags, never the value.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SecretError {
    #[error("environment variable {var} (given with {flag}) is not set")]
    EnvUnset { var: String, flag: &'static str },
    #[error("environment variable {var} (given with {flag}) is not valid UTF-8")]
    EnvNotUtf8 { var: String, flag: &'static str },
    #[error("cannot read {} (given with {flag}): {source}", path.display())]
    File {
        path: PathBuf,
        flag: &'static str,
        source: io::Error,
    },
    #[error("{} (given with {flag}) is not valid UTF-8", path.display())]
    FileNotUtf8 { path: PathBuf, flag: &'static str },
    #[error(
        "the {what} is needed {because}: give {env_flag} VAR or {file_flag} PATH (standard input is not a terminal, so it cannot be asked for)"
    )]
    Missing {
        what: &'static str,
        because: &'static str,
        env_flag: &'static str,
        file_flag: &'static str,
    },
    #[error("cannot read the {what} from the terminal: {source}")]
    Prompt {
        what: &'static str,
        source: io::Error,
    },
}

/// Looks an environment variable up (`std::env::var_os`, or a table in tests).
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<OsString>;

/// Asks the user for a secret without echo; `None` when standard input is not a terminal.
pub(crate) type Prompt<'a> = Option<&'a dyn Fn(&str) -> io::Result<String>>;

/// Loads one secret: from its source if a flag names one, else from the prompt if the request
/// needs it, else none.
pub(crate) fn load(
    w: &Wanted,
    env: Env<'_>,
    prompt: Prompt<'_>,
) -> Result<Option<Secret>, SecretError> {
    match &w.source {
        Some(Source::Env(var)) => {
            let value = env(var).ok_or_else(|| SecretError::EnvUnset {
                var: var.clone(),
                flag: w.env_flag,
            })?;
            let value = value.into_string().map_err(|_| SecretError::EnvNotUtf8 {
                var: var.clone(),
                flag: w.env_flag,
            })?;
            Ok(Some(Secret::new(value)))
        }
        Some(Source::File(path)) => {
            let bytes = std::fs::read(path).map_err(|source| SecretError::File {
                path: path.clone(),
                flag: w.file_flag,
                source,
            })?;
            let text = String::from_utf8(bytes).map_err(|_| SecretError::FileNotUtf8 {
                path: path.clone(),
                flag: w.file_flag,
            })?;
            Ok(Some(Secret::new(first_line(&text))))
        }
        None => match (w.needed, prompt) {
            (None, _) => Ok(None),
            (Some(_), Some(ask)) => ask(w.what)
                .map(|s| Some(Secret::new(first_line(&s))))
                .map_err(|source| SecretError::Prompt {
                    what: w.what,
                    source,
                }),
            (Some(because), None) => Err(SecretError::Missing {
                what: w.what,
                because,
                env_flag: w.env_flag,
                file_flag: w.file_flag,
            }),
        },
    }
}

/// Loads the community, the authentication phrase, the privacy phrase and the IPMI password.
pub(crate) fn load_all(
    wanted: &[Wanted; 4],
    env: Env<'_>,
    prompt: Prompt<'_>,
) -> Result<Secrets, SecretError> {
    let [community, auth, privacy, pass] = wanted;
    Ok(Secrets {
        community: load(community, env, prompt)?,
        auth_phrase: load(auth, env, prompt)?,
        priv_phrase: load(privacy, env, prompt)?,
        pass: load(pass, env, prompt)?,
    })
}

/// The first line, without its line ending (`\n` or `\r\n`).
fn first_line(text: &str) -> &str {
    let line = text.split('\n').next().unwrap_or_default();
    line.strip_suffix('\r').unwrap_or(line)
}

#[cfg(test)]
mod tests;
