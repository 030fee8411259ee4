//! IPMI messages as they travel inside a LAN session: the IPMB-style framing (addresses, NetFn,
//! sequence, checksums) around a command and its data, and completion codes.
//!
//! Encoding and decoding only; no I/O. IPMI 1.5 and 2.0 carry the same message format (IPMI v2.0
//! spec, section 13.8; IPMI v1.5, section 6.11).

/// The BMC's responder address (the IPMB slave address of the BMC).
pub(crate) const BMC_ADDR: u8 = 0x20;
/// Our requester address: a remote console's software ID (IPMI 2.0 spec, section 5.5).
pub(crate) const CONSOLE_SWID: u8 = 0x81;

/// An IPMI command: its network function, its number, and the name the spec gives it (used in
/// every error text that concerns it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// The request NetFn (even; the response has NetFn + 1).
    pub netfn: u8,
    /// The command number within the NetFn.
    pub cmd: u8,
    /// The spec's name, e.g. "Get Chassis Status".
    pub name: &'static str,
}

impl Command {
    /// Refuses response data shorter than `need` bytes: [`crate::IpmiError::Truncated`] naming
    /// this command.
    pub(crate) fn need(
        &self,
        target: &str,
        data: &[u8],
        need: usize,
    ) -> Result<(), crate::IpmiError> {
        if data.len() < need {
            return Err(crate::IpmiError::Truncated {
                target: target.to_owned(),
                command: self.name,
                got: data.len(),
                need,
            });
        }
        Ok(())
    }
}

/// The two's-complement checksum IPMB uses: the bytes plus the checksum sum to zero.
pub(crate) fn checksum(bytes: &[u8]) -> u8 {
    bytes
        .iter()
        .fold(0u8, |acc, b| acc.wrapping_add(*b))
        .wrapping_neg()
}

/// A request message: `rsAddr, netFn/rsLUN, chk1, rqAddr, rqSeq/rqLUN, cmd, data…, chk2`.
pub(crate) fn encode_request(command: &Command, rq_seq: u8, data: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(7 + data.len());
    m.push(BMC_ADDR);
    m.push(command.netfn << 2);
    m.push(checksum(&m[0..2]));
    m.push(CONSOLE_SWID);
    m.push((rq_seq & 0x3F) << 2);
    m.push(command.cmd);
    m.extend_from_slice(data);
    let chk = checksum(&m[3..]);
    m.push(chk);
    m
}

/// A response message, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    /// The response NetFn (request NetFn + 1).
    pub netfn: u8,
    /// The command number.
    pub cmd: u8,
    /// The requester's sequence number, echoed.
    pub rq_seq: u8,
    /// The completion code.
    pub cc: u8,
    /// The response data after the completion code.
    pub data: Vec<u8>,
}

impl Response {
    /// This answers `command` sent with `rq_seq`.
    pub fn answers(&self, command: &Command, rq_seq: u8) -> bool {
        self.netfn == command.netfn | 1 && self.cmd == command.cmd && self.rq_seq == rq_seq & 0x3F
    }
}

/// Decodes `rqAddr, netFn/rqLUN, chk1, rsAddr, rqSeq/rsLUN, cmd, cc, data…, chk2`. A message with
/// a wrong checksum is refused: the bytes are not what the BMC meant.
pub(crate) fn decode_response(m: &[u8]) -> Result<Response, String> {
    if m.len() < 8 {
        return Err(format!(
            "an IPMI message of {} bytes (at least 8: addresses, NetFn, sequence, command, completion code, checksums)",
            m.len()
        ));
    }
    if checksum(&m[0..2]) != m[2] {
        return Err("an IPMI message whose header checksum is wrong".into());
    }
    if checksum(&m[3..m.len() - 1]) != m[m.len() - 1] {
        return Err("an IPMI message whose data checksum is wrong".into());
    }
    Ok(Response {
        netfn: m[1] >> 2,
        cmd: m[5],
        rq_seq: m[4] >> 2,
        cc: m[6],
        data: m[7..m.len() - 1].to_vec(),
    })
}

/// The spec's name for a completion code (IPMI v2.0, table 5-2), or `None` for an OEM or
/// command-specific one.
pub fn completion_code_name(cc: u8) -> Option<&'static str> {
    Some(match cc {
        0x00 => "command completed normally",
        0xC0 => "node busy",
        0xC1 => "invalid command",
        0xC2 => "command invalid for the given LUN",
        0xC3 => "timeout while processing the command",
        0xC4 => "out of space",
        0xC5 => "reservation cancelled or invalid",
        0xC6 => "request data truncated",
        0xC7 => "request data length invalid",
        0xC8 => "request data field length limit exceeded",
        0xC9 => "parameter out of range",
        0xCA => "cannot return the number of requested data bytes",
        0xCB => "requested sensor, data or record not present",
        0xCC => "invalid data field in request",
        0xCD => "command illegal for the specified sensor or record type",
        0xCE => "command response could not be provided",
        0xCF => "cannot execute a duplicated request",
        0xD0 => "SDR repository in update mode",
        0xD1 => "device in firmware update mode",
        0xD2 => "BMC initialization in progress",
        0xD3 => "destination unavailable",
        0xD4 => "insufficient privilege level",
        0xD5 => "command not supported in the present state",
        0xD6 => "sub-function disabled or unavailable",
        0xFF => "unspecified error",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
