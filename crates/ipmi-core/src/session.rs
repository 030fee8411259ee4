//! An IPMI LAN session with one BMC: opened from a request's device params (IPMI 1.5 or RMCP+),
//! used for commands, closed at the end (and, on an early return, closed without waiting).

use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Instant;

use dci_protocol::{Device, Host, Limits, Secret};

use crate::IpmiError;
use crate::commands::{
    ACTIVATE_SESSION, CLOSE_SESSION, GET_CHANNEL_AUTH_CAPABILITIES, GET_CHANNEL_CIPHER_SUITES,
    GET_SESSION_CHALLENGE, SET_SESSION_PRIVILEGE,
};
use crate::msg::{self, Command, Response};
use crate::options::{AuthType, Options, Privilege, Version};
use crate::transport::{Hints, Transport, Verdict};
use crate::v15::{self, Password16};
use crate::v20::{self, CipherSuite, Keys, Password20, Rakp};

/// The RMCP port (IPMI over LAN), used when the request's `ip` names none.
pub const DEFAULT_PORT: u16 = 623;

/// The longest user name IPMI carries.
const MAX_USER: usize = 16;

/// What a session cost, for the logs and the benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Datagrams sent, retransmissions included.
    pub sent: u32,
    /// Datagrams received.
    pub received: u32,
}

/// The version-specific state of an open session.
enum State {
    V15 {
        /// The authentication type of every packet.
        auth: AuthType,
        session_id: u32,
        /// The last inbound session sequence number used.
        seq: u32,
        password: Password16,
    },
    V20 {
        /// SIDc: the BMC's session ID, which our packets carry.
        bmc_sid: u32,
        /// SIDm: ours, which the BMC's packets carry.
        console_sid: u32,
        seq: u32,
        keys: Keys,
    },
}

/// An open IPMI session. Every exchange is bounded by the per-try timeout, the retries and the
/// call's deadline given to [`Session::open`].
pub struct Session {
    transport: Transport,
    user: String,
    version: Version,
    privilege: Privilege,
    auth: Option<AuthType>,
    suite: Option<CipherSuite>,
    state: State,
    rq_seq: u8,
    open: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("target", &self.transport.target)
            .field("user", &self.user)
            .field("version", &self.version)
            .field("privilege", &self.privilege)
            .field("auth", &self.auth)
            .field("open", &self.open)
            .finish_non_exhaustive()
    }
}

/// The one place the password leaves its [`Secret`]: copied into the NUL-padded field from
/// which IPMI computes auth codes (1.5: 16 bytes) and keys (2.0: 20 bytes).
fn password_field(secret: &Secret, version: Version) -> Result<Password20, IpmiError> {
    let bytes = secret.expose().as_bytes();
    let max = match version {
        Version::V15 => 16,
        Version::V20 => 20,
    };
    if bytes.len() > max {
        return Err(IpmiError::Credential {
            field: "pass",
            problem: format!(
                "{version} passwords are at most {max} bytes; this one has {} (the password is not shown)",
                bytes.len()
            ),
        });
    }
    let mut field = [0u8; 20];
    field[..bytes.len()].copy_from_slice(bytes);
    Ok(field)
}

fn random<const N: usize>(target: &str) -> Result<[u8; N], IpmiError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| IpmiError::Socket {
        target: target.to_owned(),
        reason: format!("no random numbers from the system: {e}"),
    })?;
    Ok(b)
}

/// A random number that is not zero (session IDs and sequence numbers must not be).
fn random_nonzero(target: &str) -> Result<u32, IpmiError> {
    loop {
        let n = u32::from_le_bytes(random::<4>(target)?);
        if n != 0 {
            return Ok(n);
        }
    }
}

fn resolve(device: &Device) -> Result<SocketAddr, IpmiError> {
    let port = device.endpoint.port_or(DEFAULT_PORT);
    match &device.endpoint.host {
        Host::Ip(ip) => Ok(SocketAddr::new(*ip, port)),
        Host::Name(name) => (name.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| IpmiError::Resolve {
                host: name.clone(),
                reason: e.to_string(),
            })?
            .next()
            .ok_or_else(|| IpmiError::Resolve {
                host: name.clone(),
                reason: "no address".into(),
            }),
    }
}

/// The out-of-session packet of an IPMI 1.5 request (authentication type none, session 0).
fn plain_v15(command: &Command, rq_seq: u8, data: &[u8]) -> Vec<u8> {
    let m = msg::encode_request(command, rq_seq, data);
    v15::encode(AuthType::None, &[0; 16], 0, 0, &m)
}

/// Judges a datagram as the out-of-session IPMI 1.5 answer to `command`.
fn judge_plain_v15(
    target: &str,
    command: &Command,
    rq_seq: u8,
    datagram: &[u8],
) -> Verdict<Response> {
    match v15::decode(datagram) {
        Err(v15::NotV15::Other) => Verdict::Ignore,
        Err(v15::NotV15::Short(problem)) => Verdict::Fail(IpmiError::Malformed {
            target: target.to_owned(),
            step: command.name,
            problem,
        }),
        Ok(p) => judge_message(target, command, rq_seq, p.message),
    }
}

fn judge_message(target: &str, command: &Command, rq_seq: u8, m: &[u8]) -> Verdict<Response> {
    match msg::decode_response(m) {
        Err(problem) => Verdict::Fail(IpmiError::Malformed {
            target: target.to_owned(),
            step: command.name,
            problem,
        }),
        Ok(r) if r.answers(command, rq_seq) => Verdict::Done(r),
        Ok(_) => Verdict::Ignore,
    }
}

impl Session {
    /// Opens a session with the device's BMC as `options` say, and raises it to
    /// `options.privilege`. Fails with a distinct error for each way a BMC can refuse.
    pub fn open(
        device: &Device,
        limits: &Limits,
        deadline: Instant,
        options: &Options,
    ) -> Result<Session, IpmiError> {
        let Some(login) = device.ipmi.as_ref() else {
            return Err(IpmiError::Credential {
                field: "user",
                problem: "an IPMI handler needs user and pass".into(),
            });
        };
        if login.user.len() > MAX_USER {
            return Err(IpmiError::Credential {
                field: "user",
                problem: format!(
                    "IPMI user names are at most {MAX_USER} bytes; '{}' has {}",
                    crate::options::shown(&login.user),
                    login.user.len()
                ),
            });
        }
        let password = password_field(&login.password, options.version)?;
        let target = device.endpoint.socket_string(DEFAULT_PORT);
        let addr = resolve(device)?;
        let transport = Transport::connect(addr, target, limits, deadline)?;
        let mut s = Session {
            transport,
            user: login.user.clone(),
            version: options.version,
            privilege: Privilege::User,
            auth: None,
            suite: None,
            // Replaced once the handshake succeeds.
            state: State::V15 {
                auth: AuthType::None,
                session_id: 0,
                seq: 0,
                password: [0; 16],
            },
            rq_seq: 0,
            open: false,
        };
        match options.version {
            Version::V15 => s.activate_v15(options, &password)?,
            Version::V20 => s.activate_v20(options, &password)?,
        }
        s.open = true;
        if options.privilege > Privilege::User {
            s.set_privilege(options.privilege)?;
        }
        tracing::debug!(
            target: "ipmi_core",
            bmc = %s.transport.target,
            version = %s.version,
            auth = %s.auth.map(|a| a.to_string()).or(s.suite.map(|c| c.to_string())).unwrap_or_default(),
            privilege = %s.privilege,
            "ipmi session open"
        );
        Ok(s)
    }

    /// `host:port` of the BMC, for error texts.
    pub fn target(&self) -> &str {
        &self.transport.target
    }

    /// The IPMI 1.5 authentication type in use (`None` on RMCP+).
    pub fn auth_type(&self) -> Option<AuthType> {
        self.auth
    }

    /// The RMCP+ cipher suite in use (`None` on IPMI 1.5).
    pub fn cipher_suite(&self) -> Option<CipherSuite> {
        self.suite
    }

    /// The session's privilege level.
    pub fn privilege(&self) -> Privilege {
        self.privilege
    }

    /// Datagrams sent and received so far.
    pub fn stats(&self) -> Stats {
        Stats {
            sent: self.transport.sent,
            received: self.transport.received,
        }
    }

    fn next_rq_seq(&mut self) -> u8 {
        // Six bits; 0 is left out so that a zeroed buffer never matches.
        self.rq_seq = self.rq_seq % 63 + 1;
        self.rq_seq
    }

    fn user_field(&self) -> [u8; 16] {
        let mut u = [0u8; 16];
        u[..self.user.len()].copy_from_slice(self.user.as_bytes());
        u
    }

    /// Get Channel Authentication Capabilities, outside a session, for the channel this packet
    /// arrives on: with the IPMI 2.0 extended data (0x8E) and, if the BMC refuses that, without
    /// (0x0E); or, for IPMI 1.5 sessions, without only, as ipmitool's `-I lan` asks (an old
    /// IPMI 1.5 BMC may ignore the request for data it does not know rather than refuse it).
    fn channel_auth_capabilities(
        &mut self,
        channels: &[u8],
        privilege: Privilege,
        tries: u32,
    ) -> Result<Vec<u8>, IpmiError> {
        let mut last_cc = 0;
        for &channel in channels {
            let rq_seq = self.next_rq_seq();
            let command = GET_CHANNEL_AUTH_CAPABILITIES;
            let data = [channel, privilege.to_wire()];
            let target = self.transport.target.clone();
            let r = self.transport.exchange_tries(
                command.name,
                Hints::REACH,
                tries,
                &mut || plain_v15(&command, rq_seq, &data),
                &mut |d| judge_plain_v15(&target, &command, rq_seq, d),
            )?;
            if r.cc == 0 {
                command.need(&target, &r.data, 3)?;
                return Ok(r.data);
            }
            last_cc = r.cc;
        }
        Err(IpmiError::Completion {
            target: self.transport.target.clone(),
            command: GET_CHANNEL_AUTH_CAPABILITIES.name,
            code: last_cc,
        })
    }

    fn activate_v15(&mut self, options: &Options, password: &Password20) -> Result<(), IpmiError> {
        let target = self.transport.target.clone();
        let mut pw16: Password16 = [0; 16];
        pw16.copy_from_slice(&password[..16]);
        let caps =
            self.channel_auth_capabilities(&[0x0E], options.privilege, self.transport.tries())?;
        let auth = choose_auth(&target, &caps, options.min_auth)?;
        self.auth = Some(auth);

        let mut attempt = 0;
        let r = loop {
            attempt += 1;
            // Get Session Challenge: a temporary session ID and a challenge for this user.
            let command = GET_SESSION_CHALLENGE;
            let rq_seq = self.next_rq_seq();
            let mut data = vec![auth.to_wire()];
            data.extend_from_slice(&self.user_field());
            let r = self.transport.exchange(
                command.name,
                Hints::REACH,
                || plain_v15(&command, rq_seq, &data),
                |d| judge_plain_v15(&target, &command, rq_seq, d),
            )?;
            match r.cc {
                0 => {}
                0x81 => {
                    return Err(IpmiError::UnknownUser {
                        target,
                        user: self.user.clone(),
                        detail: "Get Session Challenge: invalid user name",
                    });
                }
                0x82 => {
                    return Err(IpmiError::UnknownUser {
                        target,
                        user: self.user.clone(),
                        detail: "Get Session Challenge: null user names are not enabled",
                    });
                }
                code => {
                    return Err(IpmiError::Completion {
                        target,
                        command: command.name,
                        code,
                    });
                }
            }
            command.need(&target, &r.data, 20)?;
            let temp_id = u32::from_le_bytes([r.data[0], r.data[1], r.data[2], r.data[3]]);
            let challenge = &r.data[4..20];

            // Activate Session: authenticated with the temporary session ID and sequence number 0;
            // it tells the BMC where our outbound (its answers') sequence numbers start.
            let command = ACTIVATE_SESSION;
            let rq_seq = self.next_rq_seq();
            let outbound = random_nonzero(&target)?;
            let mut data = vec![auth.to_wire(), options.privilege.to_wire()];
            data.extend_from_slice(challenge);
            data.extend_from_slice(&outbound.to_le_bytes());
            let m = msg::encode_request(&command, rq_seq, &data);
            let packet = v15::encode(auth, &pw16, temp_id, 0, &m);
            // Silence here is the sign of a wrong password: the fixed tries, never more.
            self.transport.persist = false;
            let result = self.transport.exchange(
                command.name,
                Hints {
                    silent: "the BMC drops an Activate Session whose auth code it cannot verify",
                    unauthenticated: "its answers do not carry the auth code this password makes",
                },
                || packet.clone(),
                |d| match v15::decode(d) {
                    Err(v15::NotV15::Other) => Verdict::Ignore,
                    Err(v15::NotV15::Short(problem)) => Verdict::Fail(IpmiError::Malformed {
                        target: target.clone(),
                        step: command.name,
                        problem,
                    }),
                    Ok(p) if !p.verifies(&pw16) => Verdict::Unauthenticated,
                    Ok(p) => judge_message(&target, &command, rq_seq, p.message),
                },
            );
            self.transport.persist = true;
            match result {
                Ok(r) => break r,
                // After a challenge was given, silence to Activate Session is the BMC dropping a
                // packet whose auth code does not verify: the password.
                Err(IpmiError::NoAnswer { .. } | IpmiError::Unauthenticated { .. })
                    if auth != AuthType::None && attempt == 1 =>
                {
                    // Or every answer was lost: a new challenge and another Activate Session
                    // tell a lossy path (answered now) from a wrong password (silent again).
                    tracing::debug!(target: "ipmi_core", "no answer to Activate Session: a new challenge, to tell a lost answer from a wrong password");
                    continue;
                }
                Err(IpmiError::NoAnswer { .. } | IpmiError::Unauthenticated { .. })
                    if auth != AuthType::None =>
                {
                    return Err(IpmiError::WrongPassword {
                        target,
                        user: self.user.clone(),
                        detail: "it gave a session challenge but did not answer Activate Session, which a BMC drops when the auth code does not verify",
                    });
                }
                Err(e) => return Err(e),
            }
        };
        let command = ACTIVATE_SESSION;
        let user = self.user.clone();
        let no_session = |detail| IpmiError::NoSession {
            target: target.clone(),
            user: user.clone(),
            detail,
        };
        match r.cc {
            0 => {}
            0x81 => return Err(no_session("Activate Session: no session slot available")),
            0x82 => {
                return Err(no_session(
                    "Activate Session: no slot available for this user",
                ));
            }
            0x83 => {
                return Err(no_session(
                    "Activate Session: no slot available at the requested privilege level",
                ));
            }
            0x86 => {
                return Err(IpmiError::Privilege {
                    target,
                    user,
                    wanted: options.privilege,
                    detail: "Activate Session: the requested maximum privilege level exceeds the user's or the channel's limit".into(),
                });
            }
            code => {
                return Err(IpmiError::Completion {
                    target,
                    command: command.name,
                    code,
                });
            }
        }
        command.need(&target, &r.data, 10)?;
        let session_auth = AuthType::from_wire(r.data[0]).unwrap_or(auth);
        let session_id = u32::from_le_bytes([r.data[1], r.data[2], r.data[3], r.data[4]]);
        let inbound = u32::from_le_bytes([r.data[5], r.data[6], r.data[7], r.data[8]]);
        if session_auth < options.min_auth {
            return Err(IpmiError::AuthTypeNotOffered {
                target,
                offered: format!("{session_auth} for the session"),
                min: options.min_auth,
            });
        }
        self.auth = Some(session_auth);
        self.state = State::V15 {
            auth: session_auth,
            session_id,
            // The first packet carries `inbound` itself.
            seq: inbound.wrapping_sub(1),
            password: pw16,
        };
        Ok(())
    }

    /// One exchange of RMCP+ session setup: sends `request` until an `answer` payload comes
    /// back for `(tag, console_sid)` (an error status may carry no session ID), parsed by
    /// `parse`; an answer that does not parse ends it as malformed.
    fn setup_exchange<R: v20::SetupAnswer>(
        &mut self,
        step: &'static str,
        request: &[u8],
        answer: u8,
        parse: fn(&[u8]) -> Result<R, String>,
        (tag, console_sid): (u8, u32),
        keys: Option<&Keys>,
    ) -> Result<R, IpmiError> {
        let target = self.transport.target.clone();
        self.transport.exchange(
            step,
            Hints::REACH,
            || request.to_vec(),
            |d| match v20::decode(d) {
                // A BMC that took a retransmitted RAKP message 3 for a message of the session
                // it already opened answers it inside the session, encrypted (ipmi_sim does):
                // with the session keys, which RAKP message 2 already gave, it is still the
                // answer.
                Some(Ok(p)) if p.payload_type == answer && p.encrypted => {
                    match keys
                        .filter(|k| k.verifies(&p))
                        .map(|k| k.decrypt(p.payload))
                    {
                        Some(Ok(plain)) => match parse(&plain) {
                            Ok(r)
                                if r.tag() == tag
                                    && (r.status() != 0 || r.console_sid() == console_sid) =>
                            {
                                Verdict::Done(r)
                            }
                            _ => Verdict::Ignore,
                        },
                        _ => Verdict::Ignore,
                    }
                }
                Some(Ok(p)) if p.payload_type == answer => match parse(p.payload) {
                    Err(problem) => Verdict::Fail(IpmiError::Malformed {
                        target: target.clone(),
                        step,
                        problem,
                    }),
                    Ok(r)
                        if r.tag() == tag
                            && (r.status() != 0 || r.console_sid() == console_sid) =>
                    {
                        Verdict::Done(r)
                    }
                    Ok(_) => Verdict::Ignore,
                },
                _ => Verdict::Ignore,
            },
        )
    }

    /// The cipher suites to propose, in order: the one the operator pinned; else those the BMC
    /// lists (Get Channel Cipher Suites) that are spoken here, strongest first. A BMC that
    /// does not answer the command gets ours, strongest first, and says by its Open Session
    /// answer which it takes.
    fn suites(&mut self, options: &Options) -> Result<Vec<CipherSuite>, IpmiError> {
        if let Some(pinned) = options.cipher {
            return Ok(vec![pinned]);
        }
        let offered = match self.channel_cipher_suites() {
            Ok(offered) => offered,
            Err(e @ (IpmiError::NoAnswer { .. } | IpmiError::Completion { .. })) => {
                tracing::debug!(target: "ipmi_core", error = %e, "no cipher suite list: proposing 17, then 3");
                return Ok(CipherSuite::STRONGEST_FIRST.to_vec());
            }
            Err(e) => return Err(e),
        };
        tracing::debug!(target: "ipmi_core", offered = ?offered, "cipher suites the BMC lists");
        let ours: Vec<CipherSuite> = CipherSuite::STRONGEST_FIRST
            .into_iter()
            .filter(|s| offered.contains(&s.id()))
            .collect();
        if ours.is_empty() {
            return Err(IpmiError::NoCipherSuite {
                target: self.transport.target.clone(),
                offered: if offered.is_empty() {
                    "none".into()
                } else {
                    offered
                        .iter()
                        .map(u8::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            });
        }
        Ok(ours)
    }

    /// Get Channel Cipher Suites for this channel, outside a session (an IPMI 1.5 packet of
    /// session 0, as ipmitool's lanplus sends its pre-session commands), list by list index
    /// until a short answer: the suite numbers listed. One try per request: a BMC that does not know the command costs one
    /// timeout, not the retries.
    fn channel_cipher_suites(&mut self) -> Result<Vec<u8>, IpmiError> {
        let command = GET_CHANNEL_CIPHER_SUITES;
        let target = self.transport.target.clone();
        let mut records = Vec::new();
        for index in 0..0x40u8 {
            let rq_seq = self.next_rq_seq();
            // Channel: this one (0x0E); payload type IPMI; bit 7: list by cipher suite.
            let data = [0x0E, 0x00, 0x80 | index];
            let r = self.transport.exchange_tries(
                command.name,
                Hints::REACH,
                1,
                &mut || plain_v15(&command, rq_seq, &data),
                &mut |d| judge_plain_v15(&target, &command, rq_seq, d),
            )?;
            if r.cc != 0 {
                return Err(IpmiError::Completion {
                    target,
                    command: command.name,
                    code: r.cc,
                });
            }
            let chunk = r.data.get(1..).unwrap_or_default();
            records.extend_from_slice(chunk);
            if chunk.len() < 16 {
                break;
            }
        }
        Ok(v20::suite_ids(&records))
    }

    fn activate_v20(&mut self, options: &Options, password: &Password20) -> Result<(), IpmiError> {
        let target = self.transport.target.clone();
        let console_sid = random_nonzero(&target)?;
        let privilege = options.privilege.to_wire();
        let suites = self.suites(options)?;

        // Open Session: propose each suite in turn until the BMC takes one. Of the tries a BMC
        // that has not answered yet gets, one is kept for the question that follows silence.
        self.transport.reserve_silent_try();
        let mut taken = None;
        for (k, &suite) in suites.iter().enumerate() {
            let tag = k as u8;
            let request = v20::encode_plain(
                v20::payload::OPEN_SESSION_REQUEST,
                &v20::open_session_request(tag, privilege, console_sid, suite),
            );
            let step = "RMCP+ Open Session Request";
            let open_session = |s: &mut Session| {
                s.setup_exchange(
                    step,
                    &request,
                    v20::payload::OPEN_SESSION_RESPONSE,
                    v20::parse_open_session_response,
                    (tag, console_sid),
                    None,
                )
            };
            let open = match open_session(self) {
                Ok(r) => r,
                // Silence: the question that tells a BMC speaking only IPMI 1.5. A BMC that
                // answers it and offers 2.0 is there, on a lossy path: Open Session again, now
                // with the rounds of a BMC that has answered.
                Err(e @ IpmiError::NoAnswer { .. }) => {
                    self.diagnose_v20(e)?;
                    tracing::debug!(target: "ipmi_core", "Open Session unanswered, but the BMC answered and offers IPMI 2.0: proposing again");
                    open_session(self)?
                }
                Err(e) => return Err(e),
            };
            let refused = matches!(open.status, 0x04 | 0x05 | 0x10 | 0x11);
            if refused && k + 1 < suites.len() {
                tracing::debug!(target: "ipmi_core", %suite, status = v20::status_name(open.status), "suite refused, proposing the next");
                continue;
            }
            if open.status != 0 {
                return Err(self.rakp_status(step, open.status, options.privilege, suite));
            }
            if open.algorithms != suite.algorithms() {
                return Err(IpmiError::CipherSuite {
                    target,
                    suite,
                    status: format!("it answered with algorithms {:?} instead", open.algorithms),
                });
            }
            taken = Some((suite, open));
            break;
        }
        let Some((suite, open)) = taken else {
            return Err(IpmiError::NoCipherSuite {
                target,
                offered: "none that it takes".into(),
            });
        };
        self.suite = Some(suite);

        // RAKP 1 and 2: the BMC proves it knows the password (and tells us if it knows the user).
        let mut rakp = Rakp {
            suite,
            console_sid,
            bmc_sid: open.bmc_sid,
            rm: random::<16>(&target)?,
            rc: [0; 16],
            guid: [0; 16],
            role: privilege | v20::NAME_ONLY_LOOKUP,
            user: self.user.as_bytes().to_vec(),
        };
        let tag = suites.len() as u8;
        let request = v20::encode_plain(v20::payload::RAKP1, &rakp.message1(tag));
        let step = "RAKP message 1";
        let rakp2 = self.setup_exchange(
            step,
            &request,
            v20::payload::RAKP2,
            v20::parse_rakp2,
            (tag, console_sid),
            None,
        )?;
        if rakp2.status != 0 {
            return Err(self.rakp_status("RAKP message 2", rakp2.status, options.privilege, suite));
        }
        rakp.rc = rakp2.rc;
        rakp.guid = rakp2.guid;
        if rakp2.code != rakp.message2_code(password) {
            // Tell the BMC, so that it frees the session now rather than at its timeout.
            let mut m = vec![tag, 0x0F, 0, 0];
            m.extend_from_slice(&rakp.bmc_sid.to_le_bytes());
            self.transport
                .send_only(&v20::encode_plain(v20::payload::RAKP3, &m));
            return Err(IpmiError::WrongPassword {
                target,
                user: self.user.clone(),
                detail: "the key exchange code of its RAKP message 2 is not the one this password makes",
            });
        }

        // RAKP 3 and 4: we prove it, and the BMC shows it derived the same session key. Kg:
        // the BMC key where the BMC has one ("two-key login"), else the password. The keys are
        // known now, for a RAKP message 4 that comes inside the session (a lost one, answered
        // again after the BMC opened the session).
        let kg = options.bmc_key.map_or(*password, |k| k.0);
        let sik = rakp.sik(&kg);
        let keys = Keys::from_sik(suite, &sik);
        let tag = tag + 1;
        let request = v20::encode_plain(v20::payload::RAKP3, &rakp.message3(tag, password));
        let step = "RAKP message 3";
        let rakp4 = self.setup_exchange(
            step,
            &request,
            v20::payload::RAKP4,
            v20::parse_rakp4,
            (tag, console_sid),
            Some(&keys),
        )?;
        if rakp4.status == 0x0F {
            return Err(IpmiError::WrongPassword {
                target,
                user: self.user.clone(),
                detail: "RAKP message 4: it found our RAKP message 3 code invalid",
            });
        }
        if rakp4.status != 0 {
            return Err(self.rakp_status("RAKP message 4", rakp4.status, options.privilege, suite));
        }
        if rakp4.code != rakp.message4_code(&sik) {
            return Err(IpmiError::BmcNotAuthenticated {
                target,
                kg: options.bmc_key.is_some(),
            });
        }
        self.state = State::V20 {
            bmc_sid: open.bmc_sid,
            console_sid,
            seq: 0,
            keys,
        };
        Ok(())
    }

    /// After Open Session went unanswered: one Get Channel Authentication Capabilities, to tell a
    /// BMC that speaks only IPMI 1.5 from one that is not there. `Ok` when it answers and offers
    /// IPMI 2.0 (it is there: the Open Session answers were lost); else the error to report.
    fn diagnose_v20(&mut self, silent: IpmiError) -> Result<(), IpmiError> {
        match self.channel_auth_capabilities(&[0x8E, 0x0E], Privilege::User, 1) {
            Ok(caps) if caps[1] & 0x80 == 0 || caps.get(3).is_some_and(|b| b & 0x02 == 0) => {
                Err(IpmiError::VersionNotOffered {
                    target: self.transport.target.clone(),
                    version: "IPMI 2.0 (RMCP+)",
                    other: "ipmi15",
                })
            }
            Ok(_) => Ok(()),
            Err(_) => Err(silent),
        }
    }

    /// The error for an RMCP+ status code other than success.
    fn rakp_status(
        &self,
        step: &'static str,
        status: u8,
        wanted: Privilege,
        suite: CipherSuite,
    ) -> IpmiError {
        let target = self.transport.target.clone();
        let user = self.user.clone();
        let name = v20::status_name(status);
        match status {
            0x0D | 0x0C => IpmiError::UnknownUser {
                target,
                user,
                detail: if status == 0x0D {
                    "RAKP message 2: unauthorized name"
                } else {
                    "RAKP message 2: invalid name length"
                },
            },
            0x09 | 0x0A => IpmiError::Privilege {
                target,
                user,
                wanted,
                detail: format!("{step}: {name}"),
            },
            0x01 | 0x0B => IpmiError::NoSession {
                target,
                user,
                detail: name,
            },
            0x04..=0x07 | 0x10 | 0x11 => IpmiError::CipherSuite {
                target,
                suite,
                status: format!("{step}: {name}"),
            },
            _ => IpmiError::Malformed {
                target,
                step,
                problem: format!("RMCP+ status {status:#04X} ({name})"),
            },
        }
    }

    fn set_privilege(&mut self, wanted: Privilege) -> Result<(), IpmiError> {
        let command = SET_SESSION_PRIVILEGE;
        let r = self.request(&command, &[wanted.to_wire()])?;
        let refuse = |detail: String| IpmiError::Privilege {
            target: self.transport.target.clone(),
            user: self.user.clone(),
            wanted,
            detail,
        };
        match r.cc {
            0 => {}
            0x80 => {
                return Err(refuse(
                    "Set Session Privilege Level: the level is not available to this user".into(),
                ));
            }
            0x81 => {
                return Err(refuse(
                    "Set Session Privilege Level: the level exceeds the user's or the channel's limit"
                        .into(),
                ));
            }
            code => {
                return Err(IpmiError::Completion {
                    target: self.transport.target.clone(),
                    command: command.name,
                    code,
                });
            }
        }
        match r.data.first().and_then(|b| Privilege::from_wire(*b)) {
            Some(got) if got >= wanted => {
                self.privilege = got;
                Ok(())
            }
            got => Err(refuse(format!(
                "Set Session Privilege Level answered with level {}",
                got.map_or_else(|| "none".to_owned(), |p| p.to_string())
            ))),
        }
    }

    /// Runs `f` with the fixed tries only: for a command that must not run twice.
    pub(crate) fn once<T>(&mut self, f: impl FnOnce(&mut Session) -> T) -> T {
        self.transport.persist = false;
        let r = f(self);
        self.transport.persist = true;
        r
    }

    /// Sends `command` with `data` in the session and returns the response data after a
    /// completion code of success. Completion code 0xD4 (insufficient privilege) is reported as
    /// a privilege error naming the session's level.
    pub fn call(&mut self, command: &Command, data: &[u8]) -> Result<Vec<u8>, IpmiError> {
        let r = self.request(command, data)?;
        match r.cc {
            0 => Ok(r.data),
            0xD4 => Err(IpmiError::Privilege {
                target: self.transport.target.clone(),
                user: self.user.clone(),
                wanted: self.privilege,
                detail: format!(
                    "{} answered 0xD4, insufficient privilege level",
                    command.name
                ),
            }),
            code => Err(IpmiError::Completion {
                target: self.transport.target.clone(),
                command: command.name,
                code,
            }),
        }
    }

    /// One request and its response in the session, whatever the completion code.
    fn request(&mut self, command: &Command, data: &[u8]) -> Result<Response, IpmiError> {
        self.request_tries(command, data, None)
    }

    fn request_tries(
        &mut self,
        command: &Command,
        data: &[u8],
        tries: Option<u32>,
    ) -> Result<Response, IpmiError> {
        let rq_seq = self.next_rq_seq();
        let m = msg::encode_request(command, rq_seq, data);
        let target = self.transport.target.clone();
        let tries = tries.unwrap_or(self.transport.tries());
        let hints = Hints::REACH;
        match &mut self.state {
            State::V15 {
                auth,
                session_id,
                seq,
                password,
            } => {
                let (auth, session_id, password) = (*auth, *session_id, *password);
                let mut next = *seq;
                let r = self.transport.exchange_tries(
                    command.name,
                    hints,
                    tries,
                    &mut || {
                        // Every packet, a retransmission too, carries the next sequence number.
                        next = next.wrapping_add(1);
                        if next == 0 {
                            next = 1;
                        }
                        v15::encode(auth, &password, session_id, next, &m)
                    },
                    &mut |d| match v15::decode(d) {
                        Err(v15::NotV15::Other) => Verdict::Ignore,
                        Err(v15::NotV15::Short(problem)) => Verdict::Fail(IpmiError::Malformed {
                            target: target.clone(),
                            step: command.name,
                            problem,
                        }),
                        Ok(p) if p.session_id != session_id => Verdict::Ignore,
                        Ok(p) if !p.verifies(&password) => Verdict::Unauthenticated,
                        Ok(p) => judge_message(&target, command, rq_seq, p.message),
                    },
                );
                *seq = next;
                r
            }
            State::V20 {
                bmc_sid,
                console_sid,
                seq,
                keys,
            } => {
                let (bmc_sid, console_sid) = (*bmc_sid, *console_sid);
                let keys = &*keys;
                let mut next = *seq;
                let mut iv_error = None;
                let r = self.transport.exchange_tries(
                    command.name,
                    hints,
                    tries,
                    &mut || {
                        next = next.wrapping_add(1).max(1);
                        let iv = match random::<16>(&target) {
                            Ok(iv) => iv,
                            Err(e) => {
                                iv_error = Some(e);
                                [0; 16]
                            }
                        };
                        keys.encode(bmc_sid, next, &m, iv)
                    },
                    &mut |d| match v20::decode(d) {
                        None | Some(Err(_)) => Verdict::Ignore,
                        Some(Ok(p))
                            if p.payload_type != v20::payload::IPMI
                                || p.session_id != console_sid =>
                        {
                            Verdict::Ignore
                        }
                        Some(Ok(p)) if !keys.verifies(&p) => Verdict::Unauthenticated,
                        Some(Ok(p)) => {
                            let plain = if p.encrypted {
                                match keys.decrypt(p.payload) {
                                    Ok(plain) => plain,
                                    Err(problem) => {
                                        return Verdict::Fail(IpmiError::Malformed {
                                            target: target.clone(),
                                            step: command.name,
                                            problem,
                                        });
                                    }
                                }
                            } else {
                                p.payload.to_vec()
                            };
                            judge_message(&target, command, rq_seq, &plain)
                        }
                    },
                );
                *seq = next;
                if let Some(e) = iv_error {
                    return Err(e);
                }
                r
            }
        }
    }

    /// Closes the session: one Close Session, one try. Failing to close is logged, not
    /// reported: the work is done, and the BMC drops idle sessions by itself.
    pub fn close(mut self) {
        self.open = false;
        let id = match &self.state {
            State::V15 { session_id, .. } => *session_id,
            State::V20 { bmc_sid, .. } => *bmc_sid,
        };
        // One try, never further rounds: a lost answer to Close Session is no reason to keep
        // the caller waiting until the deadline.
        if let Err(e) = self.once(|s| s.request_tries(&CLOSE_SESSION, &id.to_le_bytes(), Some(1))) {
            tracing::debug!(target: "ipmi_core", error = %e, "closing the session failed");
        }
        let stats = self.stats();
        tracing::debug!(
            target: "ipmi_core",
            bmc = %self.transport.target,
            sent = stats.sent,
            received = stats.received,
            rounds_repeated = self.transport.rounds,
            "ipmi session cost"
        );
    }
}

impl Drop for Session {
    /// A session dropped without [`Session::close`] (an error on the way) is closed without
    /// waiting for the answer, so that it does not hold one of the BMC's few session slots
    /// until its idle timeout.
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        self.open = false;
        let rq_seq = self.next_rq_seq();
        let (id, packet) = match &mut self.state {
            State::V15 {
                auth,
                session_id,
                seq,
                password,
            } => {
                *seq = seq.wrapping_add(1).max(1);
                let m = msg::encode_request(&CLOSE_SESSION, rq_seq, &session_id.to_le_bytes());
                (
                    *session_id,
                    v15::encode(*auth, password, *session_id, *seq, &m),
                )
            }
            State::V20 {
                bmc_sid, seq, keys, ..
            } => {
                *seq = seq.wrapping_add(1).max(1);
                let m = msg::encode_request(&CLOSE_SESSION, rq_seq, &bmc_sid.to_le_bytes());
                let iv = random::<16>(&self.transport.target).unwrap_or([0x5A; 16]);
                (*bmc_sid, keys.encode(*bmc_sid, *seq, &m, iv))
            }
        };
        tracing::debug!(target: "ipmi_core", session = id, "closing a dropped session without waiting");
        self.transport.send_only(&packet);
    }
}

/// The strongest authentication type the BMC offers (Get Channel Authentication Capabilities'
/// data) that is at least `min`; refuses a BMC that offers no IPMI 1.5 at all.
pub(crate) fn choose_auth(target: &str, caps: &[u8], min: AuthType) -> Result<AuthType, IpmiError> {
    let support = caps[1];
    // With the extended data (bit 7), byte 4 says which LAN versions the channel speaks.
    if support & 0x80 != 0 && caps.get(3).is_some_and(|b| b & 0x01 == 0) {
        return Err(IpmiError::VersionNotOffered {
            target: target.to_owned(),
            version: "IPMI 1.5",
            other: "ipmi20",
        });
    }
    let offered: Vec<AuthType> = AuthType::STRONGEST_FIRST
        .into_iter()
        .filter(|a| support & a.support_bit() != 0)
        .collect();
    offered
        .iter()
        .copied()
        .find(|a| *a >= min)
        .ok_or_else(|| IpmiError::AuthTypeNotOffered {
            target: target.to_owned(),
            offered: if offered.is_empty() {
                "no type at all".into()
            } else {
                offered
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            min,
        })
}

#[cfg(test)]
mod tests;
