//! IPMI 1.5 LAN packets: the RMCP header, the session header with its auth code, and the auth
//! code itself (IPMI v1.5 spec, sections 6.11 and 6.12; IPMI v2.0, section 13.6 and 22.17).
//!
//! Encoding and decoding only; no I/O. The auth code of MD2 and MD5 is the digest of
//! `password(16) | session ID | message | session sequence number | password(16)`, with the
//! session ID and sequence number as they appear in the header and the message without the
//! message-length byte in front of it (the byte that ipmi-rs 0.6 wrongly includes when it checks
//! a BMC's answer). Straight password puts the 16-byte password itself in the field.

use md2::Md2;
use md5::{Digest, Md5};

use crate::options::AuthType;

/// The RMCP header of every IPMI packet: version 6, reserved, sequence 0xFF (no RMCP ACK),
/// class 7 (IPMI).
pub(crate) const RMCP_IPMI: [u8; 4] = [0x06, 0x00, 0xFF, 0x07];

/// The session header's authentication type value that marks an RMCP+ (IPMI 2.0) packet.
pub(crate) const FORMAT_RMCP_PLUS: u8 = 0x06;

/// The IPMI 1.5 password field: the password padded with NULs to 16 bytes.
pub(crate) type Password16 = [u8; 16];

/// The auth code of a packet, or `None` for authentication type none.
pub(crate) fn auth_code(
    auth: AuthType,
    password: &Password16,
    session_id: u32,
    message: &[u8],
    seq: u32,
) -> Option<[u8; 16]> {
    fn digest<D: Digest>(
        password: &Password16,
        session_id: u32,
        message: &[u8],
        seq: u32,
    ) -> [u8; 16] {
        let mut d = D::new();
        d.update(password);
        d.update(session_id.to_le_bytes());
        d.update(message);
        d.update(seq.to_le_bytes());
        d.update(password);
        let out = d.finalize();
        let mut code = [0u8; 16];
        code.copy_from_slice(&out[..16]);
        code
    }
    match auth {
        AuthType::None => None,
        AuthType::Password => Some(*password),
        AuthType::Md2 => Some(digest::<Md2>(password, session_id, message, seq)),
        AuthType::Md5 => Some(digest::<Md5>(password, session_id, message, seq)),
    }
}

/// Packet lengths that some early IPMI 1.5 LAN controllers cannot receive; a "legacy pad" byte
/// after the message avoids them (IPMI v2.0, section 13.6, as ipmitool does).
const LEGACY_PAD_LENGTHS: [usize; 5] = [56, 84, 112, 128, 156];

/// A whole IPMI 1.5 packet: RMCP header, session header (auth code included unless `auth` is
/// none), message length, message.
pub(crate) fn encode(
    auth: AuthType,
    password: &Password16,
    session_id: u32,
    seq: u32,
    message: &[u8],
) -> Vec<u8> {
    let mut p = Vec::with_capacity(30 + message.len());
    p.extend_from_slice(&RMCP_IPMI);
    p.push(auth.to_wire());
    p.extend_from_slice(&seq.to_le_bytes());
    p.extend_from_slice(&session_id.to_le_bytes());
    if let Some(code) = auth_code(auth, password, session_id, message, seq) {
        p.extend_from_slice(&code);
    }
    p.push(u8::try_from(message.len()).expect("IPMI requests here are a few dozen bytes"));
    p.extend_from_slice(message);
    if LEGACY_PAD_LENGTHS.contains(&p.len()) {
        p.push(0);
    }
    p
}

/// A received IPMI 1.5 packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packet<'a> {
    /// The session header's authentication type (wire value).
    pub auth: u8,
    /// The session sequence number.
    pub seq: u32,
    /// The session ID.
    pub session_id: u32,
    /// The auth code, when the authentication type is not none.
    pub code: Option<[u8; 16]>,
    /// The IPMI message.
    pub message: &'a [u8],
}

/// Why a datagram is not an IPMI 1.5 packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotV15 {
    /// Not RMCP class IPMI, or an RMCP+ packet: not for an IPMI 1.5 session at all.
    Other,
    /// An IPMI 1.5 packet cut short.
    Short(String),
}

/// Decodes an IPMI 1.5 packet. Trailing bytes after the message (a legacy pad) are ignored.
pub(crate) fn decode(p: &[u8]) -> Result<Packet<'_>, NotV15> {
    if p.len() < 5 || p[0] != RMCP_IPMI[0] || p[3] & 0x1F != RMCP_IPMI[3] {
        return Err(NotV15::Other);
    }
    let auth = p[4];
    if auth & 0x0F == FORMAT_RMCP_PLUS {
        return Err(NotV15::Other);
    }
    let header = if auth & 0x0F == 0 { 14 } else { 30 };
    if p.len() < header {
        return Err(NotV15::Short(format!(
            "an IPMI 1.5 packet of {} bytes, shorter than its session header",
            p.len()
        )));
    }
    let u32_at = |i: usize| u32::from_le_bytes([p[i], p[i + 1], p[i + 2], p[i + 3]]);
    let code = (header == 30).then(|| {
        let mut c = [0u8; 16];
        c.copy_from_slice(&p[13..29]);
        c
    });
    let len = usize::from(p[header - 1]);
    let message = p.get(header..header + len).ok_or_else(|| {
        NotV15::Short(format!(
            "an IPMI 1.5 packet whose message is {} bytes long but holds {}",
            len,
            p.len() - header
        ))
    })?;
    Ok(Packet {
        auth,
        seq: u32_at(5),
        session_id: u32_at(9),
        code,
        message,
    })
}

impl Packet<'_> {
    /// The auth code is what the password makes of this packet. A packet of authentication type
    /// none passes (BMCs answer so when per-message authentication is off); one whose type this
    /// crate does not know (OEM) does not.
    pub fn verifies(&self, password: &Password16) -> bool {
        match AuthType::from_wire(self.auth) {
            Some(AuthType::None) => true,
            Some(auth) => {
                auth_code(auth, password, self.session_id, self.message, self.seq) == self.code
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests;
