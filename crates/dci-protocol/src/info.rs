//! The `-info` document: which device type a handler drives, which credentials DCImanager must
//! ask for, and which functions it may call.
//!
//! A handler declares one [`Info`] as a constant; the runtime writes it for `-info` and checks
//! every request against it, so what DCImanager is told and what the handler accepts are the
//! same list.

use std::borrow::Cow;

use crate::error::{FieldError, FieldErrorKind};
use crate::values::{SnmpVersion, ValueError};
use crate::xml::{self, Writer};

wire_enum! {
    /// `<type>`: the kind of equipment.
    DeviceType, "Switch, PDU, IPMI or UPS" {
        /// A network switch.
        Switch = "Switch",
        /// A power distribution unit (or anything with power outlets).
        Pdu = "PDU",
        /// A server's baseboard management controller; one port, `power`.
        Ipmi = "IPMI",
        /// An uninterruptible power supply; `status` only, as `eq_param` values.
        Ups = "UPS",
    }
}

wire_enum! {
    /// `<requirements>` children: the credential tabs DCImanager shows and sends.
    Requirement, "snmpv1, snmpv2c, snmpv3, ssh, telnet or can_collect_power" {
        /// SNMPv1 community.
        Snmpv1 = "snmpv1",
        /// SNMPv2c community.
        Snmpv2c = "snmpv2c",
        /// SNMPv3 user and phrases.
        Snmpv3 = "snmpv3",
        /// SSH user and password.
        Ssh = "ssh",
        /// Telnet user and password.
        Telnet = "telnet",
        /// The device reports power use (PDU and UPS only).
        CanCollectPower = "can_collect_power",
    }
}

wire_enum! {
    /// `<func>` in requests and `<supported_funcs>` children in `-info`.
    Func, "status, statistics, port_on, port_off, port_reset, port_speed, port_duplex, set_vlan or mac_list" {
        /// Everything about every port (mandatory for every handler).
        Status = "status",
        /// Traffic counters (switches) or power use (PDUs).
        Statistics = "statistics",
        /// Enable a port or power an outlet on.
        PortOn = "port_on",
        /// Disable a port or power an outlet off.
        PortOff = "port_off",
        /// Power-cycle an outlet or reset a server.
        PortReset = "port_reset",
        /// Set a switch port's speed.
        PortSpeed = "port_speed",
        /// Set a switch port's duplex.
        PortDuplex = "port_duplex",
        /// Set a switch port's VLAN.
        SetVlan = "set_vlan",
        /// The MAC addresses learnt on each switch port.
        MacList = "mac_list",
    }
}

impl DeviceType {
    /// Whether DCImanager calls `func` on this type of device (the guide's "Matching inputs and
    /// outputs"): switches have every function (`port_reset` is "mainly for power ports", so a
    /// switch may offer it, e.g. for PoE); PDUs status, statistics and the power functions; IPMI
    /// status and the power functions; UPSes status only.
    pub const fn allows(self, func: Func) -> bool {
        match self {
            DeviceType::Switch => true,
            DeviceType::Pdu => matches!(
                func,
                Func::Status | Func::Statistics | Func::PortOn | Func::PortOff | Func::PortReset
            ),
            DeviceType::Ipmi => matches!(
                func,
                Func::Status | Func::PortOn | Func::PortOff | Func::PortReset
            ),
            DeviceType::Ups => matches!(func, Func::Status),
        }
    }
}

impl Func {
    /// Whether the function acts on one port (and so needs `port/identity`).
    pub const fn needs_port(self) -> bool {
        matches!(
            self,
            Func::PortOn
                | Func::PortOff
                | Func::PortReset
                | Func::PortSpeed
                | Func::PortDuplex
                | Func::SetVlan
        )
    }
}

/// Everything `-info` says. Constant in a handler (`Cow::Borrowed`), owned when parsed from a
/// handler's output by the harness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    /// `<type>`.
    pub device_type: DeviceType,
    /// `<name>`: shown to the operator in DCImanager's device form.
    pub name: Cow<'static, str>,
    /// `<requirements>`.
    pub requirements: Cow<'static, [Requirement]>,
    /// `<supported_funcs>`; `status` is mandatory.
    pub funcs: Cow<'static, [Func]>,
}

impl Info {
    /// Whether `-info` declares `func`.
    pub fn supports(&self, func: Func) -> bool {
        self.funcs.contains(&func)
    }

    /// Whether `-info` declares `req`.
    pub fn requires(&self, req: Requirement) -> bool {
        self.requirements.contains(&req)
    }

    /// The SNMP versions the handler declares, in order.
    pub fn snmp_versions(&self) -> Vec<SnmpVersion> {
        self.requirements
            .iter()
            .filter_map(|r| match r {
                Requirement::Snmpv1 => Some(SnmpVersion::V1),
                Requirement::Snmpv2c => Some(SnmpVersion::V2c),
                Requirement::Snmpv3 => Some(SnmpVersion::V3),
                _ => None,
            })
            .collect()
    }

    /// The declared functions, comma-separated, for messages.
    pub fn funcs_list(&self) -> String {
        join(self.funcs.iter())
    }

    /// The `-info` document.
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new();
        w.open("doc");
        w.value("type", self.device_type);
        w.text("name", &self.name);
        // The seed's IPMI handler leaves `<requirements>` out when there are none; so do we.
        if !self.requirements.is_empty() {
            w.open("requirements");
            for r in self.requirements.iter() {
                w.empty(r.as_str());
            }
            w.close();
        }
        w.open("supported_funcs");
        for f in self.funcs.iter() {
            w.empty(f.as_str());
        }
        w.close();
        w.finish()
    }

    /// Parses and checks an `-info` document: a known type, a non-empty name, known
    /// requirements and functions, `status` among them, nothing declared twice.
    pub fn parse(text: &str) -> Result<Info, FieldError> {
        let doc = xml::parse_doc(text, "document")?;
        let root = doc.root_element();
        let device_type = xml::child_value::<DeviceType>(root, "type", "type")?
            .ok_or(FieldError::new("type", FieldErrorKind::Missing))?;
        let name = xml::child_text(root, "name", "name")?
            .ok_or(FieldError::new("name", FieldErrorKind::Missing))?;
        if name.is_empty() {
            return Err(FieldError::new("name", FieldErrorKind::EmptyValue));
        }
        let requirements = match xml::only_child(root, "requirements", "requirements")? {
            Some(node) => flags::<Requirement>(node, "requirements")?,
            None => Vec::new(),
        };
        let funcs = match xml::only_child(root, "supported_funcs", "supported_funcs")? {
            Some(node) => flags::<Func>(node, "supported_funcs")?,
            None => return Err(FieldError::new("supported_funcs", FieldErrorKind::Missing)),
        };
        if let Some(f) = funcs.iter().find(|f| !device_type.allows(**f)) {
            return Err(FieldError::new(
                "supported_funcs",
                FieldErrorKind::Invalid(ValueError::Malformed {
                    problem: format!("'{f}' is not a function of a {device_type} device"),
                }),
            ));
        }
        if !funcs.contains(&Func::Status) {
            return Err(FieldError::new(
                "supported_funcs/status",
                FieldErrorKind::Missing,
            ));
        }
        Ok(Info {
            device_type,
            name: Cow::Owned(name),
            requirements: Cow::Owned(requirements),
            funcs: Cow::Owned(funcs),
        })
    }
}

/// Reads a list of empty marker elements (`<snmpv1/>`, `<status/>`).
fn flags<T>(node: roxmltree::Node<'_, '_>, field: &'static str) -> Result<Vec<T>, FieldError>
where
    T: std::str::FromStr<Err = ValueError> + PartialEq,
{
    let mut out = Vec::new();
    for child in xml::elements(node) {
        let v: T = child
            .tag_name()
            .name()
            .parse()
            .map_err(|e| FieldError::new(field, FieldErrorKind::Invalid(e)))?;
        if out.contains(&v) {
            return Err(FieldError::new(field, FieldErrorKind::Repeated));
        }
        out.push(v);
    }
    Ok(out)
}

pub(crate) fn join<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    items.map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests;
