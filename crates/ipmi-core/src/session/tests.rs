//! Unit tests of the choices a session makes from what a BMC says.

use super::*;

#[track_caller]
fn check(support: u8, min: AuthType, want: Result<AuthType, &str>) {
    let caps = [0x01, support, 0x14, 0x00];
    match (choose_auth("bmc", &caps, min), want) {
        (Ok(got), Ok(want)) => assert_eq!(got, want),
        (Err(e), Err(text)) => assert!(e.to_string().contains(text), "{e}"),
        (got, want) => panic!("{got:?} instead of {want:?}"),
    }
}

#[test]
fn the_strongest_offered_type_is_chosen() {
    use AuthType::*;
    check(0x17, Md2, Ok(Md5));
    check(0x13, Md2, Ok(Md2));
    check(0x11, Password, Ok(Password));
    check(
        0x11,
        Md2,
        Err("offers IPMI 1.5 authentication by straight password, none only, weaker than MD2"),
    );
    check(0x01, None, Ok(None));
    check(0x04, Md5, Ok(Md5));
    check(0x00, None, Err("by no type at all only"));
    // OEM (bit 5) is never chosen.
    check(0x20, None, Err("no type at all"));
}

#[test]
fn a_bmc_without_ipmi_15_is_told_apart() {
    // Extended data: IPMI 2.0 only.
    let caps = [0x01, 0x80 | 0x16, 0x14, 0x02];
    let e = choose_auth("bmc", &caps, AuthType::Md2).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the BMC at bmc does not offer IPMI 1.5 sessions on this channel (use the ipmi20 handler for it)"
    );
    // Both versions.
    let caps = [0x01, 0x80 | 0x16, 0x14, 0x03];
    assert_eq!(
        choose_auth("bmc", &caps, AuthType::Md2).unwrap(),
        AuthType::Md5
    );
}

#[test]
fn passwords_that_ipmi_cannot_carry_are_refused_without_showing_them() {
    let long = Secret::new("seventeen-chars!!");
    let e = password_field(&long, Version::V15).unwrap_err();
    assert_eq!(
        e.to_string(),
        "device_params/pass: IPMI 1.5 (RMCP) passwords are at most 16 bytes; this one has 17 (the password is not shown)"
    );
    assert!(password_field(&long, Version::V20).is_ok());
    let f = password_field(&Secret::new("abc"), Version::V20).unwrap();
    assert_eq!(&f[..4], b"abc\0");
}

#[test]
fn options_come_from_the_environment() {
    let none = |_: &str| -> Option<String> { Option::None };
    let o = Options::from_lookup(Version::V15, Privilege::User, none).unwrap();
    assert_eq!((o.privilege, o.min_auth), (Privilege::User, AuthType::Md2));
    let admin = |n: &str| (n == crate::options::env::PRIVILEGE).then(|| "Admin".to_owned());
    let o = Options::from_lookup(Version::V20, Privilege::Operator, admin).unwrap();
    assert_eq!(o.privilege, Privilege::Administrator);
    // The variable raises, never lowers.
    let user = |n: &str| (n == crate::options::env::PRIVILEGE).then(|| "user".to_owned());
    let o = Options::from_lookup(Version::V20, Privilege::Operator, user).unwrap();
    assert_eq!(o.privilege, Privilege::Operator);
    let weak = |n: &str| (n == crate::options::env::MIN_AUTH).then(|| "straight".to_owned());
    let o = Options::from_lookup(Version::V15, Privilege::User, weak).unwrap();
    assert_eq!(o.min_auth, AuthType::Password);
    let bad = |n: &str| (n == crate::options::env::MIN_AUTH).then(|| "sha256".to_owned());
    let e = Options::from_lookup(Version::V15, Privilege::User, bad).unwrap_err();
    assert_eq!(
        e.to_string(),
        "environment variable DCIH_IPMI_MIN_AUTH: expected md5, md2, password or none, got 'sha256'"
    );
}

#[test]
fn the_cipher_suite_and_the_bmc_key_come_from_the_environment() {
    use crate::options::env::{BMC_KEY, BMC_KEY_FILE, CIPHER};
    let with = |pairs: &'static [(&'static str, &'static str)]| {
        move |n: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let o = Options::from_lookup(Version::V20, Privilege::User, with(&[])).unwrap();
    assert_eq!((o.cipher, o.bmc_key), (None, None));
    let o = Options::from_lookup(Version::V20, Privilege::User, with(&[(CIPHER, "17")])).unwrap();
    assert_eq!(o.cipher, Some(CipherSuite::S17));
    let e =
        Options::from_lookup(Version::V20, Privilege::User, with(&[(CIPHER, "2")])).unwrap_err();
    assert!(e.to_string().contains("expected 17 or 3"), "{e}");
    let o =
        Options::from_lookup(Version::V20, Privilege::User, with(&[(BMC_KEY, "0x6b67")])).unwrap();
    let mut key = [0u8; 20];
    key[..2].copy_from_slice(b"kg");
    assert_eq!(o.bmc_key.map(|k| k.0), Some(key));
    assert_eq!(format!("{:?}", o.bmc_key), "Some(BmcKey(***))");
    let o = Options::from_lookup(Version::V20, Privilege::User, with(&[(BMC_KEY, "kg")])).unwrap();
    assert_eq!(o.bmc_key.map(|k| k.0), Some(key));
    for (pairs, problem) in [
        (
            &[(BMC_KEY, "a-key-of-twenty-one-b")][..],
            "a BMC key is 1 to 20 bytes; this one has 21",
        ),
        (&[(BMC_KEY, "0xzz")][..], "not a hex digit"),
        (&[(BMC_KEY, "k"), (BMC_KEY_FILE, "/f")][..], "not both"),
        (
            &[(BMC_KEY_FILE, "/nonexistent/kg")][..],
            "cannot read /nonexistent/kg",
        ),
    ] {
        let e = Options::from_lookup(Version::V20, Privilege::User, with(pairs)).unwrap_err();
        assert!(e.to_string().contains(problem), "{e}");
        assert!(e.to_string().ends_with("(the key is not shown)"), "{e}");
        assert!(!e.to_string().contains("twenty"), "{e}");
    }
}

#[test]
fn error_types_map_onto_the_protocol() {
    use dci_protocol::ErrorType::{Connection, UnexpectedData};
    let target = || "bmc".to_owned();
    let cases = [
        (
            IpmiError::WrongPassword {
                target: target(),
                user: "u".into(),
                detail: "x",
            },
            Connection,
        ),
        (
            IpmiError::Completion {
                target: target(),
                command: "Chassis Control",
                code: 0xD5,
            },
            UnexpectedData,
        ),
        (
            IpmiError::NotFollowed {
                target: target(),
                action: "power up",
                read: "off",
                waited: std::time::Duration::from_secs(20),
            },
            UnexpectedData,
        ),
    ];
    for (e, want) in cases {
        assert_eq!(e.error_type(), want, "{e}");
        let doc = dci_protocol::Error::from(e).to_doc();
        assert_eq!(doc.error_type, want);
    }
    let e = IpmiError::Completion {
        target: target(),
        command: "Chassis Control",
        code: 0xD5,
    };
    assert_eq!(
        e.to_string(),
        "the BMC at bmc answered Chassis Control with completion code 0xD5 (command not supported in the present state)"
    );
}
