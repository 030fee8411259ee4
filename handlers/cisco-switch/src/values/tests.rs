//! Unit tests of CISCO-STACK-MIB's value maps: every enumeration both ways.

use super::*;

#[track_caller]
fn admin_speed(wire: i64, expected: Option<Speed>) {
    let v = PortAdminSpeed::from_wire(wire);
    assert_eq!(v.to_protocol(), expected, "{wire}");
    assert_eq!(v.to_wire(), wire);
    if let Some(s) = expected {
        assert_eq!(PortAdminSpeed::from_protocol(s).to_wire(), wire);
    }
}

#[test]
fn port_admin_speed() {
    admin_speed(1, Some(Speed::Auto));
    admin_speed(2, Some(Speed::Auto10100));
    admin_speed(10_000_000, Some(Speed::Mbps10));
    admin_speed(100_000_000, Some(Speed::Mbps100));
    admin_speed(1_000_000_000, Some(Speed::Gbps1));
    admin_speed(10, Some(Speed::Gbps10));
    for other in [4_000_000, 16_000_000, 45_000_000, 155_000_000, 0, -3] {
        admin_speed(other, None);
    }
    for s in Speed::ALL {
        assert_eq!(PortAdminSpeed::from_protocol(*s).to_protocol(), Some(*s));
    }
}

#[track_caller]
fn port_duplex(wire: i64, expected: Option<Duplex>) {
    let v = PortDuplex::from_wire(wire);
    assert_eq!(v.to_protocol(), expected, "{wire}");
    assert_eq!(v.to_wire(), wire);
}

#[test]
fn port_duplex_values() {
    port_duplex(1, Some(Duplex::Half));
    port_duplex(2, Some(Duplex::Full));
    port_duplex(3, None);
    port_duplex(4, Some(Duplex::Auto));
    port_duplex(5, None);
    for d in Duplex::ALL {
        assert_eq!(PortDuplex::from_protocol(*d).to_protocol(), Some(*d));
    }
}
