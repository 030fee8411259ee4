//! `mac_list` on Cisco IOS and IOS-XE: the bridge tables exist once per VLAN, each reached as
//! its own instance of the agent (community `COMMUNITY@VLAN` on v1/v2c, context `vlan-VLAN` on
//! v3, or what ENTITY-MIB's entLogicalTable names for it).
//!
//! Which VLANs: those a port uses (access VLAN, native VLAN, trunk member) that vtpVlanTable says
//! are operational and of type ethernet, never 1002–1005 ("any attempt to query the BRIDGE-MIB for
//! these VLANs will time out", Uninett/nav#842). In the shared `cisco-c3750` recording 274 VLANs
//! are operational and 6 used: reading only those is the difference between seconds and minutes.
//!
//! Bounded: a few VLAN instances in flight at once (`DCIH_MAC_VLANS_IN_FLIGHT`, default 8), each
//! its own session with no retries, so the first timeout of a VLAN ends that VLAN and not the
//! call; every session ends at the call's deadline. The answer holds every VLAN that answered;
//! those that did not are named in one warning line; none answering is a `connection` error.
//! A Cisco without the VTP MIBs (Small Business) has one Q-BRIDGE table, read as `snmp-switch`
//! reads it.

use std::collections::{BTreeMap, BTreeSet};

use dci_protocol::{Context, Error, Limits, Response, SnmpAuth};
use futures_util::stream::{self, StreamExt};
use snmp_core::{Instance, Session, SnmpError, Value};
use switch_core::mac::{self, Learned};
use switch_core::oids::if_table;

use crate::oids::vtp_vlan;
use crate::vtp;

/// Variables read besides the runtime's limits.
pub mod env {
    /// How many VLAN instances are read at once (1 to 32). Default 8.
    pub const VLANS_IN_FLIGHT: &str = "DCIH_MAC_VLANS_IN_FLIGHT";
}

const DEFAULT_IN_FLIGHT: usize = 8;

/// ENTITY-MIB entLogicalTable (1.3.6.1.2.1.47.1.2.1.1): the switch's own list of its logical
/// entities, a bridge per VLAN with the community or context that reaches it.
mod ent_logical {
    /// entLogicalType: the MIB the entity implements (BRIDGE-MIB for a VLAN's bridge).
    pub const TYPE: &[u32] = &[1, 3, 6, 1, 2, 1, 47, 1, 2, 1, 1, 3];
    /// entLogicalCommunity: the community that reaches it (a secret).
    pub const COMMUNITY: &[u32] = &[1, 3, 6, 1, 2, 1, 47, 1, 2, 1, 1, 4];
    /// entLogicalContextName: the SNMPv3 context that reaches it.
    pub const CONTEXT_NAME: &[u32] = &[1, 3, 6, 1, 2, 1, 47, 1, 2, 1, 1, 8];
    /// BRIDGE-MIB's OID, the type of a VLAN's bridge.
    pub const BRIDGE_MIB: &[u32] = &[1, 3, 6, 1, 2, 1, 17];
}

/// How entLogicalTable says a VLAN's bridge is reached.
#[derive(Clone, Default, PartialEq, Eq)]
struct Logical {
    community: Option<String>,
    context: Option<String>,
}

/// `mac_list`: see the module docs.
pub async fn mac_list(cx: &Context) -> Result<Response, Error> {
    let s = Session::for_call(cx).await?;
    let mut columns = vec![if_table::DESCR];
    columns.extend_from_slice(vtp::STATUS_COLUMNS);
    columns.extend_from_slice(&[
        vtp_vlan::STATE,
        vtp_vlan::TYPE,
        ent_logical::TYPE,
        ent_logical::COMMUNITY,
        ent_logical::CONTEXT_NAME,
    ]);
    let t = s.table(&columns).await?;
    let interfaces: BTreeSet<u32> = t
        .rows()
        .filter(|r| r.index.len() == 1 && r.value(0).is_some())
        .map(|r| r.index[0])
        .collect();
    let at = 1 + vtp::STATUS_COLUMNS.len();
    let Some(vlans) = vtp::read(&s, &t, 1).await? else {
        // No VTP tables: one bridge, Q-BRIDGE's or BRIDGE-MIB's, as any switch.
        let (learned, _) = mac::read(&s, None, false).await?;
        return Ok(answer(&learned, &interfaces));
    };
    // Operational ethernet VLANs outside 1002–1005.
    let usable: BTreeSet<u16> = t
        .rows()
        .filter(|r| r.index.len() == 2)
        .filter(|r| {
            r.integer(at).ok().flatten() == Some(1) && r.integer(at + 1).ok().flatten() == Some(1)
        })
        .filter_map(|r| u16::try_from(r.index[1]).ok())
        .filter(|v| !(1002..=1005).contains(v))
        .collect();
    let used: BTreeSet<u16> = vlans
        .ports
        .values()
        .flat_map(|p| p.vlan.into_iter().chain(p.members.iter().copied()))
        .filter(|v| usable.contains(v))
        .collect();
    let logical = logical_instances(&t, at + 2);
    let reach: Vec<(u16, String)> = used
        .iter()
        .map(|&v| (v, reach(cx, v, logical.get(&v))))
        .collect();
    tracing::debug!(vlans = ?used, skipped = usable.len() - used.len(), "VLAN bridge instances to read");
    if reach.is_empty() {
        // No VLAN a port uses is in vtpVlanTable (or there is none): the default instance's
        // table is all the switch offers.
        let (learned, _) = mac::read(&s, None, false).await?;
        return Ok(answer(&learned, &interfaces));
    }
    drop(s);
    let (learned, silent) = read_instances(cx, &reach).await?;
    if !silent.is_empty() {
        tracing::warn!(
            vlans = %silent.iter().map(|(v, e)| format!("{v} ({e})")).collect::<Vec<_>>().join(", "),
            "these VLANs' bridge instances did not answer; their MACs are not in the answer"
        );
    }
    Ok(answer(&learned, &interfaces))
}

fn answer(learned: &Learned, interfaces: &BTreeSet<u32>) -> Response {
    Response {
        hostname: None,
        ports: learned.ports(interfaces),
        params: vec![],
    }
}

/// VLAN → how entLogicalTable says its bridge is reached: rows of type BRIDGE-MIB whose
/// community ends in `@VLAN` (NUL bytes dropped: "communities with null bytes … will be
/// filtered", NAV), with their context name.
fn logical_instances(t: &snmp_core::Table, at: usize) -> BTreeMap<u16, Logical> {
    let mut out = BTreeMap::new();
    for r in t.rows().filter(|r| r.index.len() == 1) {
        let is_bridge =
            matches!(r.value(at), Some(Value::ObjectId(o)) if o.arcs() == ent_logical::BRIDGE_MIB);
        let community = r
            .value(at + 1)
            .and_then(Value::as_bytes)
            .map(|b| String::from_utf8_lossy(b).replace('\0', ""));
        let (true, Some(community)) = (is_bridge, community) else {
            continue;
        };
        let Some(vlan) = community
            .rsplit_once('@')
            .and_then(|(_, v)| v.parse::<u16>().ok())
        else {
            continue;
        };
        let context = r
            .value(at + 2)
            .and_then(Value::as_text)
            .filter(|c| !c.is_empty());
        out.insert(
            vlan,
            Logical {
                community: Some(community),
                context,
            },
        );
    }
    out
}

/// The community (v1/v2c) or context (v3) that reaches VLAN `vlan`'s bridge: what
/// entLogicalTable says, else `COMMUNITY@VLAN` or `vlan-VLAN` (the `context vlan- match prefix`
/// IOS needs for v3, ansible-collections/cisco.ios#809).
fn reach(cx: &Context, vlan: u16, logical: Option<&Logical>) -> String {
    let logical = logical.cloned().unwrap_or_default();
    match &cx.device().snmp {
        Some(SnmpAuth::V1 { community } | SnmpAuth::V2c { community }) => logical
            .community
            .unwrap_or_else(|| format!("{}@{vlan}", community.expose())),
        _ => logical.context.unwrap_or_else(|| format!("vlan-{vlan}")),
    }
}

/// Reads the VLAN instances, a few at a time, each with no retries; returns what answered and,
/// for each VLAN that did not, why. None answering (of at least one) is a `connection` error.
async fn read_instances(
    cx: &Context,
    reach: &[(u16, String)],
) -> Result<(Learned, Vec<(u16, String)>), Error> {
    let in_flight = in_flight()?;
    let limits = Limits {
        retries: 0,
        ..*cx.limits()
    };
    let device = cx.device();
    let v3 = matches!(device.snmp, Some(SnmpAuth::V3(_)));
    let results: Vec<(u16, Result<Learned, SnmpError>)> = stream::iter(reach.iter())
        .map(|(vlan, how)| async move {
            let instance = if v3 {
                Instance::Context(how)
            } else {
                Instance::Community(how)
            };
            let read = async {
                let s = Session::open_instance(device, &limits, cx.deadline(), instance).await?;
                mac::read_bridge_mib(&s, Some(*vlan)).await
            };
            (*vlan, read.await)
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    let mut learned = Learned::default();
    let mut silent = Vec::new();
    let mut last_error = None;
    for (vlan, r) in results {
        match r {
            Ok(l) => learned.merge(l),
            Err(e) => {
                silent.push((vlan, short(&e)));
                last_error = Some(e);
            }
        }
    }
    silent.sort();
    if let Some(e) = last_error
        && silent.len() == reach.len()
    {
        return Err(Error::connection(e));
    }
    Ok((learned, silent))
}

/// The cause of a VLAN's failure in a few words (the text of an SnmpError names the agent, the
/// same for every VLAN).
fn short(e: &SnmpError) -> String {
    match e {
        SnmpError::NoAnswer { .. } => "no answer".into(),
        SnmpError::Deadline { .. } => "the call's deadline".into(),
        other => other.to_string(),
    }
}

fn in_flight() -> Result<usize, Error> {
    match std::env::var(env::VLANS_IN_FLIGHT) {
        Err(_) => Ok(DEFAULT_IN_FLIGHT),
        Ok(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=32).contains(n))
            .ok_or_else(|| {
                SnmpError::Config {
                    reason: format!(
                        "environment variable {}: expected a number from 1 to 32, got '{v}'",
                        env::VLANS_IN_FLIGHT
                    ),
                }
                .into()
            }),
    }
}
