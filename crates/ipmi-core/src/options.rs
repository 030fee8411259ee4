//! What a session is asked for: the LAN protocol version, the privilege level, and the weakest
//! IPMI 1.5 authentication type the operator accepts; and the environment variables that set
//! the last two.

use std::fmt;

use crate::IpmiError;

/// Environment variables this crate reads. Each is documented in docs/handlers/ipmi15.md.
pub mod env {
    /// Log in at this privilege level at least: `user`, `operator` or `administrator` (for BMCs
    /// that grant power control only to administrators, or that refuse lower levels). Default:
    /// the lowest each operation needs (user for `status`, operator for power control).
    pub const PRIVILEGE: &str = "DCIH_IPMI_PRIVILEGE";
    /// The weakest IPMI 1.5 authentication type to accept: `md5`, `md2`, `password` (straight
    /// password, sent in clear) or `none`. Default `md2`: the password never crosses the network
    /// in clear unless the operator allows it.
    pub const MIN_AUTH: &str = "DCIH_IPMI_MIN_AUTH";
}

/// The IPMI LAN protocol version of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// IPMI v1.5 LAN: RMCP with a challenge/activate handshake and per-message auth codes
    /// (ipmitool's `-I lan`).
    V15,
    /// IPMI v2.0 LAN: RMCP+ with the RAKP handshake, cipher suite 3 (ipmitool's `-I lanplus`).
    V20,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::V15 => "IPMI 1.5 (RMCP)",
            Version::V20 => "IPMI 2.0 (RMCP+)",
        })
    }
}

/// A privilege level (IPMI v2.0, section 6.8), in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Privilege {
    /// Callback: the lowest level.
    Callback,
    /// User: read-only commands such as Get Chassis Status.
    User,
    /// Operator: everything but configuration, Chassis Control among it.
    Operator,
    /// Administrator: everything.
    Administrator,
}

impl Privilege {
    /// The wire value (1 to 4).
    pub const fn to_wire(self) -> u8 {
        match self {
            Privilege::Callback => 1,
            Privilege::User => 2,
            Privilege::Operator => 3,
            Privilege::Administrator => 4,
        }
    }

    /// The level of a wire value (the low nibble), if it is one.
    pub fn from_wire(v: u8) -> Option<Privilege> {
        match v & 0x0F {
            1 => Some(Privilege::Callback),
            2 => Some(Privilege::User),
            3 => Some(Privilege::Operator),
            4 => Some(Privilege::Administrator),
            _ => None,
        }
    }

    fn parse(s: &str) -> Option<Privilege> {
        match s.trim().to_ascii_lowercase().as_str() {
            "user" => Some(Privilege::User),
            "operator" => Some(Privilege::Operator),
            "administrator" | "admin" => Some(Privilege::Administrator),
            _ => None,
        }
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Privilege::Callback => "CALLBACK",
            Privilege::User => "USER",
            Privilege::Operator => "OPERATOR",
            Privilege::Administrator => "ADMINISTRATOR",
        })
    }
}

/// An IPMI 1.5 authentication type, in increasing order of strength as this crate ranks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthType {
    /// No authentication: the password is not used at all.
    None,
    /// Straight password: the password itself travels in clear in every packet.
    Password,
    /// MD2 of password, session, message and password.
    Md2,
    /// MD5 of password, session, message and password.
    Md5,
}

impl AuthType {
    /// Strongest first, as a BMC's offer is searched.
    pub const STRONGEST_FIRST: [AuthType; 4] = [
        AuthType::Md5,
        AuthType::Md2,
        AuthType::Password,
        AuthType::None,
    ];

    /// The wire value of the session header's authentication type field.
    pub const fn to_wire(self) -> u8 {
        match self {
            AuthType::None => 0,
            AuthType::Md2 => 1,
            AuthType::Md5 => 2,
            AuthType::Password => 4,
        }
    }

    /// The type of a wire value, if it is one of these four (5 is OEM, 6 is RMCP+).
    pub fn from_wire(v: u8) -> Option<AuthType> {
        match v & 0x0F {
            0 => Some(AuthType::None),
            1 => Some(AuthType::Md2),
            2 => Some(AuthType::Md5),
            4 => Some(AuthType::Password),
            _ => None,
        }
    }

    /// Its bit in Get Channel Authentication Capabilities' "authentication type support" byte.
    pub const fn support_bit(self) -> u8 {
        1 << self.to_wire()
    }

    fn parse(s: &str) -> Option<AuthType> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md5" => Some(AuthType::Md5),
            "md2" => Some(AuthType::Md2),
            "password" | "straight" => Some(AuthType::Password),
            "none" => Some(AuthType::None),
            _ => None,
        }
    }
}

impl fmt::Display for AuthType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthType::None => "none",
            AuthType::Password => "straight password",
            AuthType::Md2 => "MD2",
            AuthType::Md5 => "MD5",
        })
    }
}

/// What one session is opened with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// IPMI 1.5 or 2.0.
    pub version: Version,
    /// The privilege the session runs at (raised with Set Session Privilege Level above USER).
    pub privilege: Privilege,
    /// IPMI 1.5: the weakest authentication type accepted.
    pub min_auth: AuthType,
}

impl Options {
    /// The weakest IPMI 1.5 authentication type accepted when [`env::MIN_AUTH`] is not set.
    pub const DEFAULT_MIN_AUTH: AuthType = AuthType::Md2;

    /// Options for an operation that needs `needed`, adjusted by [`env::PRIVILEGE`] and
    /// [`env::MIN_AUTH`].
    pub fn from_env(version: Version, needed: Privilege) -> Result<Options, IpmiError> {
        Options::from_lookup(version, needed, |name| std::env::var(name).ok())
    }

    /// Same as [`Options::from_env`] with any lookup, for tests.
    pub fn from_lookup(
        version: Version,
        needed: Privilege,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Options, IpmiError> {
        let floor = match get(env::PRIVILEGE) {
            None => Privilege::User,
            Some(v) => Privilege::parse(&v).ok_or_else(|| IpmiError::Env {
                name: env::PRIVILEGE,
                expected: "user, operator or administrator",
                got: shown(&v),
            })?,
        };
        let min_auth = match get(env::MIN_AUTH) {
            None => Options::DEFAULT_MIN_AUTH,
            Some(v) => AuthType::parse(&v).ok_or_else(|| IpmiError::Env {
                name: env::MIN_AUTH,
                expected: "md5, md2, password or none",
                got: shown(&v),
            })?,
        };
        Ok(Options {
            version,
            privilege: needed.max(floor),
            min_auth,
        })
    }
}

/// A value as shown in an error: at most 40 characters.
fn shown(s: &str) -> String {
    s.chars().take(40).collect()
}
