//! What a session is asked for: the LAN protocol version, the privilege level, and the weakest
//! IPMI 1.5 authentication type the operator accepts; and the environment variables that set
//! the last two.

use std::fmt;

use crate::IpmiError;
pub use crate::v20::CipherSuite;

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
    /// IPMI 2.0: the RMCP+ cipher suite, `17` or `3`, instead of the strongest the BMC offers.
    pub const CIPHER: &str = "DCIH_IPMI_CIPHER";
    /// IPMI 2.0: the BMC key (K_g) of a BMC set for "two-key login": up to 20 characters, or
    /// `0x` and up to 40 hex digits. Never logged.
    pub const BMC_KEY: &str = "DCIH_IPMI_KG";
    /// A file holding the BMC key, as [`BMC_KEY`] takes it (a final line feed is dropped).
    pub const BMC_KEY_FILE: &str = "DCIH_IPMI_KG_FILE";
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

/// The BMC key (K_g): 20 bytes, NUL-padded. Its `Debug` shows nothing of it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BmcKey(pub(crate) [u8; 20]);

impl fmt::Debug for BmcKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BmcKey(***)")
    }
}

impl BmcKey {
    /// The key written as text (at most 20 bytes) or as `0x` and hex digits (at most 20
    /// bytes); what is wrong with it, never the key, otherwise.
    pub fn parse(text: &str) -> Result<BmcKey, String> {
        let bytes = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            Some(hex) => {
                if hex.is_empty() || hex.len() % 2 != 0 {
                    return Err("a hex key needs an even number of hex digits".into());
                }
                (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("x"), 16))
                    .collect::<Result<Vec<u8>, _>>()
                    .map_err(|_| "a hex key holds a character that is not a hex digit".to_owned())?
            }
            None => text.as_bytes().to_vec(),
        };
        if bytes.is_empty() || bytes.len() > 20 {
            return Err(format!(
                "a BMC key is 1 to 20 bytes; this one has {}",
                bytes.len()
            ));
        }
        let mut key = [0u8; 20];
        key[..bytes.len()].copy_from_slice(&bytes);
        Ok(BmcKey(key))
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
    /// IPMI 2.0: the cipher suite the operator pinned; `None` takes the strongest the BMC
    /// offers.
    pub cipher: Option<CipherSuite>,
    /// IPMI 2.0: the BMC key, where the BMC has one set.
    pub bmc_key: Option<BmcKey>,
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
        let cipher = match get(env::CIPHER) {
            None => None,
            Some(v) => Some(
                v.trim()
                    .parse::<u8>()
                    .ok()
                    .and_then(CipherSuite::from_id)
                    .ok_or_else(|| IpmiError::Env {
                        name: env::CIPHER,
                        expected: "17 or 3 (the cipher suites spoken)",
                        got: shown(&v),
                    })?,
            ),
        };
        let key_text = match (get(env::BMC_KEY), get(env::BMC_KEY_FILE)) {
            (Some(_), Some(_)) => {
                return Err(IpmiError::Secret {
                    name: env::BMC_KEY,
                    problem: format!("set it or {}, not both", env::BMC_KEY_FILE),
                });
            }
            (Some(k), None) => Some((env::BMC_KEY, k)),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(&path).map_err(|e| IpmiError::Secret {
                    name: env::BMC_KEY_FILE,
                    problem: format!("cannot read {}: {e}", shown(&path)),
                })?;
                let text = text.strip_suffix('\n').unwrap_or(&text);
                Some((
                    env::BMC_KEY_FILE,
                    text.strip_suffix('\r').unwrap_or(text).to_owned(),
                ))
            }
            (None, None) => None,
        };
        let bmc_key = match key_text {
            None => None,
            Some((name, text)) => {
                Some(BmcKey::parse(&text).map_err(|problem| IpmiError::Secret { name, problem })?)
            }
        };
        Ok(Options {
            version,
            privilege: needed.max(floor),
            min_auth,
            cipher,
            bmc_key,
        })
    }
}

/// A value as shown in an error: at most 40 characters, and `…` when cut.
pub(crate) fn shown(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}
