//! Logging: `tracing` to stderr, and to a file when `DCIH_LOG_FILE` names one.
//!
//! stdout belongs to the protocol, so nothing here ever touches it. The filter comes from
//! `RUST_LOG` in `tracing-subscriber`'s `Targets` syntax (`warn`, `debug`,
//! `snmp_core=trace,info`); the default is `warn`. Secrets reach no log line because every
//! secret is a [`crate::Secret`], whose `Debug` and `Display` print `***`.

use std::fs::OpenOptions;
use std::str::FromStr;
use std::sync::Mutex;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::runtime::env;

/// Keeps logging set up for the life of the process. Dropping it does nothing today; it exists
/// so a buffered writer can be added without changing callers.
#[derive(Debug)]
pub struct LogGuard(());

/// Sets up the global subscriber once. A bad `RUST_LOG` or an unwritable log file is reported
/// on stderr and otherwise ignored: logging must never stop a handler from answering.
pub fn init() -> LogGuard {
    let (filter, bad_filter) = match std::env::var(env::LOG) {
        Ok(v) if !v.trim().is_empty() => match Targets::from_str(&v) {
            Ok(t) => (t, None),
            Err(e) => (default_filter(), Some(e.to_string())),
        },
        _ => (default_filter(), None),
    };
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(true)
        .with_filter(filter.clone());
    let (file, bad_file) = match std::env::var_os(env::LOG_FILE) {
        Some(path) if !path.is_empty() => {
            match OpenOptions::new().create(true).append(true).open(&path) {
                Ok(f) => (
                    Some(
                        tracing_subscriber::fmt::layer()
                            .with_writer(Mutex::new(f))
                            .with_ansi(false)
                            .with_filter(filter),
                    ),
                    None,
                ),
                Err(e) => (None, Some(format!("{}: {e}", path.to_string_lossy()))),
            }
        }
        _ => (None, None),
    };
    // A second init (in tests that call `run` logic twice) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init();
    if let Some(e) = bad_filter {
        tracing::warn!(variable = env::LOG, error = %e, "ignoring an invalid log filter");
    }
    if let Some(e) = bad_file {
        tracing::warn!(variable = env::LOG_FILE, error = %e, "cannot open the log file; logging to stderr only");
    }
    LogGuard(())
}

fn default_filter() -> Targets {
    Targets::new().with_default(LevelFilter::WARN)
}
