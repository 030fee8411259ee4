//! Bit lists as switches encode sets of ports or VLANs in one OCTET STRING: Q-BRIDGE-MIB's
//! `PortList` ("the first octet specifying ports 1 through 8 … the most significant bit
//! represents the lowest numbered port") and Cisco's VLAN bitmaps (the same order, bit 0 =
//! VLAN 0 of the block). Agents trim trailing zero octets; reading pads, writing keeps the
//! length the agent gave (and grows it only for a bit beyond).

use std::collections::BTreeSet;

/// The numbers whose bits are set: bit `k` (counted from the most significant bit of octet 0)
/// is number `first + k`.
pub fn decode(bytes: &[u8], first: u32) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    for (i, byte) in bytes.iter().enumerate() {
        for b in 0..8u32 {
            if byte & (0x80 >> b) != 0 {
                out.insert(first + i as u32 * 8 + b);
            }
        }
    }
    out
}

/// `bytes` with the bit of `n` set (`on`) or cleared, in the order of [`decode`]; at least as
/// long as `bytes`, longer only when `n` lies beyond it and is set. `n` below `first` leaves
/// the list as it is.
pub fn with_bit(bytes: &[u8], first: u32, n: u32, on: bool) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let Some(k) = n.checked_sub(first) else {
        return out;
    };
    let (octet, mask) = ((k / 8) as usize, 0x80u8 >> (k % 8));
    if octet >= out.len() {
        if !on {
            return out;
        }
        out.resize(octet + 1, 0);
    }
    if on {
        out[octet] |= mask;
    } else {
        out[octet] &= !mask;
    }
    out
}

/// The bit list of `set` in `len` octets (numbers outside it are dropped).
pub fn encode(set: &BTreeSet<u32>, first: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    for &n in set {
        if let Some(k) = n.checked_sub(first)
            && ((k / 8) as usize) < len
        {
            out[(k / 8) as usize] |= 0x80 >> (k % 8);
        }
    }
    out
}

/// A port list some agents (Juniper ELS) answer as ASCII text, "0,4097,4099", instead of bits:
/// the numbers, if `bytes` is such a text. Every byte must be a digit or a comma, and every
/// number must be `known` or 0 (Juniper lists a port 0): a bit list whose octets happen to be
/// digits would name ports the switch does not have.
pub fn text_list(bytes: &[u8], known: impl Fn(u32) -> bool) -> Option<BTreeSet<u32>> {
    if bytes.is_empty() || !bytes.iter().all(|b| b.is_ascii_digit() || *b == b',') {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut out = BTreeSet::new();
    for item in text.split(',').filter(|s| !s.is_empty()) {
        let n: u32 = item.parse().ok()?;
        if n != 0 && !known(n) {
            return None;
        }
        if n != 0 {
            out.insert(n);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[u32]) -> BTreeSet<u32> {
        v.iter().copied().collect()
    }

    #[test]
    fn port_lists_count_from_the_most_significant_bit() {
        // Q-BRIDGE-MIB's own example order: 0x9a = 1001 1010 → ports 1, 4, 5, 7.
        assert_eq!(decode(&[0x9a], 1), set(&[1, 4, 5, 7]));
        assert_eq!(decode(&[0x00, 0x01], 1), set(&[16]));
        assert_eq!(decode(&[], 1), set(&[]));
        // Cisco's second block starts at VLAN 1024.
        assert_eq!(decode(&[0x80], 1024), set(&[1024]));
        assert_eq!(decode(&[0x40], 0), set(&[1]));
    }

    #[test]
    fn setting_and_clearing_keep_the_length_and_grow_only_to_set() {
        assert_eq!(with_bit(&[0x00], 1, 1, true), vec![0x80]);
        assert_eq!(with_bit(&[0xff], 1, 8, false), vec![0xfe]);
        assert_eq!(with_bit(&[0x80], 1, 17, true), vec![0x80, 0x00, 0x80]);
        assert_eq!(with_bit(&[0x80], 1, 17, false), vec![0x80]);
        assert_eq!(with_bit(&[], 0, 10, true), vec![0x00, 0x20]);
        assert_eq!(with_bit(&[0x80], 5, 1, true), vec![0x80]);
    }

    #[test]
    fn encode_is_decode_inverted() {
        let s = set(&[1, 10, 100, 1000]);
        let b = encode(&s, 0, 128);
        assert_eq!(b.len(), 128);
        assert_eq!(decode(&b, 0), s);
        assert_eq!(decode(&encode(&set(&[3, 2000]), 1, 4), 1), set(&[3]));
    }

    #[test]
    fn juniper_text_lists() {
        let known = |n: u32| (4097..4200).contains(&n);
        assert_eq!(text_list(b"0,4097,4099", known), Some(set(&[4097, 4099])));
        assert_eq!(text_list(b"4098", known), Some(set(&[4098])));
        // Bits that happen to be digits, naming unknown ports: not text.
        assert_eq!(text_list(b"01", known), None);
        assert_eq!(text_list(&[0x80, 0x2c], known), None);
        assert_eq!(text_list(b"", known), None);
    }
}
