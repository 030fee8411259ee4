//! Runs any DCImanager handler executable exactly as DCImanager does, and judges what it
//! answered.
//!
//! - [`Runner`] makes the two calls of the protocol, `HANDLER -info` and `HANDLER` with one
//!   request on standard input, under a timeout, and returns an [`Outcome`] (the parsed document
//!   and the [`Transcript`] of the process) or a [`RunError`] naming how the handler failed:
//!   it could not be started, it hung, or it broke the protocol (no document, not XML, two
//!   documents, an invalid document, a response with a non-zero exit status).
//! - [`shape`] checks that a valid response has the elements its function and device type must
//!   carry, and that a port operation's answer shows the requested change.
//!
//! Key decision: the harness talks to a handler only through the process boundary (argv, stdin,
//! stdout, stderr, exit status) and reads the wire with the very types the handlers write,
//! `dci_protocol`'s. So any executable, ours, the seed's Python scripts or a vendor's, is judged
//! by the same rules, and what the harness accepts cannot drift from what the handlers emit.
//!
//! # The `dci-harness` command
//!
//! ```text
//! dci-harness info HANDLER [--timeout SECS] [--xml]
//! dci-harness call HANDLER FUNC --ip IP [credentials] [port flags] [--timeout SECS] [--xml]
//!                  [--show-request]
//! ```
//!
//! Secrets (SNMP community, SNMPv3 phrases, IPMI password) are read from an environment variable
//! or a file named by a flag, or asked for without echo when standard input is a terminal; never
//! from the command line. Exit codes:
//!
//! | code | meaning |
//! | ---- | ------- |
//! | 0 | the handler answered with a response (or a valid `-info`) |
//! | 1 | the handler answered with a well-formed `<error>` document |
//! | 2 | usage error: bad flags, a needed secret that cannot be read |
//! | 3 | the handler broke the protocol: no document, not XML, several documents, an invalid document, a response with a non-zero exit status |
//! | 4 | the handler hung: no exit within the timeout (it was killed) |
//! | 5 | the handler could not be started |
#![warn(missing_docs)]

pub mod check;
pub mod runner;
pub mod shape;

pub use runner::{
    DEFAULT_TIMEOUT, MAX_STDERR, MAX_STDOUT, Outcome, RunError, Runner, Transcript, exit_text,
};
pub use shape::Violation;

use std::time::Duration;

/// Elapsed times for people: "0.84 ms", "12.3 ms", "250 ms", "1.50 s".
pub fn fmt_elapsed(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}
