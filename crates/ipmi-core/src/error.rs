//! IPMI failures, each naming the BMC and the step or command at fault, and their mapping onto
//! the protocol's two error types.
//!
//! No text here ever holds a password: the password is read from its `Secret` only where auth
//! codes and keys are computed, and never formatted.

use std::time::Duration;

use dci_protocol::{ErrorType, fmt_duration};

use crate::msg::completion_code_name;
use crate::options::{AuthType, Privilege};

/// Everything an IPMI exchange can end with other than success.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IpmiError {
    /// The host name does not resolve.
    #[error("cannot resolve {host}: {reason}")]
    Resolve {
        /// The name.
        host: String,
        /// Why.
        reason: String,
    },
    /// A local socket could not be set up or used.
    #[error("cannot talk to {target}: {reason}")]
    Socket {
        /// `host:port`.
        target: String,
        /// The system's reason.
        reason: String,
    },
    /// Nothing came back in time.
    #[error("no answer from the BMC at {target} to {step} after {tries} {} of {} each ({hint})", if *tries == 1 { "try" } else { "tries" }, fmt_duration(*timeout))]
    NoAnswer {
        /// `host:port`.
        target: String,
        /// What was asked.
        step: &'static str,
        /// Requests sent (the first and the retries).
        tries: u32,
        /// Per-try timeout.
        timeout: Duration,
        /// What to check.
        hint: &'static str,
    },
    /// The host answered with ICMP port unreachable: nothing listens on that UDP port.
    #[error(
        "the BMC at {target} refused {step}: nothing listens on that UDP port (check the address and the port)"
    )]
    Refused {
        /// `host:port`.
        target: String,
        /// What was asked.
        step: &'static str,
    },
    /// Answers came back, but none passed the session's authentication.
    #[error("the BMC at {target} answered {step}, but no answer passed authentication ({hint})")]
    Unauthenticated {
        /// `host:port`.
        target: String,
        /// What was asked.
        step: &'static str,
        /// What to check.
        hint: &'static str,
    },
    /// The overall deadline passed during an exchange.
    #[error("no result from the BMC at {target} within the deadline of {} (during {step})", fmt_duration(*deadline))]
    Deadline {
        /// `host:port`.
        target: String,
        /// What was under way.
        step: &'static str,
        /// The deadline.
        deadline: Duration,
    },
    /// The BMC does not offer the LAN protocol version this handler speaks.
    #[error(
        "the BMC at {target} does not offer {version} sessions on this channel (use the {other} handler for it)"
    )]
    VersionNotOffered {
        /// `host:port`.
        target: String,
        /// "IPMI 1.5" or "IPMI 2.0 (RMCP+)".
        version: &'static str,
        /// The handler that speaks what the BMC offers.
        other: &'static str,
    },
    /// The BMC offers no IPMI 1.5 authentication type at least as strong as the operator allows.
    #[error(
        "the BMC at {target} offers IPMI 1.5 authentication by {offered} only, weaker than {min}, the weakest accepted (DCIH_IPMI_MIN_AUTH=password or none accepts weaker types; default md2)"
    )]
    AuthTypeNotOffered {
        /// `host:port`.
        target: String,
        /// What the BMC offers, e.g. "straight password, none".
        offered: String,
        /// The weakest accepted.
        min: AuthType,
    },
    /// The BMC refused the RMCP+ cipher suite.
    #[error("the BMC at {target} refused RMCP+ {suite}: {status}")]
    CipherSuite {
        /// `host:port`.
        target: String,
        /// The suite proposed.
        suite: crate::options::CipherSuite,
        /// The RMCP+ status the BMC gave.
        status: String,
    },
    /// The BMC offers none of the cipher suites spoken here.
    #[error(
        "the BMC at {target} offers RMCP+ cipher suites {offered} and none of those this handler speaks (17, 3); enable suite 17 or 3 for IPMI over LAN on the BMC"
    )]
    NoCipherSuite {
        /// `host:port`.
        target: String,
        /// What Get Channel Cipher Suites listed.
        offered: String,
    },
    /// The BMC does not know the user name.
    #[error("the BMC at {target} does not know the user '{user}' ({detail})")]
    UnknownUser {
        /// `host:port`.
        target: String,
        /// The user name.
        user: String,
        /// How the BMC said so.
        detail: &'static str,
    },
    /// The BMC did not accept the password.
    #[error("the BMC at {target} rejected the password of user '{user}' ({detail})")]
    WrongPassword {
        /// `host:port`.
        target: String,
        /// The user name.
        user: String,
        /// How it showed.
        detail: &'static str,
    },
    /// The user may not have the privilege level the operation needs.
    #[error(
        "the BMC at {target} does not grant user '{user}' the {wanted} privilege ({detail}); status needs USER and power control OPERATOR (DCIH_IPMI_PRIVILEGE asks for more where a BMC wants it)"
    )]
    Privilege {
        /// `host:port`.
        target: String,
        /// The user name.
        user: String,
        /// The level asked for.
        wanted: Privilege,
        /// How the BMC said so.
        detail: String,
    },
    /// The BMC has no session to give.
    #[error(
        "the BMC at {target} has no free session for user '{user}' ({detail}); sessions left open by other tools time out after about a minute"
    )]
    NoSession {
        /// `host:port`.
        target: String,
        /// The user name.
        user: String,
        /// How the BMC said so.
        detail: &'static str,
    },
    /// A credential that IPMI cannot carry.
    #[error("device_params/{field}: {problem}")]
    Credential {
        /// `user` or `pass`.
        field: &'static str,
        /// What is wrong (never the value of a password).
        problem: String,
    },
    /// An environment variable holding a secret that cannot be used; the value is never shown.
    #[error("environment variable {name}: {problem} (the key is not shown)")]
    Secret {
        /// The variable.
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// An environment variable with a value that cannot be used.
    #[error("environment variable {name}: expected {expected}, got '{got}'")]
    Env {
        /// The variable.
        name: &'static str,
        /// What it should hold.
        expected: &'static str,
        /// What it holds (shortened).
        got: String,
    },
    /// The BMC answered a command with a completion code other than success.
    #[error("the BMC at {target} answered {command} with completion code {code:#04X} ({})", completion_code_name(*code).unwrap_or("command-specific or OEM code"))]
    Completion {
        /// `host:port`.
        target: String,
        /// The command.
        command: &'static str,
        /// The completion code.
        code: u8,
    },
    /// The BMC's answer to a command is shorter than the command's response.
    #[error(
        "the BMC at {target} answered {command} with {got} data bytes, fewer than the {need} it must have"
    )]
    Truncated {
        /// `host:port`.
        target: String,
        /// The command.
        command: &'static str,
        /// Data bytes received (after the completion code).
        got: usize,
        /// Data bytes required.
        need: usize,
    },
    /// A packet that claims to answer us but cannot be read.
    #[error("the BMC at {target} answered {step} with {problem}")]
    Malformed {
        /// `host:port`.
        target: String,
        /// What was asked.
        step: &'static str,
        /// What is wrong with the answer.
        problem: String,
    },
    /// The BMC failed to prove that it knows the session key (RMCP+ RAKP message 4).
    #[error(
        "the BMC at {target} did not prove it shares the session key (RAKP message 4 integrity check failed): {}",
        if *kg {
            "the BMC key given (DCIH_IPMI_KG or DCIH_IPMI_KG_FILE) is not this BMC's"
        } else {
            "the BMC has a BMC key set (two-key login: give it in DCIH_IPMI_KG or DCIH_IPMI_KG_FILE), or it is not the BMC that holds this user's password"
        }
    )]
    BmcNotAuthenticated {
        /// `host:port`.
        target: String,
        /// A BMC key was given.
        kg: bool,
    },
    /// The BMC accepted a power command but the chassis did not follow.
    #[error("the BMC at {target} accepted Chassis Control ({action}) but the power state did not follow: it still reads {read} after {}", fmt_duration(*waited))]
    NotFollowed {
        /// `host:port`.
        target: String,
        /// "power up", "power down", "hard reset".
        action: &'static str,
        /// The power state read last: "on" or "off".
        read: &'static str,
        /// How long it was watched.
        waited: Duration,
    },
}

impl IpmiError {
    /// The wire error type: `connection` when the BMC could not be reached or refused us,
    /// `unexpected_data` when it answered something unusable or did not do what it was told.
    pub fn error_type(&self) -> ErrorType {
        match self {
            IpmiError::Resolve { .. }
            | IpmiError::Socket { .. }
            | IpmiError::NoAnswer { .. }
            | IpmiError::Refused { .. }
            | IpmiError::Unauthenticated { .. }
            | IpmiError::Deadline { .. }
            | IpmiError::VersionNotOffered { .. }
            | IpmiError::AuthTypeNotOffered { .. }
            | IpmiError::CipherSuite { .. }
            | IpmiError::NoCipherSuite { .. }
            | IpmiError::UnknownUser { .. }
            | IpmiError::WrongPassword { .. }
            | IpmiError::Privilege { .. }
            | IpmiError::NoSession { .. } => ErrorType::Connection,
            IpmiError::Credential { .. }
            | IpmiError::Env { .. }
            | IpmiError::Secret { .. }
            | IpmiError::Completion { .. }
            | IpmiError::Truncated { .. }
            | IpmiError::Malformed { .. }
            | IpmiError::BmcNotAuthenticated { .. }
            | IpmiError::NotFollowed { .. } => ErrorType::UnexpectedData,
        }
    }
}

impl From<IpmiError> for dci_protocol::Error {
    fn from(e: IpmiError) -> dci_protocol::Error {
        match e.error_type() {
            ErrorType::Connection => dci_protocol::Error::connection(e),
            ErrorType::UnexpectedData => dci_protocol::Error::unexpected_data(e),
        }
    }
}
