//! A transport wrapper that counts what a session costs: requests sent (retransmissions
//! included), bytes sent and bytes received. async-snmp's own statistics count correlation
//! events, not traffic, so we count at the one place every datagram passes.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_snmp::{Candidate, ReceiveLimits, RequestRegistration, Transport};
use bytes::Bytes;

/// What a session has cost so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Request datagrams sent, retransmissions included.
    pub requests: u64,
    /// Bytes of those requests.
    pub bytes_sent: u64,
    /// Response datagrams received (before validation: late and stray ones too).
    pub responses: u64,
    /// Bytes of those responses.
    pub bytes_received: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    bytes_sent: AtomicU64,
    responses: AtomicU64,
    bytes_received: AtomicU64,
    /// The last of the USM's terminal reports seen (the N of usmStats N .0), 0 for none.
    report: std::sync::atomic::AtomicU8,
    /// Responses that were the SNMPv3 handshake (usmStatsUnknownEngineIDs and
    /// usmStatsNotInTimeWindows reports): any v3 agent sends them, they answer no request.
    handshakes: AtomicU64,
}

/// The USM statistics whose report ends an SNMPv3 exchange (RFC 3414, section 3.2): the agent
/// refuses the request and will refuse it again. Unknown engine ID (4) and not in time window
/// (2) are the discovery and time synchronisation the client does itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsmReport {
    /// usmStatsUnsupportedSecLevels: the user does not have the security level asked for.
    UnsupportedSecLevel,
    /// usmStatsUnknownUserNames.
    UnknownUser,
    /// usmStatsWrongDigests: the authentication key is wrong.
    WrongDigest,
    /// usmStatsDecryptionErrors: the privacy key is wrong.
    DecryptionError,
}

impl UsmReport {
    fn from_arc(n: u8) -> Option<UsmReport> {
        match n {
            1 => Some(UsmReport::UnsupportedSecLevel),
            3 => Some(UsmReport::UnknownUser),
            5 => Some(UsmReport::WrongDigest),
            6 => Some(UsmReport::DecryptionError),
            _ => None,
        }
    }

    /// What it means, in words.
    pub fn words(self) -> &'static str {
        match self {
            UsmReport::UnsupportedSecLevel => {
                "the agent reported usmStatsUnsupportedSecLevels: the user does not have this security level (authNoPriv or authPriv)"
            }
            UsmReport::UnknownUser => {
                "the agent reported usmStatsUnknownUserNames: it has no such SNMPv3 user"
            }
            UsmReport::WrongDigest => {
                "the agent reported usmStatsWrongDigests: the authentication passphrase or protocol is wrong"
            }
            UsmReport::DecryptionError => {
                "the agent reported usmStatsDecryptionErrors: the privacy passphrase or protocol is wrong"
            }
        }
    }
}

/// The BER value of usmStats (1.3.6.1.6.3.15.1.1), whose arc N and `.0` follow in a report's
/// varbind.
const USM_STATS: [u8; 8] = [0x2B, 0x06, 0x01, 0x06, 0x03, 0x0F, 0x01, 0x01];

/// The usmStats arc (1 to 6) of the report in a datagram, found by its varbind's OID (reports
/// are sent unencrypted, so the OID is in clear).
fn usm_stats(bytes: &[u8]) -> Option<u8> {
    bytes
        .windows(USM_STATS.len() + 3)
        .find(|w| w[0] == 0x06 && w[1] == 0x0A && w[2..10] == USM_STATS)
        .map(|w| w[10])
        .filter(|n| (1..=6).contains(n))
}

impl Counters {
    fn sent(&self, len: usize) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.bytes_sent.fetch_add(len as u64, Ordering::Relaxed);
    }

    fn received(&self, bytes: &[u8]) {
        self.responses.fetch_add(1, Ordering::Relaxed);
        self.bytes_received
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        match usm_stats(bytes) {
            Some(2 | 4) => {
                self.handshakes.fetch_add(1, Ordering::Relaxed);
            }
            Some(n) => self.report.store(n, Ordering::Relaxed),
            None => {}
        }
    }

    /// Responses other than the SNMPv3 handshake: answers (or refusals) of our requests.
    pub(crate) fn answers(&self) -> u64 {
        self.responses
            .load(Ordering::Relaxed)
            .saturating_sub(self.handshakes.load(Ordering::Relaxed))
    }

    /// Handshake reports received (the agent speaks SNMPv3 to this engine).
    pub(crate) fn handshakes(&self) -> u64 {
        self.handshakes.load(Ordering::Relaxed)
    }

    /// The terminal USM report seen, if any.
    pub(crate) fn report(&self) -> Option<UsmReport> {
        UsmReport::from_arc(self.report.load(Ordering::Relaxed))
    }

    pub(crate) fn snapshot(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            bytes_sent: self.bytes_sent.load(Ordering::Relaxed),
            responses: self.responses.load(Ordering::Relaxed),
            bytes_received: self.bytes_received.load(Ordering::Relaxed),
        }
    }
}

/// Any transport, counted.
pub(crate) struct Counting<T> {
    pub(crate) inner: T,
    pub(crate) counters: Arc<Counters>,
}

impl<T: Transport> Transport for Counting<T> {
    fn send(&self, data: &[u8]) -> impl Future<Output = async_snmp::Result<()>> + Send {
        self.counters.sent(data.len());
        self.inner.send(data)
    }

    fn send_with_timeout(
        &self,
        data: &[u8],
        timeout: Duration,
    ) -> impl Future<Output = async_snmp::Result<()>> + Send {
        self.counters.sent(data.len());
        self.inner.send_with_timeout(data, timeout)
    }

    fn request_with<R, F>(
        &self,
        data: &[u8],
        registration: RequestRegistration,
        mut validate: F,
    ) -> impl Future<Output = async_snmp::Result<R>> + Send
    where
        R: Send,
        F: FnMut(Bytes, SocketAddr) -> async_snmp::Result<Candidate<R>> + Send,
    {
        self.counters.sent(data.len());
        let counters = Arc::clone(&self.counters);
        self.inner
            .request_with(data, registration, move |bytes, from| {
                counters.received(&bytes);
                validate(bytes, from)
            })
    }

    fn peer_addr(&self) -> SocketAddr {
        self.inner.peer_addr()
    }

    fn local_addr(&self) -> SocketAddr {
        self.inner.local_addr()
    }

    fn alloc_request_id(&self) -> i32 {
        self.inner.alloc_request_id()
    }

    fn is_reliable(&self) -> bool {
        self.inner.is_reliable()
    }

    fn receive_limits(&self) -> ReceiveLimits {
        self.inner.receive_limits()
    }

    fn send_capacity(&self) -> usize {
        self.inner.send_capacity()
    }
}
