//! A test BMC that speaks RMCP+ cipher suite 17 (RAKP-HMAC-SHA256, HMAC-SHA256-128,
//! AES-CBC-128), for the suite that Debian's `ipmi_sim` (OpenIPMI 2.0.33) does not offer.
//!
//! It is written here from the IPMI v2.0 specification (sections 13.17–13.32 and 22.15, with
//! the SHA-256 algorithms of its errata), independently of ipmi-core, and proved by Debian's
//! `ipmitool -I lanplus -C 17`, which must log in to it and read and switch power
//! (`tests/it/ipmi17.rs`): a guard must not share the bugs of the code the tests exercise.
//!
//! What it answers: outside a session, Get Channel Authentication Capabilities and Get Channel
//! Cipher Suites (IPMI 1.5 packets, as ipmitool's lanplus sends them); RMCP+ Open Session and
//! RAKP 1–4 for the suites it is set to offer that it speaks (17 only); in a session, Set
//! Session Privilege Level, Get Device ID, Get Chassis Status, Chassis Control and Close
//! Session (anything else: completion code 0xC1). Power follows a Chassis Control at once,
//! after a delay, or never. An optional BMC key (K_g) makes the session key as two-key login
//! does. It listens on 127.0.0.1 only, in a thread of the test, until dropped.

use std::collections::HashMap;
use std::net::UdpSocket;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use aes::Aes128;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hmac::{KeyInit, Mac, SimpleHmac};
use sha2::Sha256;

/// RMCP header of an IPMI packet: version 6, reserved, sequence 0xFF (no ACK), class IPMI.
const RMCP: [u8; 4] = [0x06, 0x00, 0xFF, 0x07];
/// The BMC's GUID, sent in RAKP message 2.
const GUID: [u8; 16] = *b"dcih-test-bmc-17";

/// How the chassis follows a Chassis Control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// At once.
    Now,
    /// After this long.
    After(Duration),
    /// Never: the command is accepted and nothing changes.
    Never,
}

/// What the test BMC is set to.
#[derive(Debug, Clone)]
pub struct BmcConfig {
    /// User name and password (at most 20 bytes).
    pub users: Vec<(String, String)>,
    /// The cipher suites Get Channel Cipher Suites lists (it speaks 17 only: any other is
    /// refused at Open Session).
    pub offered: Vec<u8>,
    /// The BMC key, where two-key login is set.
    pub kg: Option<Vec<u8>>,
    /// Powered at the start.
    pub on: bool,
    /// How power follows commands.
    pub follow: Follow,
}

impl Default for BmcConfig {
    fn default() -> BmcConfig {
        BmcConfig {
            users: vec![("admin".into(), "admin-pw-17".into())],
            offered: vec![3, 17],
            kg: None,
            on: false,
            follow: Follow::Now,
        }
    }
}

/// The chassis.
#[derive(Debug)]
struct Chassis {
    on: bool,
    /// A command on its way: the state and when it takes effect (`None`: never).
    pending: Option<(bool, Option<Instant>)>,
    resets: u32,
}

impl Chassis {
    fn power(&mut self) -> bool {
        if let Some((to, Some(at))) = self.pending
            && Instant::now() >= at
        {
            self.on = to;
            self.pending = None;
        }
        self.on
    }
}

/// One RMCP+ session being set up or open.
struct Session {
    console_sid: u32,
    user: Vec<u8>,
    password: [u8; 20],
    rm: [u8; 16],
    rc: [u8; 16],
    role: u8,
    /// K1 and the AES key, once RAKP 3 verified.
    keys: Option<(Vec<u8>, [u8; 16])>,
    /// The BMC's outbound sequence number.
    seq: u32,
}

/// The test BMC, serving until dropped.
pub struct TestBmc {
    port: u16,
    chassis: Arc<Mutex<Chassis>>,
    commands: Arc<AtomicU32>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut m = <SimpleHmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key size");
    for p in parts {
        Mac::update(&mut m, p);
    }
    m.finalize().into_bytes().to_vec()
}

fn checksum(bytes: &[u8]) -> u8 {
    0u8.wrapping_sub(bytes.iter().fold(0u8, |a, b| a.wrapping_add(*b)))
}

/// A pseudo-random number from the standard library's hasher seeds (enough for a test BMC).
fn random_u32() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    (h.finish() as u32).max(1)
}

fn random16() -> [u8; 16] {
    let mut out = [0u8; 16];
    for c in out.chunks_mut(4) {
        c.copy_from_slice(&random_u32().to_le_bytes());
    }
    out
}

impl TestBmc {
    /// Starts the BMC on a free 127.0.0.1 port.
    pub fn start(config: BmcConfig) -> TestBmc {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("a read timeout");
        let port = socket.local_addr().expect("bound").port();
        let chassis = Arc::new(Mutex::new(Chassis {
            on: config.on,
            pending: None,
            resets: 0,
        }));
        let commands = Arc::new(AtomicU32::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let server = Server {
            config,
            chassis: chassis.clone(),
            commands: commands.clone(),
            sessions: HashMap::new(),
        };
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || server.serve(&socket, &stopping));
        TestBmc {
            port,
            chassis,
            commands,
            stop,
            thread: Some(thread),
        }
    }

    /// Its UDP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The power state now.
    pub fn is_on(&self) -> bool {
        self.chassis.lock().expect("chassis").power()
    }

    /// Sets the power state (outside IPMI).
    pub fn set_power(&self, on: bool) {
        let mut c = self.chassis.lock().expect("chassis");
        c.on = on;
        c.pending = None;
    }

    /// Hard resets done.
    pub fn resets(&self) -> u32 {
        self.chassis.lock().expect("chassis").resets
    }

    /// Chassis Control commands received.
    pub fn commands(&self) -> u32 {
        self.commands.load(Ordering::Relaxed)
    }

    /// Debian's `ipmitool -I lanplus -C 17` against this BMC as `user`, the password in the
    /// environment (`-E`), and the BMC key, if given, as `-y` hex.
    pub fn ipmitool(
        &self,
        user: &str,
        password: &str,
        kg: Option<&[u8]>,
        args: &[&str],
    ) -> std::process::Output {
        let mut cmd = std::process::Command::new("/usr/bin/ipmitool");
        cmd.args(["-I", "lanplus", "-C", "17", "-H", "127.0.0.1", "-p"])
            .arg(self.port.to_string())
            .args(["-U", user, "-E", "-N", "1", "-R", "3"]);
        if let Some(k) = kg {
            let hex: String = k.iter().map(|b| format!("{b:02x}")).collect();
            cmd.args(["-y", &hex]);
        }
        cmd.args(args)
            .env("IPMI_PASSWORD", password)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run ipmitool")
    }
}

impl std::fmt::Debug for TestBmc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestBmc")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Drop for TestBmc {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Server {
    config: BmcConfig,
    chassis: Arc<Mutex<Chassis>>,
    commands: Arc<AtomicU32>,
    /// By the BMC's session ID.
    sessions: HashMap<u32, Session>,
}

impl Server {
    fn serve(mut self, socket: &UdpSocket, stop: &AtomicBool) {
        let mut buf = [0u8; 1024];
        while !stop.load(Ordering::Relaxed) {
            let Ok((n, from)) = socket.recv_from(&mut buf) else {
                continue;
            };
            if let Some(answer) = self.answer(&buf[..n]) {
                let _ = socket.send_to(&answer, from);
            }
        }
    }

    fn answer(&mut self, p: &[u8]) -> Option<Vec<u8>> {
        if p.len() < 6 || p[..4] != RMCP {
            return None;
        }
        match p[4] {
            // IPMI 1.5, outside a session: auth type none, sequence and session 0.
            0x00 => {
                let len = usize::from(*p.get(13)?);
                let m = p.get(14..14 + len)?;
                let reply = self.presession(m)?;
                let mut out = RMCP.to_vec();
                out.push(0x00);
                out.extend_from_slice(&[0; 8]);
                out.push(reply.len() as u8);
                out.extend_from_slice(&reply);
                Some(out)
            }
            0x06 => self.rmcp_plus(p),
            _ => None,
        }
    }

    /// A request message's parts: (netfn, rq_seq byte, cmd, data).
    fn request(m: &[u8]) -> Option<(u8, u8, u8, &[u8])> {
        if m.len() < 7 {
            return None;
        }
        Some((m[1] >> 2, m[4], m[5], &m[6..m.len() - 1]))
    }

    /// The response message to a request.
    fn response(netfn: u8, rq_seq: u8, cmd: u8, cc: u8, data: &[u8]) -> Vec<u8> {
        let mut m = vec![0x81, ((netfn | 1) << 2), 0];
        m[2] = checksum(&m[..2]);
        let body_start = m.len();
        m.extend_from_slice(&[0x20, rq_seq, cmd, cc]);
        m.extend_from_slice(data);
        let cs = checksum(&m[body_start..]);
        m.push(cs);
        m
    }

    fn presession(&self, m: &[u8]) -> Option<Vec<u8>> {
        let (netfn, rq_seq, cmd, data) = Server::request(m)?;
        Some(match (netfn, cmd) {
            // Get Channel Authentication Capabilities: channel 1, IPMI 2.0 extended data,
            // straight password and MD5 offered for 1.5, RMCP+ supported.
            (0x06, 0x38) => Server::response(
                netfn,
                rq_seq,
                cmd,
                0,
                &[1, 0x80 | 0x14, 0x04, 0x02, 0, 0, 0, 0],
            ),
            // Get Channel Cipher Suites, listed by suite, 16 bytes a page.
            (0x06, 0x54) => {
                let index = usize::from(data.get(2).copied().unwrap_or(0) & 0x3F);
                let mut records = Vec::new();
                for &id in &self.config.offered {
                    let algorithms: &[u8] = match id {
                        17 => &[0x03, 0x44, 0x81],
                        3 => &[0x01, 0x41, 0x81],
                        2 => &[0x01, 0x41],
                        1 => &[0x01],
                        _ => &[0x00],
                    };
                    records.push(0xC0);
                    records.push(id);
                    records.extend_from_slice(algorithms);
                }
                let page: Vec<u8> = records.iter().skip(index * 16).take(16).copied().collect();
                let mut d = vec![1];
                d.extend_from_slice(&page);
                Server::response(netfn, rq_seq, cmd, 0, &d)
            }
            _ => Server::response(netfn, rq_seq, cmd, 0xC1, &[]),
        })
    }

    fn plus(payload_type: u8, session_id: u32, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut out = RMCP.to_vec();
        out.push(0x06);
        out.push(payload_type);
        out.extend_from_slice(&session_id.to_le_bytes());
        out.extend_from_slice(&seq.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u16).to_le_bytes());
        out.extend_from_slice(payload);
        out
    }

    fn rmcp_plus(&mut self, p: &[u8]) -> Option<Vec<u8>> {
        if p.len() < 16 {
            return None;
        }
        let kind = p[5];
        let sid = u32::from_le_bytes(p[6..10].try_into().ok()?);
        let len = usize::from(u16::from_le_bytes([p[14], p[15]]));
        let payload = p.get(16..16 + len)?;
        match kind & 0x3F {
            0x10 => self.open_session(payload),
            0x12 => self.rakp1(payload),
            0x14 => self.rakp3(payload),
            0x00 if kind == 0xC0 => self.in_session(sid, p, payload),
            _ => None,
        }
    }

    fn open_session(&mut self, m: &[u8]) -> Option<Vec<u8>> {
        if m.len() < 32 {
            return None;
        }
        let (tag, console_sid) = (m[0], u32::from_le_bytes(m[4..8].try_into().ok()?));
        let algorithms = [m[12], m[20], m[28]];
        let mut r = vec![tag, 0, 4, 0];
        r.extend_from_slice(&console_sid.to_le_bytes());
        if algorithms != [0x03, 0x04, 0x01] || !self.config.offered.contains(&17) {
            r[1] = if algorithms[0] != 0x03 { 0x04 } else { 0x11 };
            return Some(Server::plus(0x11, 0, 0, &r));
        }
        let bmc_sid = random_u32();
        r.extend_from_slice(&bmc_sid.to_le_bytes());
        for (k, a) in algorithms.iter().enumerate() {
            r.extend_from_slice(&[k as u8, 0, 0, 8, *a, 0, 0, 0]);
        }
        self.sessions.insert(
            bmc_sid,
            Session {
                console_sid,
                user: Vec::new(),
                password: [0; 20],
                rm: [0; 16],
                rc: [0; 16],
                role: 0,
                keys: None,
                seq: 0,
            },
        );
        Some(Server::plus(0x11, 0, 0, &r))
    }

    fn rakp1(&mut self, m: &[u8]) -> Option<Vec<u8>> {
        if m.len() < 28 {
            return None;
        }
        let tag = m[0];
        let bmc_sid = u32::from_le_bytes(m[4..8].try_into().ok()?);
        let rm: [u8; 16] = m[8..24].try_into().ok()?;
        let role = m[24];
        let user = m.get(28..28 + usize::from(m[27]))?.to_vec();
        let known = self
            .config
            .users
            .iter()
            .find(|(u, _)| u.as_bytes() == user.as_slice())
            .map(|(_, pw)| pw.clone());
        let s = self.sessions.get_mut(&bmc_sid)?;
        let mut r = vec![tag, 0, 0, 0];
        r.extend_from_slice(&s.console_sid.to_le_bytes());
        let Some(password) = known else {
            r[1] = 0x0D;
            return Some(Server::plus(0x13, 0, 0, &r));
        };
        s.password = [0; 20];
        s.password[..password.len()].copy_from_slice(password.as_bytes());
        s.rm = rm;
        s.rc = random16();
        s.role = role;
        s.user = user;
        r.extend_from_slice(&s.rc);
        r.extend_from_slice(&GUID);
        let code = hmac(
            &s.password,
            &[
                &s.console_sid.to_le_bytes(),
                &bmc_sid.to_le_bytes(),
                &s.rm,
                &s.rc,
                &GUID,
                &[s.role, s.user.len() as u8],
                &s.user,
            ],
        );
        r.extend_from_slice(&code);
        Some(Server::plus(0x13, 0, 0, &r))
    }

    fn rakp3(&mut self, m: &[u8]) -> Option<Vec<u8>> {
        if m.len() < 8 {
            return None;
        }
        let tag = m[0];
        let bmc_sid = u32::from_le_bytes(m[4..8].try_into().ok()?);
        let kg = self.config.kg.clone();
        let s = self.sessions.get_mut(&bmc_sid)?;
        let mut r = vec![tag, 0, 0, 0];
        r.extend_from_slice(&s.console_sid.to_le_bytes());
        let want = hmac(
            &s.password,
            &[
                &s.rc,
                &s.console_sid.to_le_bytes(),
                &[s.role, s.user.len() as u8],
                &s.user,
            ],
        );
        if m[1] != 0 || m[8..] != want[..] {
            r[1] = 0x0F;
            self.sessions.remove(&bmc_sid);
            return Some(Server::plus(0x15, 0, 0, &r));
        }
        let key = match &kg {
            Some(k) => {
                let mut padded = [0u8; 20];
                padded[..k.len()].copy_from_slice(k);
                padded
            }
            None => s.password,
        };
        let sik = hmac(
            &key,
            &[&s.rm, &s.rc, &[s.role, s.user.len() as u8], &s.user],
        );
        let k1 = hmac(&sik, &[&[0x01; 20]]);
        let k2 = hmac(&sik, &[&[0x02; 20]]);
        let aes: [u8; 16] = k2[..16].try_into().ok()?;
        s.keys = Some((k1, aes));
        let icv = hmac(&sik, &[&s.rm, &bmc_sid.to_le_bytes(), &GUID]);
        r.extend_from_slice(&icv[..16]);
        Some(Server::plus(0x15, 0, 0, &r))
    }

    fn in_session(&mut self, bmc_sid: u32, p: &[u8], payload: &[u8]) -> Option<Vec<u8>> {
        let s = self.sessions.get_mut(&bmc_sid)?;
        let (k1, aes) = s.keys.clone()?;
        // Integrity: HMAC-SHA256-128 over everything from the auth type to the next header.
        if p.len() < 4 + 16 || hmac(&k1, &[&p[4..p.len() - 16]])[..16] != p[p.len() - 16..] {
            return None;
        }
        if payload.len() < 32 || !payload.len().is_multiple_of(16) {
            return None;
        }
        let iv: [u8; 16] = payload[..16].try_into().ok()?;
        let mut body = payload[16..].to_vec();
        cbc::Decryptor::<Aes128>::new(&aes.into(), &iv.into())
            .decrypt_padded::<NoPadding>(&mut body)
            .ok()?;
        let pad = usize::from(*body.last()?);
        body.truncate(body.len().checked_sub(pad + 1)?);
        let (netfn, rq_seq, cmd, data) = Server::request(&body)?;
        let mut close = false;
        let (cc, out): (u8, Vec<u8>) = match (netfn, cmd) {
            // Set Session Privilege Level: granted as asked (0: keep).
            (0x06, 0x3B) => (
                0,
                vec![data.first().copied().filter(|v| *v != 0).unwrap_or(4)],
            ),
            // Get Device ID: device 0x20, IPMI 2.0, manufacturer 0 (none), product 0x1717.
            (0x06, 0x01) => (
                0,
                vec![0x20, 0x01, 0x01, 0x00, 0x02, 0x00, 0, 0, 0, 0x17, 0x17],
            ),
            (0x06, 0x3C) => {
                close = true;
                (0, vec![])
            }
            // Get Chassis Status.
            (0x00, 0x01) => {
                let on = self.chassis.lock().expect("chassis").power();
                (0, vec![u8::from(on), 0, 0, 0])
            }
            // Chassis Control: 0 down, 1 up, 2 cycle, 3 hard reset, 5 soft shutdown.
            (0x00, 0x02) => {
                self.commands.fetch_add(1, Ordering::Relaxed);
                let mut c = self.chassis.lock().expect("chassis");
                let on = c.power();
                let to = match data.first() {
                    Some(0 | 5) => Some(false),
                    Some(1) => Some(true),
                    Some(2 | 3) if on => {
                        c.resets += 1;
                        None
                    }
                    _ => None,
                };
                if let Some(to) = to {
                    match self.config.follow {
                        Follow::Now => {
                            c.on = to;
                            c.pending = None;
                        }
                        Follow::After(d) => c.pending = Some((to, Some(Instant::now() + d))),
                        Follow::Never => c.pending = Some((to, None)),
                    }
                }
                (0, vec![])
            }
            _ => (0xC1, vec![]),
        };
        let message = Server::response(netfn, rq_seq, cmd, cc, &out);
        let s = self.sessions.get_mut(&bmc_sid)?;
        s.seq = s.seq.wrapping_add(1).max(1);
        let (console_sid, seq) = (s.console_sid, s.seq);
        if close {
            self.sessions.remove(&bmc_sid);
        }
        // Confidentiality trailer: pad 1, 2, … and the pad length, to whole AES blocks.
        let pad = (16 - (message.len() + 1) % 16) % 16;
        let mut body = message;
        body.extend((1..=pad).map(|i| i as u8));
        body.push(pad as u8);
        let n = body.len();
        let iv = random16();
        cbc::Encryptor::<Aes128>::new(&aes.into(), &iv.into())
            .encrypt_padded::<NoPadding>(&mut body, n)
            .ok()?;
        let mut payload = iv.to_vec();
        payload.extend_from_slice(&body);
        let mut out = Server::plus(0xC0, console_sid, seq, &payload);
        let covered = out.len() - 4 + 2;
        let ipad = (4 - covered % 4) % 4;
        out.extend(std::iter::repeat_n(0xFF, ipad));
        out.push(ipad as u8);
        out.push(0x07);
        let icv = hmac(&k1, &[&out[4..]]);
        out.extend_from_slice(&icv[..16]);
        Some(out)
    }
}
