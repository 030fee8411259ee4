//! SNMP failures, each naming the agent and, where there is one, the OID; and their mapping onto
//! the protocol's two error types.
//!
//! No text here ever holds a community or a passphrase: async-snmp's own messages are not passed
//! through, only the facts we took from them.

use std::time::Duration;

use dci_protocol::fmt_duration;

use crate::value::Oid;

/// Everything an SNMP exchange can end with other than success.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnmpError {
    /// The host name does not resolve.
    #[error("cannot resolve {host}: {reason}")]
    Resolve {
        /// The name.
        host: String,
        /// Why.
        reason: String,
    },
    /// Nothing came back in time (for v1/v2c also the sign of a wrong community: agents
    /// silently drop those requests).
    #[error("no answer from {target} after {tries} tries of {} each (check the address, the port and the {credential})", fmt_duration(*timeout))]
    NoAnswer {
        /// `host:port`.
        target: String,
        /// Requests sent (the first and the retries).
        tries: u32,
        /// Per-request timeout.
        timeout: Duration,
        /// What to check: "community" or "SNMPv3 user and keys".
        credential: &'static str,
    },
    /// The agent answered earlier in this call, then stopped answering (a path that loses
    /// everything now, an agent that restarted or is overloaded).
    #[error(
        "{target} answered {answers} request(s) of this call, then stopped answering (each read was sent again {rounds} time(s) until the deadline): the path or the agent failed during the call"
    )]
    WentSilent {
        /// `host:port`.
        target: String,
        /// Answers received before.
        answers: u64,
        /// Reads sent again.
        rounds: u32,
    },
    /// Datagrams came from the agent's port but none was an answer to our requests: garbage,
    /// truncated packets, or answers to other requests.
    #[error(
        "{target} sent {malformed} datagram(s) that are not SNMP and {discarded} that answer no request of ours (truncated, garbage, or from another address), and nothing readable"
    )]
    Unreadable {
        /// `host:port`.
        target: String,
        /// Datagrams that did not decode.
        malformed: u64,
        /// Datagrams that matched no request (or came from another source).
        discarded: u64,
    },
    /// The host answered ICMP port unreachable: no agent listens on that port.
    #[error(
        "nothing listens on {target}: the host answered port unreachable (check the port, and that the SNMP agent runs)"
    )]
    NothingListens {
        /// `host:port`.
        target: String,
    },
    /// Our own request does not fit a datagram: nothing was sent.
    #[error(
        "the request to {target} would be {size} bytes, more than the {limit} one UDP datagram carries: the community, the SNMPv3 user or the request is too long (nothing was sent)"
    )]
    RequestTooLarge {
        /// `host:port`.
        target: String,
        /// Its encoded size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The network refused (port unreachable, no route).
    #[error("cannot reach {target}: {reason}")]
    Network {
        /// `host:port`.
        target: String,
        /// The system's reason.
        reason: String,
    },
    /// SNMPv3 authentication or privacy failed (unknown user, wrong keys, unsupported level).
    #[error("SNMPv3 authentication with {target} failed: {reason}")]
    Auth {
        /// `host:port`.
        target: String,
        /// What the agent reported.
        reason: String,
    },
    /// The overall deadline passed during an exchange.
    #[error("no result from {target} within the deadline of {}", fmt_duration(*deadline))]
    Deadline {
        /// `host:port`.
        target: String,
        /// The deadline.
        deadline: Duration,
    },
    /// The agent answered with an error-status.
    #[error("{target} answered {status}{}", at_oid(oid))]
    Status {
        /// `host:port`.
        target: String,
        /// The SNMP error-status (noAccess, notWritable, wrongValue, …).
        status: String,
        /// The varbind it named, when it named one.
        oid: Option<Oid>,
    },
    /// The object or instance does not exist on the agent.
    #[error("{target} has no {oid} ({exception})")]
    NoSuch {
        /// `host:port`.
        target: String,
        /// The OID asked for.
        oid: Oid,
        /// noSuchObject, noSuchInstance or endOfMibView.
        exception: &'static str,
    },
    /// A value of the wrong type, or outside what the MIB allows.
    #[error("{target} sent {got} for {oid}, expected {expected}")]
    WrongValue {
        /// `host:port`.
        target: String,
        /// The OID.
        oid: Oid,
        /// What came (type and value).
        got: String,
        /// What the MIB says.
        expected: &'static str,
    },
    /// A walk that did not move forward: the agent returned an OID not after the previous one.
    #[error("{target} returned {oid} after {previous} while walking {column}: OIDs must increase")]
    NonIncreasing {
        /// `host:port`.
        target: String,
        /// The column walked.
        column: Oid,
        /// The previous OID.
        previous: Oid,
        /// The OID that did not increase.
        oid: Oid,
    },
    /// A walk longer than any real table.
    #[error("{target}: walking {column} returned more than {limit} rows")]
    TooManyRows {
        /// `host:port`.
        target: String,
        /// The column.
        column: Oid,
        /// The limit.
        limit: usize,
    },
    /// An answer that does not fit the request (missing varbinds, undecodable packet).
    #[error("{target} sent a malformed answer: {reason}")]
    Malformed {
        /// `host:port`.
        target: String,
        /// What was wrong.
        reason: String,
    },
    /// The agent accepted a SET, but reading the object back never showed the value asked for.
    #[error("{target} accepted {oid} = {wanted} but it still reads {last} after {}", fmt_duration(*waited))]
    NotConfirmed {
        /// `host:port`.
        target: String,
        /// The object set.
        oid: Oid,
        /// What was asked for.
        wanted: String,
        /// What the device last reported.
        last: String,
        /// How long we read it back.
        waited: Duration,
    },
    /// A power command the device accepted, but the outlet never showed the state asked for
    /// (it still read something else when the wait ran out).
    #[error("{target} accepted the command to switch {outlet} {wanted}, but the outlet did not follow: it still reads {last} after {}", fmt_duration(*waited))]
    NotFollowed {
        /// `host:port`.
        target: String,
        /// The outlet ("outlet 3", "blade bay 7").
        outlet: String,
        /// The state asked for.
        wanted: String,
        /// The state last read.
        last: String,
        /// How long we read it back.
        waited: Duration,
    },
    /// Credentials that cannot be used (e.g. a passphrase the key derivation refuses).
    #[error("SNMP configuration refused: {reason}")]
    Config {
        /// Why (never the secret itself).
        reason: String,
    },
}

fn at_oid(oid: &Option<Oid>) -> String {
    oid.as_ref()
        .map(|o| format!(" for {o}"))
        .unwrap_or_default()
}

impl SnmpError {
    /// Whether this is a failure to talk to the device at all, as opposed to an answer we
    /// could not use.
    pub fn is_connection(&self) -> bool {
        matches!(
            self,
            SnmpError::Resolve { .. }
                | SnmpError::NoAnswer { .. }
                | SnmpError::WentSilent { .. }
                | SnmpError::NothingListens { .. }
                | SnmpError::Network { .. }
                | SnmpError::Auth { .. }
                | SnmpError::Deadline { .. }
        )
    }
}

impl From<SnmpError> for dci_protocol::Error {
    fn from(e: SnmpError) -> dci_protocol::Error {
        if e.is_connection() {
            dci_protocol::Error::connection(e)
        } else {
            dci_protocol::Error::unexpected_data(e)
        }
    }
}
