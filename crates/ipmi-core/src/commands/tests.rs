//! Unit tests of the typed answers, against answers ipmi_sim gave ipmitool.

use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn device_id_names_the_bmc() {
    // ipmi_sim's Get Device ID data for `mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02`.
    let id = DeviceId::parse("bmc", &hex("00030908029f911200020f00000000")).unwrap();
    assert_eq!(
        id,
        DeviceId {
            device_id: 0,
            revision: 3,
            firmware_major: 9,
            firmware_minor: 8,
            ipmi_version: (2, 0),
            manufacturer: 4753,
            product: 0x0f02,
        }
    );
    assert_eq!(
        id.describe(),
        "MontaVista (OpenIPMI) BMC, product 0x0f02, firmware 9.08, IPMI 2.0"
    );
    // An IPMI 1.5 Supermicro with firmware 3.10 (BCD minor 0x10).
    let id = DeviceId::parse("bmc", &hex("20018310510f7c2a0034120000000000")).unwrap();
    assert_eq!(
        id.describe(),
        "Supermicro BMC, product 0x1234, firmware 3.10, IPMI 1.5"
    );
    let unknown = DeviceId {
        manufacturer: 99999,
        ..id
    };
    assert!(
        unknown
            .describe()
            .starts_with("BMC of IANA enterprise 99999,")
    );
}

#[test]
fn short_answers_are_truncated_errors() {
    let e = DeviceId::parse("127.0.0.1:623", &[0; 10]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the BMC at 127.0.0.1:623 answered Get Device ID with 10 data bytes, fewer than the 11 it must have"
    );
    assert_eq!(e.error_type(), dci_protocol::ErrorType::UnexpectedData);
    let e = ChassisStatus::parse("127.0.0.1:623", &[1, 0]).unwrap_err();
    assert!(
        e.to_string()
            .contains("Get Chassis Status with 2 data bytes")
    );
}

#[test]
fn chassis_status_reads_the_power_bit() {
    // ipmi_sim's answer with the chassis on.
    let s = ChassisStatus::parse("bmc", &[0x01, 0x00, 0x00]).unwrap();
    assert!(s.power_on && !s.power_fault && !s.control_fault);
    let s = ChassisStatus::parse("bmc", &[0x18, 0x00, 0x00, 0x00]).unwrap();
    assert!(!s.power_on && s.power_fault && s.control_fault);
}

#[test]
fn chassis_control_values_are_the_spec_ones() {
    let all = [
        ChassisControl::PowerDown,
        ChassisControl::PowerUp,
        ChassisControl::PowerCycle,
        ChassisControl::HardReset,
    ];
    assert_eq!(all.map(ChassisControl::to_wire), [0, 1, 2, 3]);
}
