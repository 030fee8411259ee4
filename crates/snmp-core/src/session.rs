//! A session with one agent, built from a validated request's device params.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_snmp::{
    Auth, ClientBuilder, DesSaltState, ErrorStatus, PersistedDesSaltState, Retry, UdpHandle,
    UdpTransport, UsmConfig,
};
use dci_protocol::{
    AuthProtocol, Device, Host, Limits, PrivProtocol, SnmpAuth, SnmpVersion, UsmSecurity,
};

use crate::counting::{Counters, Counting, Stats, UsmReport};
use crate::error::SnmpError;
use crate::value::{Exception, Oid, Value, from_wire};

/// SNMP's UDP port.
pub const DEFAULT_PORT: u16 = 161;

/// Variables read by [`Session::open`] besides the runtime's limits.
pub mod env {
    /// GETBULK max-repetitions (net-snmp's `-Cr`). Default: as many rows as fit 256 values
    /// for the columns walked together, at least 10.
    pub const MAX_REPETITIONS: &str = "DCIH_SNMP_MAX_REPETITIONS";
}

/// Values one GETBULK asks for when max-repetitions is automatic. Agents answer with fewer
/// when their message size or their own cap (snmpsim: 64) says so; asking for more than they
/// send costs nothing, asking for fewer costs a round trip.
pub(crate) const BULK_VALUES: u32 = 256;

/// The client type, counted.
type SnmpClient = async_snmp::Client<Counting<UdpHandle>>;

/// One agent, one credential, one deadline. Every call is bounded by the per-request timeout
/// and retries of [`Limits`] and by the overall deadline given at [`Session::open`].
pub struct Session {
    pub(crate) client: SnmpClient,
    /// What built `client` (credentials included: never logged), and the transport handle,
    /// for the clients of later rounds ([`Session::read`]), which differ only in their per-try
    /// timeout. They share `client`'s v3 engine cache, so no round rediscovers the engine.
    builder: ClientBuilder,
    /// On authPriv sessions, the same user and authentication key without privacy: asked once
    /// when the agent answers but nothing of ours passes, to tell a wrong privacy key (it
    /// answers this) from a wrong authentication key. net-snmp's agent sends no report for a
    /// wrong privacy key; it only fails to parse what it decrypted.
    auth_only: Option<ClientBuilder>,
    handle: UdpHandle,
    /// The clients of later rounds, by per-try timeout, built when first needed.
    slower: std::sync::Mutex<Vec<(Duration, SnmpClient)>>,
    /// The round whose tries got the last read's answer: a SET, which has only its fixed
    /// tries, waits per try as long as that round did, so a slow agent is not taken for a
    /// silent one.
    learned: std::sync::atomic::AtomicU32,
    // Owns the socket and its receive task; the client's handle is only a view of it.
    transport: UdpTransport,
    pub(crate) target: String,
    pub(crate) version: SnmpVersion,
    counters: Arc<Counters>,
    deadline: Instant,
    limits: Limits,
    pub(crate) max_repetitions: Option<u32>,
    /// Walk with GETNEXT whatever the version ([`Session::walk_with_getnext`]).
    pub(crate) getnext: bool,
    /// Reads sent again after a timeout, once the agent had answered.
    pub(crate) rounds: std::sync::atomic::AtomicU32,
    /// A socket connected to the agent's address, which sent it one empty datagram: the
    /// host's ICMP port unreachable for it arrives here as ECONNREFUSED, so "nothing listens"
    /// is told from silence at once. `None` where it could not be opened.
    pub(crate) probe: Option<tokio::net::UdpSocket>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("target", &self.target)
            .field("version", &self.version)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// Which of an agent's instances a session talks to. Cisco keeps a bridge (MAC table) per VLAN,
/// reached on v1/v2c by another community (`public@10`) and on v3 by a context name (`vlan-10`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Instance<'a> {
    /// The agent's default instance: the device params as they are.
    Default,
    /// On v1/v2c, this community instead of the device's (a secret: never logged).
    Community(&'a str),
    /// On v3, this context name.
    Context(&'a str),
}

impl std::fmt::Debug for Instance<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Instance::Default => f.write_str("Default"),
            Instance::Community(_) => f.write_str("Community(***)"),
            Instance::Context(c) => write!(f, "Context({c:?})"),
        }
    }
}

impl Session {
    /// Opens the session a handler's call needs: the call's device, the runtime's limits, and
    /// the call's deadline ([`Session::open`]).
    pub async fn for_call(cx: &dci_protocol::Context) -> Result<Session, SnmpError> {
        Session::open(cx.device(), cx.limits(), cx.deadline()).await
    }

    /// Opens a session to `device` (which must carry SNMP credentials) with the runtime's
    /// limits; every exchange must end before `deadline`.
    pub async fn open(
        device: &Device,
        limits: &Limits,
        deadline: Instant,
    ) -> Result<Session, SnmpError> {
        Session::open_instance(device, limits, deadline, Instance::Default).await
    }

    /// [`Session::open`] to another `instance` of the agent. An instance that does not fit the
    /// version (a community on v3, a context on v1/v2c) is a configuration error.
    pub async fn open_instance(
        device: &Device,
        limits: &Limits,
        deadline: Instant,
        instance: Instance<'_>,
    ) -> Result<Session, SnmpError> {
        let auth = device.snmp.as_ref().ok_or_else(|| SnmpError::Config {
            reason: "the request carries no SNMP credentials".into(),
        })?;
        let port = device.endpoint.port_or(DEFAULT_PORT);
        let addr = resolve(&device.endpoint.host, port, deadline).await?;
        let target = device.endpoint.socket_string(DEFAULT_PORT);
        let bind = match addr.ip() {
            IpAddr::V4(_) => "0.0.0.0:0",
            IpAddr::V6(_) => "[::]:0",
        };
        // async-snmp advertises 1472 bytes as SNMPv3 msgMaxSize by default; net-snmp then answers
        // a GETBULK whose encrypted answer would not fit with genErr instead of fewer rows. We
        // advertise the full UDP payload, as net-snmp's own tools do: fewer round trips too.
        let transport = UdpTransport::builder()
            .bind(bind)
            .receive_capacity(async_snmp::MAX_UDP_PAYLOAD)
            .build()
            .await
            .map_err(|e| SnmpError::Network {
                target: target.clone(),
                reason: format!("cannot open a UDP socket: {}", e.kind()),
            })?;
        // Answers count only from the agent's address: a datagram from anywhere else is
        // dropped (and counted, see the session cost line), never taken for the agent's.
        let handle = transport
            .handle(addr)
            .map_err(|e| SnmpError::Network {
                target: target.clone(),
                reason: e.kind().to_string(),
            })?
            .strict_source(true);
        let counters = Arc::new(Counters::default());
        let retry =
            Retry::fixed(limits.retries, Duration::ZERO).map_err(|_| SnmpError::Config {
                reason: format!(
                    "{} retries are more than the SNMP client allows",
                    limits.retries
                ),
            })?;
        // Shared by the clients of later rounds: one engine discovery per session.
        let engines = Arc::new(async_snmp::EngineCache::new());
        let mut builder = ClientBuilder::new(wire_auth(auth, instance)?)
            .retry(retry)
            // One multi-varbind GETNEXT per row on v1: never split a row over requests.
            .max_oids_per_request(128)
            .engine_cache(Arc::clone(&engines));
        // Not on another context: an agent without that context is silent to both, and the
        // default instance has told a wrong key already.
        let auth_only = match without_privacy(auth).filter(|_| instance == Instance::Default) {
            Some(a) => Some(
                ClientBuilder::new(wire_auth(&a, instance)?)
                    .retry(
                        Retry::fixed(1, Duration::ZERO).map_err(|_| SnmpError::Config {
                            reason: "one retry is more than the SNMP client allows".into(),
                        })?,
                    )
                    .request_timeout(limits.timeout)
                    .engine_cache(engines),
            ),
            None => None,
        };
        if uses_des(auth) {
            builder = builder.des_salt_state(des_salt_state()?);
        }
        let client = build_client(&builder, limits.timeout, &handle, &counters).map_err(|e| {
            SnmpError::Config {
                reason: e.kind().to_string(),
            }
        })?;
        let max_repetitions = match std::env::var(env::MAX_REPETITIONS) {
            Ok(v) => Some(
                v.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| SnmpError::Config {
                        reason: format!(
                            "environment variable {}: expected a number from 1 to 1000, got '{v}'",
                            env::MAX_REPETITIONS
                        ),
                    })?,
            ),
            Err(_) => None,
        };
        tracing::debug!(snmp.target = %target, version = %auth.version(), "snmp session open");
        Ok(Session {
            client,
            builder,
            auth_only,
            handle,
            slower: std::sync::Mutex::new(Vec::new()),
            learned: std::sync::atomic::AtomicU32::new(0),
            transport,
            target,
            version: auth.version(),
            counters,
            deadline,
            limits: *limits,
            max_repetitions,
            getnext: false,
            rounds: std::sync::atomic::AtomicU32::new(0),
            probe: probe(addr).await,
        })
    }

    /// Makes every walk of this session use multi-varbind GETNEXT (one row per round trip), as
    /// on SNMPv1, also on v2c and v3: for agents that do not answer GETBULK, or answer it
    /// wrongly (the IBM BladeCenter management module). Walks still end on endOfMibView,
    /// noSuchName or the first OID outside a column, as before.
    pub fn walk_with_getnext(mut self) -> Session {
        self.getnext = true;
        self
    }

    /// `host:port` of the agent.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The SNMP version in use.
    pub fn version(&self) -> SnmpVersion {
        self.version
    }

    /// What the session has cost so far.
    pub fn stats(&self) -> Stats {
        self.counters.snapshot()
    }

    /// The overall deadline.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Runs one read (GET, GETNEXT, GETBULK: safe to repeat) under the overall deadline. The
    /// first exchange of a call gets the fixed tries (`DCIH_RETRIES`), so an agent that never
    /// answers is reported as fast as ever; once the agent has answered in this call, a read
    /// that times out is sent again, a whole round of tries at a time, each round with twice
    /// the per-try timeout of the one before up to `DCIH_TIMEOUT_MAX`, until the deadline: on a
    /// lossy or congested path a live agent is worth the wait. `make` sends the read with the
    /// client it is given.
    pub(crate) async fn read<T, F, Fut>(&self, make: F) -> Result<T, Failure>
    where
        F: Fn(SnmpClient) -> Fut,
        Fut: Future<Output = async_snmp::Result<T>>,
    {
        let mut round = 0u32;
        loop {
            let answered = self.counters.answers() > 0;
            match self.bounded(make(self.client_of(round)?)).await {
                Ok(v) => {
                    self.learned
                        .store(round, std::sync::atomic::Ordering::Relaxed);
                    return Ok(v);
                }
                Err(Failure::Client(e))
                    if answered
                        && matches!(*e, async_snmp::Error::Timeout { .. })
                        && Instant::now() + self.limits.timeout < self.deadline =>
                {
                    round += 1;
                    let rounds = self
                        .rounds
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                        + 1;
                    let timeout = self.limits.round_timeout(round);
                    tracing::debug!(snmp.target = %self.target, rounds, timeout_ms = timeout.as_millis() as u64, "no answer to a read of an agent that has answered: sending it again");
                }
                other => return other,
            }
        }
    }

    /// The client of round `round` (0: the session's own), built the first time it is asked
    /// for.
    fn client_of(&self, round: u32) -> Result<SnmpClient, Failure> {
        if round == 0 {
            return Ok(self.client.clone());
        }
        let timeout = self.limits.round_timeout(round);
        let mut slower = self.slower.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, c)) = slower.iter().find(|(t, _)| *t == timeout) {
            return Ok(c.clone());
        }
        let c = build_client(&self.builder, timeout, &self.handle, &self.counters)
            .map_err(Failure::Client)?;
        slower.push((timeout, c.clone()));
        Ok(c)
    }

    /// Whether the agent answers this session's user and authentication key without privacy
    /// (a GET of sysUpTime, two tries): any authenticated answer, an error-status included,
    /// proves both, which leaves the privacy key or protocol. False on other sessions.
    async fn privacy_refused(&self) -> bool {
        let Some(builder) = &self.auth_only else {
            return false;
        };
        let Ok(client) = builder.clone().build_with_transport(Counting {
            inner: self.handle.clone(),
            counters: Arc::clone(&self.counters),
        }) else {
            return false;
        };
        let sys_uptime = async_snmp::Oid::from_slice(&[1, 3, 6, 1, 2, 1, 1, 3, 0]);
        let answered =
            match tokio::time::timeout_at(self.deadline.into(), client.get(&sys_uptime)).await {
                Ok(Ok(_)) => true,
                Ok(Err(e)) => Failure::Client(e).status().is_some(),
                Err(_) => false,
            };
        tracing::debug!(snmp.target = %self.target, answered, "the same user and authentication key without privacy");
        answered
    }

    /// Resolves when the probe socket sees the host's port unreachable; never otherwise.
    async fn refused(&self) {
        let Some(probe) = &self.probe else {
            return std::future::pending().await;
        };
        let mut buf = [0u8; 1];
        loop {
            match probe.recv(&mut buf).await {
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return,
                // An agent that answers an empty datagram, or another error: say nothing.
                Ok(_) => {}
                Err(_) => return std::future::pending().await,
            }
        }
    }

    /// Resolves when the agent has sent a USM report that ends the exchange (unknown user,
    /// wrong keys): async-snmp rightly ignores an unauthenticated report and would wait out the
    /// tries, but the agent will say the same to every try. Checked every 20 ms.
    async fn usm_report(&self) -> UsmReport {
        if self.version != SnmpVersion::V3 {
            return std::future::pending().await;
        }
        loop {
            if let Some(r) = self.counters.report() {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Runs one exchange under the overall deadline.
    pub(crate) async fn bounded<T>(
        &self,
        fut: impl Future<Output = async_snmp::Result<T>>,
    ) -> Result<T, Failure> {
        // The SNMPv3 handshake (engine discovery, time synchronisation) is answered by any agent
        // that speaks v3: those reports are not counted as answers.
        let answers_before = self.counters.answers();
        let exchange = tokio::time::timeout_at(self.deadline.into(), fut);
        let result = tokio::select! {
            biased;
            r = exchange => r,
            () = self.refused() => return Err(Failure::Refused),
            report = self.usm_report() => return Err(Failure::Report(report)),
        };
        match result {
            Ok(Ok(v)) => Ok(v),
            // Datagrams came back but none was accepted: on v3 that is a wrong key or protocol
            // (the agent's report of it is unauthenticated, so the client rightly ignores it).
            Ok(Err(e))
                if matches!(*e, async_snmp::Error::Timeout { .. })
                    && self.version == SnmpVersion::V3
                    && self.counters.answers() > answers_before =>
            {
                Err(Failure::Rejected {
                    privacy: self.privacy_refused().await,
                })
            }
            // The agent did the handshake but never answered a request of this session: on
            // authPriv, a wrong privacy key draws no report from net-snmp; ask without privacy.
            Ok(Err(e))
                if matches!(*e, async_snmp::Error::Timeout { .. })
                    && self.version == SnmpVersion::V3
                    && answers_before == 0
                    && self.counters.handshakes() > 0
                    && self.privacy_refused().await =>
            {
                Err(Failure::Rejected { privacy: true })
            }
            Ok(Err(e)) => Err(Failure::Client(e)),
            Err(_) => Err(Failure::Deadline),
        }
    }

    /// Turns a failed exchange into our error, with the facts and none of the secrets.
    pub(crate) fn error(&self, f: &Failure, oids: &[Oid]) -> SnmpError {
        match f {
            // The deadline came while an agent that had answered kept silent: say that.
            Failure::Deadline if self.counters.answers() > 0 => SnmpError::WentSilent {
                target: self.target.clone(),
                answers: self.counters.answers(),
                rounds: self.rounds.load(std::sync::atomic::Ordering::Relaxed),
            },
            Failure::Deadline => SnmpError::Deadline {
                target: self.target.clone(),
                deadline: self.limits.deadline,
            },
            Failure::Refused => SnmpError::NothingListens {
                target: self.target.clone(),
            },
            Failure::Report(r) => SnmpError::Auth {
                target: self.target.clone(),
                reason: r.words().to_owned(),
            },
            Failure::Rejected { privacy: true } => SnmpError::Auth {
                target: self.target.clone(),
                reason: "it answers this user and authentication passphrase without privacy, but nothing encrypted with this privacy passphrase: wrong privacy passphrase or protocol".into(),
            },
            Failure::Rejected { privacy: false } => SnmpError::Auth {
                target: self.target.clone(),
                reason: "it answered, but no answer passed authentication and decryption (wrong authentication or privacy passphrase, or protocol?)".into(),
            },
            Failure::Client(e) => self.client_error(e, oids),
        }
    }

    fn client_error(&self, e: &async_snmp::Error, oids: &[Oid]) -> SnmpError {
        use async_snmp::Error as E;
        let target = self.target.clone();
        match e {
            E::SharedOperation { source } => self.client_error(source, oids),
            E::OutboundMessageTooLarge { size, limit } => SnmpError::RequestTooLarge {
                target,
                size: *size,
                limit: *limit,
            },
            E::Exchange { source, .. } => self.client_error(source, oids),
            E::Timeout { retries, .. } => {
                let answers = self.counters.answers();
                let udp = self.transport.stats();
                if answers > 0 {
                    SnmpError::WentSilent {
                        target,
                        answers,
                        rounds: self.rounds.load(std::sync::atomic::Ordering::Relaxed),
                    }
                } else if udp.malformed_datagrams + udp.discarded_datagrams > 0 {
                    SnmpError::Unreadable {
                        target,
                        malformed: udp.malformed_datagrams,
                        discarded: udp.discarded_datagrams,
                    }
                } else {
                    SnmpError::NoAnswer {
                        target,
                        tries: retries + 1,
                        timeout: self.limits.timeout,
                        credential: if self.version == SnmpVersion::V3 {
                            "SNMPv3 user and keys"
                        } else {
                            "community"
                        },
                    }
                }
            }
            E::Network { source, .. } => SnmpError::Network {
                target,
                reason: source.to_string(),
            },
            E::Auth { .. } => SnmpError::Auth {
                target,
                reason: "the answer failed authentication (wrong authentication key?)".into(),
            },
            E::Report { status, .. } => SnmpError::Auth {
                target,
                reason: format!(
                    "the agent reported {status} (unknown user, wrong key, or a security level the user does not have)"
                ),
            },
            // The view-based access control refused the request: the credentials' rights.
            E::Snmp { status, .. } if *status == async_snmp::ErrorStatus::AuthorizationError => {
                SnmpError::Auth {
                    target,
                    reason: "the agent answered authorizationError: this user or community may not read (or write) these objects".into(),
                }
            }
            E::Snmp {
                status, index, oid, ..
            } => SnmpError::Status {
                target,
                status: status.to_string(),
                oid: oid.as_ref().map(|o| Oid(o.arcs().to_vec())).or_else(|| {
                    index
                        .checked_sub(1)
                        .and_then(|i| oids.get(i as usize).cloned())
                }),
            },
            other => SnmpError::Malformed {
                target,
                reason: other.kind().to_string(),
            },
        }
    }

    /// GET of several objects in one request; each must exist.
    pub async fn get(&self, oids: &[&[u32]]) -> Result<Vec<Value>, SnmpError> {
        let found = self.get_optional(oids).await?;
        found
            .into_iter()
            .zip(oids)
            .map(|(v, oid)| {
                v.map_err(|exception| SnmpError::NoSuch {
                    target: self.target.clone(),
                    oid: Oid::from(*oid),
                    exception,
                })
            })
            .collect()
    }

    /// GET of several objects in one request; an object the agent does not have is `Err` with
    /// the exception's name, so a handler can probe for optional MIBs. SNMPv1 has no
    /// exceptions: its agent refuses the whole GET with noSuchName and the index of the first
    /// missing object, which is marked `Err("noSuchName")` and the GET repeated for the others
    /// (one more request per missing object, on v1 only).
    pub async fn get_optional(
        &self,
        oids: &[&[u32]],
    ) -> Result<Vec<Result<Value, &'static str>>, SnmpError> {
        self.get_optional_from(oids, false).await
    }

    /// [`Session::get_optional`] of objects that matter only when the first exists (an outlet's
    /// state, then objects about it): `None` when the agent has no first object. On SNMPv1 a
    /// missing first object ends it without asking again for the others.
    pub async fn get_if_first(
        &self,
        oids: &[&[u32]],
    ) -> Result<Option<Vec<Result<Value, &'static str>>>, SnmpError> {
        let got = self.get_optional_from(oids, true).await?;
        Ok(got.first().is_some_and(Result::is_ok).then_some(got))
    }

    async fn get_optional_from(
        &self,
        oids: &[&[u32]],
        first_needed: bool,
    ) -> Result<Vec<Result<Value, &'static str>>, SnmpError> {
        let mut found: Vec<Option<Result<Value, &'static str>>> = vec![None; oids.len()];
        // Positions (in `oids`) still to ask for.
        let mut asking: Vec<usize> = (0..oids.len()).collect();
        while !asking.is_empty() {
            let wire: Vec<async_snmp::Oid> = asking
                .iter()
                .map(|&i| async_snmp::Oid::from_slice(oids[i]))
                .collect();
            let ours: Vec<Oid> = asking.iter().map(|&i| Oid::from(oids[i])).collect();
            let resp = match self
                .read(|c| {
                    let wire = &wire;
                    async move { c.get_many(wire).await }
                })
                .await
            {
                Ok(r) => r,
                Err(e) if self.version == SnmpVersion::V1 && e.is_no_such_name() => {
                    let k = e.error_index().unwrap_or(0) as usize;
                    // An index that names no varbind: with one object, it is that one.
                    let k = match (k, asking.len()) {
                        (1.., n) if k <= n => k - 1,
                        (_, 1) => 0,
                        _ => return Err(self.error(&e, &ours)),
                    };
                    let missing = asking.remove(k);
                    found[missing] = Some(Err("noSuchName"));
                    if first_needed && missing == 0 {
                        break;
                    }
                    // The agent names only the first missing object; the others are settled
                    // in one GETNEXT rather than one GET per missing object.
                    self.settle_by_getnext(oids, &mut asking, &mut found)
                        .await?;
                    continue;
                }
                // An answer that would not fit: ask for the halves (a UPS asks for every
                // candidate object at once, and some agents take a few dozen at most).
                Err(e) if e.is_too_big() && asking.len() > 1 => {
                    let half = asking.len() / 2;
                    tracing::debug!(snmp.target = %self.target, objects = asking.len(), "tooBig (or genErr): a GET in halves");
                    for part in [&asking[..half], &asking[half..]] {
                        let part_oids: Vec<&[u32]> = part.iter().map(|&i| oids[i]).collect();
                        let got = Box::pin(self.get_optional_from(&part_oids, false)).await?;
                        for (&i, v) in part.iter().zip(got) {
                            found[i] = Some(v);
                        }
                    }
                    asking.clear();
                    continue;
                }
                Err(e) => return Err(self.error(&e, &ours)),
            };
            self.one_value_each(resp.varbinds.len(), asking.len(), "GET")?;
            for ((vb, oid), &i) in resp.varbinds.iter().zip(&ours).zip(&asking) {
                if vb.oid.arcs() != oid.arcs() {
                    return Err(SnmpError::Malformed {
                        target: self.target.clone(),
                        reason: format!("asked for {oid}, got {}", Oid(vb.oid.arcs().to_vec())),
                    });
                }
                found[i] = Some(match from_wire(&vb.value) {
                    Ok(v) => Ok(v),
                    Err(Some(x)) => Err(x.name()),
                    Err(None) => Err("a value of an unknown type"),
                });
            }
            asking.clear();
        }
        Ok(found
            .into_iter()
            // Every position was answered or marked missing before `asking` emptied.
            .map(|f| f.unwrap_or(Err("not answered")))
            .collect())
    }

    /// SNMPv1: whether each object in `asking` exists, from one GETNEXT of the object just
    /// before each: the agent answers with the object itself when it exists, and with a later
    /// one when it does not. An answer between the two (an object under the one asked, as a
    /// variable-length index can make) settles nothing: that object stays in `asking` for a GET.
    /// Past the end of the MIB (noSuchName), the object and every later one do not exist: two
    /// GETNEXTs at most.
    async fn settle_by_getnext(
        &self,
        oids: &[&[u32]],
        asking: &mut Vec<usize>,
        found: &mut [Option<Result<Value, &'static str>>],
    ) -> Result<(), SnmpError> {
        let before = |oid: &[u32]| -> Vec<u32> {
            let mut p = oid.to_vec();
            match p.last_mut() {
                Some(0) | None => {
                    p.pop();
                }
                Some(last) => *last -= 1,
            }
            p
        };
        // In OID order, the first object an agent finds past the end of its MIB is the
        // earliest such: every later one goes with it, and the next GETNEXT succeeds.
        asking.sort_by_key(|&i| oids[i]);
        while !asking.is_empty() {
            let asked: Vec<Oid> = asking.iter().map(|&i| Oid(before(oids[i]))).collect();
            let wire: Vec<async_snmp::Oid> = asked
                .iter()
                .map(|o| async_snmp::Oid::from_slice(o.arcs()))
                .collect();
            let resp = match self
                .read(|c| {
                    let wire = &wire;
                    async move { c.get_next_many(wire).await }
                })
                .await
            {
                Ok(r) => r,
                Err(e) if e.is_no_such_name() => {
                    let k = e.error_index().unwrap_or(0) as usize;
                    let Some(end) = k.checked_sub(1).and_then(|k| asked.get(k)) else {
                        return Err(self.error(&e, &asked));
                    };
                    // Nothing follows `end`: nothing after it exists.
                    asking.retain(|&i| {
                        let gone = oids[i] > end.arcs();
                        if gone {
                            found[i] = Some(Err("noSuchName"));
                        }
                        !gone
                    });
                    continue;
                }
                Err(e) => return Err(self.error(&e, &asked)),
            };
            self.one_value_each(resp.varbinds.len(), asking.len(), "GETNEXT")?;
            let mut unsettled = Vec::new();
            for (vb, &i) in resp.varbinds.iter().zip(asking.iter()) {
                let got = vb.oid.arcs();
                if got == oids[i] {
                    found[i] = Some(
                        from_wire(&vb.value)
                            .map_err(|x| x.map_or("a value of an unknown type", |x| x.name())),
                    );
                } else if got < oids[i] {
                    unsettled.push(i);
                } else {
                    found[i] = Some(Err("noSuchName"));
                }
            }
            *asking = unsettled;
            break;
        }
        Ok(())
    }

    /// An answer with a value for each object asked, or the malformed-answer error.
    fn one_value_each(&self, got: usize, asked: usize, op: &str) -> Result<(), SnmpError> {
        if got == asked {
            return Ok(());
        }
        Err(SnmpError::Malformed {
            target: self.target.clone(),
            reason: format!("{got} values in answer to a {op} of {asked}"),
        })
    }

    /// SET of one object. An agent that answers with an exception instead of the value (as
    /// snmpsim does for read-only objects) has not accepted it.
    pub async fn set(&self, oid: &[u32], value: &Value) -> Result<(), SnmpError> {
        self.set_many(&[(oid, value.clone())]).await
    }

    /// SET of several objects in one request, in the order given (agents apply a PDU as one,
    /// and some need a row's objects together). Every binding of the answer is checked: an
    /// agent that answers one with an exception and error-status 0 (snmpsim does, for an
    /// object it cannot write) has not done it, and that object is named.
    pub async fn set_many<O: AsRef<[u32]>>(
        &self,
        varbinds: &[(O, Value)],
    ) -> Result<(), SnmpError> {
        let ours: Vec<Oid> = varbinds
            .iter()
            .map(|(o, _)| Oid::from(o.as_ref()))
            .collect();
        let wire: Vec<(async_snmp::Oid, async_snmp::Value)> = varbinds
            .iter()
            .map(|(o, v)| (async_snmp::Oid::from_slice(o.as_ref()), v.to_wire()))
            .collect();
        let learned = self.learned.load(std::sync::atomic::Ordering::Relaxed);
        let client = self.client_of(learned).map_err(|e| self.error(&e, &ours))?;
        let resp = self
            .bounded(client.set_many(&wire))
            .await
            .map_err(|e| self.error(&e, &ours))?;
        for (vb, oid) in resp.varbinds.iter().zip(&ours) {
            if let Err(Some(x)) = from_wire(&vb.value) {
                return Err(SnmpError::NoSuch {
                    target: self.target.clone(),
                    oid: oid.clone(),
                    exception: x.name(),
                });
            }
        }
        Ok(())
    }

    /// SET, then read the object back until `done` accepts what the device reports or
    /// `within` passes (never beyond the overall deadline). Returns the value read. The first
    /// read follows the SET at once; later ones come every `every`.
    ///
    /// A SET that an agent which has answered in this call leaves unanswered may have been
    /// applied (the answer lost, or late): it is never sent again blindly, the object is read
    /// as for any SET, and if the state never shows the error is the unanswered SET's.
    pub async fn set_and_confirm(
        &self,
        oid: &[u32],
        value: &Value,
        within: Duration,
        every: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Result<Value, SnmpError> {
        self.set_then_read(
            self.set(oid, value),
            self.confirm(oid, value.to_string(), within, every, done),
        )
        .await
    }

    /// Runs `set`, then `read` (the read-back of what it set). A SET left unanswered by an
    /// agent that has answered before ([`SnmpError::WentSilent`]) may have been applied: `read`
    /// runs all the same and decides; if it fails too, the SET's error is the one reported.
    pub async fn set_then_read<T>(
        &self,
        set: impl Future<Output = Result<(), SnmpError>>,
        read: impl Future<Output = Result<T, SnmpError>>,
    ) -> Result<T, SnmpError> {
        let unanswered = match set.await {
            Ok(()) => None,
            Err(e @ SnmpError::WentSilent { .. }) => {
                tracing::debug!(snmp.target = %self.target, "no answer to the SET (it may have been applied): reading the state instead of sending it again");
                Some(e)
            }
            Err(e) => return Err(e),
        };
        read.await.map_err(|e| unanswered.unwrap_or(e))
    }

    /// Reads `oid` until `done` accepts it or `within` passes; `wanted` describes the goal in
    /// the error text.
    pub async fn confirm(
        &self,
        oid: &[u32],
        wanted: String,
        within: Duration,
        every: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Result<Value, SnmpError> {
        let started = Instant::now();
        let until = (started + within).min(self.deadline);
        loop {
            let v = self.get(&[oid]).await?.remove(0);
            if done(&v) {
                tracing::debug!(snmp.target = %self.target, oid = %Oid::from(oid), value = %v, waited_ms = started.elapsed().as_millis() as u64, "confirmed");
                return Ok(v);
            }
            let now = Instant::now();
            if now + every > until {
                return Err(SnmpError::NotConfirmed {
                    target: self.target.clone(),
                    oid: Oid::from(oid),
                    wanted,
                    last: v.to_string(),
                    waited: started.elapsed(),
                });
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// The session's client with per-try `timeout`, counted.
fn build_client(
    builder: &ClientBuilder,
    timeout: Duration,
    handle: &UdpHandle,
    counters: &Arc<Counters>,
) -> async_snmp::Result<SnmpClient> {
    builder
        .clone()
        .request_timeout(timeout)
        .build_with_transport(Counting {
            inner: handle.clone(),
            counters: Arc::clone(counters),
        })
}

/// The probe socket of [`Session::probe`]: connected to `addr`, one empty datagram sent (an
/// agent reads a zero-length datagram as nothing and drops it).
async fn probe(addr: SocketAddr) -> Option<tokio::net::UdpSocket> {
    let bind = match addr.ip() {
        IpAddr::V4(_) => "0.0.0.0:0",
        IpAddr::V6(_) => "[::]:0",
    };
    let socket = tokio::net::UdpSocket::bind(bind).await.ok()?;
    socket.connect(addr).await.ok()?;
    socket.send(&[]).await.ok()?;
    Some(socket)
}

impl Drop for Session {
    fn drop(&mut self) {
        let s = self.stats();
        tracing::debug!(
            snmp.target = %self.target,
            requests = s.requests,
            bytes_sent = s.bytes_sent,
            responses = s.responses,
            bytes_received = s.bytes_received,
            rounds_repeated = self.rounds.load(std::sync::atomic::Ordering::Relaxed),
            discarded = self.transport.stats().discarded_datagrams,
            malformed = self.transport.stats().malformed_datagrams,
            "snmp session cost"
        );
    }
}

/// How an exchange failed: the client said so, or the overall deadline passed.
#[derive(Debug)]
pub(crate) enum Failure {
    Client(Box<async_snmp::Error>),
    /// The host answered port unreachable: nothing listens.
    Refused,
    /// The agent refused the credentials with a USM report.
    Report(UsmReport),
    /// Answers came, none was accepted; `privacy`: the same user and authentication key
    /// without privacy were answered, so the privacy key or protocol is what is wrong.
    Rejected {
        privacy: bool,
    },
    Deadline,
}

impl Failure {
    /// The client's error, looking through its wrappers.
    fn client(&self) -> Option<&async_snmp::Error> {
        fn inner(e: &async_snmp::Error) -> &async_snmp::Error {
            match e {
                async_snmp::Error::SharedOperation { source } => inner(source),
                async_snmp::Error::Exchange { source, .. } => inner(source),
                other => other,
            }
        }
        match self {
            Failure::Client(e) => Some(inner(e)),
            Failure::Rejected { .. }
            | Failure::Deadline
            | Failure::Refused
            | Failure::Report(_) => None,
        }
    }

    fn status(&self) -> Option<(ErrorStatus, u32)> {
        match self.client() {
            Some(async_snmp::Error::Snmp { status, index, .. }) => Some((*status, *index)),
            _ => None,
        }
    }

    /// SNMPv1's "no such name" error-status: the end of the MIB for GETNEXT, a missing object
    /// for GET.
    pub(crate) fn is_no_such_name(&self) -> bool {
        matches!(self.status(), Some((ErrorStatus::NoSuchName, _)))
    }

    /// tooBig, or genErr, which some agents (net-snmp on v3) send instead when a GETBULK
    /// answer would not fit.
    pub(crate) fn is_too_big(&self) -> bool {
        matches!(
            self.status(),
            Some((ErrorStatus::TooBig | ErrorStatus::GenErr, _))
        )
    }

    /// The 1-based varbind index an error-status names.
    pub(crate) fn error_index(&self) -> Option<u32> {
        self.status().map(|(_, i)| i)
    }
}

async fn resolve(host: &Host, port: u16, deadline: Instant) -> Result<SocketAddr, SnmpError> {
    match host {
        Host::Ip(ip) => Ok(SocketAddr::new(*ip, port)),
        Host::Name(name) => {
            let lookup = tokio::net::lookup_host((name.as_str(), port));
            let found = tokio::time::timeout_at(deadline.into(), lookup)
                .await
                .map_err(|_| SnmpError::Resolve {
                    host: name.clone(),
                    reason: "no answer before the deadline".into(),
                })?
                .map_err(|e| SnmpError::Resolve {
                    host: name.clone(),
                    reason: e.to_string(),
                })?;
            found.into_iter().next().ok_or_else(|| SnmpError::Resolve {
                host: name.clone(),
                reason: "no addresses".into(),
            })
        }
    }
}

fn wire_auth(auth: &SnmpAuth, instance: Instance<'_>) -> Result<Auth, SnmpError> {
    let refused = |what: &str| SnmpError::Config {
        reason: format!("the SNMPv3 {what} cannot be used"),
    };
    let community = |own: &str| match instance {
        Instance::Default => Ok(own.to_owned()),
        Instance::Community(c) => Ok(c.to_owned()),
        Instance::Context(_) => Err(SnmpError::Config {
            reason: "an SNMPv3 context on an SNMPv1/v2c session".into(),
        }),
    };
    Ok(match auth {
        SnmpAuth::V1 { community: c } => Auth::v1(community(c.expose())?),
        SnmpAuth::V2c { community: c } => Auth::v2c(community(c.expose())?),
        SnmpAuth::V3(usm) => {
            let mut base = UsmConfig::new(usm.user.clone().into_bytes());
            match instance {
                Instance::Default => {}
                Instance::Context(ctx) => base = base.context_name(ctx.as_bytes().to_vec()),
                Instance::Community(_) => {
                    return Err(SnmpError::Config {
                        reason: "a community on an SNMPv3 session".into(),
                    });
                }
            }
            let cfg = match &usm.security {
                UsmSecurity::NoAuth => base,
                UsmSecurity::AuthNoPriv {
                    auth_protocol,
                    auth,
                } => base
                    .auth(wire_auth_protocol(*auth_protocol), auth.expose())
                    .map_err(|_| refused("authentication passphrase"))?,
                UsmSecurity::AuthPriv {
                    auth_protocol,
                    auth,
                    priv_protocol,
                    privacy,
                } => base
                    .auth_priv(
                        wire_auth_protocol(*auth_protocol),
                        auth.expose(),
                        wire_priv_protocol(*priv_protocol),
                        privacy.expose(),
                    )
                    .map_err(|_| refused("authentication or privacy passphrase"))?,
            };
            Auth::from(cfg)
        }
    })
}

/// authPriv credentials without their privacy part (authNoPriv); `None` for any other level.
fn without_privacy(auth: &SnmpAuth) -> Option<SnmpAuth> {
    match auth {
        SnmpAuth::V3(usm) => match &usm.security {
            UsmSecurity::AuthPriv {
                auth_protocol,
                auth,
                ..
            } => Some(SnmpAuth::V3(dci_protocol::Usm {
                user: usm.user.clone(),
                security: UsmSecurity::AuthNoPriv {
                    auth_protocol: *auth_protocol,
                    auth: auth.clone(),
                },
            })),
            _ => None,
        },
        _ => None,
    }
}

fn uses_des(auth: &SnmpAuth) -> bool {
    matches!(
        auth,
        SnmpAuth::V3(dci_protocol::Usm {
            security: UsmSecurity::AuthPriv {
                priv_protocol: PrivProtocol::Des,
                ..
            },
            ..
        })
    )
}

/// The sender state DES privacy needs. Its salt (RFC 3414 §8.1.1.1: the sender's engine boots
/// and a counter) must never repeat under one key, and async-snmp refuses DES without state that
/// guarantees so. A handler is one short process that keeps nothing between runs, so each
/// session takes a boots epoch of its own at random (std's per-process random hash keys, mixed
/// with the clock and the pid), as net-snmp's tools start their salt at a random value; the
/// counter then runs from 1 within the session.
fn des_salt_state() -> Result<DesSaltState, SnmpError> {
    use std::hash::{BuildHasher, Hasher};
    /// snmpEngineBoots' largest value (RFC 3414); `restart` advances the epoch by one.
    const MAX_BOOTS: u64 = 2_147_483_647;
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    h.write_u128(now.as_nanos());
    h.write_u32(std::process::id());
    let previous = u32::try_from(h.finish() % (MAX_BOOTS - 1) + 1).unwrap_or(1);
    PersistedDesSaltState::new(previous)
        .and_then(|p| DesSaltState::restart(p, |_| Ok::<(), std::convert::Infallible>(())))
        .map_err(|e| SnmpError::Config {
            reason: format!("DES privacy state: {e}"),
        })
}

fn wire_auth_protocol(p: AuthProtocol) -> async_snmp::AuthProtocol {
    use async_snmp::AuthProtocol as A;
    match p {
        AuthProtocol::Md5 => A::Md5,
        AuthProtocol::Sha1 => A::Sha1,
        AuthProtocol::Sha224 => A::Sha224,
        AuthProtocol::Sha256 => A::Sha256,
        AuthProtocol::Sha384 => A::Sha384,
        AuthProtocol::Sha512 => A::Sha512,
    }
}

/// AES-192/256 use the Blumenthal key extension, as net-snmp's `AES192`/`AES256` do.
fn wire_priv_protocol(p: PrivProtocol) -> async_snmp::PrivProtocol {
    use async_snmp::PrivProtocol as P;
    match p {
        PrivProtocol::Des => P::Des,
        PrivProtocol::Aes128 => P::Aes128,
        PrivProtocol::Aes192 => P::Aes192Blumenthal,
        PrivProtocol::Aes256 => P::Aes256Blumenthal,
    }
}

impl From<Exception> for &'static str {
    fn from(x: Exception) -> &'static str {
        x.name()
    }
}
