//! The VLAN state of ports, whichever MIB it came from, and what every `set_vlan` shares: the
//! request checked against the switch, the refusals, and the read-back until the port shows
//! what was asked.
//!
//! One model for both paths (Q-BRIDGE here, Cisco's VTP MIBs in `cisco-switch`): a port has an
//! access VLAN (on a trunk, its native VLAN: the one its untagged frames belong to), is a trunk
//! or not, and a trunk carries a set of tagged VLANs. `trunk_members` are those tagged VLANs;
//! the native VLAN is not among them (it crosses the trunk untagged), so the same port reads
//! the same on both paths.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use dci_protocol::{Context, Error, PortState, VlanChange, VlanId, VlanList};

use crate::ports::CONFIRM_EVERY;

/// What one port's VLAN state is, as read from the switch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortVlan {
    /// The access VLAN; on a trunk, the native VLAN. `None` when the switch gives none (0 or
    /// 4095, which no VLAN can be).
    pub vlan: Option<u16>,
    /// Whether the port is a trunk.
    pub trunk: bool,
    /// The VLANs a trunk carries tagged (empty on an access port).
    pub members: BTreeSet<u16>,
}

/// The VLANs of a switch and the VLAN state of its ports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vlans {
    /// The VLANs that exist on the switch, with their names where they have one.
    pub exist: BTreeMap<u16, Option<String>>,
    /// Each port's state, by ifIndex.
    pub ports: BTreeMap<u32, PortVlan>,
}

impl Vlans {
    /// Fills the VLAN elements of `p` (whose identity is an ifIndex): `vlan_id`, `vlan_name`,
    /// `is_trunk`, and for a trunk `trunk_members` (ascending, only VLANs that exist). A port
    /// the VLAN tables do not list (a routed port, a VLAN interface) keeps none of them.
    pub fn apply(&self, p: &mut PortState) {
        let Some(v) = p
            .identity
            .parse::<u32>()
            .ok()
            .and_then(|i| self.ports.get(&i))
        else {
            return;
        };
        self.fill(v, p);
    }

    /// Fills the VLAN elements of `p` from `v`.
    pub fn fill(&self, v: &PortVlan, p: &mut PortState) {
        p.vlan_id = v.vlan.and_then(VlanId::new);
        p.vlan_name = v
            .vlan
            .and_then(|id| self.exist.get(&id).cloned().flatten())
            .filter(|n| !n.is_empty());
        p.is_trunk = Some(v.trunk);
        p.trunk_members = v.trunk.then(|| {
            VlanList(
                v.members
                    .iter()
                    .filter(|m| self.exist.contains_key(m))
                    .filter_map(|m| VlanId::new(*m))
                    .collect(),
            )
        });
    }
}

/// What `set_vlan` asks of a port, checked: a VLAN 1..4094, and for a trunk its tagged members
/// (without the native VLAN, which crosses untagged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// The access VLAN; for a trunk, the native VLAN.
    pub vlan: u16,
    /// Its name, when given (used only to create a VLAN).
    pub name: Option<String>,
    /// Whether the port is to be a trunk.
    pub trunk: bool,
    /// The tagged VLANs of a trunk (empty for an access port).
    pub members: BTreeSet<u16>,
}

impl Wanted {
    /// The request's VLAN change, or the refusal of what no switch can do: VLAN 4095 (reserved
    /// by IEEE 802.1Q, "values of 0 and 4095 are not permitted" for a VlanIndex). Private VLANs
    /// are the caller's: [`refuse_private`] where its MIBs have none.
    pub fn from_change(change: &VlanChange) -> Result<Wanted, VlanError> {
        let vlan = change.vlan.get();
        if vlan == 4095 {
            return Err(VlanError::Reserved { vlan });
        }
        if let Some(m) = change.trunk_members.0.iter().find(|m| m.get() == 4095) {
            return Err(VlanError::Reserved { vlan: m.get() });
        }
        let members = if change.trunk {
            change
                .trunk_members
                .0
                .iter()
                .map(|m| m.get())
                .filter(|m| *m != vlan)
                .collect()
        } else {
            BTreeSet::new()
        };
        Ok(Wanted {
            vlan,
            name: change.name.clone().filter(|n| !n.is_empty()),
            trunk: change.trunk,
            members,
        })
    }

    /// Whether `got` is what was asked; `None` if so, else the first field that differs with
    /// both values, in the protocol's words.
    pub fn difference(&self, got: &PortVlan) -> Option<Difference> {
        let show = |m: &BTreeSet<u16>| m.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
        if got.vlan != Some(self.vlan) {
            return Some(Difference {
                field: "vlan_id",
                wanted: self.vlan.to_string(),
                got: got.vlan.map_or_else(|| "none".into(), |v| v.to_string()),
            });
        }
        if got.trunk != self.trunk {
            let s = |t: bool| if t { "on" } else { "off" }.to_owned();
            return Some(Difference {
                field: "is_trunk",
                wanted: s(self.trunk),
                got: s(got.trunk),
            });
        }
        if self.trunk && got.members != self.members {
            return Some(Difference {
                field: "trunk_members",
                wanted: show(&self.members),
                got: show(&got.members),
            });
        }
        None
    }

    /// Refuses trunk members that do not exist on the switch (only the access or native VLAN
    /// may be created by `set_vlan`).
    pub fn check_members(
        &self,
        target: &str,
        exist: impl Fn(u16) -> bool,
    ) -> Result<(), VlanError> {
        match self.members.iter().find(|m| !exist(**m)) {
            Some(&vlan) => Err(VlanError::NoSuchMember {
                target: target.to_owned(),
                vlan,
            }),
            None => Ok(()),
        }
    }
}

/// Refuses a private VLAN request (`vlan_pvlan` 1, 2 or 3) on a switch whose MIBs have none,
/// saying `why`, before anything is written.
pub fn refuse_private(change: &VlanChange, why: &'static str) -> Result<(), VlanError> {
    match change.pvlan {
        Some(p) if p != dci_protocol::PvlanType::None => Err(VlanError::PrivateVlan { why }),
        _ => Ok(()),
    }
}

/// The first field in which a port differs from what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// `vlan_id`, `is_trunk` or `trunk_members`.
    pub field: &'static str,
    /// What was asked.
    pub wanted: String,
    /// What the switch reports.
    pub got: String,
}

/// Why a `set_vlan` is refused or did not take.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VlanError {
    /// VLAN 4095 is reserved.
    #[error(
        "VLAN {vlan} is reserved (IEEE 802.1Q keeps 4095 for implementations; a port's VLAN is 1 to 4094)"
    )]
    Reserved {
        /// The VLAN.
        vlan: u16,
    },
    /// A trunk member does not exist on the switch.
    #[error("{target} has no VLAN {vlan}: a trunk carries only VLANs that exist on the switch")]
    NoSuchMember {
        /// `host:port`.
        target: String,
        /// The VLAN.
        vlan: u16,
    },
    /// The port is not a member of the switch's bridge.
    #[error(
        "{target}: the interface with ifIndex {if_index} is not a bridge port (dot1dBasePortIfIndex lists no port for it), so it has no VLAN"
    )]
    NotBridgePort {
        /// `host:port`.
        target: String,
        /// The ifIndex.
        if_index: u32,
    },
    /// The switch has no VLAN tables this handler can write.
    #[error("{target} has none of the VLAN tables this handler writes ({tables})")]
    NoVlanTables {
        /// `host:port`.
        target: String,
        /// The tables looked for.
        tables: &'static str,
    },
    /// The VLAN does not exist and cannot be created here.
    #[error("{target} has no VLAN {vlan} and it cannot be created: {why}")]
    CannotCreate {
        /// `host:port`.
        target: String,
        /// The VLAN.
        vlan: u16,
        /// Why.
        why: String,
    },
    /// The VLAN exists but cannot carry ports.
    #[error("{target}: VLAN {vlan} cannot take ports: {why}")]
    Unusable {
        /// `host:port`.
        target: String,
        /// The VLAN.
        vlan: u16,
        /// Why (its state or type).
        why: String,
    },
    /// Private VLANs are not written here.
    #[error("private VLANs (vlan_pvlan 1, 2 or 3) are refused: {why}; nothing was written")]
    PrivateVlan {
        /// Why.
        why: &'static str,
    },
    /// The switch is known to refuse VLAN writes over SNMP.
    #[error(
        "{target} is {device}, which does not change VLANs over SNMP ({why}); nothing was written"
    )]
    ReadOnly {
        /// `host:port`.
        target: String,
        /// The device family.
        device: &'static str,
        /// Why, with the source.
        why: &'static str,
    },
    /// The switch accepted the SETs but the port never showed the change.
    #[error(
        "{target} accepted the change of port {if_index}, but after {waited_ms} ms its {} still reads {} (wanted {})",
        difference.field,
        difference.got,
        difference.wanted
    )]
    NotConfirmed {
        /// `host:port`.
        target: String,
        /// The port.
        if_index: u32,
        /// The first field that differs.
        difference: Difference,
        /// How long the read-back went on.
        waited_ms: u128,
    },
}

impl From<VlanError> for Error {
    fn from(e: VlanError) -> Error {
        Error::unexpected_data(e)
    }
}

/// Reads the port with `read` until it shows `want` or the confirmation limit (never beyond
/// the call's deadline) passes, every [`CONFIRM_EVERY`]; answers with the state read. The first
/// read comes at once.
pub async fn confirm<F, Fut>(
    cx: &Context,
    target: &str,
    if_index: u32,
    want: &Wanted,
    read: F,
) -> Result<PortVlan, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<PortVlan, Error>>,
{
    confirm_with(cx, target, if_index, read, |got| want.difference(got)).await
}

/// [`confirm`] of any state: `difference` names the first field of what `read` returns that
/// is not yet what was asked.
pub async fn confirm_with<T, F, Fut>(
    cx: &Context,
    target: &str,
    if_index: u32,
    mut read: F,
    difference: impl Fn(&T) -> Option<Difference>,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let started = Instant::now();
    let until = started + cx.limits().confirm.min(cx.remaining());
    loop {
        let got = read().await?;
        let Some(difference) = difference(&got) else {
            tracing::debug!(
                if_index,
                waited_ms = started.elapsed().as_millis() as u64,
                "VLAN change confirmed"
            );
            return Ok(got);
        };
        if Instant::now() + CONFIRM_EVERY > until {
            return Err(VlanError::NotConfirmed {
                target: target.to_owned(),
                if_index,
                difference,
                waited_ms: started.elapsed().as_millis(),
            }
            .into());
        }
        tokio::time::sleep(CONFIRM_EVERY).await;
    }
}

/// A switch family known to refuse VLAN writes over SNMP, by sysObjectID prefix.
#[derive(Debug, Clone, Copy)]
pub struct ReadOnlyFamily {
    /// sysObjectID prefix.
    pub prefix: &'static [u32],
    /// The family's name.
    pub device: &'static str,
    /// Why, with the source.
    pub why: &'static str,
    /// The first software version that does write (matched in sysDescr), if any.
    pub writes_from: Option<(u32, u32)>,
}

/// Switches that answer VLAN writes over SNMP with an error, or not at all, found in the open
/// tools' drivers (`../shared/research/switch-vlan-mac.md` §1.2, §5).
pub const READ_ONLY: &[ReadOnlyFamily] = &[
    ReadOnlyFamily {
        prefix: &[1, 3, 6, 1, 4, 1, 2636],
        device: "a Juniper switch",
        why: "Junos changes VLANs through its own configuration, not SNMP: OpenL2M's Juniper driver \"JUNOS devices are Read-Only for SNMP\"",
        writes_from: None,
    },
    ReadOnlyFamily {
        prefix: &[1, 3, 6, 1, 4, 1, 9, 12, 3],
        device: "a Cisco NX-OS switch",
        why: "NX-OS is driven through NX-API; its SNMP VLAN objects are read-only",
        writes_from: None,
    },
    ReadOnlyFamily {
        prefix: &[1, 3, 6, 1, 4, 1, 47196, 4, 1, 1],
        device: "an Aruba AOS-CX switch before 10.12",
        why: "AOS-CX writes dot1qPvid over SNMP only from firmware 10.12 (OpenL2M aruba_cx)",
        writes_from: Some((10, 12)),
    },
];

/// The family of [`READ_ONLY`] the switch belongs to, if it does and its software (read from
/// sysDescr: the first `N.M` after a letter-dot prefix such as `FL.10.16`) is too old.
pub fn read_only(object_id: &[u32], descr: &str) -> Option<&'static ReadOnlyFamily> {
    READ_ONLY.iter().find(|f| {
        object_id.starts_with(f.prefix)
            && match f.writes_from {
                None => true,
                Some(min) => version(descr).is_none_or(|v| v < min),
            }
    })
}

/// The first "major.minor" version in a sysDescr: two numbers in a row among the dot-separated
/// parts of a word (AOS-CX: "… FL.10.16.1001" is 10.16).
fn version(descr: &str) -> Option<(u32, u32)> {
    descr.split_whitespace().find_map(|word| {
        let parts: Vec<&str> = word.split('.').collect();
        parts.windows(2).find_map(|w| {
            let num = |p: &str| {
                (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse::<u32>().ok())
                    .flatten()
            };
            Some((num(w[0])?, num(w[1])?))
        })
    })
}

/// VLAN ids as the protocol lists them, for logs.
pub fn list(set: &BTreeSet<u16>) -> String {
    set.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aos_cx_writes_from_10_12() {
        let cx = [1, 3, 6, 1, 4, 1, 47196, 4, 1, 1, 1, 100];
        assert!(read_only(&cx, "Aruba JL658A 6300M ... FL.10.08.1010").is_some());
        assert!(read_only(&cx, "Aruba JL658A 6300M FL.10.16.1001").is_none());
        assert!(read_only(&cx, "no version here").is_some());
        assert!(read_only(&[1, 3, 6, 1, 4, 1, 2636, 1, 1, 1, 4, 82, 5], "").is_some());
        assert!(read_only(&[1, 3, 6, 1, 4, 1, 9, 1, 516], "").is_none());
        assert_eq!(version("ArubaOS-CX FL.10.16.1001"), Some((10, 16)));
        assert_eq!(version("Version 15.2(4)E10"), None);
    }

    #[test]
    fn wanted_drops_the_native_vlan_from_members_and_refuses_4095() {
        let change = |vlan: u16, trunk: bool, members: &str| VlanChange {
            vlan: VlanId::new(vlan).unwrap(),
            name: None,
            trunk,
            trunk_members: members.parse().unwrap(),
            pvlan: None,
            mapped: None,
        };
        let w = Wanted::from_change(&change(10, true, "10,20,30")).unwrap();
        assert_eq!(w.members, BTreeSet::from([20, 30]));
        let w = Wanted::from_change(&change(10, false, "20")).unwrap();
        assert!(w.members.is_empty());
        assert!(matches!(
            Wanted::from_change(&change(4095, false, "")),
            Err(VlanError::Reserved { vlan: 4095 })
        ));
        assert!(matches!(
            Wanted::from_change(&change(5, true, "4095")),
            Err(VlanError::Reserved { vlan: 4095 })
        ));
    }

    #[test]
    fn the_first_difference_is_named() {
        let w = Wanted {
            vlan: 10,
            name: None,
            trunk: true,
            members: BTreeSet::from([20]),
        };
        let got = PortVlan {
            vlan: Some(10),
            trunk: true,
            members: BTreeSet::from([20, 30]),
        };
        let d = w.difference(&got).unwrap();
        assert_eq!(
            (d.field, d.wanted.as_str(), d.got.as_str()),
            ("trunk_members", "20", "20,30")
        );
        let d = w
            .difference(&PortVlan {
                vlan: Some(5),
                ..got.clone()
            })
            .unwrap();
        assert_eq!(d.field, "vlan_id");
        assert!(
            w.difference(&PortVlan {
                members: BTreeSet::from([20]),
                ..got
            })
            .is_none()
        );
    }
}
