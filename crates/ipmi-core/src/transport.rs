//! One UDP socket to one BMC, with retransmission: every wait is bounded by the per-try
//! timeout and by the call's deadline, whichever comes first, so that blocking here can never
//! outlive the call.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::Instant;

use dci_protocol::Limits;

use crate::IpmiError;

/// The largest datagram read: IPMI LAN answers here are well under 200 bytes.
const MAX_DATAGRAM: usize = 1024;

/// What the caller makes of one datagram.
pub(crate) enum Verdict<T> {
    /// The answer: the exchange is over.
    Done(T),
    /// Not an answer to this request (a late answer to an earlier one, another packet): wait on.
    Ignore,
    /// An answer to this request that failed authentication: wait on, but say so if nothing
    /// better comes.
    Unauthenticated,
    /// An answer to this request that cannot be used: the exchange fails.
    Fail(IpmiError),
}

/// What the caller says to check when nothing came back.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hints {
    /// After no answer at all.
    pub silent: &'static str,
    /// After answers that all failed authentication.
    pub unauthenticated: &'static str,
}

impl Hints {
    pub const REACH: Hints = Hints {
        silent: "check the address, the port and that IPMI over LAN is enabled on the BMC",
        unauthenticated: "check the password",
    };
}

/// The socket, the limits and the counters.
#[derive(Debug)]
pub(crate) struct Transport {
    socket: UdpSocket,
    /// `host:port` for error texts.
    pub target: String,
    /// The per-try timeout and its growth, the retries and the call's deadline (its length
    /// for error texts).
    limits: Limits,
    deadline: Instant,
    /// Datagrams sent (retransmissions included).
    pub sent: u32,
    /// Datagrams received.
    pub received: u32,
    /// Exchanges may be repeated past their tries once the BMC has answered (false around
    /// commands that must not run twice).
    pub persist: bool,
    /// Extra rounds of tries taken.
    pub rounds: u32,
    /// The round whose tries got the last answer: an exchange that has only its fixed tries
    /// (`persist` false) waits per try as long as that round did, so a slow BMC is not taken
    /// for a silent one.
    learned: u32,
    /// Tries sent before the BMC first answered: together they get the tries of one exchange,
    /// so a BMC that never answers is reported as fast however many steps were tried.
    silent_tries: u32,
}

impl Transport {
    /// A socket connected to `addr` (so only its datagrams arrive).
    pub fn connect(
        addr: SocketAddr,
        target: String,
        limits: &Limits,
        deadline: Instant,
    ) -> Result<Transport, IpmiError> {
        let local: SocketAddr = if addr.is_ipv4() {
            (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
        } else {
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let socket = UdpSocket::bind(local)
            .and_then(|s| s.connect(addr).map(|()| s))
            .map_err(|e| IpmiError::Socket {
                target: target.clone(),
                reason: e.to_string(),
            })?;
        Ok(Transport {
            socket,
            target,
            limits: *limits,
            deadline,
            sent: 0,
            received: 0,
            persist: true,
            rounds: 0,
            learned: 0,
            silent_tries: 0,
        })
    }

    /// Tries of every exchange: the first and the retries.
    pub fn tries(&self) -> u32 {
        self.limits.retries + 1
    }

    /// Keeps one of the tries a BMC that has not answered yet gets in all for a later step
    /// (the question that tells why it is silent); nothing once it has answered.
    pub fn reserve_silent_try(&mut self) {
        if self.received == 0 {
            self.silent_tries += 1;
        }
    }

    /// The deadline error for `step`.
    pub fn deadline_error(&self, step: &'static str) -> IpmiError {
        IpmiError::Deadline {
            target: self.target.clone(),
            step,
            deadline: self.limits.deadline,
        }
    }

    /// Sends `build(try)` and waits for an answer `judge` accepts, retrying after each per-try
    /// timeout, `retries` times. `build` is called for every try, so a session packet can carry
    /// a fresh sequence number.
    pub fn exchange<T>(
        &mut self,
        step: &'static str,
        hints: Hints,
        mut build: impl FnMut() -> Vec<u8>,
        mut judge: impl FnMut(&[u8]) -> Verdict<T>,
    ) -> Result<T, IpmiError> {
        self.exchange_tries(step, hints, self.limits.retries + 1, &mut build, &mut judge)
    }

    /// [`Transport::exchange`] with an explicit number of tries.
    pub fn exchange_tries<T>(
        &mut self,
        step: &'static str,
        hints: Hints,
        tries: u32,
        build: &mut dyn FnMut() -> Vec<u8>,
        judge: &mut dyn FnMut(&[u8]) -> Verdict<T>,
    ) -> Result<T, IpmiError> {
        let mut buf = [0u8; MAX_DATAGRAM];
        let mut unauthenticated = false;
        let mut refused = false;
        // Until the BMC first answers, every step shares one exchange's tries (at least one
        // each).
        let tries = if self.received == 0 {
            tries
                .min((self.limits.retries + 1).saturating_sub(self.silent_tries))
                .max(1)
        } else {
            tries
        };
        let mut left = tries;
        // Rounds of tries of this exchange: each waits twice as long per try as the one
        // before, up to the cap (`DCIH_TIMEOUT_MAX`). One that may not take more rounds starts
        // where the last answered exchange ended.
        let mut round = if self.persist { 0 } else { self.learned };
        loop {
            if left == 0 {
                // Out of tries. A BMC that has answered in this call is worth the rest of the
                // deadline on a lossy path: another round, for the exchanges that are safe to
                // repeat.
                if self.persist
                    && self.received > 0
                    && !refused
                    && Instant::now() + self.limits.timeout < self.deadline
                {
                    self.rounds += 1;
                    round += 1;
                    let timeout = self.limits.round_timeout(round);
                    tracing::debug!(target: "ipmi_core", step, rounds = self.rounds, timeout_ms = timeout.as_millis() as u64, "no answer from a BMC that has answered: another round of tries");
                    left = tries;
                } else {
                    break;
                }
            }
            left -= 1;
            let now = Instant::now();
            if now >= self.deadline {
                return Err(self.deadline_error(step));
            }
            let until = (now + self.limits.round_timeout(round)).min(self.deadline);
            let packet = build();
            self.sent += 1;
            if self.received == 0 {
                self.silent_tries += 1;
            }
            if let Err(e) = self.socket.send(&packet) {
                if e.kind() == ErrorKind::ConnectionRefused {
                    // The ICMP error of an earlier datagram, reported on this call: nothing
                    // listens, and waiting out the tries would not change that.
                    refused = true;
                    break;
                }
                return Err(IpmiError::Socket {
                    target: self.target.clone(),
                    reason: e.to_string(),
                });
            }
            tracing::trace!(target: "ipmi_core", step, bytes = packet.len(), "sent");
            loop {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                self.socket
                    .set_read_timeout(Some(left))
                    .map_err(|e| IpmiError::Socket {
                        target: self.target.clone(),
                        reason: e.to_string(),
                    })?;
                match self.socket.recv(&mut buf) {
                    Ok(n) => {
                        self.received += 1;
                        match judge(&buf[..n]) {
                            Verdict::Done(t) => {
                                self.learned = round;
                                return Ok(t);
                            }
                            Verdict::Fail(e) => return Err(e),
                            Verdict::Unauthenticated => unauthenticated = true,
                            Verdict::Ignore => {
                                tracing::trace!(target: "ipmi_core", step, bytes = n, "ignored a datagram");
                            }
                        }
                    }
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                        break;
                    }
                    Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                        // Port unreachable: said at once (the host answered for the port).
                        refused = true;
                        break;
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => {
                        return Err(IpmiError::Socket {
                            target: self.target.clone(),
                            reason: e.to_string(),
                        });
                    }
                }
            }
            if refused {
                break;
            }
            if Instant::now() >= self.deadline {
                return Err(self.deadline_error(step));
            }
        }
        Err(if unauthenticated {
            IpmiError::Unauthenticated {
                target: self.target.clone(),
                step,
                hint: hints.unauthenticated,
            }
        } else if refused {
            IpmiError::Refused {
                target: self.target.clone(),
                step,
            }
        } else {
            IpmiError::NoAnswer {
                target: self.target.clone(),
                step,
                tries,
                timeout: self.limits.round_timeout(round),
                hint: hints.silent,
            }
        })
    }

    /// Sends one datagram and does not wait (the best-effort Close Session of a dropped session).
    pub fn send_only(&mut self, packet: &[u8]) {
        self.sent += 1;
        let _ = self.socket.send(packet);
    }
}
