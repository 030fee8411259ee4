//! IPMI 2.0 RMCP+ packets and the RAKP handshake of cipher suites 3 (RAKP-HMAC-SHA1
//! authentication, HMAC-SHA1-96 integrity, AES-CBC-128 confidentiality; IPMI v2.0 spec,
//! sections 13.6, 13.17 to 13.31) and 17 (RAKP-HMAC-SHA256, HMAC-SHA256-128, AES-CBC-128; the
//! spec's errata 4 and DCMI: the same messages with SHA-256 in place of SHA-1, 32-byte codes
//! and keys, 16-byte integrity values).
//!
//! Encoding, decoding and the key arithmetic only; no I/O. Names follow the spec: `m` is the
//! remote console (us), `c` the managed system (the BMC); `SIDm`/`SIDc` their session IDs,
//! `Rm`/`Rc` their random numbers, `GUIDc` the BMC's GUID, `ROLEm` the requested-role byte of
//! RAKP message 1 (lookup bit included), `UNAMEm` the user name.

use aes::Aes128;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hmac::{KeyInit, Mac, SimpleHmac};
use sha1::Sha1;
use sha2::Sha256;

use crate::v15::{FORMAT_RMCP_PLUS, RMCP_IPMI};

/// RMCP+ payload types (IPMI v2.0, table 13-16).
pub(crate) mod payload {
    /// An IPMI message.
    pub const IPMI: u8 = 0x00;
    /// RMCP+ Open Session Request.
    pub const OPEN_SESSION_REQUEST: u8 = 0x10;
    /// RMCP+ Open Session Response.
    pub const OPEN_SESSION_RESPONSE: u8 = 0x11;
    /// RAKP Message 1.
    pub const RAKP1: u8 = 0x12;
    /// RAKP Message 2.
    pub const RAKP2: u8 = 0x13;
    /// RAKP Message 3.
    pub const RAKP3: u8 = 0x14;
    /// RAKP Message 4.
    pub const RAKP4: u8 = 0x15;
}

/// Payload type bit: the payload is encrypted.
const ENCRYPTED: u8 = 0x80;
/// Payload type bit: the packet carries an integrity trailer.
const AUTHENTICATED: u8 = 0x40;

/// RAKP message 1's lookup bit: find the user by name only, as ipmitool does by default.
pub(crate) const NAME_ONLY_LOOKUP: u8 = 0x10;

/// The RMCP+ password field (Kuid), and the BMC key (Kg): the text padded with NULs to 20 bytes.
pub(crate) type Password20 = [u8; 20];

/// The cipher suites this crate speaks (IPMI v2.0, table 22-20; suite 17 from the errata).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CipherSuite {
    /// 17: RAKP-HMAC-SHA256, HMAC-SHA256-128, AES-CBC-128.
    S17,
    /// 3: RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128.
    S3,
}

impl CipherSuite {
    /// Every suite spoken, strongest first: what negotiation prefers.
    pub const STRONGEST_FIRST: [CipherSuite; 2] = [CipherSuite::S17, CipherSuite::S3];

    /// The suite's number.
    pub fn id(self) -> u8 {
        match self {
            CipherSuite::S17 => 17,
            CipherSuite::S3 => 3,
        }
    }

    /// The suite of a number, if it is one spoken here.
    pub fn from_id(id: u8) -> Option<CipherSuite> {
        CipherSuite::STRONGEST_FIRST
            .into_iter()
            .find(|s| s.id() == id)
    }

    /// Authentication, integrity and confidentiality algorithm numbers, as Open Session Request
    /// proposes them (IPMI v2.0, tables 13-17 to 13-19).
    pub(crate) fn algorithms(self) -> [u8; 3] {
        match self {
            // RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128.
            CipherSuite::S3 => [0x01, 0x01, 0x01],
            // RAKP-HMAC-SHA256, HMAC-SHA256-128, AES-CBC-128.
            CipherSuite::S17 => [0x03, 0x04, 0x01],
        }
    }

    /// HMAC of `parts` under `key` with the suite's hash (20 or 32 bytes).
    pub(crate) fn hmac(self, key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        fn run<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
            let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any size");
            for p in parts {
                Mac::update(&mut mac, p);
            }
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            CipherSuite::S3 => run::<SimpleHmac<Sha1>>(key, parts),
            CipherSuite::S17 => run::<SimpleHmac<Sha256>>(key, parts),
        }
    }

    /// The length of an integrity value: RAKP message 4's and every session packet's (12 for
    /// HMAC-SHA1-96, 16 for HMAC-SHA256-128).
    pub(crate) fn icv_len(self) -> usize {
        match self {
            CipherSuite::S3 => 12,
            CipherSuite::S17 => 16,
        }
    }
}

impl std::fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cipher suite {}", self.id())
    }
}

/// An RMCP+ packet outside a session (Open Session, RAKP): session ID and sequence 0, no
/// integrity, no encryption.
pub(crate) fn encode_plain(payload_type: u8, payload: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(16 + payload.len());
    p.extend_from_slice(&RMCP_IPMI);
    p.push(FORMAT_RMCP_PLUS);
    p.push(payload_type);
    p.extend_from_slice(&0u32.to_le_bytes());
    p.extend_from_slice(&0u32.to_le_bytes());
    p.extend_from_slice(&(payload.len() as u16).to_le_bytes());
    p.extend_from_slice(payload);
    p
}

/// The session keys, derived from the session integrity key (SIK).
#[derive(Clone)]
pub(crate) struct Keys {
    suite: CipherSuite,
    /// K1: the integrity key (20 or 32 bytes).
    k1: Vec<u8>,
    /// The first 16 bytes of K2: the AES-CBC-128 key.
    aes: [u8; 16],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(***)")
    }
}

impl Keys {
    /// K1 = HMAC(SIK, 0x01 × 20), K2 = HMAC(SIK, 0x02 × 20) (IPMI v2.0, section 13.32; the
    /// constants stay 20 bytes with SHA-256, as ipmitool and the BMCs have them).
    pub fn from_sik(suite: CipherSuite, sik: &[u8]) -> Keys {
        let k1 = suite.hmac(sik, &[&[0x01; 20]]);
        let k2 = suite.hmac(sik, &[&[0x02; 20]]);
        let mut aes = [0u8; 16];
        aes.copy_from_slice(&k2[..16]);
        Keys { suite, k1, aes }
    }

    /// A session packet carrying `message`, encrypted with a fresh `iv` and authenticated.
    pub fn encode(&self, session_id: u32, seq: u32, message: &[u8], iv: [u8; 16]) -> Vec<u8> {
        // Confidentiality trailer: pad bytes 1, 2, … and the pad length, to whole AES blocks.
        let pad = (16 - (message.len() + 1) % 16) % 16;
        let mut body = Vec::with_capacity(message.len() + pad + 1);
        body.extend_from_slice(message);
        body.extend((1..=pad).map(|i| i as u8));
        body.push(pad as u8);
        let n = body.len();
        cbc::Encryptor::<Aes128>::new(&self.aes.into(), &iv.into())
            .encrypt_padded::<NoPadding>(&mut body, n)
            .expect("the body is whole AES blocks");
        let mut p = Vec::with_capacity(48 + body.len());
        p.extend_from_slice(&RMCP_IPMI);
        p.push(FORMAT_RMCP_PLUS);
        p.push(payload::IPMI | ENCRYPTED | AUTHENTICATED);
        p.extend_from_slice(&session_id.to_le_bytes());
        p.extend_from_slice(&seq.to_le_bytes());
        p.extend_from_slice(&((16 + body.len()) as u16).to_le_bytes());
        p.extend_from_slice(&iv);
        p.extend_from_slice(&body);
        // Integrity trailer: pad with 0xFF so that everything from the authentication type to
        // the next-header byte is whole 32-bit words, then pad length, next header 0x07, and
        // the integrity value (the first 12 or 16 bytes of the HMAC) over that range.
        let covered = p.len() - 4 + 2;
        let ipad = (4 - covered % 4) % 4;
        p.extend(std::iter::repeat_n(0xFF, ipad));
        p.push(ipad as u8);
        p.push(0x07);
        let code = self.suite.hmac(&self.k1, &[&p[4..]]);
        p.extend_from_slice(&code[..self.suite.icv_len()]);
        p
    }

    /// The integrity code of a received session packet is right.
    pub fn verifies(&self, packet: &Packet<'_>) -> bool {
        let n = self.suite.icv_len();
        match packet.trailer {
            Some(t) if t.len() > n => {
                let (covered, code) = t.split_at(t.len() - n);
                self.suite.hmac(&self.k1, &[covered])[..n] == *code
            }
            _ => false,
        }
    }

    /// The plaintext of an encrypted payload: IV, then whole AES blocks whose last byte is the
    /// pad length.
    pub fn decrypt(&self, payload: &[u8]) -> Result<Vec<u8>, String> {
        if payload.len() < 32 || !payload.len().is_multiple_of(16) {
            return Err(format!(
                "an encrypted payload of {} bytes (an IV and whole AES blocks are at least 32)",
                payload.len()
            ));
        }
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&payload[..16]);
        let mut body = payload[16..].to_vec();
        cbc::Decryptor::<Aes128>::new(&self.aes.into(), &iv.into())
            .decrypt_padded::<NoPadding>(&mut body)
            .map_err(|_| "an encrypted payload that does not decrypt".to_owned())?;
        let pad = usize::from(*body.last().expect("at least one block"));
        if pad + 1 > body.len()
            || body[body.len() - 1 - pad..body.len() - 1]
                .iter()
                .enumerate()
                .any(|(i, b)| usize::from(*b) != i + 1)
        {
            return Err("an encrypted payload whose confidentiality padding is wrong".into());
        }
        body.truncate(body.len() - 1 - pad);
        Ok(body)
    }
}

/// A received RMCP+ packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packet<'a> {
    /// The payload type, without the encrypted and authenticated bits.
    pub payload_type: u8,
    /// The payload is encrypted.
    pub encrypted: bool,
    /// The session ID (ours, SIDm, in the BMC's answers).
    pub session_id: u32,
    /// The session sequence number.
    pub seq: u32,
    /// The payload as sent (still encrypted if it is).
    pub payload: &'a [u8],
    /// For an authenticated packet: everything from the authentication type to the end, the
    /// integrity value last (its length is the session's suite's).
    pub trailer: Option<&'a [u8]>,
}

/// Decodes an RMCP+ packet; `None` if the datagram is not one (IPMI 1.5, ASF, anything else).
/// An RMCP+ packet cut short is an error.
pub(crate) fn decode(p: &[u8]) -> Option<Result<Packet<'_>, String>> {
    if p.len() < 6 || p[0] != RMCP_IPMI[0] || p[3] & 0x1F != RMCP_IPMI[3] {
        return None;
    }
    if p[4] & 0x0F != FORMAT_RMCP_PLUS {
        return None;
    }
    Some(decode_plus(p))
}

fn decode_plus(p: &[u8]) -> Result<Packet<'_>, String> {
    let short = || format!("an RMCP+ packet of {} bytes, cut short", p.len());
    let kind = p[5];
    // OEM payloads carry an IANA number and payload ID first; nothing here uses them.
    if kind & 0x3F == 0x02 {
        return Err("an OEM RMCP+ payload".into());
    }
    if p.len() < 16 {
        return Err(short());
    }
    let u32_at = |i: usize| u32::from_le_bytes([p[i], p[i + 1], p[i + 2], p[i + 3]]);
    let len = usize::from(u16::from_le_bytes([p[14], p[15]]));
    let payload = p.get(16..16 + len).ok_or_else(short)?;
    let authenticated = kind & AUTHENTICATED != 0;
    let trailer = if authenticated {
        // pad…, pad length, next header, then a code of at least 12 bytes.
        if p.len() < 16 + len + 2 + 12 {
            return Err(short());
        }
        Some(&p[4..])
    } else {
        None
    };
    Ok(Packet {
        payload_type: kind & 0x3F,
        encrypted: kind & ENCRYPTED != 0,
        session_id: u32_at(6),
        seq: u32_at(10),
        payload,
        trailer,
    })
}

/// RMCP+ Open Session Request proposing `suite` (IPMI v2.0, table 13-9).
pub(crate) fn open_session_request(
    tag: u8,
    max_privilege: u8,
    console_sid: u32,
    suite: CipherSuite,
) -> Vec<u8> {
    let mut m = vec![tag, max_privilege, 0, 0];
    m.extend_from_slice(&console_sid.to_le_bytes());
    for (kind, algorithm) in [0x00, 0x01, 0x02].into_iter().zip(suite.algorithms()) {
        m.extend_from_slice(&[kind, 0, 0, 0x08, algorithm, 0, 0, 0]);
    }
    m
}

/// What the three answers of RMCP+ session setup (Open Session Response, RAKP messages 2 and 4)
/// share: the tag of the request they answer, a status code, and the console's session ID.
pub(crate) trait SetupAnswer {
    fn tag(&self) -> u8;
    fn status(&self) -> u8;
    fn console_sid(&self) -> u32;
}

macro_rules! setup_answer {
    ($($t:ty),*) => {$(
        impl SetupAnswer for $t {
            fn tag(&self) -> u8 {
                self.tag
            }
            fn status(&self) -> u8 {
                self.status
            }
            fn console_sid(&self) -> u32 {
                self.console_sid
            }
        }
    )*};
}
setup_answer!(OpenSessionResponse, Rakp2, Rakp4);

/// RMCP+ Open Session Response (IPMI v2.0, table 13-10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenSessionResponse {
    pub tag: u8,
    pub status: u8,
    pub console_sid: u32,
    pub bmc_sid: u32,
    pub algorithms: [u8; 3],
}

fn u32_le(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

pub(crate) fn parse_open_session_response(m: &[u8]) -> Result<OpenSessionResponse, String> {
    if m.len() < 2 {
        return Err(format!("an Open Session Response of {} bytes", m.len()));
    }
    if m[1] != 0 {
        // An error status; the rest may be absent.
        return Ok(OpenSessionResponse {
            tag: m[0],
            status: m[1],
            console_sid: if m.len() >= 8 { u32_le(m, 4) } else { 0 },
            bmc_sid: 0,
            algorithms: [0; 3],
        });
    }
    if m.len() < 36 {
        return Err(format!(
            "an Open Session Response of {} bytes (36 expected)",
            m.len()
        ));
    }
    Ok(OpenSessionResponse {
        tag: m[0],
        status: 0,
        console_sid: u32_le(m, 4),
        bmc_sid: u32_le(m, 8),
        algorithms: [m[16] & 0x3F, m[24] & 0x3F, m[32] & 0x3F],
    })
}

/// The values both sides feed into the RAKP codes and the session integrity key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rakp {
    /// The suite whose hash makes the codes.
    pub suite: CipherSuite,
    /// SIDm: our session ID.
    pub console_sid: u32,
    /// SIDc: the BMC's session ID.
    pub bmc_sid: u32,
    /// Rm: our random number.
    pub rm: [u8; 16],
    /// Rc: the BMC's random number (from RAKP message 2).
    pub rc: [u8; 16],
    /// GUIDc: the BMC's GUID (from RAKP message 2).
    pub guid: [u8; 16],
    /// ROLEm: the requested-role byte of RAKP message 1.
    pub role: u8,
    /// UNAMEm.
    pub user: Vec<u8>,
}

impl Rakp {
    /// RAKP Message 1 (IPMI v2.0, table 13-11).
    pub fn message1(&self, tag: u8) -> Vec<u8> {
        let mut m = vec![tag, 0, 0, 0];
        m.extend_from_slice(&self.bmc_sid.to_le_bytes());
        m.extend_from_slice(&self.rm);
        m.extend_from_slice(&[self.role, 0, 0, self.user.len() as u8]);
        m.extend_from_slice(&self.user);
        m
    }

    /// The key exchange authentication code the BMC must send in RAKP message 2:
    /// HMAC(Kuid, SIDm | SIDc | Rm | Rc | GUIDc | ROLEm | ULENGTHm | UNAMEm).
    pub fn message2_code(&self, kuid: &Password20) -> Vec<u8> {
        self.suite.hmac(
            kuid,
            &[
                &self.console_sid.to_le_bytes(),
                &self.bmc_sid.to_le_bytes(),
                &self.rm,
                &self.rc,
                &self.guid,
                &[self.role, self.user.len() as u8],
                &self.user,
            ],
        )
    }

    /// RAKP Message 3 (IPMI v2.0, table 13-13), carrying
    /// HMAC(Kuid, Rc | SIDm | ROLEm | ULENGTHm | UNAMEm).
    pub fn message3(&self, tag: u8, kuid: &Password20) -> Vec<u8> {
        let code = self.suite.hmac(
            kuid,
            &[
                &self.rc,
                &self.console_sid.to_le_bytes(),
                &[self.role, self.user.len() as u8],
                &self.user,
            ],
        );
        let mut m = vec![tag, 0, 0, 0];
        m.extend_from_slice(&self.bmc_sid.to_le_bytes());
        m.extend_from_slice(&code);
        m
    }

    /// The session integrity key: HMAC(Kg, Rm | Rc | ROLEm | ULENGTHm | UNAMEm). Kg is the BMC
    /// key where one is set ("two-key login"), else the user's password.
    pub fn sik(&self, kg: &Password20) -> Vec<u8> {
        self.suite.hmac(
            kg,
            &[
                &self.rm,
                &self.rc,
                &[self.role, self.user.len() as u8],
                &self.user,
            ],
        )
    }

    /// The integrity check value the BMC must send in RAKP message 4: the first 12 (SHA-1) or
    /// 16 (SHA-256) bytes of HMAC(SIK, Rm | SIDc | GUIDc).
    pub fn message4_code(&self, sik: &[u8]) -> Vec<u8> {
        let mut full = self
            .suite
            .hmac(sik, &[&self.rm, &self.bmc_sid.to_le_bytes(), &self.guid]);
        full.truncate(self.suite.icv_len());
        full
    }
}

/// RAKP Message 2 (IPMI v2.0, table 13-12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rakp2 {
    pub tag: u8,
    pub status: u8,
    pub console_sid: u32,
    pub rc: [u8; 16],
    pub guid: [u8; 16],
    pub code: Vec<u8>,
}

pub(crate) fn parse_rakp2(m: &[u8]) -> Result<Rakp2, String> {
    if m.len() >= 2 && m[1] != 0 {
        return Ok(Rakp2 {
            tag: m[0],
            status: m[1],
            console_sid: if m.len() >= 8 { u32_le(m, 4) } else { 0 },
            rc: [0; 16],
            guid: [0; 16],
            code: vec![],
        });
    }
    if m.len() < 40 {
        return Err(format!(
            "a RAKP message 2 of {} bytes (at least 40)",
            m.len()
        ));
    }
    let mut rc = [0u8; 16];
    rc.copy_from_slice(&m[8..24]);
    let mut guid = [0u8; 16];
    guid.copy_from_slice(&m[24..40]);
    Ok(Rakp2 {
        tag: m[0],
        status: 0,
        console_sid: u32_le(m, 4),
        rc,
        guid,
        code: m[40..].to_vec(),
    })
}

/// RAKP Message 4 (IPMI v2.0, table 13-14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rakp4 {
    pub tag: u8,
    pub status: u8,
    pub console_sid: u32,
    pub code: Vec<u8>,
}

pub(crate) fn parse_rakp4(m: &[u8]) -> Result<Rakp4, String> {
    if m.len() < 8 && !(m.len() >= 2 && m[1] != 0) {
        return Err(format!(
            "a RAKP message 4 of {} bytes (at least 8)",
            m.len()
        ));
    }
    Ok(Rakp4 {
        tag: m[0],
        status: m[1],
        console_sid: if m.len() >= 8 { u32_le(m, 4) } else { 0 },
        code: m.get(8..).unwrap_or_default().to_vec(),
    })
}

/// The cipher suite numbers in Get Channel Cipher Suites' record data (IPMI v2.0, table
/// 22-19): each record starts 0xC0 and the suite number (a standard suite), or 0xC1, the
/// number and a 3-byte IANA number (an OEM one), then its algorithm bytes (0x00–0x3F
/// authentication, 0x40–0x7F integrity, 0x80–0xBF confidentiality). OEM suites are left out.
pub(crate) fn suite_ids(records: &[u8]) -> Vec<u8> {
    let mut ids = Vec::new();
    let mut i = 0;
    while i < records.len() {
        match records[i] {
            0xC0 => {
                if let Some(&id) = records.get(i + 1) {
                    ids.push(id);
                }
                i += 2;
            }
            0xC1 => i += 5,
            _ => i += 1,
        }
    }
    ids
}

/// The spec's text for an RMCP+ status code (IPMI v2.0, table 13-15).
pub(crate) fn status_name(code: u8) -> &'static str {
    match code {
        0x00 => "no errors",
        0x01 => "insufficient resources to create a session",
        0x02 => "invalid session ID",
        0x03 => "invalid payload type",
        0x04 => "invalid authentication algorithm",
        0x05 => "invalid integrity algorithm",
        0x06 => "no matching authentication payload",
        0x07 => "no matching integrity payload",
        0x08 => "inactive session ID",
        0x09 => "invalid role",
        0x0A => "unauthorized role or privilege level requested",
        0x0B => "insufficient resources to create a session at the requested role",
        0x0C => "invalid name length",
        0x0D => "unauthorized name",
        0x0E => "unauthorized GUID",
        0x0F => "invalid integrity check value",
        0x10 => "invalid confidentiality algorithm",
        0x11 => "no cipher suite match with proposed security algorithms",
        0x12 => "illegal or unrecognized parameter",
        _ => "reserved status code",
    }
}

#[cfg(test)]
mod tests;
