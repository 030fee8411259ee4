//! Response shapes: which elements each function and device type must answer with.
//!
//! `dci_protocol` parses any response strictly, element by element, but it does not know what a
//! given call must contain: a switch's `status` needs an `admin_status` and an `oper_status` on
//! every port, an IPMI answer has exactly one port called `power`, a UPS answers with
//! `eq_param`s and a `device_status`. [`check`] holds those rules (from the protocol's
//! "Matching inputs and outputs" tables and the seed handlers); [`check_effect`] checks that a
//! port operation's answer shows the change that was asked for. Both return every
//! [`Violation`] found, so a conformance report lists them all at once.
//!
//! Beyond the protocol's tables, three rules apply to every answer: a UPS answers with no ports
//! and every other device with no `eq_param`; port identities are unique within an answer; and
//! a function the device type does not have (a UPS's `statistics`, a PDU's `set_vlan`) or that
//! `-info` does not declare is a violation by itself.

use std::collections::HashSet;
use std::fmt;

use dci_protocol::{
    DeviceType, EqValue, Func, IPMI_PORT, Info, PortState, PortStatus, Reading, Request, Response,
};

/// One way a response does not fit its call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// The handler answered a function that its `-info` does not declare.
    NotDeclared {
        /// The function.
        func: Func,
    },
    /// The protocol does not define the function for this device type.
    NotForType {
        /// The handler's device type.
        device_type: DeviceType,
        /// The function.
        func: Func,
    },
    /// No `<port>` where at least one is required.
    NoPorts,
    /// A different number of ports than the call allows.
    PortCount {
        /// How many the call allows.
        expected: usize,
        /// How many the answer has.
        got: usize,
    },
    /// `<port>` elements in a UPS answer.
    UnexpectedPorts {
        /// How many.
        count: usize,
    },
    /// `<eq_param>` elements in an answer from a device other than a UPS.
    UnexpectedParams {
        /// How many.
        count: usize,
    },
    /// A port lacks an element the call requires.
    MissingField {
        /// The port's position in the answer, from 0.
        index: usize,
        /// The port's identity (empty when that is what is missing).
        identity: String,
        /// The missing element.
        field: &'static str,
    },
    /// Two ports share an identity.
    DuplicateIdentity {
        /// The identity.
        identity: String,
    },
    /// The answer is about another port than the one the request named.
    WrongIdentity {
        /// The requested port (for IPMI, `power`).
        expected: String,
        /// The port the answer is about.
        got: String,
    },
    /// A port holds a value the call does not allow or did not ask for.
    WrongValue {
        /// The port's identity.
        identity: String,
        /// The element.
        field: &'static str,
        /// What it should be.
        expected: String,
        /// What it is (`absent` when it is not there).
        got: String,
    },
    /// A UPS answer with no `<eq_param>`.
    NoParams,
    /// Two `<eq_param>` elements share a name.
    DuplicateParam {
        /// The name.
        name: String,
    },
    /// A UPS answer without `eq_param name="device_status"`.
    NoDeviceStatus,
    /// `device_status` is not the `strvalue` OK, Warning or Critical.
    BadDeviceStatus {
        /// What it is, e.g. `strvalue 'Fine'` or `floatvalue 1`.
        got: String,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::NotDeclared { func } => {
                write!(f, "'{func}' answered, but -info does not declare it")
            }
            Violation::NotForType { device_type, func } => {
                write!(f, "the protocol has no '{func}' for {device_type} devices")
            }
            Violation::NoPorts => f.write_str("no <port>, at least one is required"),
            Violation::PortCount { expected, got } => {
                write!(f, "{got} <port> elements, expected {expected}")
            }
            Violation::UnexpectedPorts { count } => {
                write!(f, "{count} <port> elements in a UPS answer, which has none")
            }
            Violation::UnexpectedParams { count } => write!(
                f,
                "{count} <eq_param> elements, which only a UPS answers with"
            ),
            Violation::MissingField {
                index,
                identity,
                field,
            } => {
                write!(f, "{} has no <{field}>", PortName(*index, identity))
            }
            Violation::DuplicateIdentity { identity } => {
                write!(f, "more than one port with identity '{identity}'")
            }
            Violation::WrongIdentity { expected, got } => {
                write!(f, "the answer is about port '{got}', expected '{expected}'")
            }
            Violation::WrongValue {
                identity,
                field,
                expected,
                got,
            } => write!(
                f,
                "port '{identity}': <{field}> is {got}, expected {expected}"
            ),
            Violation::NoParams => f.write_str("no <eq_param>, a UPS answers with its readings"),
            Violation::DuplicateParam { name } => {
                write!(f, "more than one <eq_param name=\"{name}\">")
            }
            Violation::NoDeviceStatus => f.write_str("no <eq_param name=\"device_status\">"),
            Violation::BadDeviceStatus { got } => write!(
                f,
                "device_status is {got}, expected a strvalue OK, Warning or Critical"
            ),
        }
    }
}

/// "port '7'", or "port #3" when the identity is what is missing.
struct PortName<'a>(usize, &'a str);

impl fmt::Display for PortName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.1.is_empty() {
            write!(f, "port #{}", self.0 + 1)
        } else {
            write!(f, "port '{}'", self.1)
        }
    }
}

/// The `device_status` values DCImanager knows.
pub const DEVICE_STATUSES: &[&str] = &["OK", "Warning", "Critical"];

/// Checks that `response` has the elements `request.func` must answer with on a device of
/// `info`'s type. Values are checked only where the shape depends on them (IPMI power is on or
/// off, a UPS's `device_status`); whether a port operation took effect is [`check_effect`]'s
/// job.
pub fn check(info: &Info, request: &Request, response: &Response) -> Vec<Violation> {
    let mut v = Vec::new();
    let func = request.func;
    let ty = info.device_type;
    // A statistics request asking for readings (DCImanager 6) may be served by a handler that
    // does not declare statistics for DCImanager 5; whether it gives them, only it knows.
    let extension = func == Func::Statistics && !request.readings.is_empty();
    if !info.supports(func) && !extension {
        v.push(Violation::NotDeclared { func });
    }
    if !ty.allows(func) {
        v.push(Violation::NotForType {
            device_type: ty,
            func,
        });
        return v;
    }
    if ty == DeviceType::Ups {
        ups_status(response, &mut v);
        return v;
    }
    if !response.params.is_empty() {
        v.push(Violation::UnexpectedParams {
            count: response.params.len(),
        });
    }
    let ports = &response.ports;
    match func {
        Func::Status => {
            if ty == DeviceType::Ipmi {
                ipmi_status(ports, &mut v);
                return v;
            }
            let fields: &[&'static str] = if ty == DeviceType::Switch {
                &["admin_status", "oper_status"]
            } else {
                &["admin_status"]
            };
            if ports.is_empty() {
                v.push(Violation::NoPorts);
            }
            every_port(ports, fields, &mut v);
        }
        Func::Statistics => {
            // A PDU reports `power` where it has it: an outlet the device gives no reading for
            // (-1, or a switched-only model that meters nothing) is listed without one, never
            // with an invented 0. `check` notes a PDU whose answer has no power at all.
            let fields: &[&'static str] = if ty == DeviceType::Switch {
                &["rxbytes", "txbytes"]
            } else {
                &[]
            };
            every_port(ports, fields, &mut v);
            unasked_readings(request, ports, &mut v);
        }
        Func::MacList => every_port(ports, &[], &mut v),
        Func::PortOn | Func::PortOff | Func::PortReset => {
            one_port(ty, request, ports, "admin_status", &mut v)
        }
        Func::PortSpeed => one_port(ty, request, ports, "speed", &mut v),
        Func::PortDuplex => one_port(ty, request, ports, "duplex", &mut v),
        Func::SetVlan => one_port(ty, request, ports, "vlan_id", &mut v),
    }
    v
}

/// Checks that the answer to a port operation shows the requested change: `port_on` and
/// `port_reset` answer `admin_status` on, `port_off` off, `port_speed` the requested speed,
/// `port_duplex` the requested duplex, `set_vlan` the requested VLAN (and, where the answer
/// states them, the requested trunk mode and members). Other functions change nothing and pass.
/// The answer must hold exactly one port; an absent value is reported too, so this check stands
/// on its own (combined with [`check`], such a violation may appear twice).
pub fn check_effect(request: &Request, response: &Response) -> Vec<Violation> {
    let mut v = Vec::new();
    if !request.func.needs_port() {
        return v;
    }
    let [port] = response.ports.as_slice() else {
        v.push(Violation::PortCount {
            expected: 1,
            got: response.ports.len(),
        });
        return v;
    };
    let asked = request.port.clone().unwrap_or_default();
    let mut expect = |field: &'static str, expected: Option<String>, got: Option<String>| {
        let Some(expected) = expected else { return };
        match got {
            None => v.push(Violation::MissingField {
                index: 0,
                identity: port.identity.clone(),
                field,
            }),
            Some(got) if got != expected => v.push(Violation::WrongValue {
                identity: port.identity.clone(),
                field,
                expected,
                got,
            }),
            Some(_) => {}
        }
    };
    match request.func {
        Func::PortOn | Func::PortReset => expect(
            "admin_status",
            Some(PortStatus::On.to_string()),
            show(port.admin_status),
        ),
        Func::PortOff => expect(
            "admin_status",
            Some(PortStatus::Off.to_string()),
            show(port.admin_status),
        ),
        Func::PortSpeed => expect("speed", show(asked.speed), show(port.speed)),
        Func::PortDuplex => expect("duplex", show(asked.duplex), show(port.duplex)),
        Func::SetVlan => {
            expect("vlan_id", show(asked.vlan_id), show(port.vlan_id));
            // Trunk mode and members are checked only when both sides state them: the protocol
            // does not require a handler to echo them.
            if port.is_trunk.is_some() {
                expect(
                    "is_trunk",
                    asked.is_trunk.map(trunk_word),
                    port.is_trunk.map(trunk_word),
                );
            }
            if let (Some(want), Some(got)) = (&asked.trunk_members, &port.trunk_members) {
                // The native VLAN crosses a trunk untagged: a handler may leave it out of the
                // tagged members it reports (docs/protocol.md), so it is not compared.
                let native = |v: &&dci_protocol::VlanId| Some(**v) != asked.vlan_id;
                let mut want_sorted: Vec<_> = want.0.iter().filter(native).copied().collect();
                let mut got_sorted: Vec<_> = got.0.iter().filter(native).copied().collect();
                want_sorted.sort();
                want_sorted.dedup();
                got_sorted.sort();
                got_sorted.dedup();
                if want_sorted != got_sorted {
                    expect(
                        "trunk_members",
                        Some(want.to_string()),
                        Some(got.to_string()),
                    );
                }
            }
        }
        Func::Status | Func::Statistics | Func::MacList => {}
    }
    v
}

fn show<T: fmt::Display>(x: Option<T>) -> Option<String> {
    x.map(|x| x.to_string())
}

fn trunk_word(on: bool) -> String {
    if on { "on" } else { "off" }.to_owned()
}

/// Whether `port` holds the element `field`.
fn has(port: &PortState, field: &str) -> bool {
    match field {
        "identity" => !port.identity.trim().is_empty(),
        "description" => port.description.is_some(),
        "admin_status" => port.admin_status.is_some(),
        "oper_status" => port.oper_status.is_some(),
        "speed" => port.speed.is_some(),
        "duplex" => port.duplex.is_some(),
        "rxbytes" => port.rxbytes.is_some(),
        "txbytes" => port.txbytes.is_some(),
        "rxpackets" => port.rxpackets.is_some(),
        "txpackets" => port.txpackets.is_some(),
        "power" => port.power.is_some(),
        "vlan_id" => port.vlan_id.is_some(),
        "vlan_name" => port.vlan_name.is_some(),
        "mac" => !port.macs.is_empty(),
        "is_trunk" => port.is_trunk.is_some(),
        "trunk_members" => port.trunk_members.is_some(),
        _ => unreachable!("not a port element: {field}"),
    }
}

/// Every port has an identity and `fields`; identities are unique.
fn every_port(ports: &[PortState], fields: &[&'static str], v: &mut Vec<Violation>) {
    let mut seen = HashSet::new();
    let mut reported = HashSet::new();
    for (index, port) in ports.iter().enumerate() {
        for field in std::iter::once(&"identity").chain(fields) {
            if !has(port, field) {
                v.push(Violation::MissingField {
                    index,
                    identity: port.identity.clone(),
                    field,
                });
            }
        }
        if has(port, "identity")
            && !seen.insert(port.identity.as_str())
            && reported.insert(port.identity.as_str())
        {
            v.push(Violation::DuplicateIdentity {
                identity: port.identity.clone(),
            });
        }
    }
}

/// A reading the request did not ask for: DCImanager 5's answer must stay as it always was.
fn unasked_readings(request: &Request, ports: &[PortState], v: &mut Vec<Violation>) {
    for p in ports {
        for (reading, field, value) in [
            (Reading::Current, "current", p.current),
            (Reading::Energy, "energy", p.energy),
        ] {
            if let Some(got) = value.filter(|_| !request.readings.contains(reading)) {
                v.push(Violation::WrongValue {
                    identity: p.identity.clone(),
                    field,
                    expected: "absent (the request did not ask for it in <readings>)".into(),
                    got: got.to_string(),
                });
            }
        }
    }
}

/// The answer to a port operation: one port, the requested one, with `field`.
fn one_port(
    ty: DeviceType,
    request: &Request,
    ports: &[PortState],
    field: &'static str,
    v: &mut Vec<Violation>,
) {
    if ports.len() != 1 {
        v.push(Violation::PortCount {
            expected: 1,
            got: ports.len(),
        });
    }
    let expected = if ty == DeviceType::Ipmi {
        Some(IPMI_PORT)
    } else {
        request
            .port
            .as_ref()
            .and_then(|p| p.identity.as_deref())
            .map(str::trim)
    };
    every_port(ports, &[field], v);
    if let (Some(expected), [port]) = (expected, ports)
        && has(port, "identity")
        && port.identity != expected
    {
        v.push(Violation::WrongIdentity {
            expected: expected.to_owned(),
            got: port.identity.clone(),
        });
    }
}

/// IPMI `status`: one port, `power`, powered on or off.
fn ipmi_status(ports: &[PortState], v: &mut Vec<Violation>) {
    if ports.len() != 1 {
        v.push(Violation::PortCount {
            expected: 1,
            got: ports.len(),
        });
    }
    every_port(ports, &["admin_status"], v);
    let [port] = ports else { return };
    if has(port, "identity") && port.identity != IPMI_PORT {
        v.push(Violation::WrongIdentity {
            expected: IPMI_PORT.to_owned(),
            got: port.identity.clone(),
        });
    }
    if port.admin_status == Some(PortStatus::Unknown) {
        v.push(Violation::WrongValue {
            identity: port.identity.clone(),
            field: "admin_status",
            expected: "on or off".to_owned(),
            got: PortStatus::Unknown.to_string(),
        });
    }
}

/// UPS `status`: readings only, uniquely named, with a `device_status` DCImanager understands.
fn ups_status(response: &Response, v: &mut Vec<Violation>) {
    if !response.ports.is_empty() {
        v.push(Violation::UnexpectedPorts {
            count: response.ports.len(),
        });
    }
    if response.params.is_empty() {
        v.push(Violation::NoParams);
        return;
    }
    let mut seen = HashSet::new();
    let mut reported = HashSet::new();
    for p in &response.params {
        if !seen.insert(p.name.as_str()) && reported.insert(p.name.as_str()) {
            v.push(Violation::DuplicateParam {
                name: p.name.clone(),
            });
        }
    }
    match response.params.iter().find(|p| p.name == "device_status") {
        None => v.push(Violation::NoDeviceStatus),
        Some(p) => match &p.value {
            EqValue::Str(s) if DEVICE_STATUSES.contains(&s.as_str()) => {}
            EqValue::Str(s) => v.push(Violation::BadDeviceStatus {
                got: format!("strvalue '{s}'"),
            }),
            EqValue::Float(x) => v.push(Violation::BadDeviceStatus {
                got: format!("floatvalue {x}"),
            }),
        },
    }
}

#[cfg(test)]
mod tests;
