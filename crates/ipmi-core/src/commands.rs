//! The IPMI commands this crate sends, and typed answers to the ones a handler reads: Get
//! Device ID (IPMI v2.0, section 20.1), Get Chassis Status (28.2) and Chassis Control (28.3).

use crate::msg::Command;
use crate::{IpmiError, Session};

/// Get Device ID: NetFn App, command 0x01.
pub const GET_DEVICE_ID: Command = Command {
    netfn: 0x06,
    cmd: 0x01,
    name: "Get Device ID",
};
/// Get Channel Authentication Capabilities: NetFn App, command 0x38. Sent outside a session.
pub const GET_CHANNEL_AUTH_CAPABILITIES: Command = Command {
    netfn: 0x06,
    cmd: 0x38,
    name: "Get Channel Authentication Capabilities",
};
/// Get Channel Cipher Suites: NetFn App, command 0x54. Sent outside a session (RMCP+).
pub const GET_CHANNEL_CIPHER_SUITES: Command = Command {
    netfn: 0x06,
    cmd: 0x54,
    name: "Get Channel Cipher Suites",
};
/// Get Session Challenge (IPMI 1.5): NetFn App, command 0x39.
pub const GET_SESSION_CHALLENGE: Command = Command {
    netfn: 0x06,
    cmd: 0x39,
    name: "Get Session Challenge",
};
/// Activate Session (IPMI 1.5): NetFn App, command 0x3A.
pub const ACTIVATE_SESSION: Command = Command {
    netfn: 0x06,
    cmd: 0x3A,
    name: "Activate Session",
};
/// Set Session Privilege Level: NetFn App, command 0x3B.
pub const SET_SESSION_PRIVILEGE: Command = Command {
    netfn: 0x06,
    cmd: 0x3B,
    name: "Set Session Privilege Level",
};
/// Close Session: NetFn App, command 0x3C.
pub const CLOSE_SESSION: Command = Command {
    netfn: 0x06,
    cmd: 0x3C,
    name: "Close Session",
};
/// Get Chassis Status: NetFn Chassis, command 0x01.
pub const GET_CHASSIS_STATUS: Command = Command {
    netfn: 0x00,
    cmd: 0x01,
    name: "Get Chassis Status",
};
/// Chassis Control: NetFn Chassis, command 0x02.
pub const CHASSIS_CONTROL: Command = Command {
    netfn: 0x00,
    cmd: 0x02,
    name: "Chassis Control",
};

/// The answer to Get Device ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceId {
    /// Device ID.
    pub device_id: u8,
    /// Device revision (low nibble).
    pub revision: u8,
    /// Firmware major revision (7 bits).
    pub firmware_major: u8,
    /// Firmware minor revision, decoded from BCD (0 to 99).
    pub firmware_minor: u8,
    /// IPMI version: major, minor.
    pub ipmi_version: (u8, u8),
    /// IANA enterprise number of the manufacturer (20 bits).
    pub manufacturer: u32,
    /// Product ID.
    pub product: u16,
}

impl DeviceId {
    /// Decodes the response data (after the completion code): at least 11 bytes.
    pub fn parse(target: &str, d: &[u8]) -> Result<DeviceId, IpmiError> {
        GET_DEVICE_ID.need(target, d, 11)?;
        let bcd = |b: u8| (b >> 4) * 10 + (b & 0x0F);
        Ok(DeviceId {
            device_id: d[0],
            revision: d[1] & 0x0F,
            firmware_major: d[2] & 0x7F,
            firmware_minor: bcd(d[3]),
            ipmi_version: (d[4] & 0x0F, d[4] >> 4),
            manufacturer: u32::from_le_bytes([d[6], d[7], d[8] & 0x0F, 0]),
            product: u16::from_le_bytes([d[9], d[10]]),
        })
    }

    /// What an operator recognizes: "Supermicro BMC, product 0x1234, firmware 3.10, IPMI 2.0".
    pub fn describe(&self) -> String {
        let maker = match manufacturer_name(self.manufacturer) {
            Some(name) => format!("{name} BMC"),
            None => format!("BMC of IANA enterprise {}", self.manufacturer),
        };
        format!(
            "{maker}, product {:#06x}, firmware {}.{:02}, IPMI {}.{}",
            self.product,
            self.firmware_major,
            self.firmware_minor,
            self.ipmi_version.0,
            self.ipmi_version.1
        )
    }
}

/// The BMC makers an operator meets most, by IANA private enterprise number (the IANA
/// registry's numbers; Get Device ID carries the number only).
pub fn manufacturer_name(iana: u32) -> Option<&'static str> {
    Some(match iana {
        2 => "IBM",
        11 => "HP",
        343 => "Intel",
        674 => "Dell",
        2011 => "Huawei",
        4753 => "MontaVista (OpenIPMI)",
        5771 => "Cisco",
        7244 => "Quanta",
        10368 => "Fujitsu",
        10876 => "Supermicro",
        19046 => "Lenovo",
        _ => return None,
    })
}

/// The answer to Get Chassis Status: the current power state byte, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChassisStatus {
    /// Bit 0: system power is on.
    pub power_on: bool,
    /// Bit 1: power overload.
    pub overload: bool,
    /// Bit 2: interlock.
    pub interlock: bool,
    /// Bit 3: power fault.
    pub power_fault: bool,
    /// Bit 4: power control fault (the controller tried and failed).
    pub control_fault: bool,
}

impl ChassisStatus {
    /// Decodes the response data: at least 3 bytes (current power state, last power event,
    /// misc chassis state).
    pub fn parse(target: &str, d: &[u8]) -> Result<ChassisStatus, IpmiError> {
        GET_CHASSIS_STATUS.need(target, d, 3)?;
        let b = d[0];
        Ok(ChassisStatus {
            power_on: b & 0x01 != 0,
            overload: b & 0x02 != 0,
            interlock: b & 0x04 != 0,
            power_fault: b & 0x08 != 0,
            control_fault: b & 0x10 != 0,
        })
    }
}

/// What Chassis Control asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChassisControl {
    /// 0: power down (hard, no shutdown of the OS).
    PowerDown,
    /// 1: power up.
    PowerUp,
    /// 2: power cycle.
    PowerCycle,
    /// 3: hard reset.
    HardReset,
}

impl ChassisControl {
    /// The request data byte.
    pub const fn to_wire(self) -> u8 {
        match self {
            ChassisControl::PowerDown => 0,
            ChassisControl::PowerUp => 1,
            ChassisControl::PowerCycle => 2,
            ChassisControl::HardReset => 3,
        }
    }

    /// As error texts name it.
    pub const fn name(self) -> &'static str {
        match self {
            ChassisControl::PowerDown => "power down",
            ChassisControl::PowerUp => "power up",
            ChassisControl::PowerCycle => "power cycle",
            ChassisControl::HardReset => "hard reset",
        }
    }
}

/// Get Device ID.
pub fn get_device_id(s: &mut Session) -> Result<DeviceId, IpmiError> {
    let d = s.call(&GET_DEVICE_ID, &[])?;
    DeviceId::parse(s.target(), &d)
}

/// Get Chassis Status.
pub fn get_chassis_status(s: &mut Session) -> Result<ChassisStatus, IpmiError> {
    let d = s.call(&GET_CHASSIS_STATUS, &[])?;
    ChassisStatus::parse(s.target(), &d)
}

/// Chassis Control (needs an OPERATOR session). A command that may have been carried out is
/// not sent again past its tries (a hard reset twice is not one reset): the caller reads the
/// state instead.
pub fn chassis_control(s: &mut Session, what: ChassisControl) -> Result<(), IpmiError> {
    s.once(|s| s.call(&CHASSIS_CONTROL, &[what.to_wire()]).map(|_| ()))
}

#[cfg(test)]
mod tests;
