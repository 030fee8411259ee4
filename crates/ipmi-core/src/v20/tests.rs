//! Unit tests of RMCP+ packets and the RAKP arithmetic of cipher suite 3, against a session
//! ipmitool 1.8.19 (`-I lanplus -C 3`) opened with ipmi_sim for user `admin`, password
//! `admin-pw-1` (captured on 127.0.0.1 with a relay). Our code must compute every code and key
//! the two of them agreed on, and read and write their packets byte for byte.

use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn arr<const N: usize>(s: &str) -> [u8; N] {
    hex(s).try_into().unwrap()
}

fn kuid() -> Password20 {
    let mut p = [0u8; 20];
    p[..10].copy_from_slice(b"admin-pw-1");
    p
}

const OPEN_REQUEST: &str = "0600ff0706100000000000000000200000000000a4a3a2a0000000080100000001000008010000000200000801000000";
const OPEN_RESPONSE: &str = "0600ff0706110000000000000000240000000000a4a3a2a002010000000000080100000001000008010000000200000801000000";
const RAKP1: &str = "0600ff0706120000000000000000210000000000020100003ab1702654862bff124c97304bc948bf1400000561646d696e";
const RAKP2: &str = "0600ff07061300000000000000003c0000000000a4a3a2a059863a62cef46affbff2dfcc1f785bdea123456789abcdefa123456789abcdef31326afbac7cd41bae34c7390d898d4a9bae4aa3";
const RAKP3: &str =
    "0600ff07061400000000000000001c0000000000020100007b5d879b2f919ca152f72ebb03a5946618913bca";
const RAKP4: &str = "0600ff0706150000000000000000140000000000a4a3a2a0a0f521b57dd54caf6cf99ca1";
/// ipmitool's first request in the session, encrypted and authenticated.
const REQUEST: &str = "0600ff0706c002010000030000002000489ab77b2a7317fc123e4f1158770288786837a67dcca3c2665db8bf7f884ddaffff02076a187532f77d121339a3fcfd";
/// ipmi_sim's answer.
const ANSWER: &str = "0600ff0706c0a4a3a2a00100000020002ef480aae171a94bad0fc16d4ca2bb6f71a1955f7c3879355e6f2d28c029d142ffff0207195714ff0eb8074d06cf1563";
/// A longer answer (two AES blocks).
const LONG_ANSWER: &str = "0600ff0706c0a4a3a2a0030000003000f8cedbef5fff88cacd64e672cdb0d3e243d8d700df9431f9cc11d6894bde0670160a1e8ea44a071187978491da657eb3ffff0207f10a31957c63c37eab549337";

/// The session as the capture shows it.
fn rakp() -> Rakp {
    Rakp {
        suite: CipherSuite::S3,
        console_sid: 0xa0a2_a3a4,
        bmc_sid: 0x0000_0102,
        rm: arr("3ab1702654862bff124c97304bc948bf"),
        rc: arr("59863a62cef46affbff2dfcc1f785bde"),
        guid: arr("a123456789abcdefa123456789abcdef"),
        role: 0x14,
        user: b"admin".to_vec(),
    }
}

fn payload(capture: &str) -> Vec<u8> {
    let bytes = hex(capture);
    decode(&bytes).unwrap().unwrap().payload.to_vec()
}

#[test]
fn handshake_messages_are_written_as_ipmitool_writes_them() {
    assert_eq!(
        encode_plain(
            payload::OPEN_SESSION_REQUEST,
            &open_session_request(0, 0, 0xa0a2_a3a4, CipherSuite::S3)
        ),
        hex(OPEN_REQUEST)
    );
    assert_eq!(
        encode_plain(payload::RAKP1, &rakp().message1(0)),
        hex(RAKP1)
    );
    assert_eq!(
        encode_plain(payload::RAKP3, &rakp().message3(0, &kuid())),
        hex(RAKP3)
    );
}

#[test]
fn handshake_answers_are_read() {
    let open = parse_open_session_response(&payload(OPEN_RESPONSE)).unwrap();
    assert_eq!(
        open,
        OpenSessionResponse {
            tag: 0,
            status: 0,
            console_sid: 0xa0a2_a3a4,
            bmc_sid: 0x0102,
            algorithms: [1, 1, 1],
        }
    );
    let r2 = parse_rakp2(&payload(RAKP2)).unwrap();
    assert_eq!((r2.tag, r2.status, r2.console_sid), (0, 0, 0xa0a2_a3a4));
    assert_eq!(r2.rc, rakp().rc);
    assert_eq!(r2.guid, rakp().guid);
    let r4 = parse_rakp4(&payload(RAKP4)).unwrap();
    assert_eq!((r4.tag, r4.status, r4.console_sid), (0, 0, 0xa0a2_a3a4));
}

#[test]
fn rakp_codes_are_the_ones_the_bmc_computes() {
    let r = rakp();
    let r2 = parse_rakp2(&payload(RAKP2)).unwrap();
    assert_eq!(r.message2_code(&kuid())[..], r2.code[..]);
    // A wrong password makes another code: that is how a wrong password shows on RMCP+.
    let mut wrong = kuid();
    wrong[0] ^= 1;
    assert_ne!(r.message2_code(&wrong)[..], r2.code[..]);
    let r4 = parse_rakp4(&payload(RAKP4)).unwrap();
    assert_eq!(r.message4_code(&r.sik(&kuid()))[..], r4.code[..]);
}

#[test]
fn session_packets_verify_decrypt_and_reencode() {
    let r = rakp();
    let keys = Keys::from_sik(CipherSuite::S3, &r.sik(&kuid()));
    // ipmitool's request: we verify it, read it, and, with its IV, write the same bytes.
    let bytes = hex(REQUEST);
    let p = decode(&bytes).unwrap().unwrap();
    assert_eq!((p.payload_type, p.encrypted), (payload::IPMI, true));
    assert_eq!((p.session_id, p.seq), (0x0102, 3));
    assert!(keys.verifies(&p));
    let plain = keys.decrypt(p.payload).unwrap();
    // Set Session Privilege Level, ADMINISTRATOR.
    assert_eq!(plain, hex("2018c881043b043c"));
    let iv: [u8; 16] = p.payload[..16].try_into().unwrap();
    assert_eq!(keys.encode(0x0102, 3, &plain, iv), bytes);
    // ipmi_sim's answers.
    for (capture, want) in [(ANSWER, 1), (LONG_ANSWER, 3)] {
        let bytes = hex(capture);
        let p = decode(&bytes).unwrap().unwrap();
        assert_eq!((p.session_id, p.seq), (0xa0a2_a3a4, want));
        assert!(keys.verifies(&p));
        let m = crate::msg::decode_response(&keys.decrypt(p.payload).unwrap()).unwrap();
        assert_eq!(m.cc, 0);
    }
    // One bit changed anywhere fails the integrity check.
    let mut bad = hex(ANSWER);
    bad[20] ^= 0x01;
    assert!(!keys.verifies(&decode(&bad).unwrap().unwrap()));
}

#[test]
fn confidentiality_padding_is_checked() {
    for suite in CipherSuite::STRONGEST_FIRST {
        let keys = Keys::from_sik(suite, &[7; 32]);
        for len in [0, 1, 14, 15, 16, 17, 40] {
            let message: Vec<u8> = (0..len as u8).collect();
            let packet = keys.encode(1, 1, &message, [9; 16]);
            let p = decode(&packet).unwrap().unwrap();
            assert!(keys.verifies(&p), "{suite} {len}");
            assert_eq!(keys.decrypt(p.payload).unwrap(), message, "{suite} {len}");
            // The integrity range is whole 32-bit words, the value 12 or 16 bytes.
            let t = p.trailer.unwrap();
            assert_eq!((t.len() - suite.icv_len()) % 4, 0, "{suite} {len}");
        }
        assert!(keys.decrypt(&[0; 16]).unwrap_err().contains("16 bytes"));
        assert!(keys.decrypt(&[0; 33]).is_err());
    }
    // A suite-3 packet does not verify under suite-17 keys of the same SIK.
    let sha1 = Keys::from_sik(CipherSuite::S3, &[7; 20]);
    let sha256 = Keys::from_sik(CipherSuite::S17, &[7; 20]);
    let packet = sha1.encode(1, 1, b"abc", [9; 16]);
    assert!(!sha256.verifies(&decode(&packet).unwrap().unwrap()));
}

#[test]
fn suite_17_codes_are_hmac_sha256_of_the_spec_fields() {
    // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
    assert_eq!(
        CipherSuite::S17.hmac(b"Jefe", &[b"what do ya want ", b"for nothing?"]),
        hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    );
    let r = Rakp {
        suite: CipherSuite::S17,
        ..rakp()
    };
    // The RAKP 2 and 3 codes are whole HMACs (32 bytes); RAKP 4's and the SIK's sizes follow.
    assert_eq!(r.message2_code(&kuid()).len(), 32);
    assert_eq!(r.message3(0, &kuid()).len(), 8 + 32);
    let sik = r.sik(&kuid());
    assert_eq!(sik.len(), 32);
    assert_eq!(
        r.message4_code(&sik),
        r.suite
            .hmac(&sik, &[&r.rm, &r.bmc_sid.to_le_bytes(), &r.guid])[..16]
    );
    assert_eq!(
        open_session_request(0, 4, 1, CipherSuite::S17)[8..],
        hex("000000080300000001000008040000000200000801000000")
    );
}

#[test]
fn cipher_suite_records_are_read() {
    // Suites 3 and 17 and an OEM suite, as Get Channel Cipher Suites lists them.
    let records = hex("c0030181c01103448 1c1ff0000000141 81"
        .replace(' ', "")
        .as_str());
    assert_eq!(suite_ids(&records), [3, 17]);
}

#[test]
fn error_statuses_are_read_from_short_answers() {
    // Open Session Response with "invalid authentication algorithm", as ipmi_sim answers -C 17.
    let open = parse_open_session_response(&[0, 0x04, 0, 0, 0xa4, 0xa3, 0xa2, 0xa0]).unwrap();
    assert_eq!((open.status, open.console_sid), (0x04, 0xa0a2_a3a4));
    assert_eq!(status_name(0x04), "invalid authentication algorithm");
    let r2 = parse_rakp2(&[1, 0x0D, 0, 0, 0xa4, 0xa3, 0xa2, 0xa0]).unwrap();
    assert_eq!((r2.tag, r2.status), (1, 0x0D));
    assert!(parse_rakp2(&payload(RAKP2)[..30]).is_err());
    assert!(parse_rakp4(&[2]).is_err());
    assert_eq!(parse_rakp4(&[2, 0x0F]).unwrap().status, 0x0F);
}

#[test]
fn non_rmcp_plus_datagrams_are_not_taken() {
    assert!(decode(&hex("0600ff07000000000000000000092018c88104380e0431")).is_none());
    assert!(decode(&hex("0600ff06000011be80000000")).is_none());
    let mut cut = hex(ANSWER);
    cut.truncate(30);
    assert!(decode(&cut).unwrap().is_err());
}
