//! Responses: what a handler answers, written by the runtime and parsed back by the harness.
//!
//! One [`Response`] covers every function: `status` fills ports (and `hostname` for switches),
//! `statistics` fills counters or power, the port functions answer with the one port they
//! changed, UPS `status` fills [`EqParam`]s. Which elements each function must carry is checked
//! by the harness, not here.

use crate::error::{ErrorDoc, ErrorType, FieldError, FieldErrorKind};
use crate::values::{
    Duplex, MacAddr, PortStatus, Speed, ValueError, VlanId, VlanList, parse_trunk, shown, trunk_str,
};
use crate::xml::{self, Writer};

/// One `<port>` of a response. Every field but `identity` is optional: a handler writes what it
/// knows and leaves out what it cannot honestly say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PortState {
    /// `identity`.
    pub identity: String,
    /// `description`.
    pub description: Option<String>,
    /// `admin_status`.
    pub admin_status: Option<PortStatus>,
    /// `oper_status`.
    pub oper_status: Option<PortStatus>,
    /// `speed`.
    pub speed: Option<Speed>,
    /// `duplex`.
    pub duplex: Option<Duplex>,
    /// `rxbytes`.
    pub rxbytes: Option<u64>,
    /// `txbytes`.
    pub txbytes: Option<u64>,
    /// `rxpackets`.
    pub rxpackets: Option<u64>,
    /// `txpackets`.
    pub txpackets: Option<u64>,
    /// `power`, in watts.
    pub power: Option<f64>,
    /// `current`, in amperes (only when a `statistics` request asks for it: DCImanager 6).
    pub current: Option<f64>,
    /// `energy`, in kilowatt-hours (only when a `statistics` request asks for it: DCImanager 6).
    pub energy: Option<f64>,
    /// `vlan_id`.
    pub vlan_id: Option<VlanId>,
    /// `vlan_name`.
    pub vlan_name: Option<String>,
    /// `mac`, any number of them.
    pub macs: Vec<MacAddr>,
    /// `is_trunk`.
    pub is_trunk: Option<bool>,
    /// `trunk_members`.
    pub trunk_members: Option<VlanList>,
}

impl PortState {
    /// A port with only its identity set.
    pub fn new(identity: impl Into<String>) -> PortState {
        PortState {
            identity: identity.into(),
            ..PortState::default()
        }
    }
}

/// The value of a UPS parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum EqValue {
    /// `<strvalue>`.
    Str(String),
    /// `<floatvalue>`.
    Float(f64),
}

/// `<eq_param name="…">`: one UPS reading.
#[derive(Debug, Clone, PartialEq)]
pub struct EqParam {
    /// The parameter's name (`device_status`, `input_voltage_line_A`, …).
    pub name: String,
    /// Its value.
    pub value: EqValue,
}

/// A successful answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response {
    /// `hostname` (switches).
    pub hostname: Option<String>,
    /// `port` elements, in the device's order.
    pub ports: Vec<PortState>,
    /// `eq_param` elements (UPS).
    pub params: Vec<EqParam>,
}

impl Response {
    /// A response holding one port: the answer to a port function.
    pub fn port(port: PortState) -> Response {
        Response {
            ports: vec![port],
            ..Response::default()
        }
    }

    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new();
        w.open("doc");
        if let Some(h) = &self.hostname {
            w.text("hostname", h);
        }
        for p in &self.ports {
            write_port(&mut w, p);
        }
        for e in &self.params {
            w.open("eq_param");
            w.attr("name", &e.name);
            match &e.value {
                EqValue::Str(s) => w.text("strvalue", s),
                EqValue::Float(f) => w.value("floatvalue", Float(*f)),
            }
            w.close();
        }
        w.finish()
    }
}

/// Writes a float the way people write numbers: `220`, `49.23`, never `220.0` or `4.923e1`.
struct Float(f64);

impl std::fmt::Display for Float {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            write!(f, "{}", self.0 as i64)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

fn write_port(w: &mut Writer, p: &PortState) {
    w.open("port");
    w.text("identity", &p.identity);
    if let Some(v) = &p.description {
        w.text("description", v);
    }
    if let Some(v) = p.admin_status {
        w.value("admin_status", v);
    }
    if let Some(v) = p.oper_status {
        w.value("oper_status", v);
    }
    if let Some(v) = p.speed {
        w.value("speed", v);
    }
    if let Some(v) = p.duplex {
        w.value("duplex", v);
    }
    for (name, v) in [
        ("rxbytes", p.rxbytes),
        ("txbytes", p.txbytes),
        ("rxpackets", p.rxpackets),
        ("txpackets", p.txpackets),
    ] {
        if let Some(v) = v {
            w.value(name, v);
        }
    }
    for (name, v) in [
        ("power", p.power),
        ("current", p.current),
        ("energy", p.energy),
    ] {
        if let Some(v) = v {
            w.value(name, Float(v));
        }
    }
    if let Some(v) = p.vlan_id {
        w.value("vlan_id", v);
    }
    if let Some(v) = &p.vlan_name {
        w.text("vlan_name", v);
    }
    for m in &p.macs {
        w.value("mac", m);
    }
    if let Some(v) = p.is_trunk {
        w.text("is_trunk", trunk_str(v));
    }
    if let Some(v) = &p.trunk_members {
        w.value("trunk_members", v);
    }
    w.close();
}

impl ErrorDoc {
    /// The `<error>` document.
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new();
        w.open("doc");
        w.open("error");
        w.value("type", self.error_type);
        w.text("text", &self.text);
        w.close();
        w.finish()
    }
}

/// Anything a handler may write for a request: an answer or an error.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// A successful answer.
    Response(Response),
    /// An `<error>` document.
    Error(ErrorDoc),
}

impl Document {
    /// Parses a handler's answer strictly: every element must be one the protocol defines and
    /// every value must be valid, so the harness can report any deviation. An `<error>` anywhere
    /// in the document makes it an error document, as DCImanager reads it ("all other content
    /// will be ignored").
    pub fn parse(text: &str) -> Result<Document, FieldError> {
        let doc = xml::parse_doc(text, "document")?;
        let root = doc.root_element();
        if let Some(err) = xml::only_child(root, "error", "error")? {
            let error_type = xml::child_text(err, "type", "error/type")?
                .ok_or(FieldError::new("error/type", FieldErrorKind::Missing))?;
            let error_type = ErrorType::parse(&error_type).ok_or_else(|| {
                FieldError::new(
                    "error/type",
                    FieldErrorKind::Invalid(ValueError::NotOneOf {
                        expected: "connection or unexpected_data",
                        got: shown(&error_type),
                    }),
                )
            })?;
            let text = xml::child_text(err, "text", "error/text")?
                .ok_or(FieldError::new("error/text", FieldErrorKind::Missing))?;
            return Ok(Document::Error(ErrorDoc { error_type, text }));
        }
        let mut resp = Response {
            hostname: xml::child_text(root, "hostname", "hostname")?,
            ..Response::default()
        };
        for child in xml::elements(root) {
            match child.tag_name().name() {
                "hostname" => {}
                "port" => resp.ports.push(parse_port(child)?),
                "eq_param" => resp.params.push(parse_eq(child)?),
                other => return Err(unknown("doc", other)),
            }
        }
        Ok(Document::Response(resp))
    }
}

fn unknown(parent: &'static str, name: &str) -> FieldError {
    FieldError::new(parent, FieldErrorKind::UnknownElement { name: shown(name) })
}

fn parse_port(node: roxmltree::Node<'_, '_>) -> Result<PortState, FieldError> {
    let mut p = PortState {
        identity: xml::child_text(node, "identity", "port/identity")?
            .filter(|s| !s.is_empty())
            .ok_or(FieldError::new("port/identity", FieldErrorKind::Missing))?,
        description: xml::child_text(node, "description", "port/description")?,
        admin_status: xml::child_value(node, "admin_status", "port/admin_status")?,
        oper_status: xml::child_value(node, "oper_status", "port/oper_status")?,
        speed: xml::child_value(node, "speed", "port/speed")?,
        duplex: xml::child_value(node, "duplex", "port/duplex")?,
        rxbytes: counter(node, "rxbytes", "port/rxbytes")?,
        txbytes: counter(node, "txbytes", "port/txbytes")?,
        rxpackets: counter(node, "rxpackets", "port/rxpackets")?,
        txpackets: counter(node, "txpackets", "port/txpackets")?,
        power: float(node, "power", "port/power")?,
        current: float(node, "current", "port/current")?,
        energy: float(node, "energy", "port/energy")?,
        vlan_id: xml::child_value(node, "vlan_id", "port/vlan_id")?,
        vlan_name: xml::child_text(node, "vlan_name", "port/vlan_name")?,
        macs: Vec::new(),
        is_trunk: xml::child_text(node, "is_trunk", "port/is_trunk")?.map(|s| parse_trunk(&s)),
        trunk_members: xml::child_text(node, "trunk_members", "port/trunk_members")?
            .map(|s| {
                s.parse()
                    .map_err(|e| FieldError::new("port/trunk_members", FieldErrorKind::Invalid(e)))
            })
            .transpose()?,
    };
    for child in xml::elements(node) {
        match child.tag_name().name() {
            "mac" => {
                let t = xml::text_of(child, "port/mac")?;
                p.macs.push(
                    t.parse()
                        .map_err(|e| FieldError::new("port/mac", FieldErrorKind::Invalid(e)))?,
                );
            }
            "identity" | "description" | "admin_status" | "oper_status" | "speed" | "duplex"
            | "rxbytes" | "txbytes" | "rxpackets" | "txpackets" | "power" | "current"
            | "energy" | "vlan_id" | "vlan_name" | "is_trunk" | "trunk_members" => {}
            other => return Err(unknown("port", other)),
        }
    }
    Ok(p)
}

fn counter(
    node: roxmltree::Node<'_, '_>,
    name: &str,
    field: &'static str,
) -> Result<Option<u64>, FieldError> {
    xml::child_text(node, name, field)?
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<u64>().map_err(|_| {
                FieldError::new(
                    field,
                    FieldErrorKind::Invalid(ValueError::OutOfRange {
                        expected: "a counter from 0 to 18446744073709551615",
                        got: shown(&s),
                    }),
                )
            })
        })
        .transpose()
}

fn float(
    node: roxmltree::Node<'_, '_>,
    name: &str,
    field: &'static str,
) -> Result<Option<f64>, FieldError> {
    xml::child_text(node, name, field)?
        .filter(|s| !s.is_empty())
        .map(|s| parse_float(&s, field))
        .transpose()
}

fn parse_float(s: &str, field: &'static str) -> Result<f64, FieldError> {
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .ok_or_else(|| {
            FieldError::new(
                field,
                FieldErrorKind::Invalid(ValueError::OutOfRange {
                    expected: "a finite number",
                    got: shown(s),
                }),
            )
        })
}

fn parse_eq(node: roxmltree::Node<'_, '_>) -> Result<EqParam, FieldError> {
    let name = node
        .attribute("name")
        .filter(|n| !n.trim().is_empty())
        .ok_or(FieldError::new("eq_param/@name", FieldErrorKind::Missing))?
        .to_owned();
    let s = xml::child_text(node, "strvalue", "eq_param/strvalue")?;
    let f = xml::child_text(node, "floatvalue", "eq_param/floatvalue")?;
    let value = match (s, f) {
        (Some(s), None) => EqValue::Str(s),
        (None, Some(f)) => EqValue::Float(parse_float(&f, "eq_param/floatvalue")?),
        _ => {
            return Err(FieldError::new(
                "eq_param",
                FieldErrorKind::Invalid(ValueError::Malformed {
                    problem: format!(
                        "'{}' must hold exactly one of <strvalue> or <floatvalue>",
                        shown(&name)
                    ),
                }),
            ));
        }
    };
    Ok(EqParam { name, value })
}

#[cfg(test)]
mod tests;
