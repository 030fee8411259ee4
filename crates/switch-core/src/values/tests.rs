//! Unit tests of the value maps: every enumeration both ways, and the values left out.

use super::*;

#[track_caller]
fn status(wire: i64, expected: PortStatus) {
    assert_eq!(IfStatus::from_wire(wire).to_protocol(), expected);
    assert_eq!(IfStatus::from_wire(wire).to_wire(), wire);
}

#[test]
fn if_status() {
    status(1, PortStatus::On);
    status(2, PortStatus::Off);
    for other in [3, 4, 5, 6, 7, 0, -1, 99] {
        status(other, PortStatus::Unknown);
    }
}

#[test]
fn running_speed_and_duplex() {
    assert_eq!(dot3_duplex(1), None);
    assert_eq!(dot3_duplex(2), Some(Duplex::Half));
    assert_eq!(dot3_duplex(3), Some(Duplex::Full));
    assert_eq!(speed_from_mbps(1000), Some(Speed::Gbps1));
    assert_eq!(speed_from_mbps(10_000), Some(Speed::Gbps10));
    assert_eq!(speed_from_mbps(25_000), None);
    assert_eq!(speed_from_mbps(0), None);
    assert_eq!(speed_from_bps(100_000_000), Some(Speed::Mbps100));
    assert_eq!(speed_from_bps(4_294_967_295), None);
    assert_eq!(speed_from_bps(1_544_000), None);
}
