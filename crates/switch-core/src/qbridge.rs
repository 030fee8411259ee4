//! VLANs through the standard Q-BRIDGE-MIB (RFC 4363), for any vendor: reading them in the
//! `status` walk and `set_vlan` by rewriting the static membership lists.
//!
//! Reading. PortLists count bridge ports (`dot1dBasePort`), which BRIDGE-MIB's
//! dot1dBasePortIfIndex ties to interfaces; bits of ports it does not list are ignored (agents
//! pad, and two shared recordings carry corrupted octets past the real ports). A port's VLAN is
//! dot1qPvid; membership comes from dot1qVlanStaticTable, else from dot1qVlanCurrentTable, whose
//! index starts with a time mark (walked, the newest mark of each VLAN kept). A port tagged in
//! some VLAN (in its egress list, not its untagged list) is a trunk carrying those VLANs. Juniper
//! answers PortLists as ASCII "0,4097,4099"; such lists are read too.
//!
//! Writing, in the order the best open tools found safe (`docs/handlers/snmp-switch.md`): the
//! port joins the new VLAN (egress, then untagged) and leaves its old one (untagged, then
//! egress) in ONE SET, adds before removes, so the port is never in no VLAN; dot1qPvid is set if
//! it did not follow; then the port leaves every VLAN where it is still tagged. A trunk is one
//! SET: native VLAN untagged, members tagged, the rest left. An agent that refuses the single
//! SET gets the same bindings one by one, in that order.

use std::collections::{BTreeMap, BTreeSet};

use dci_protocol::{Context, Error, PortId, PortState, VlanChange};
use snmp_core::{Session, SnmpError, Table, Value};

use crate::bits;
use crate::oids::{BASE_PORT_IF_INDEX, SYS_DESCR, SYS_OBJECT_ID, if_table, qbridge};
use crate::ports::{PortError, if_index};
use crate::vlan::{self, PortVlan, VlanError, Vlans, Wanted};

/// The Q-BRIDGE columns a `status` walk carries (after the handler's own).
pub const STATUS_COLUMNS: &[&[u32]] = &[
    BASE_PORT_IF_INDEX,
    qbridge::PVID,
    qbridge::STATIC_NAME,
    qbridge::STATIC_EGRESS,
    qbridge::STATIC_UNTAGGED,
];
const Q_BASE_PORT: usize = 0;
const Q_PVID: usize = 1;
const Q_NAME: usize = 2;
const Q_EGRESS: usize = 3;
const Q_UNTAGGED: usize = 4;

/// dot1qVlanStaticRowStatus createAndGo(4), and active(1).
const CREATE_AND_GO: i64 = 4;

/// Up to this many VLANs, a port's membership is read back by one GET of their two lists;
/// beyond, by a walk of the lists.
const READ_BACK_BY_GET: usize = 30;

/// One VLAN's membership lists, as the agent gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Lists {
    egress: Vec<u8>,
    untagged: Vec<u8>,
}

/// The Q-BRIDGE state of a switch as read.
#[derive(Debug, Clone, Default)]
pub struct Bridge {
    /// Bridge port → ifIndex.
    ports: BTreeMap<u32, u32>,
    /// dot1qPvid by bridge port, with the type the agent used (some send INTEGER).
    pvid: BTreeMap<u32, Value>,
    /// Every VLAN the switch lists, with its name where dot1qVlanStaticName gives one.
    names: BTreeMap<u16, Option<String>>,
    /// Membership lists by VLAN.
    lists: BTreeMap<u16, Lists>,
    /// Whether the lists are the static (writable) ones.
    is_static: bool,
}

impl Bridge {
    /// The Q-BRIDGE state from a walk holding [`STATUS_COLUMNS`] at column `at`, completed by a
    /// walk of dot1qVlanCurrentTable when the static table lists no membership. `None` when the
    /// switch has no Q-BRIDGE VLAN object at all.
    pub async fn read(s: &Session, t: &Table, at: usize) -> Result<Option<Bridge>, SnmpError> {
        let mut b = Bridge::from_table(t, at)?;
        if b.lists.is_empty() {
            b.add_current(s).await?;
        }
        let any = !b.pvid.is_empty() || !b.names.is_empty();
        Ok(any.then_some(b))
    }

    /// The Q-BRIDGE state from a walk holding [`STATUS_COLUMNS`] at column `at`, as it is
    /// (no current table read).
    fn from_table(t: &Table, at: usize) -> Result<Bridge, SnmpError> {
        let mut b = Bridge {
            is_static: true,
            ..Bridge::default()
        };
        for row in t.rows().filter(|r| r.index.len() == 1) {
            let i = row.index[0];
            if let Some(if_index) = row.integer(at + Q_BASE_PORT)?
                && let Ok(if_index) = u32::try_from(if_index)
                && if_index > 0
            {
                b.ports.insert(i, if_index);
            }
            if let Some(v) = row.value(at + Q_PVID) {
                b.pvid.insert(i, v.clone());
            }
            let Ok(vlan) = u16::try_from(i) else { continue };
            if row.value(at + Q_NAME).is_some() || row.value(at + Q_EGRESS).is_some() {
                b.names
                    .insert(vlan, row.text(at + Q_NAME)?.map(|n| n.replace('\0', "")));
            }
            if let Some(egress) = row.value(at + Q_EGRESS).and_then(Value::as_bytes) {
                let untagged = row
                    .value(at + Q_UNTAGGED)
                    .and_then(Value::as_bytes)
                    .unwrap_or_default();
                b.lists.insert(
                    vlan,
                    Lists {
                        egress: egress.to_vec(),
                        untagged: untagged.to_vec(),
                    },
                );
            }
        }
        // BRIDGE-MIB absent: bridge port numbers are taken for ifIndexes, as LibreNMS and
        // OpenL2M do ("if vendor messed up, assume base port = ifIndex").
        if b.ports.is_empty() {
            b.ports = b.pvid.keys().map(|&p| (p, p)).collect();
        }
        Ok(b)
    }

    /// dot1qVlanCurrentTable: indexed by dot1qVlanTimeMark.dot1qVlanIndex; the newest time
    /// mark of each VLAN is kept (agents with non-zero marks make a GET of mark 0 miss).
    async fn add_current(&mut self, s: &Session) -> Result<(), SnmpError> {
        let columns: &[&[u32]] = &[qbridge::CURRENT_EGRESS, qbridge::CURRENT_UNTAGGED];
        let t = s.table(columns).await?;
        let mut newest: BTreeMap<u16, u32> = BTreeMap::new();
        for row in t.rows() {
            let [mark, vlan] = row.index else { continue };
            let Ok(vlan) = u16::try_from(*vlan) else {
                continue;
            };
            if newest.get(&vlan).is_some_and(|m| *m > *mark) {
                continue;
            }
            newest.insert(vlan, *mark);
            let bytes = |c: usize| row.value(c).and_then(Value::as_bytes).unwrap_or_default();
            self.lists.insert(
                vlan,
                Lists {
                    egress: bytes(0).to_vec(),
                    untagged: bytes(1).to_vec(),
                },
            );
            self.names.entry(vlan).or_insert(None);
        }
        self.is_static = false;
        Ok(())
    }

    /// The bridge ports a list names: bits (or Juniper's text) of known bridge ports only.
    fn members(&self, list: &[u8]) -> BTreeSet<u32> {
        let known = |p: u32| self.ports.contains_key(&p);
        bits::text_list(list, known).unwrap_or_else(|| {
            bits::decode(list, 1)
                .into_iter()
                .filter(|p| known(*p))
                .collect()
        })
    }

    /// The VLAN state of bridge port `bp`.
    fn port(&self, bp: u32) -> PortVlan {
        let mut untagged_in = BTreeSet::new();
        let mut members = BTreeSet::new();
        for (&vlan, l) in &self.lists {
            let untagged = self.members(&l.untagged).contains(&bp);
            if untagged {
                untagged_in.insert(vlan);
            } else if self.members(&l.egress).contains(&bp) {
                members.insert(vlan);
            }
        }
        let pvid = self
            .pvid
            .get(&bp)
            .and_then(Value::as_unsigned)
            .and_then(|v| u16::try_from(v).ok())
            .filter(|v| (1..=4094).contains(v));
        PortVlan {
            vlan: pvid.or_else(|| untagged_in.first().copied()),
            trunk: !members.is_empty(),
            members,
        }
    }

    /// Every bridge port's VLAN state, by ifIndex, and the VLANs of the switch.
    pub fn vlans(&self) -> Vlans {
        Vlans {
            exist: self.names.clone(),
            ports: self
                .ports
                .iter()
                .map(|(&bp, &if_index)| (if_index, self.port(bp)))
                .collect(),
        }
    }

    /// The bridge port of interface `if_index`.
    fn bridge_port(&self, if_index: u32) -> Option<u32> {
        self.ports
            .iter()
            .find(|(_, i)| **i == if_index)
            .map(|(bp, _)| *bp)
    }
}

/// `set_vlan` through Q-BRIDGE-MIB (see the module docs for the order of the writes). Everything
/// is checked before the first SET: the port is a bridge port, the switch is not one known to
/// refuse, the static table exists, every trunk member exists. A VLAN that does not exist is
/// created with its name first (one SET of dot1qVlanStaticName and RowStatus createAndGo) and
/// confirmed.
pub async fn set_vlan(
    cx: &Context,
    port: &PortId,
    change: &VlanChange,
) -> Result<PortState, Error> {
    let want = Wanted::from_change(change)?;
    vlan::refuse_private(change, "Q-BRIDGE-MIB has no private VLANs")?;
    let if_index = if_index(port)?;
    let s = Session::for_call(cx).await?;
    let (sys, t) = s
        .table_with(&[SYS_OBJECT_ID, SYS_DESCR], STATUS_COLUMNS)
        .await?;
    let object_id = match &sys[0] {
        Some(Value::ObjectId(o)) => o.arcs().to_vec(),
        _ => Vec::new(),
    };
    let descr = sys[1].as_ref().and_then(Value::as_text).unwrap_or_default();
    let bridge = Bridge::read(&s, &t, 0).await?.unwrap_or_default();
    set_vlan_with(cx, &s, if_index, &want, &bridge, &object_id, &descr).await
}

/// [`set_vlan`] from a Q-BRIDGE state already read ([`Bridge::read`]: a handler that looked at
/// its own MIBs first passes what it walked).
pub async fn set_vlan_with(
    cx: &Context,
    s: &Session,
    if_index: u32,
    want: &Wanted,
    bridge: &Bridge,
    object_id: &[u32],
    descr: &str,
) -> Result<PortState, Error> {
    let target = s.target();
    let Some(bp) = bridge.bridge_port(if_index) else {
        return Err(no_port(s, if_index).await);
    };
    if let Some(f) = vlan::read_only(object_id, descr) {
        return Err(VlanError::ReadOnly {
            target: target.to_owned(),
            device: f.device,
            why: f.why,
        }
        .into());
    }
    if bridge.lists.is_empty() && bridge.pvid.contains_key(&bp) && !want.trunk {
        // No membership tables at all (AOS-CX, Eltex MES, RouterOS answer dot1qPvid alone):
        // the PVID is the port's VLAN, as Arista and AOS-CX document for access ports.
        return set_pvid_only(cx, s, if_index, bp, want, bridge).await;
    }
    if !bridge.is_static || bridge.lists.is_empty() {
        return Err(VlanError::NoVlanTables {
            target: target.to_owned(),
            tables: "Q-BRIDGE-MIB dot1qVlanStaticTable (a switch with dot1qPvid alone takes access ports only)",
        }
        .into());
    }
    want.check_members(target, |v| bridge.lists.contains_key(&v))?;
    // Everything checked: from here on the switch changes.
    let mut bridge = bridge.clone();
    if !bridge.lists.contains_key(&want.vlan) {
        create(cx, s, &mut bridge, want).await?;
    }
    let (first, tagged_left) = plan(&bridge, bp, want);
    tracing::info!(if_index, bridge_port = bp, vlan = want.vlan, trunk = want.trunk, members = %vlan::list(&want.members), "setting the port's VLAN membership");
    set_in_order(s, &first).await?;
    let pvid_oid: Vec<u32> = [qbridge::PVID, &[bp]].concat();
    let pvid = s.get_optional(&[&pvid_oid]).await?.remove(0).ok();
    if pvid.as_ref().and_then(Value::as_unsigned) != Some(u64::from(want.vlan)) {
        s.set(&pvid_oid, &pvid_value(pvid.as_ref(), want.vlan))
            .await?;
    }
    if !tagged_left.is_empty() {
        set_in_order(s, &tagged_left).await?;
    }
    let vlans: Vec<u16> = bridge.lists.keys().copied().collect();
    let got = vlan::confirm(cx, target, if_index, want, || async {
        Ok(read_back(s, &bridge, bp, &vlans).await?.port(bp))
    })
    .await?;
    let mut p = PortState::new(if_index.to_string());
    Vlans {
        exist: bridge.names.clone(),
        ports: BTreeMap::new(),
    }
    .fill(&got, &mut p);
    Ok(p)
}

/// An access port on a switch whose only Q-BRIDGE object is dot1qPvid: the PVID written (in
/// the type the agent uses) and read back.
async fn set_pvid_only(
    cx: &Context,
    s: &Session,
    if_index: u32,
    bp: u32,
    want: &Wanted,
    bridge: &Bridge,
) -> Result<PortState, Error> {
    let pvid_oid: Vec<u32> = [qbridge::PVID, &[bp]].concat();
    tracing::info!(
        if_index,
        bridge_port = bp,
        vlan = want.vlan,
        "setting the port's PVID (no membership tables)"
    );
    s.set(&pvid_oid, &pvid_value(bridge.pvid.get(&bp), want.vlan))
        .await?;
    let got = vlan::confirm(cx, s.target(), if_index, want, || async {
        let mut b = bridge.clone();
        if let Ok(v) = s.get_optional(&[&pvid_oid]).await?.remove(0) {
            b.pvid.insert(bp, v);
        }
        Ok(b.port(bp))
    })
    .await?;
    let mut p = PortState::new(if_index.to_string());
    bridge.vlans().fill(&got, &mut p);
    Ok(p)
}

/// dot1qPvid = `vlan` in the type the agent uses (VlanIndex is Unsigned32; RouterOS answers
/// INTEGER).
fn pvid_value(now: Option<&Value>, vlan: u16) -> Value {
    match now {
        Some(Value::Integer(_)) => Value::Integer(i64::from(vlan)),
        _ => Value::Gauge32(u32::from(vlan)),
    }
}

/// The error for an interface that is not a bridge port: no such interface at all, or one
/// outside the bridge.
async fn no_port(s: &Session, if_index: u32) -> Error {
    let oid: Vec<u32> = [if_table::DESCR, &[if_index]].concat();
    match s.get_optional(&[&oid]).await {
        Ok(got) if got[0].is_ok() => VlanError::NotBridgePort {
            target: s.target().to_owned(),
            if_index,
        }
        .into(),
        Ok(_) => PortError::NoSuchPort {
            target: s.target().to_owned(),
            if_index,
        }
        .into(),
        Err(e) => e.into(),
    }
}

/// Creates VLAN `want.vlan` with its name (or "VLANnnnn", the name switches give a VLAN they
/// create without one) in one SET, as RFC 4363 lets a manager create a row, and waits until it
/// appears.
async fn create(
    cx: &Context,
    s: &Session,
    bridge: &mut Bridge,
    want: &Wanted,
) -> Result<(), Error> {
    let v = u32::from(want.vlan);
    let name = want
        .name
        .clone()
        .unwrap_or_else(|| format!("VLAN{:04}", want.vlan));
    tracing::info!(vlan = want.vlan, name = %name, "creating the VLAN");
    let name_oid: Vec<u32> = [qbridge::STATIC_NAME, &[v]].concat();
    let status_oid: Vec<u32> = [qbridge::STATIC_ROW_STATUS, &[v]].concat();
    let egress_oid: Vec<u32> = [qbridge::STATIC_EGRESS, &[v]].concat();
    let untagged_oid: Vec<u32> = [qbridge::STATIC_UNTAGGED, &[v]].concat();
    s.set_many(&[
        (&name_oid, Value::OctetString(name.clone().into_bytes())),
        (&status_oid, Value::Integer(CREATE_AND_GO)),
    ])
    .await
    .map_err(|e| VlanError::CannotCreate {
        target: s.target().to_owned(),
        vlan: want.vlan,
        why: e.to_string(),
    })?;
    let until = std::time::Instant::now() + cx.limits().confirm.min(cx.remaining());
    loop {
        let got = s.get_optional(&[&egress_oid, &untagged_oid]).await?;
        if let (Ok(e), Ok(u)) = (&got[0], &got[1]) {
            bridge.lists.insert(
                want.vlan,
                Lists {
                    egress: e.as_bytes().unwrap_or_default().to_vec(),
                    untagged: u.as_bytes().unwrap_or_default().to_vec(),
                },
            );
            bridge.names.insert(want.vlan, Some(name));
            return Ok(());
        }
        if std::time::Instant::now() + crate::ports::CONFIRM_EVERY > until {
            return Err(VlanError::CannotCreate {
                target: s.target().to_owned(),
                vlan: want.vlan,
                why: "the switch accepted the new row but never listed it".into(),
            }
            .into());
        }
        tokio::time::sleep(crate::ports::CONFIRM_EVERY).await;
    }
}

/// A binding of a SET.
type Binding = (Vec<u32>, Value);

/// The SETs of a move: the first (joins before leaves), and for an access port the VLANs it
/// must then leave where it is still tagged.
fn plan(bridge: &Bridge, bp: u32, want: &Wanted) -> (Vec<Binding>, Vec<Binding>) {
    let mut adds: Vec<Binding> = Vec::new();
    let mut removes: Vec<Binding> = Vec::new();
    let mut tagged_left: Vec<Binding> = Vec::new();
    let list = |column: &[u32], vlan: u16, bytes: Vec<u8>| -> Binding {
        (
            [column, &[u32::from(vlan)]].concat(),
            Value::OctetString(bytes),
        )
    };
    for (&vlan, l) in &bridge.lists {
        let egress = bridge.members(&l.egress).contains(&bp);
        let untagged = bridge.members(&l.untagged).contains(&bp);
        let set = |bytes: &[u8], on: bool| bits::with_bit(bytes, 1, bp, on);
        if vlan == want.vlan {
            if !egress {
                adds.push(list(qbridge::STATIC_EGRESS, vlan, set(&l.egress, true)));
            }
            if !untagged {
                adds.push(list(qbridge::STATIC_UNTAGGED, vlan, set(&l.untagged, true)));
            }
        } else if want.members.contains(&vlan) {
            if !egress {
                adds.push(list(qbridge::STATIC_EGRESS, vlan, set(&l.egress, true)));
            }
            if untagged {
                removes.push(list(
                    qbridge::STATIC_UNTAGGED,
                    vlan,
                    set(&l.untagged, false),
                ));
            }
        } else if untagged {
            removes.push(list(
                qbridge::STATIC_UNTAGGED,
                vlan,
                set(&l.untagged, false),
            ));
            removes.push(list(qbridge::STATIC_EGRESS, vlan, set(&l.egress, false)));
        } else if egress {
            let leave = list(qbridge::STATIC_EGRESS, vlan, set(&l.egress, false));
            if want.trunk {
                removes.push(leave);
            } else {
                tagged_left.push(leave);
            }
        }
    }
    adds.extend(removes);
    (adds, tagged_left)
}

/// One SET of `bindings`; if the agent refuses it as a whole (an error-status), the same
/// bindings one by one, in order.
async fn set_in_order(s: &Session, bindings: &[Binding]) -> Result<(), SnmpError> {
    if bindings.is_empty() {
        return Ok(());
    }
    match s.set_many(bindings).await {
        Err(SnmpError::Status { status, .. }) if bindings.len() > 1 => {
            tracing::info!(%status, "the agent refused the SET as a whole: one binding at a time");
            for (oid, value) in bindings {
                s.set(oid, value).await?;
            }
            Ok(())
        }
        other => other,
    }
}

/// The membership of `vlans` and the PVID of `bp`, read again: one GET for a few VLANs, else a
/// walk of the static lists and a GET of the PVID.
async fn read_back(
    s: &Session,
    before: &Bridge,
    bp: u32,
    vlans: &[u16],
) -> Result<Bridge, SnmpError> {
    let pvid_oid: Vec<u32> = [qbridge::PVID, &[bp]].concat();
    let mut b = Bridge {
        ports: before.ports.clone(),
        names: before.names.clone(),
        is_static: true,
        ..Bridge::default()
    };
    if vlans.len() <= READ_BACK_BY_GET {
        let mut oids: Vec<Vec<u32>> = vec![pvid_oid];
        for &v in vlans {
            oids.push([qbridge::STATIC_EGRESS, &[u32::from(v)]].concat());
            oids.push([qbridge::STATIC_UNTAGGED, &[u32::from(v)]].concat());
        }
        let refs: Vec<&[u32]> = oids.iter().map(Vec::as_slice).collect();
        let got = s.get_optional(&refs).await?;
        if let Ok(v) = &got[0] {
            b.pvid.insert(bp, v.clone());
        }
        for (k, &v) in vlans.iter().enumerate() {
            let bytes = |r: &Result<Value, &str>| {
                r.as_ref()
                    .ok()
                    .and_then(Value::as_bytes)
                    .map(<[u8]>::to_vec)
            };
            if let Some(egress) = bytes(&got[1 + 2 * k]) {
                let untagged = bytes(&got[2 + 2 * k]).unwrap_or_default();
                b.lists.insert(v, Lists { egress, untagged });
            }
        }
    } else {
        let t = s
            .table(&[qbridge::STATIC_EGRESS, qbridge::STATIC_UNTAGGED])
            .await?;
        for row in t.rows() {
            let [vlan] = row.index else { continue };
            let Ok(vlan) = u16::try_from(*vlan) else {
                continue;
            };
            let bytes = |c: usize| row.value(c).and_then(Value::as_bytes).unwrap_or_default();
            b.lists.insert(
                vlan,
                Lists {
                    egress: bytes(0).to_vec(),
                    untagged: bytes(1).to_vec(),
                },
            );
        }
        if let Ok(v) = s.get_optional(&[&pvid_oid]).await?.remove(0) {
            b.pvid.insert(bp, v);
        }
    }
    Ok(b)
}

#[cfg(test)]
mod tests;
