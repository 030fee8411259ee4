//! Unit tests of IPMI 1.5 packets and auth codes, against packets ipmitool 1.8.19 (`-I lan`)
//! and ipmi_sim exchanged for user `admin`, password `admin-pw-1` (captured on 127.0.0.1 with a
//! relay).

use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn password(s: &str) -> Password16 {
    let mut p = [0u8; 16];
    p[..s.len()].copy_from_slice(s.as_bytes());
    p
}

/// ipmitool's Activate Session, MD5, temporary session ID 5, sequence 0.
const ACTIVATE_MD5: &str = "0600ff07020000000005000000ef74ec1ce9d5eada82aa599cb90c16151d2018c8810c3a020403082f229f2ff23c218d72748ab5f8bc5bfa678117";
/// ipmi_sim's answer to it, authenticated with the new session's values.
const ACTIVATED_MD5: &str = "0600ff07025bfa678105000000af903751992a24c0d9fe16d6c4a6b30512811c63200c3a000282000000c0e2c8370471";
/// ipmitool's Set Session Privilege Level in the session (ID 0x82, sequence 0x37c8e2c0).
const SET_PRIVILEGE_MD5: &str =
    "0600ff0702c0e2c83782000000f6a37a19b151c29b452b6318c14c89a4082018c881103b0430";
/// ipmitool's Activate Session with straight password authentication.
const ACTIVATE_PASSWORD: &str = "0600ff0704000000008500000061646d696e2d70772d310000000000001d2018c8810c3a0404abacbc69ec18d901a7c7146b0b77b25ade12bcddd3";

#[test]
fn md5_auth_codes_are_the_ones_ipmitool_computes() {
    let pw = password("admin-pw-1");
    for capture in [ACTIVATE_MD5, SET_PRIVILEGE_MD5] {
        let bytes = hex(capture);
        let p = decode(&bytes).unwrap();
        assert_eq!(p.auth, AuthType::Md5.to_wire());
        assert_eq!(
            auth_code(AuthType::Md5, &pw, p.session_id, p.message, p.seq),
            p.code
        );
        // And the whole packet is what we would have sent.
        assert_eq!(
            encode(AuthType::Md5, &pw, p.session_id, p.seq, p.message),
            bytes
        );
    }
}

#[test]
fn the_bmcs_answers_verify_over_the_message_alone() {
    let pw = password("admin-pw-1");
    let bytes = hex(ACTIVATED_MD5);
    let p = decode(&bytes).unwrap();
    assert_eq!((p.session_id, p.seq), (5, 0x8167_fa5b));
    assert!(p.verifies(&pw));
    assert!(!p.verifies(&password("admin-pw-2")));
    // ipmi-rs 0.6 computes the code with the message-length byte in front of the message: that
    // is not the code a BMC sends.
    let mut with_length = vec![u8::try_from(p.message.len()).unwrap()];
    with_length.extend_from_slice(p.message);
    assert_ne!(
        auth_code(AuthType::Md5, &pw, p.session_id, &with_length, p.seq),
        p.code
    );
}

#[test]
fn straight_password_puts_the_password_in_the_field() {
    let pw = password("admin-pw-1");
    let bytes = hex(ACTIVATE_PASSWORD);
    let p = decode(&bytes).unwrap();
    assert_eq!(p.auth, AuthType::Password.to_wire());
    assert_eq!(p.code, Some(pw));
    assert_eq!(
        encode(AuthType::Password, &pw, p.session_id, p.seq, p.message),
        bytes
    );
}

#[test]
fn md2_follows_the_same_layout() {
    // RFC 1319's test vector for the digest itself, then the IPMI layout around it.
    use md2::Digest;
    let abc = md2::Md2::digest(b"abc");
    assert_eq!(abc[..], hex("da853b0d3f88d99b30283a69e6ded6bb")[..]);
    let pw = password("pw");
    let message = [0x20, 0x18, 0xC8];
    let mut input = Vec::new();
    input.extend_from_slice(&pw);
    input.extend_from_slice(&7u32.to_le_bytes());
    input.extend_from_slice(&message);
    input.extend_from_slice(&9u32.to_le_bytes());
    input.extend_from_slice(&pw);
    let want = md2::Md2::digest(&input);
    assert_eq!(
        auth_code(AuthType::Md2, &pw, 7, &message, 9).unwrap()[..],
        want[..]
    );
}

#[test]
fn unauthenticated_packets_have_no_code() {
    // ipmitool's Get Channel Authentication Capabilities.
    let bytes = hex("0600ff07000000000000000000092018c88104380e0431");
    let p = decode(&bytes).unwrap();
    assert_eq!((p.auth, p.seq, p.session_id, p.code), (0, 0, 0, None));
    assert_eq!(encode(AuthType::None, &[0; 16], 0, 0, p.message), bytes);
    assert!(p.verifies(&password("anything")));
}

#[test]
fn other_and_short_datagrams_are_told_apart() {
    // An ASF pong and an RMCP+ packet are not IPMI 1.5 packets.
    assert_eq!(
        decode(&hex(
            "0600ff06000011be40000010000011be000000008100000000000000"
        )),
        Err(NotV15::Other)
    );
    assert_eq!(
        decode(&hex("0600ff0706110000000000000000")),
        Err(NotV15::Other)
    );
    // A packet whose length byte promises more than it holds.
    let mut bytes = hex(ACTIVATED_MD5);
    bytes.truncate(bytes.len() - 3);
    assert!(matches!(decode(&bytes), Err(NotV15::Short(_))));
    assert!(matches!(decode(&bytes[..20]), Err(NotV15::Short(_))));
}

#[test]
fn legacy_pad_lengths_get_a_pad_byte() {
    // A message that makes the packet 56 bytes long gets one more.
    let message = vec![0u8; 56 - 30];
    assert_eq!(encode(AuthType::Md5, &[0; 16], 1, 1, &message).len(), 57);
    let message = vec![0u8; 55 - 30];
    assert_eq!(encode(AuthType::Md5, &[0; 16], 1, 1, &message).len(), 55);
}
