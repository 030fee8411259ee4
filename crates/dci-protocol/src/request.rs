//! Requests, in two tiers.
//!
//! [`Request`] is what the XML said, each value already typed (an invalid VLAN or speed is
//! refused while parsing) but every element optional, so the harness can also build and write
//! one. [`Request::validate`] checks it against a handler's [`Info`] and yields a [`Call`]: the
//! device's address and credentials in the one shape the declared protocol needs, and an
//! [`Operation`] carrying exactly the arguments its function takes. Handlers see only `Call`.

use crate::error::{FieldError, FieldErrorKind};
use crate::info::{DeviceType, Func, Info, Requirement, join};
use crate::values::{
    AuthLevel, AuthProtocol, Duplex, Endpoint, MappedVlan, PrivProtocol, PvlanType, Readings,
    Secret, SnmpVersion, Speed, VlanId, VlanList, parse_trunk, shown, trunk_str,
};
use crate::xml::{self, Writer};

/// `<device_params>` as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceParams {
    /// `ip`: address or host name, optionally with `:port`.
    pub ip: Option<Endpoint>,
    /// `snmp_ver`.
    pub snmp_ver: Option<SnmpVersion>,
    /// `snmp_community` (v1, v2c).
    pub snmp_community: Option<Secret>,
    /// `snmp_user` (v3).
    pub snmp_user: Option<String>,
    /// `snmp_auth_phrase` (v3).
    pub snmp_auth_phrase: Option<Secret>,
    /// `snmp_priv_phrase` (v3).
    pub snmp_priv_phrase: Option<Secret>,
    /// `snmp_auth_level` (v3).
    pub snmp_auth_level: Option<AuthLevel>,
    /// `snmp_auth_proto` (v3; an extension, default SHA-1).
    pub snmp_auth_proto: Option<AuthProtocol>,
    /// `snmp_priv_proto` (v3; an extension, default AES-128).
    pub snmp_priv_proto: Option<PrivProtocol>,
    /// `telnet_user`.
    pub telnet_user: Option<String>,
    /// `telnet_pass`.
    pub telnet_pass: Option<Secret>,
    /// `ssh_user`.
    pub ssh_user: Option<String>,
    /// `ssh_pass`.
    pub ssh_pass: Option<Secret>,
    /// `user` (IPMI).
    pub user: Option<String>,
    /// `pass` (IPMI).
    pub pass: Option<Secret>,
}

/// `<port>` as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortParams {
    /// `identity`.
    pub identity: Option<String>,
    /// `speed`.
    pub speed: Option<Speed>,
    /// `duplex`.
    pub duplex: Option<Duplex>,
    /// `vlan_id`.
    pub vlan_id: Option<VlanId>,
    /// `vlan_name`.
    pub vlan_name: Option<String>,
    /// `is_trunk`: "on" is true, any other text false.
    pub is_trunk: Option<bool>,
    /// `trunk_members`.
    pub trunk_members: Option<VlanList>,
    /// `vlan_pvlan`.
    pub vlan_pvlan: Option<PvlanType>,
    /// `mapped_vlan`.
    pub mapped_vlan: Option<MappedVlan>,
}

/// One request document, parsed and typed but not yet checked against a handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `func`.
    pub func: Func,
    /// `device_params` (all empty when absent).
    pub device: DeviceParams,
    /// `port`, when present.
    pub port: Option<PortParams>,
    /// `readings` (an extension for DCImanager 6): what `statistics` should add to the watts.
    pub readings: Readings,
    /// Paths of elements the protocol does not define; ignored, and logged by the runtime.
    pub ignored: Vec<String>,
}

/// A port identity: non-empty text, at most 255 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortId(String);

impl PortId {
    /// The identity as DCImanager sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks and wraps an identity.
    pub fn new(s: &str) -> Result<PortId, FieldError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(FieldError::new("port/identity", FieldErrorKind::Missing));
        }
        if t.chars().count() > 255 || t.chars().any(char::is_control) {
            return Err(FieldError::new(
                "port/identity",
                FieldErrorKind::Invalid(crate::values::ValueError::Malformed {
                    problem: format!(
                        "expected at most 255 printable characters, got '{}'",
                        shown(t).escape_default()
                    ),
                }),
            ));
        }
        Ok(PortId(t.to_owned()))
    }
}

impl std::fmt::Display for PortId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What `set_vlan` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VlanChange {
    /// The access (or native) VLAN.
    pub vlan: VlanId,
    /// Its alias, when given.
    pub name: Option<String>,
    /// Whether the port is a trunk.
    pub trunk: bool,
    /// The VLANs a trunk carries.
    pub trunk_members: VlanList,
    /// The PVLAN type, when given.
    pub pvlan: Option<PvlanType>,
    /// The mapped VLAN, when given.
    pub mapped: Option<MappedVlan>,
}

/// The function to run, with exactly the arguments it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// `status`.
    Status,
    /// `statistics`, with the readings asked for that the handler gives (none from
    /// DCImanager 5).
    Statistics(Readings),
    /// `port_on`.
    PortOn(PortId),
    /// `port_off`.
    PortOff(PortId),
    /// `port_reset`.
    PortReset(PortId),
    /// `port_speed`.
    PortSpeed(PortId, Speed),
    /// `port_duplex`.
    PortDuplex(PortId, Duplex),
    /// `set_vlan`.
    SetVlan(PortId, VlanChange),
    /// `mac_list`.
    MacList,
}

impl Operation {
    /// The function this operation runs.
    pub fn func(&self) -> Func {
        match self {
            Operation::Status => Func::Status,
            Operation::Statistics(_) => Func::Statistics,
            Operation::PortOn(_) => Func::PortOn,
            Operation::PortOff(_) => Func::PortOff,
            Operation::PortReset(_) => Func::PortReset,
            Operation::PortSpeed(..) => Func::PortSpeed,
            Operation::PortDuplex(..) => Func::PortDuplex,
            Operation::SetVlan(..) => Func::SetVlan,
            Operation::MacList => Func::MacList,
        }
    }
}

/// SNMP credentials in the shape the version needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnmpAuth {
    /// SNMPv1 with a community.
    V1 {
        /// The community string.
        community: Secret,
    },
    /// SNMPv2c with a community.
    V2c {
        /// The community string.
        community: Secret,
    },
    /// SNMPv3 (USM).
    V3(Usm),
}

impl SnmpAuth {
    /// The version.
    pub fn version(&self) -> SnmpVersion {
        match self {
            SnmpAuth::V1 { .. } => SnmpVersion::V1,
            SnmpAuth::V2c { .. } => SnmpVersion::V2c,
            SnmpAuth::V3(_) => SnmpVersion::V3,
        }
    }
}

/// An SNMPv3 user and its security level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usm {
    /// The user name.
    pub user: String,
    /// The security level and its keys.
    pub security: UsmSecurity,
}

/// The USM security level with what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsmSecurity {
    /// noAuthNoPriv.
    NoAuth,
    /// authNoPriv.
    AuthNoPriv {
        /// The authentication protocol.
        auth_protocol: AuthProtocol,
        /// The authentication passphrase.
        auth: Secret,
    },
    /// authPriv.
    AuthPriv {
        /// The authentication protocol.
        auth_protocol: AuthProtocol,
        /// The authentication passphrase.
        auth: Secret,
        /// The privacy protocol.
        priv_protocol: PrivProtocol,
        /// The privacy passphrase.
        privacy: Secret,
    },
}

/// A user name and password (IPMI, SSH, Telnet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// The user name (may be empty: an anonymous IPMI user).
    pub user: String,
    /// The password.
    pub password: Secret,
}

/// Where the device is and how to log in, in the shape the handler's protocol needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// `ip`.
    pub endpoint: Endpoint,
    /// SNMP credentials, when the handler declares SNMP.
    pub snmp: Option<SnmpAuth>,
    /// IPMI user and password, for IPMI handlers.
    pub ipmi: Option<Login>,
    /// SSH login, when the handler declares SSH and the request has one.
    pub ssh: Option<Login>,
    /// Telnet login, when the handler declares Telnet and the request has one.
    pub telnet: Option<Login>,
}

/// A request checked against a handler's `-info`: what the handler is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The device.
    pub device: Device,
    /// The function and its arguments.
    pub op: Operation,
}

/// The identity of the one port an IPMI device has.
pub const IPMI_PORT: &str = "power";

/// USM derives keys from passphrases of at least 8 characters (RFC 3414 §11.2); net-snmp
/// refuses shorter ones, and so do we, before any packet is sent.
const MIN_USM_PHRASE: usize = 8;

impl Request {
    /// A request for `func` with nothing else set.
    pub fn new(func: Func) -> Request {
        Request {
            func,
            device: DeviceParams::default(),
            port: None,
            readings: Readings::NONE,
            ignored: Vec::new(),
        }
    }

    /// Parses a request document. Every value is checked for its syntax here; what a function
    /// or a handler requires is checked by [`Request::validate`].
    pub fn parse(text: &str) -> Result<Request, FieldError> {
        let doc = xml::parse_doc(text, "request")?;
        let root = doc.root_element();
        let mut ignored = Vec::new();
        for child in xml::elements(root) {
            let name = child.tag_name().name();
            if !matches!(name, "func" | "device_params" | "port" | "readings") {
                ignored.push(shown(name));
            }
        }
        let func_text = xml::child_text(root, "func", "func")?
            .filter(|s| !s.is_empty())
            .ok_or(FieldError::new("func", FieldErrorKind::Missing))?;
        let func = func_text.parse::<Func>().map_err(|_| {
            FieldError::new(
                "func",
                FieldErrorKind::UnknownFunc {
                    got: shown(&func_text),
                    known: "status, statistics, port_on, port_off, port_reset, port_speed, port_duplex, set_vlan, mac_list",
                },
            )
        })?;
        let device = match xml::only_child(root, "device_params", "device_params")? {
            Some(node) => parse_device(node, &mut ignored)?,
            None => DeviceParams::default(),
        };
        let port = xml::only_child(root, "port", "port")?
            .map(|node| parse_port(node, &mut ignored))
            .transpose()?;
        let readings: Readings =
            xml::child_value(root, "readings", "readings")?.unwrap_or_default();
        if !readings.is_empty() && func != Func::Statistics {
            return Err(FieldError::new(
                "readings",
                FieldErrorKind::OnlyFor {
                    func: Func::Statistics,
                },
            ));
        }
        Ok(Request {
            func,
            device,
            port,
            readings,
            ignored,
        })
    }

    /// Checks the whole request against what the handler declares and builds the [`Call`]. No
    /// part of the device is touched before this succeeds.
    pub fn validate(&self, info: &Info) -> Result<Call, FieldError> {
        self.validate_giving(info, Readings::NONE)
    }

    /// [`Request::validate`] for a handler whose `statistics` gives `readings` when asked. A
    /// `statistics` request asking for one of them is served even where `-info` does not
    /// declare `statistics` (a PDU that meters current but not watts has nothing for
    /// DCImanager 5); the readings asked that the handler does not give are left out.
    pub fn validate_giving(&self, info: &Info, readings: Readings) -> Result<Call, FieldError> {
        let asked = self.readings.and(readings);
        let served =
            info.supports(self.func) || (self.func == Func::Statistics && !asked.is_empty());
        if !served {
            return Err(FieldError::new(
                "func",
                FieldErrorKind::UnsupportedFunc {
                    func: self.func,
                    supported: info.funcs_list(),
                },
            ));
        }
        let d = &self.device;
        let endpoint =
            d.ip.clone()
                .ok_or(FieldError::new("device_params/ip", FieldErrorKind::Missing))?;
        let snmp = validate_snmp(d, info)?;
        let ipmi = if info.device_type == DeviceType::Ipmi {
            let user = d.user.clone().ok_or(FieldError::new(
                "device_params/user",
                FieldErrorKind::RequiredBecause {
                    because: "for IPMI",
                },
            ))?;
            let password = d.pass.clone().ok_or(FieldError::new(
                "device_params/pass",
                FieldErrorKind::RequiredBecause {
                    because: "for IPMI",
                },
            ))?;
            Some(Login { user, password })
        } else {
            None
        };
        let login = |declared: bool, user: &Option<String>, pass: &Option<Secret>| match (
            declared, user, pass,
        ) {
            (true, Some(user), Some(password)) => Some(Login {
                user: user.clone(),
                password: password.clone(),
            }),
            _ => None,
        };
        let device = Device {
            endpoint,
            snmp,
            ipmi,
            ssh: login(info.requires(Requirement::Ssh), &d.ssh_user, &d.ssh_pass),
            telnet: login(
                info.requires(Requirement::Telnet),
                &d.telnet_user,
                &d.telnet_pass,
            ),
        };
        let op = self.operation(info.device_type, asked)?;
        Ok(Call { device, op })
    }

    fn operation(&self, device_type: DeviceType, asked: Readings) -> Result<Operation, FieldError> {
        let port = self.port.as_ref();
        let identity = || -> Result<PortId, FieldError> {
            let given = port.and_then(|p| p.identity.as_deref());
            if device_type == DeviceType::Ipmi {
                // DCImanager's IPMI device has one reserved port, `power` (case-sensitive); its
                // requests may leave the port out.
                return match given {
                    None | Some(IPMI_PORT) => Ok(PortId(IPMI_PORT.to_owned())),
                    Some(other) => Err(FieldError::new(
                        "port/identity",
                        FieldErrorKind::WrongPort {
                            got: shown(other),
                            allowed: "an IPMI device has one port, 'power'",
                        },
                    )),
                };
            }
            PortId::new(given.unwrap_or_default())
        };
        fn need<T>(v: Option<T>, field: &'static str) -> Result<T, FieldError> {
            v.ok_or(FieldError::new(field, FieldErrorKind::Missing))
        }
        Ok(match self.func {
            Func::Status => Operation::Status,
            Func::Statistics => Operation::Statistics(asked),
            Func::MacList => Operation::MacList,
            Func::PortOn => Operation::PortOn(identity()?),
            Func::PortOff => Operation::PortOff(identity()?),
            Func::PortReset => Operation::PortReset(identity()?),
            Func::PortSpeed => {
                Operation::PortSpeed(identity()?, need(port.and_then(|p| p.speed), "port/speed")?)
            }
            Func::PortDuplex => Operation::PortDuplex(
                identity()?,
                need(port.and_then(|p| p.duplex), "port/duplex")?,
            ),
            Func::SetVlan => {
                let id = identity()?;
                let p = port.cloned().unwrap_or_default();
                Operation::SetVlan(
                    id,
                    VlanChange {
                        vlan: need(p.vlan_id, "port/vlan_id")?,
                        name: p.vlan_name,
                        trunk: p.is_trunk.unwrap_or(false),
                        trunk_members: p.trunk_members.unwrap_or_default(),
                        pvlan: p.vlan_pvlan,
                        mapped: p.mapped_vlan,
                    },
                )
            }
        })
    }

    /// A copy with every secret replaced by `***`, for showing a request to a person.
    pub fn redacted(&self) -> Request {
        let hide = |s: &Option<Secret>| s.as_ref().map(|_| Secret::new("***"));
        let mut shown = self.clone();
        let d = &mut shown.device;
        d.snmp_community = hide(&d.snmp_community);
        d.snmp_auth_phrase = hide(&d.snmp_auth_phrase);
        d.snmp_priv_phrase = hide(&d.snmp_priv_phrase);
        d.telnet_pass = hide(&d.telnet_pass);
        d.ssh_pass = hide(&d.ssh_pass);
        d.pass = hide(&d.pass);
        shown
    }

    /// The request document, as DCImanager would write it (secrets included: it goes to the
    /// handler's standard input).
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new();
        w.open("doc");
        w.value("func", self.func);
        let d = &self.device;
        w.open("device_params");
        opt(&mut w, "ip", d.ip.as_ref());
        opt(&mut w, "snmp_ver", d.snmp_ver);
        secret(&mut w, "snmp_community", d.snmp_community.as_ref());
        opt(&mut w, "snmp_user", d.snmp_user.as_ref());
        secret(&mut w, "snmp_auth_phrase", d.snmp_auth_phrase.as_ref());
        secret(&mut w, "snmp_priv_phrase", d.snmp_priv_phrase.as_ref());
        opt(&mut w, "snmp_auth_level", d.snmp_auth_level);
        opt(&mut w, "snmp_auth_proto", d.snmp_auth_proto);
        opt(&mut w, "snmp_priv_proto", d.snmp_priv_proto);
        opt(&mut w, "telnet_user", d.telnet_user.as_ref());
        secret(&mut w, "telnet_pass", d.telnet_pass.as_ref());
        opt(&mut w, "ssh_user", d.ssh_user.as_ref());
        secret(&mut w, "ssh_pass", d.ssh_pass.as_ref());
        opt(&mut w, "user", d.user.as_ref());
        secret(&mut w, "pass", d.pass.as_ref());
        w.close();
        if let Some(p) = &self.port {
            w.open("port");
            opt(&mut w, "identity", p.identity.as_ref());
            opt(&mut w, "speed", p.speed);
            opt(&mut w, "duplex", p.duplex);
            opt(&mut w, "vlan_id", p.vlan_id);
            opt(&mut w, "vlan_name", p.vlan_name.as_ref());
            opt(&mut w, "is_trunk", p.is_trunk.map(trunk_str));
            opt(&mut w, "trunk_members", p.trunk_members.as_ref());
            opt(&mut w, "vlan_pvlan", p.vlan_pvlan);
            opt(&mut w, "mapped_vlan", p.mapped_vlan);
            w.close();
        }
        if !self.readings.is_empty() {
            w.value("readings", self.readings);
        }
        w.finish()
    }
}

fn opt<T: std::fmt::Display>(w: &mut Writer, name: &str, v: Option<T>) {
    if let Some(v) = v {
        w.value(name, v);
    }
}

fn secret(w: &mut Writer, name: &str, v: Option<&Secret>) {
    if let Some(v) = v {
        w.text(name, v.expose());
    }
}

fn validate_snmp(d: &DeviceParams, info: &Info) -> Result<Option<SnmpAuth>, FieldError> {
    let declared = info.snmp_versions();
    if declared.is_empty() {
        return Ok(None);
    }
    let version = d.snmp_ver.ok_or(FieldError::new(
        "device_params/snmp_ver",
        FieldErrorKind::Missing,
    ))?;
    if !declared.contains(&version) {
        return Err(FieldError::new(
            "device_params/snmp_ver",
            FieldErrorKind::UnsupportedVersion {
                version,
                supported: join(declared.iter()),
            },
        ));
    }
    let community = || {
        d.snmp_community
            .clone()
            .filter(|c| !c.is_empty())
            .ok_or(FieldError::new(
                "device_params/snmp_community",
                FieldErrorKind::RequiredBecause {
                    because: "for SNMP v1 and v2c",
                },
            ))
    };
    let phrase = |v: &Option<Secret>, field: &'static str| -> Result<Secret, FieldError> {
        let p = v.clone().filter(|p| !p.is_empty()).ok_or(FieldError::new(
            field,
            FieldErrorKind::RequiredBecause {
                because: "for this SNMP v3 security level",
            },
        ))?;
        if p.expose().chars().count() < MIN_USM_PHRASE {
            return Err(FieldError::new(
                field,
                FieldErrorKind::InvalidSecret {
                    reason: "an SNMP v3 passphrase needs at least 8 characters",
                },
            ));
        }
        Ok(p)
    };
    Ok(Some(match version {
        SnmpVersion::V1 => SnmpAuth::V1 {
            community: community()?,
        },
        SnmpVersion::V2c => SnmpAuth::V2c {
            community: community()?,
        },
        SnmpVersion::V3 => {
            let user = d
                .snmp_user
                .clone()
                .filter(|u| !u.is_empty())
                .ok_or(FieldError::new(
                    "device_params/snmp_user",
                    FieldErrorKind::RequiredBecause {
                        because: "for SNMP v3",
                    },
                ))?;
            let level = d.snmp_auth_level.ok_or(FieldError::new(
                "device_params/snmp_auth_level",
                FieldErrorKind::RequiredBecause {
                    because: "for SNMP v3",
                },
            ))?;
            let auth_protocol = d.snmp_auth_proto.unwrap_or(AuthProtocol::Sha1);
            let security = match level {
                AuthLevel::NoAuth => UsmSecurity::NoAuth,
                AuthLevel::AuthNoPriv => UsmSecurity::AuthNoPriv {
                    auth_protocol,
                    auth: phrase(&d.snmp_auth_phrase, "device_params/snmp_auth_phrase")?,
                },
                AuthLevel::AuthPriv => UsmSecurity::AuthPriv {
                    auth_protocol,
                    auth: phrase(&d.snmp_auth_phrase, "device_params/snmp_auth_phrase")?,
                    priv_protocol: d.snmp_priv_proto.unwrap_or(PrivProtocol::Aes128),
                    privacy: phrase(&d.snmp_priv_phrase, "device_params/snmp_priv_phrase")?,
                },
            };
            SnmpAuth::V3(Usm { user, security })
        }
    }))
}

/// The elements of `<device_params>`.
pub(crate) const DEVICE_ELEMENTS: &[&str] = &[
    "ip",
    "snmp_ver",
    "snmp_community",
    "snmp_user",
    "snmp_auth_phrase",
    "snmp_priv_phrase",
    "snmp_auth_level",
    "snmp_auth_proto",
    "snmp_priv_proto",
    "telnet_user",
    "telnet_pass",
    "ssh_user",
    "ssh_pass",
    "user",
    "pass",
];

/// The elements of `<port>` in a request.
pub(crate) const PORT_ELEMENTS: &[&str] = &[
    "identity",
    "speed",
    "duplex",
    "vlan_id",
    "vlan_name",
    "is_trunk",
    "trunk_members",
    "vlan_pvlan",
    "mapped_vlan",
];

fn parse_device(
    node: roxmltree::Node<'_, '_>,
    ignored: &mut Vec<String>,
) -> Result<DeviceParams, FieldError> {
    note_unknown(node, "device_params", DEVICE_ELEMENTS, ignored);
    let text = |name: &str, field: &'static str| xml::child_text(node, name, field);
    // Secrets keep their exact text: a password may begin or end with a space. Everything else
    // is trimmed.
    let secret = |name: &str, field: &'static str| -> Result<Option<Secret>, FieldError> {
        xml::only_child(node, name, field)?
            .map(|n| {
                if xml::elements(n).next().is_some() {
                    return Err(FieldError::new(field, FieldErrorKind::NotText));
                }
                Ok(Secret::new(
                    n.children()
                        .filter(roxmltree::Node::is_text)
                        .filter_map(|t| t.text())
                        .collect::<String>(),
                ))
            })
            .transpose()
    };
    Ok(DeviceParams {
        ip: xml::child_value(node, "ip", "device_params/ip")?,
        snmp_ver: xml::child_value(node, "snmp_ver", "device_params/snmp_ver")?,
        snmp_community: secret("snmp_community", "device_params/snmp_community")?,
        snmp_user: text("snmp_user", "device_params/snmp_user")?,
        snmp_auth_phrase: secret("snmp_auth_phrase", "device_params/snmp_auth_phrase")?,
        snmp_priv_phrase: secret("snmp_priv_phrase", "device_params/snmp_priv_phrase")?,
        snmp_auth_level: xml::child_value(
            node,
            "snmp_auth_level",
            "device_params/snmp_auth_level",
        )?,
        snmp_auth_proto: xml::child_value(
            node,
            "snmp_auth_proto",
            "device_params/snmp_auth_proto",
        )?,
        snmp_priv_proto: xml::child_value(
            node,
            "snmp_priv_proto",
            "device_params/snmp_priv_proto",
        )?,
        telnet_user: text("telnet_user", "device_params/telnet_user")?,
        telnet_pass: secret("telnet_pass", "device_params/telnet_pass")?,
        ssh_user: text("ssh_user", "device_params/ssh_user")?,
        ssh_pass: secret("ssh_pass", "device_params/ssh_pass")?,
        user: text("user", "device_params/user")?,
        pass: secret("pass", "device_params/pass")?,
    })
}

fn parse_port(
    node: roxmltree::Node<'_, '_>,
    ignored: &mut Vec<String>,
) -> Result<PortParams, FieldError> {
    note_unknown(node, "port", PORT_ELEMENTS, ignored);
    let vlan_name = xml::child_text(node, "vlan_name", "port/vlan_name")?
        .filter(|s| !s.is_empty())
        .map(check_vlan_name)
        .transpose()?;
    Ok(PortParams {
        identity: xml::child_text(node, "identity", "port/identity")?,
        speed: xml::child_value(node, "speed", "port/speed")?,
        duplex: xml::child_value(node, "duplex", "port/duplex")?,
        vlan_id: xml::child_value(node, "vlan_id", "port/vlan_id")?,
        vlan_name,
        is_trunk: xml::child_text(node, "is_trunk", "port/is_trunk")?.map(|s| parse_trunk(&s)),
        trunk_members: xml::child_text(node, "trunk_members", "port/trunk_members")?
            .map(|s| {
                s.parse::<VlanList>()
                    .map_err(|e| FieldError::new("port/trunk_members", FieldErrorKind::Invalid(e)))
            })
            .transpose()?,
        vlan_pvlan: xml::child_value(node, "vlan_pvlan", "port/vlan_pvlan")?,
        mapped_vlan: xml::child_value(node, "mapped_vlan", "port/mapped_vlan")?,
    })
}

/// The spec: "string without spaces in the Latin alphabet letters". We accept printable ASCII
/// without whitespace, up to 64 characters (switches allow 32; longer is surely a mistake).
fn check_vlan_name(s: String) -> Result<String, FieldError> {
    if s.len() <= 64 && s.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(s)
    } else {
        Err(FieldError::new(
            "port/vlan_name",
            FieldErrorKind::Invalid(crate::values::ValueError::Malformed {
                problem: format!(
                    "expected up to 64 printable ASCII characters without spaces, got '{}'",
                    shown(&s).escape_default()
                ),
            }),
        ))
    }
}

fn note_unknown(
    node: roxmltree::Node<'_, '_>,
    parent: &str,
    known: &[&str],
    ignored: &mut Vec<String>,
) {
    for child in xml::elements(node) {
        let name = child.tag_name().name();
        if !known.contains(&name) {
            ignored.push(format!("{parent}/{}", shown(name)));
        }
    }
}

#[cfg(test)]
mod tests;
