//! Unit tests of the value types: every spelling the wire allows, and the refusals.

use super::*;

#[track_caller]
fn ok<T: FromStr<Err = ValueError> + fmt::Display + fmt::Debug + PartialEq>(
    input: &str,
    canon: &str,
) {
    let v: T = input.parse().unwrap_or_else(|e| panic!("{input:?}: {e}"));
    assert_eq!(v.to_string(), canon, "{input:?}");
    assert_eq!(canon.parse::<T>().unwrap(), v, "canonical form parses back");
}

#[track_caller]
fn bad<T: FromStr<Err = ValueError> + fmt::Debug>(input: &str, message: &str) {
    let e = input.parse::<T>().unwrap_err();
    assert_eq!(e.to_string(), message, "{input:?}");
}

#[test]
fn snmp_versions() {
    ok::<SnmpVersion>("SNMP v1", "SNMP v1");
    ok::<SnmpVersion>("SNMP v2c", "SNMP v2c");
    ok::<SnmpVersion>("SNMP v3", "SNMP v3");
    ok::<SnmpVersion>(" snmp V2C ", "SNMP v2c");
    ok::<SnmpVersion>("v1", "SNMP v1");
    ok::<SnmpVersion>("2c", "SNMP v2c");
    ok::<SnmpVersion>("3", "SNMP v3");
    bad::<SnmpVersion>(
        "SNMP v4",
        "expected SNMP v1, SNMP v2c or SNMP v3, got 'SNMP v4'",
    );
    bad::<SnmpVersion>("", "expected SNMP v1, SNMP v2c or SNMP v3, got ''");
}

#[test]
fn auth_levels_and_protocols() {
    ok::<AuthLevel>("noauth", "noauth");
    ok::<AuthLevel>("authNoPriv", "authnopriv");
    ok::<AuthLevel>("authpriv", "authpriv");
    bad::<AuthLevel>(
        "auth",
        "expected noauth, authnopriv or authpriv, got 'auth'",
    );
    ok::<AuthProtocol>("SHA", "sha");
    ok::<AuthProtocol>("sha-256", "sha256");
    ok::<AuthProtocol>("md5", "md5");
    ok::<PrivProtocol>("AES", "aes");
    ok::<PrivProtocol>("aes256", "aes256");
    bad::<PrivProtocol>("3des", "expected des, aes, aes192 or aes256, got '3des'");
}

#[test]
fn speeds_and_duplex() {
    for s in ["auto", "auto10100", "10mbps", "100mbps", "1gbps", "10gbps"] {
        ok::<Speed>(s, s);
    }
    ok::<Speed>("1Gbps", "1gbps");
    bad::<Speed>(
        "40gbps",
        "expected auto, auto10100, 10mbps, 100mbps, 1gbps or 10gbps, got '40gbps'",
    );
    bad::<Speed>(
        "unknown",
        "expected auto, auto10100, 10mbps, 100mbps, 1gbps or 10gbps, got 'unknown'",
    );
    for d in ["auto", "half", "full"] {
        ok::<Duplex>(d, d);
    }
    bad::<Duplex>("fdx", "expected auto, half or full, got 'fdx'");
    ok::<PortStatus>("on", "on");
    ok::<PortStatus>("unknown", "unknown");
    bad::<PortStatus>("up", "expected on, off or unknown, got 'up'");
}

#[test]
fn vlans() {
    ok::<VlanId>("1", "1");
    ok::<VlanId>(" 4095 ", "4095");
    bad::<VlanId>("0", "expected a VLAN number from 1 to 4095, got '0'");
    bad::<VlanId>("4096", "expected a VLAN number from 1 to 4095, got '4096'");
    bad::<VlanId>("ten", "expected a VLAN number from 1 to 4095, got 'ten'");
    bad::<VlanId>("-5", "expected a VLAN number from 1 to 4095, got '-5'");
    ok::<MappedVlan>("-1", "-1");
    ok::<MappedVlan>("100", "100");
    bad::<MappedVlan>("0", "expected -1 or a VLAN number from 1 to 4095, got '0'");
    ok::<VlanList>("10,20,4095", "10,20,4095");
    ok::<VlanList>("", "");
    bad::<VlanList>(
        "10, 20,x",
        "expected comma-separated VLAN numbers from 1 to 4095, got 'x'",
    );
    bad::<VlanList>(
        "10,,20",
        "expected comma-separated VLAN numbers from 1 to 4095, got ''",
    );
    ok::<PvlanType>("3", "3");
    bad::<PvlanType>("4", "expected 0, 1, 2 or 3, got '4'");
    assert!(parse_trunk("on"));
    assert!(parse_trunk(" ON "));
    assert!(!parse_trunk("off"));
    assert!(!parse_trunk("yes"));
}

#[test]
fn macs_in_every_spelling() {
    for s in [
        "1A2B3C4D5E6F",
        "1A:2B:3C:4D:5E:6F",
        "1a2b.3c4d.5e6f",
        "1A-2B-3C-4D-5E-6F",
        "1a:2b:3c:4d:5e:6f",
    ] {
        ok::<MacAddr>(s, "1A:2B:3C:4D:5E:6F");
    }
    for s in [
        "1A2B3C4D5E",
        "1A:2B:3C:4D:5E:6G",
        "1A:2B:3C:4D:5E6F:",
        "1a2b.3c4d.5e6",
        "1A-2B:3C-4D:5E-6F",
        "+1A2B3C4D5E6",
    ] {
        assert!(s.parse::<MacAddr>().is_err(), "{s}");
    }
}

#[test]
fn endpoints() {
    ok::<Endpoint>("10.0.0.2", "10.0.0.2");
    ok::<Endpoint>("10.0.0.2:1161", "10.0.0.2:1161");
    ok::<Endpoint>("::1", "::1");
    ok::<Endpoint>("[::1]:1161", "[::1]:1161");
    ok::<Endpoint>("[fe80::1]", "fe80::1");
    ok::<Endpoint>("Switch-1.example.net", "switch-1.example.net");
    ok::<Endpoint>("switch:161", "switch:161");
    let e: Endpoint = "[::1]:1161".parse().unwrap();
    assert_eq!(e.socket_string(161), "[::1]:1161");
    let e: Endpoint = "127.0.0.1".parse().unwrap();
    assert_eq!(e.socket_string(623), "127.0.0.1:623");
    let canonical = "not a canonical IPv4 address: write four decimal numbers without leading zeros, such as 10.0.0.5";
    let port = "the port must be 1 to 65535, in decimal digits";
    let unicast = |what: &str| format!("{what}: a device has a unicast address");
    let zone = "IPv6 zone indexes such as %eth0 are not supported: use the device's global or unique-local IPv6 address, or its IPv4 address";
    for (s, why) in [
        ("10.0.0.300", canonical.to_owned()),
        ("0x7f.1", canonical.to_owned()),
        ("0177.0.0.1", canonical.to_owned()),
        ("127.1", canonical.to_owned()),
        ("2130706433:161", canonical.to_owned()),
        ("10.0.0.2:+161", port.to_owned()),
        ("10.0.0.2: 161", port.to_owned()),
        ("[::1]:-1", port.to_owned()),
        ("224.0.0.1", unicast("a multicast address")),
        ("255.255.255.255:161", unicast("the broadcast address")),
        ("0.0.0.0", unicast("the unspecified address")),
        ("::", unicast("the unspecified address")),
        ("[ff02::1]:161", unicast("a multicast address")),
        ("fe80::1%eth0", zone.to_owned()),
        ("[fe80::1%eth0]:161", zone.to_owned()),
    ] {
        let e = s.parse::<Endpoint>().unwrap_err().to_string();
        assert!(e.ends_with(&format!("({why})")), "{s:?}: {e}");
    }
    for (s, why) in [
        ("", "empty"),
        ("10.0.0.2:0", "the port must be 1 to 65535"),
        ("10.0.0.2:70000", "the port must be 1 to 65535"),
        ("10.0.0.2:x", "the port must be 1 to 65535"),
        ("::1:1161:zz", "an IPv6 address with a port needs brackets"),
        ("[::1", "no closing ']'"),
        ("[::1]1161", "text after ']' must be :port"),
        ("[10.0.0.1]:5", "not an IPv6 address"),
        ("bad host", "not an address or a valid host name"),
        ("-bad.example", "not an address or a valid host name"),
        ("a;rm -rf /", "not an address or a valid host name"),
    ] {
        let e = s.parse::<Endpoint>().unwrap_err().to_string();
        assert!(e.contains(&format!("({why}")), "{s:?}: {e}");
    }
}

#[test]
fn secrets_never_print() {
    let s = Secret::new("hunter22");
    assert_eq!(format!("{s} {s:?}"), "*** ***");
    assert_eq!(s.expose(), "hunter22");
}

#[test]
fn refused_values_are_shortened() {
    let long = "x".repeat(500);
    let e = long.parse::<Speed>().unwrap_err().to_string();
    assert!(e.len() < 150, "{e}");
    assert!(e.ends_with("…'"));
}
