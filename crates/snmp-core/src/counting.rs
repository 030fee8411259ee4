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
}

impl Counters {
    fn sent(&self, len: usize) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.bytes_sent.fetch_add(len as u64, Ordering::Relaxed);
    }

    fn received(&self, len: usize) {
        self.responses.fetch_add(1, Ordering::Relaxed);
        self.bytes_received.fetch_add(len as u64, Ordering::Relaxed);
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
                counters.received(bytes.len());
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
