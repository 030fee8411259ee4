//! Typed values of the wire format: each enum or newtype parses exactly the strings the protocol
//! allows and writes back its canonical spelling.
//!
//! Parsing returns a [`ValueError`] that says what was expected; the caller attaches the field
//! name (see [`crate::RequestError`]). Secret values are never echoed in an error.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// Why a value was refused, without the field name (the caller knows it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The value is not one of an enumerated set.
    #[error("expected {expected}, got '{got}'")]
    NotOneOf {
        /// The allowed spellings, for the reader.
        expected: &'static str,
        /// What was given (truncated, never a secret).
        got: String,
    },
    /// A number outside its range, or not a number at all.
    #[error("expected {expected}, got '{got}'")]
    OutOfRange {
        /// The allowed range, for the reader.
        expected: &'static str,
        /// What was given (truncated).
        got: String,
    },
    /// A value with a shape that does not fit.
    #[error("{problem}")]
    Malformed {
        /// What is wrong with it.
        problem: String,
    },
}

/// Shortens a refused value before it goes into an error text, so that a hostile request cannot
/// make the error document arbitrarily large.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        let mut s: String = value.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

/// Declares a closed wire enum: its variants, their canonical spelling and the extra spellings
/// accepted on input. One table drives `FromStr`, `Display` and `ALL`, so they cannot disagree.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $expected:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $canon:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical spelling on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ValueError;
            fn from_str(s: &str) -> Result<Self, $crate::ValueError> {
                let t = s.trim();
                $(
                    if t.eq_ignore_ascii_case($canon) $(|| t.eq_ignore_ascii_case($alias))* {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::ValueError::NotOneOf { expected: $expected, got: $crate::values::shown(s) })
            }
        }
    };
}

wire_enum! {
    /// `device_params/snmp_ver`. The spec spells them `SNMP v1`, `SNMP v2c`, `SNMP v3`; the short
    /// forms are accepted because operators type them in the harness.
    SnmpVersion, "SNMP v1, SNMP v2c or SNMP v3" {
        /// SNMPv1, community based.
        V1 = "SNMP v1" | "v1" | "1" | "snmpv1",
        /// SNMPv2c, community based.
        V2c = "SNMP v2c" | "v2c" | "2c" | "snmpv2c",
        /// SNMPv3, user based (USM).
        V3 = "SNMP v3" | "v3" | "3" | "snmpv3",
    }
}

wire_enum! {
    /// `device_params/snmp_auth_level`: the USM security level.
    AuthLevel, "noauth, authnopriv or authpriv" {
        /// noAuthNoPriv.
        NoAuth = "noauth" | "noauthnopriv",
        /// authNoPriv.
        AuthNoPriv = "authnopriv",
        /// authPriv.
        AuthPriv = "authpriv",
    }
}

wire_enum! {
    /// `port/speed`, in requests and responses.
    Speed, "auto, auto10100, 10mbps, 100mbps, 1gbps or 10gbps" {
        /// Autonegotiate any speed.
        Auto = "auto",
        /// Autonegotiate 10 or 100 Mbit/s.
        Auto10100 = "auto10100",
        /// 10 Mbit/s.
        Mbps10 = "10mbps",
        /// 100 Mbit/s.
        Mbps100 = "100mbps",
        /// 1 Gbit/s.
        Gbps1 = "1gbps",
        /// 10 Gbit/s.
        Gbps10 = "10gbps",
    }
}

wire_enum! {
    /// `port/duplex`, in requests and responses.
    Duplex, "auto, half or full" {
        /// Autonegotiate.
        Auto = "auto",
        /// Half duplex.
        Half = "half",
        /// Full duplex.
        Full = "full",
    }
}

wire_enum! {
    /// `admin_status` / `oper_status` in responses.
    PortStatus, "on, off or unknown" {
        /// Enabled, powered, link up.
        On = "on",
        /// Disabled, unpowered, link down.
        Off = "off",
        /// The device said something that is neither; never guessed.
        Unknown = "unknown",
    }
}

wire_enum! {
    /// One word of `<readings>`, an extension of this project for DCImanager 6: a per-port
    /// reading `statistics` adds beside DCImanager 5's watts when a request asks for it.
    Reading, "current or energy" {
        /// `<current>`: the port's current, in amperes.
        Current = "current",
        /// `<energy>`: the port's energy counter, in kilowatt-hours.
        Energy = "energy",
    }
}

/// `<readings>`: the set of [`Reading`]s a `statistics` request asks for (words separated by
/// spaces or commas), or a handler gives. Empty in every DCImanager 5 request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Readings {
    /// `current` asked for (or given).
    pub current: bool,
    /// `energy` asked for (or given).
    pub energy: bool,
}

impl Readings {
    /// No reading: DCImanager 5's `statistics`.
    pub const NONE: Readings = Readings {
        current: false,
        energy: false,
    };

    /// Whether no reading is in the set.
    pub fn is_empty(self) -> bool {
        self == Readings::NONE
    }

    /// Whether `r` is in the set.
    pub fn contains(self, r: Reading) -> bool {
        match r {
            Reading::Current => self.current,
            Reading::Energy => self.energy,
        }
    }

    /// The readings in both sets.
    pub fn and(self, other: Readings) -> Readings {
        Readings {
            current: self.current && other.current,
            energy: self.energy && other.energy,
        }
    }

    /// The readings in the set, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Reading> {
        Reading::ALL
            .iter()
            .copied()
            .filter(move |r| self.contains(*r))
    }
}

impl FromIterator<Reading> for Readings {
    fn from_iter<I: IntoIterator<Item = Reading>>(iter: I) -> Readings {
        let mut set = Readings::NONE;
        for r in iter {
            match r {
                Reading::Current => set.current = true,
                Reading::Energy => set.energy = true,
            }
        }
        set
    }
}

impl fmt::Display for Readings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<&str> = self.iter().map(Reading::as_str).collect();
        f.write_str(&words.join(" "))
    }
}

impl FromStr for Readings {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Readings, ValueError> {
        s.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(str::parse::<Reading>)
            .collect()
    }
}

wire_enum! {
    /// `port/vlan_pvlan`: the PVLAN type of the port's primary VLAN.
    PvlanType, "0, 1, 2 or 3" {
        /// No PVLAN (a common VLAN).
        None = "0",
        /// Switch-specific PVLAN type.
        Other = "1",
        /// Primary.
        Primary = "2",
        /// Isolated.
        Isolated = "3",
    }
}

wire_enum! {
    /// `device_params/snmp_auth_proto`, an extension of this project: the USM authentication
    /// protocol. DCImanager 5 does not send it; the default is SHA-1 (see docs/protocol.md).
    AuthProtocol, "md5, sha, sha224, sha256, sha384 or sha512" {
        /// HMAC-MD5-96.
        Md5 = "md5",
        /// HMAC-SHA-96.
        Sha1 = "sha" | "sha1" | "sha-1",
        /// HMAC-SHA-224 (RFC 7860).
        Sha224 = "sha224" | "sha-224",
        /// HMAC-SHA-256 (RFC 7860).
        Sha256 = "sha256" | "sha-256",
        /// HMAC-SHA-384 (RFC 7860).
        Sha384 = "sha384" | "sha-384",
        /// HMAC-SHA-512 (RFC 7860).
        Sha512 = "sha512" | "sha-512",
    }
}

wire_enum! {
    /// `device_params/snmp_priv_proto`, an extension of this project: the USM privacy
    /// protocol. DCImanager 5 does not send it; the default is AES-128 (see docs/protocol.md).
    PrivProtocol, "des, aes, aes192 or aes256" {
        /// CBC-DES.
        Des = "des",
        /// CFB128-AES-128 (RFC 3826).
        Aes128 = "aes" | "aes128" | "aes-128",
        /// CFB128-AES-192 (Blumenthal draft, as net-snmp).
        Aes192 = "aes192" | "aes-192",
        /// CFB128-AES-256 (Blumenthal draft, as net-snmp).
        Aes256 = "aes256" | "aes-256",
    }
}

/// An IEEE 802.1Q VLAN number as the protocol allows it: 1 to 4095.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VlanId(u16);

impl VlanId {
    /// The smallest VLAN number.
    pub const MIN: u16 = 1;
    /// The largest VLAN number the protocol allows.
    pub const MAX: u16 = 4095;

    /// A VLAN number, if it is within 1..=4095.
    pub const fn new(n: u16) -> Option<VlanId> {
        if n >= Self::MIN && n <= Self::MAX {
            Some(VlanId(n))
        } else {
            None
        }
    }

    /// The number.
    pub const fn get(self) -> u16 {
        self.0
    }
}

impl fmt::Display for VlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for VlanId {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        s.trim()
            .parse::<u16>()
            .ok()
            .and_then(VlanId::new)
            .ok_or_else(|| ValueError::OutOfRange {
                expected: "a VLAN number from 1 to 4095",
                got: shown(s),
            })
    }
}

/// `port/mapped_vlan`: -1 (not set) or a VLAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MappedVlan {
    /// -1 on the wire.
    NotSet,
    /// A mapped VLAN.
    Vlan(VlanId),
}

impl fmt::Display for MappedVlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MappedVlan::NotSet => f.write_str("-1"),
            MappedVlan::Vlan(v) => v.fmt(f),
        }
    }
}

impl FromStr for MappedVlan {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        if s.trim() == "-1" {
            return Ok(MappedVlan::NotSet);
        }
        s.parse::<VlanId>()
            .map(MappedVlan::Vlan)
            .map_err(|_| ValueError::OutOfRange {
                expected: "-1 or a VLAN number from 1 to 4095",
                got: shown(s),
            })
    }
}

/// A comma-separated list of VLANs (`trunk_members`), written without spaces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct VlanList(pub Vec<VlanId>);

impl fmt::Display for VlanList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            v.fmt(f)?;
        }
        Ok(())
    }
}

impl FromStr for VlanList {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(VlanList::default());
        }
        t.split(',')
            .map(|item| {
                item.parse::<VlanId>().map_err(|_| ValueError::OutOfRange {
                    expected: "comma-separated VLAN numbers from 1 to 4095",
                    got: shown(item),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(VlanList)
    }
}

/// `is_trunk`: the spec says "on" enables a trunk and any other string disables it.
pub fn parse_trunk(s: &str) -> bool {
    s.trim().eq_ignore_ascii_case("on")
}

/// The spelling of a trunk flag on the wire.
pub const fn trunk_str(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// A 48-bit MAC address. Parses the four spellings the spec lists (`1A2B3C4D5E6F`,
/// `1A:2B:3C:4D:5E:6F`, `1a2b.3c4d.5e6f`, `1A-2B-3C-4D-5E-6F`) and writes the colon form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacAddr(pub [u8; 6]);

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl FromStr for MacAddr {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let t = s.trim();
        let bad = || ValueError::Malformed {
            problem: format!(
                "expected a MAC address like 1A:2B:3C:4D:5E:6F, 1A-2B-3C-4D-5E-6F, 1a2b.3c4d.5e6f or 1A2B3C4D5E6F, got '{}'",
                shown(s)
            ),
        };
        let hex: String = match t.len() {
            12 => t.to_owned(),
            17 if t.split(':').count() == 6 || t.split('-').count() == 6 => {
                let sep = if t.contains(':') { ':' } else { '-' };
                if t.split(sep).any(|g| g.len() != 2) {
                    return Err(bad());
                }
                t.split(sep).collect()
            }
            14 if t.split('.').count() == 3 && t.split('.').all(|g| g.len() == 4) => {
                t.split('.').collect()
            }
            _ => return Err(bad()),
        };
        if hex.len() != 12 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut out = [0u8; 6];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(MacAddr(out))
    }
}

/// A password, community or passphrase. `Debug` and `Display` print `***`; only
/// [`Secret::expose`] gives the value, so it cannot slip into a log line or an error by accident.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send it to the device.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The host part of `device_params/ip`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// A DNS name (letters, digits, hyphens, dots), resolved by the handler.
    Name(String),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(ip) => ip.fmt(f),
            Host::Name(n) => f.write_str(n),
        }
    }
}

/// `device_params/ip`: a host name or address with an optional port, `host:port` (IPv6 in
/// brackets: `[::1]:1161`). Without a port the protocol's own applies (SNMP 161, IPMI 623).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// Where the device is.
    pub host: Host,
    /// The UDP/TCP port, when the request names one.
    pub port: Option<u16>,
}

impl Endpoint {
    /// The port to use: the request's, or the protocol's default.
    pub fn port_or(&self, default: u16) -> u16 {
        self.port.unwrap_or(default)
    }

    /// `host:port` for a socket address lookup, IPv6 in brackets.
    pub fn socket_string(&self, default_port: u16) -> String {
        match &self.host {
            Host::Ip(IpAddr::V6(v6)) => format!("[{v6}]:{}", self.port_or(default_port)),
            h => format!("{h}:{}", self.port_or(default_port)),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.host, self.port) {
            (Host::Ip(IpAddr::V6(v6)), Some(p)) => write!(f, "[{v6}]:{p}"),
            (h, Some(p)) => write!(f, "{h}:{p}"),
            (h, None) => h.fmt(f),
        }
    }
}

impl FromStr for Endpoint {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let t = s.trim();
        let bad = |why: &str| ValueError::Malformed {
            problem: format!(
                "expected an IP address or host name with an optional :port, got '{}' ({why})",
                shown(s)
            ),
        };
        if t.is_empty() {
            return Err(bad("empty"));
        }
        // Strictly decimal ("+161" is not a port), 1 to 65535.
        let parse_port = |p: &str| -> Result<u16, ValueError> {
            match p.parse::<u16>() {
                Ok(n) if n > 0 && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
                _ => Err(bad("the port must be 1 to 65535, in decimal digits")),
            }
        };
        if t.contains('%') {
            return Err(bad(
                "IPv6 zone indexes such as %eth0 are not supported: use the device's global or unique-local IPv6 address, or its IPv4 address",
            ));
        }
        let unicast = |ip: IpAddr| -> Result<IpAddr, ValueError> {
            let not = match ip {
                IpAddr::V4(v4) if v4.is_broadcast() => Some("the broadcast address"),
                IpAddr::V4(v4) if v4.is_multicast() => Some("a multicast address"),
                IpAddr::V6(v6) if v6.is_multicast() => Some("a multicast address"),
                ip if ip.is_unspecified() => Some("the unspecified address"),
                _ => None,
            };
            match not {
                Some(what) => Err(bad(&format!("{what}: a device has a unicast address"))),
                None => Ok(ip),
            }
        };
        // [v6]:port or [v6]
        if let Some(rest) = t.strip_prefix('[') {
            let (addr, after) = rest.split_once(']').ok_or_else(|| bad("no closing ']'"))?;
            let ip: std::net::Ipv6Addr = addr.parse().map_err(|_| bad("not an IPv6 address"))?;
            unicast(IpAddr::V6(ip))?;
            let port = match after {
                "" => None,
                p => Some(parse_port(
                    p.strip_prefix(':')
                        .ok_or_else(|| bad("text after ']' must be :port"))?,
                )?),
            };
            return Ok(Endpoint {
                host: Host::Ip(IpAddr::V6(ip)),
                port,
            });
        }
        // A bare IPv6 address has several colons and no port.
        if let Ok(ip) = t.parse::<IpAddr>() {
            return Ok(Endpoint {
                host: Host::Ip(unicast(ip)?),
                port: None,
            });
        }
        let (host, port) = match t.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, Some(parse_port(p)?)),
            Some(_) => return Err(bad("an IPv6 address with a port needs brackets")),
            None => (t, None),
        };
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(Endpoint {
                host: Host::Ip(unicast(ip)?),
                port,
            });
        }
        // What inet_aton would read as an address (0x7f.1, 0177.0.0.1, 127.1, 2130706433)
        // is neither a canonical address nor a host name.
        let numeric = |l: &str| {
            !l.is_empty()
                && (l.bytes().all(|b| b.is_ascii_digit())
                    || l.strip_prefix("0x")
                        .or_else(|| l.strip_prefix("0X"))
                        .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())))
        };
        if host.split('.').all(numeric) {
            return Err(bad(
                "not a canonical IPv4 address: write four decimal numbers without leading zeros, such as 10.0.0.5",
            ));
        }
        if !is_dns_name(host) {
            return Err(bad("not an address or a valid host name"));
        }
        Ok(Endpoint {
            host: Host::Name(host.to_ascii_lowercase()),
            port,
        })
    }
}

/// RFC 1123 host name: labels of letters, digits and inner hyphens, at most 253 characters, and
/// not all-numeric (so a mistyped address such as `10.0.0.300` is not taken for a name).
fn is_dns_name(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
        && !s.split('.').all(|l| l.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests;
