//! A UDP fault proxy on 127.0.0.1, between a handler and a real agent: what a WAN link or a busy
//! management network does to datagrams, seeded so that a test gets the same losses every run.
//!
//! The handler talks to the proxy's port; the proxy forwards each client's datagrams to the
//! agent from a socket of its own (so the agent sees one peer per client) and the agent's
//! answers back, applying [`Faults`] in each direction: loss (a probability, or one chosen
//! packet), delay, duplication, reordering (each pair of answers swapped), garbage or truncated
//! answers, a blackhole, answers that stop after a number, and answers sent from another
//! address (127.0.0.2) than the one the client talks to. Only 127.0.0.0/8 is ever used.

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the proxy does to datagrams.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// The seed of the loss draws.
    pub seed: u64,
    /// Probability that a request (client → agent) is lost.
    pub loss_up: f64,
    /// Probability that an answer (agent → client) is lost.
    pub loss_down: f64,
    /// Lose exactly the n-th answer (1-based), whatever the probabilities.
    pub drop_answer: Option<u64>,
    /// Lose the answers numbered in this range (1-based; empty by default).
    pub drop_answers: std::ops::Range<u64>,
    /// Lose exactly the n-th request (1-based).
    pub drop_request: Option<u64>,
    /// Hold each answer this long (each on its own clock: answers overtake none and queue
    /// behind none).
    pub delay: Duration,
    /// Forward this many answers at once and hold only the later ones `delay` (0: hold all).
    pub delay_after: u64,
    /// Send each answer twice.
    pub duplicate: bool,
    /// Swap each pair of answers.
    pub reorder: bool,
    /// Replace each answer with bytes that are not SNMP or IPMI.
    pub garbage: bool,
    /// Cut each answer to this many bytes.
    pub truncate: Option<usize>,
    /// Lose everything.
    pub blackhole: bool,
    /// Forward this many answers, then lose every later one.
    pub silent_after: Option<u64>,
    /// Send the answers from 127.0.0.2 instead of the proxy's own address.
    pub foreign_source: bool,
    /// Lose every answer to an SNMP (v1/v2c) SetRequest: the agent applies the SET, the client
    /// never hears of it.
    pub drop_set_answers: bool,
}

/// Counts of what went through.
#[derive(Debug, Default)]
pub struct Counts {
    /// Requests received from clients.
    pub requests: AtomicU64,
    /// Answers received from the agent.
    pub answers: AtomicU64,
}

/// The proxy, running until dropped.
pub struct FaultProxy {
    port: u16,
    counts: Arc<Counts>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for FaultProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultProxy")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

/// A small seeded generator (xorshift64*): the same draws for the same seed.
#[derive(Debug)]
struct Draws(u64);

impl Draws {
    fn new(seed: u64) -> Draws {
        Draws(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A number in [0, 1).
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Shared {
    faults: Faults,
    /// Draws for requests and for answers, apart, so one direction's losses do not move the
    /// other's.
    up: Mutex<Draws>,
    down: Mutex<Draws>,
    /// An answer held back to be swapped with the next one.
    held: Mutex<Option<(Vec<u8>, SocketAddr)>>,
    /// The request-ids of the SETs seen (for `drop_set_answers`).
    sets: Mutex<Vec<i64>>,
    counts: Arc<Counts>,
}

/// The PDU tag and request-id of an SNMPv1/v2c message (`SEQUENCE { version, community, PDU {
/// request-id, ... } }`), read with the fewest BER rules that do it; `None` for anything else.
fn snmp_pdu(msg: &[u8]) -> Option<(u8, i64)> {
    // One TLV at `at`: (tag, start of the value, its length).
    fn tlv(msg: &[u8], at: usize) -> Option<(u8, usize, usize)> {
        let tag = *msg.get(at)?;
        let first = *msg.get(at + 1)?;
        if first < 0x80 {
            return Some((tag, at + 2, usize::from(first)));
        }
        let n = usize::from(first & 0x7f);
        let len = msg
            .get(at + 2..at + 2 + n)?
            .iter()
            .fold(0usize, |l, b| (l << 8) | usize::from(*b));
        Some((tag, at + 2 + n, len))
    }
    let (0x30, body, _) = tlv(msg, 0)? else {
        return None;
    };
    let (_, v, vl) = tlv(msg, body)?; // version
    let (_, c, cl) = tlv(msg, v + vl)?; // community
    let (pdu, p, _) = tlv(msg, c + cl)?;
    let (0x02, r, rl) = tlv(msg, p)? else {
        return None;
    };
    let id = msg
        .get(r..r + rl)?
        .iter()
        .fold(0i64, |id, b| (id << 8) | i64::from(*b));
    Some((pdu, id))
}

impl FaultProxy {
    /// A proxy to the agent on 127.0.0.1:`agent_port`.
    pub fn start(agent_port: u16, faults: Faults) -> FaultProxy {
        let front = UdpSocket::bind("127.0.0.1:0").expect("bind the proxy");
        front
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("read timeout");
        let port = front.local_addr().expect("bound").port();
        let foreign = faults.foreign_source.then(|| {
            UdpSocket::bind("127.0.0.2:0").expect("bind 127.0.0.2 (the loopback network is /8)")
        });
        let counts = Arc::new(Counts::default());
        let shared = Arc::new(Shared {
            up: Mutex::new(Draws::new(faults.seed)),
            down: Mutex::new(Draws::new(faults.seed ^ 0xA5A5_A5A5)),
            held: Mutex::new(None),
            sets: Mutex::new(Vec::new()),
            faults,
            counts: counts.clone(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let (front, foreign) = (Arc::new(front), foreign.map(Arc::new));
        let agent = SocketAddr::from(([127, 0, 0, 1], agent_port));
        let upstreams: Arc<Mutex<HashMap<SocketAddr, Arc<UdpSocket>>>> = Arc::default();
        let mut threads = Vec::new();
        let (st, sh, fr) = (stop.clone(), shared.clone(), front.clone());
        threads.push(std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            let mut answer_threads = Vec::new();
            while !st.load(Ordering::Relaxed) {
                let Ok((n, client)) = fr.recv_from(&mut buf) else {
                    continue;
                };
                let k = sh.counts.requests.fetch_add(1, Ordering::Relaxed) + 1;
                let up = {
                    let mut map = upstreams.lock().expect("upstreams");
                    if let Some(u) = map.get(&client) {
                        u.clone()
                    } else {
                        let u = Arc::new(UdpSocket::bind("127.0.0.1:0").expect("bind upstream"));
                        u.set_read_timeout(Some(Duration::from_millis(50)))
                            .expect("timeout");
                        map.insert(client, u.clone());
                        let out = foreign.clone().unwrap_or_else(|| fr.clone());
                        let (st, sh, u2) = (st.clone(), sh.clone(), u.clone());
                        answer_threads.push(std::thread::spawn(move || {
                            answers(&u2, client, &out, &sh, &st);
                        }));
                        u
                    }
                };
                let f = &sh.faults;
                if f.drop_set_answers
                    && let Some((0xA3, id)) = snmp_pdu(&buf[..n])
                {
                    sh.sets.lock().expect("sets").push(id);
                }
                let lost = f.blackhole
                    || f.drop_request == Some(k)
                    || sh.up.lock().expect("draws").next() < f.loss_up;
                if !lost {
                    let _ = up.send_to(&buf[..n], agent);
                }
            }
            for t in answer_threads {
                let _ = t.join();
            }
        }));
        FaultProxy {
            port,
            counts,
            stop,
            threads,
        }
    }

    /// The proxy's port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Requests received so far.
    pub fn requests(&self) -> u64 {
        self.counts.requests.load(Ordering::Relaxed)
    }

    /// Answers received from the agent so far.
    pub fn answers(&self) -> u64 {
        self.counts.answers.load(Ordering::Relaxed)
    }
}

/// Forwards the agent's answers to `client`, faults applied.
fn answers(
    up: &UdpSocket,
    client: SocketAddr,
    out: &Arc<UdpSocket>,
    sh: &Shared,
    stop: &AtomicBool,
) {
    let mut buf = [0u8; 65536];
    while !stop.load(Ordering::Relaxed) {
        let Ok(n) = up.recv(&mut buf) else {
            continue;
        };
        let k = sh.counts.answers.fetch_add(1, Ordering::Relaxed) + 1;
        let f = &sh.faults;
        let lost = f.blackhole
            || f.drop_answer == Some(k)
            || f.drop_answers.contains(&k)
            || f.silent_after.is_some_and(|s| k > s)
            || (f.drop_set_answers
                && snmp_pdu(&buf[..n])
                    .is_some_and(|(_, id)| sh.sets.lock().expect("sets").contains(&id)))
            || sh.down.lock().expect("draws").next() < f.loss_down;
        if lost {
            continue;
        }
        let mut data = buf[..n].to_vec();
        if f.garbage {
            data = b"\x00\x01garbage that is neither SNMP nor IPMI\xff".to_vec();
        }
        if let Some(t) = f.truncate {
            data.truncate(t);
        }
        if !f.delay.is_zero() && k > f.delay_after {
            let (out, delay, twice) = (out.clone(), f.delay, f.duplicate);
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                let _ = out.send_to(&data, client);
                if twice {
                    let _ = out.send_to(&data, client);
                }
            });
            continue;
        }
        if f.reorder {
            let mut held = sh.held.lock().expect("held");
            match held.take() {
                None => {
                    *held = Some((data, client));
                    continue;
                }
                Some((first, to)) => {
                    let _ = out.send_to(&data, client);
                    let _ = out.send_to(&first, to);
                    continue;
                }
            }
        }
        let _ = out.send_to(&data, client);
        if f.duplicate {
            let _ = out.send_to(&data, client);
        }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
