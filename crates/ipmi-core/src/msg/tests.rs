//! Unit tests of the message framing, against messages ipmitool 1.8.19 and ipmi_sim exchanged
//! (captured on 127.0.0.1 with a relay).

use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[track_caller]
fn check_request(command: Command, rq_seq: u8, data: &[u8], want: &str) {
    assert_eq!(encode_request(&command, rq_seq, data), hex(want));
}

#[test]
fn requests_are_framed_as_ipmitool_frames_them() {
    use crate::commands::*;
    // Get Channel Authentication Capabilities, channel 0x0E, ADMINISTRATOR (ipmitool -I lan).
    check_request(
        GET_CHANNEL_AUTH_CAPABILITIES,
        1,
        &[0x0E, 0x04],
        "2018c88104380e0431",
    );
    // The same with the IPMI 2.0 extended data bit (ipmitool -I lanplus).
    check_request(
        GET_CHANNEL_AUTH_CAPABILITIES,
        0,
        &[0x8E, 0x04],
        "2018c88100388e04b5",
    );
    // Set Session Privilege Level ADMINISTRATOR.
    check_request(SET_SESSION_PRIVILEGE, 4, &[0x04], "2018c881103b0430");
    // Get Chassis Status.
    check_request(GET_CHASSIS_STATUS, 9, &[], "2000e08124015a");
}

#[test]
fn responses_decode_and_match_their_request() {
    // Get Chassis Status answered: power on.
    let r = decode_response(&hex("81047b20240100010000ba")).unwrap();
    assert_eq!(
        r,
        Response {
            netfn: 0x01,
            cmd: 0x01,
            rq_seq: 9,
            cc: 0,
            data: vec![0x01, 0x00, 0x00],
        }
    );
    assert!(r.answers(&crate::commands::GET_CHASSIS_STATUS, 9));
    assert!(!r.answers(&crate::commands::GET_CHASSIS_STATUS, 10));
    assert!(!r.answers(&crate::commands::CHASSIS_CONTROL, 9));
}

#[test]
fn damaged_responses_are_refused() {
    let good = hex("81047b20240100010000ba");
    let mut bad = good.clone();
    bad[2] ^= 1;
    assert!(
        decode_response(&bad)
            .unwrap_err()
            .contains("header checksum")
    );
    let mut bad = good.clone();
    bad[8] ^= 1;
    assert!(decode_response(&bad).unwrap_err().contains("data checksum"));
    assert!(decode_response(&good[..7]).unwrap_err().contains("7 bytes"));
}

#[test]
fn completion_codes_have_the_spec_names() {
    assert_eq!(
        completion_code_name(0xD4),
        Some("insufficient privilege level")
    );
    assert_eq!(completion_code_name(0xC1), Some("invalid command"));
    assert_eq!(completion_code_name(0x80), None);
}
