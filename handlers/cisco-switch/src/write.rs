//! `set_vlan` on Cisco IOS and IOS-XE through CISCO-VTP-MIB, CISCO-VLAN-MEMBERSHIP-MIB and
//! CISCO-PRIVATE-VLAN-MIB; through Q-BRIDGE-MIB (switch-core) on the Cisco models that have
//! those tables instead (the Small Business line).
//!
//! Everything is read and checked before the first SET (one GET of the port's objects, one walk
//! of the VLAN table): the interface exists and is a switch port, the VLAN is operational and of
//! type ethernet (or is created), every trunk member exists, a private VLAN has the type and the
//! primary the request says. The writes, in the order Emulab's snmpit found safe
//! (`docs/handlers/cisco-switch.md`):
//! - access: vmVlan (INTEGER; Unsigned32 again only if the agent says wrongType), then, if the
//!   port trunks now, trunking off with the allowed-VLAN bitmaps cleared (one SET). The issue
//!   named the other order; vmVlan first means a switch that refuses it (no instance) has
//!   changed nothing, and IOS keeps a port's access VLAN while it trunks;
//! - trunk: bitmaps cleared, then encapsulation dot1Q, native VLAN and trunking on (one SET),
//!   then the bitmaps with the members and the native VLAN, vlanTrunkPortSetSerialNo in the same
//!   SET (its advisory lock holds only so). A port that already trunks keeps carrying traffic:
//!   only its native VLAN and bitmaps are written;
//! - a VLAN that does not exist is created through the VTP edit buffer (copy, one SET of the
//!   row, apply, wait for the apply status, release, always), only in VTP server or transparent
//!   mode;
//! - private VLANs: a host port (vlan_pvlan 3 isolated, 1 community) joins its secondary VLAN,
//!   a promiscuous port (vlan_pvlan 2) maps the secondary `mapped_vlan` onto its primary VLAN.
//!
//! Then the port is read back until it shows what was asked.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use dci_protocol::{Context, Error, MappedVlan, PortId, PortState, PvlanType, VlanChange};
use snmp_core::{Session, SnmpError, Value};
use switch_core::oids::{SYS_DESCR, SYS_OBJECT_ID, if_table};
use switch_core::ports::{CONFIRM_EVERY, PortError, if_index};
use switch_core::qbridge::{self, Bridge};
use switch_core::vlan::{self, Difference, VlanError};
use switch_core::{PortVlan, Vlans, Wanted, bits};

use crate::oids::{DOMAIN_LOCAL_MODE, VM_VLAN, edit, pvlan, trunk, vtp_vlan};
use crate::vtp::{TrunkDetails, allowed, is_trunk, port_vlan, vlan_number};

/// Who holds the VTP edit buffer while this handler edits it (vtpVlanEditBufferOwner).
const OWNER: &[u8] = b"dcihandlers";
/// A bitmap's full length: 1024 VLANs.
const BITMAP_OCTETS: usize = 128;

/// Why a Cisco `set_vlan` is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CiscoVlanError {
    /// The interface is neither an access port (vmVlan) nor a trunk-capable one.
    #[error(
        "{target}: the interface with ifIndex {if_index} is not a switch port (no vmVlan and no vlanTrunkPortTable row), so it has no VLAN"
    )]
    NotSwitchPort {
        /// `host:port`.
        target: String,
        /// The ifIndex.
        if_index: u32,
    },
    /// A trunk was asked of a port that cannot trunk.
    #[error(
        "{target}: the interface with ifIndex {if_index} cannot trunk (no vlanTrunkPortTable row)"
    )]
    CannotTrunk {
        /// `host:port`.
        target: String,
        /// The ifIndex.
        if_index: u32,
    },
    /// The switch did not take an access VLAN for the port.
    #[error(
        "{target} did not take vmVlan for the interface with ifIndex {if_index} ({exception}): it keeps no access VLAN for it over SNMP; nothing was changed"
    )]
    NoAccessVlan {
        /// `host:port`.
        target: String,
        /// The ifIndex.
        if_index: u32,
        /// What the agent answered.
        exception: &'static str,
    },
    /// The private VLAN request does not fit the switch's VLANs.
    #[error("{target}: {why}; nothing was written")]
    Pvlan {
        /// `host:port`.
        target: String,
        /// What does not fit.
        why: String,
    },
}

impl From<CiscoVlanError> for Error {
    fn from(e: CiscoVlanError) -> Error {
        Error::unexpected_data(e)
    }
}

/// One VLAN of vtpVlanTable, with its private VLAN type where the switch has
/// CISCO-PRIVATE-VLAN-MIB.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Vtp {
    state: Option<i64>,
    kind: Option<i64>,
    name: Option<String>,
    pvlan_type: Option<i64>,
    primary: Option<i64>,
}

/// The VLAN table: the VTP domain and its VLANs.
#[derive(Debug, Clone, Default)]
struct Db {
    domain: u32,
    vlans: BTreeMap<u16, Vtp>,
    has_pvlan_mib: bool,
}

impl Db {
    async fn read(s: &Session) -> Result<Db, SnmpError> {
        let columns: &[&[u32]] = &[
            vtp_vlan::STATE,
            vtp_vlan::TYPE,
            vtp_vlan::NAME,
            pvlan::VLAN_TYPE,
            pvlan::ASSOCIATED_PRIMARY,
        ];
        let t = s.table(columns).await?;
        let mut db = Db {
            domain: 1,
            ..Db::default()
        };
        for row in t.rows() {
            let [domain, vlan] = row.index else { continue };
            let Ok(vlan) = u16::try_from(*vlan) else {
                continue;
            };
            if row.value(0).is_none() && row.value(2).is_none() {
                continue;
            }
            db.domain = *domain;
            db.has_pvlan_mib |= row.value(3).is_some();
            db.vlans.insert(
                vlan,
                Vtp {
                    state: row.integer(0)?,
                    kind: row.integer(1)?,
                    name: row.text(2)?,
                    pvlan_type: row.integer(3)?,
                    primary: row.integer(4)?,
                },
            );
        }
        Ok(db)
    }

    fn vlans(&self) -> Vlans {
        Vlans {
            exist: self
                .vlans
                .iter()
                .map(|(v, e)| (*v, e.name.clone()))
                .collect(),
            ports: BTreeMap::new(),
        }
    }

    fn oid(&self, column: &[u32], vlan: u16) -> Vec<u32> {
        [column, &[self.domain, u32::from(vlan)]].concat()
    }
}

/// The objects of one port, read in one GET with what the checks need.
const PORT_OBJECTS: usize = 21;
/// Positions in the port GET.
const G_OBJECT_ID: usize = 0;
const G_DESCR: usize = 1;
const G_MODE: usize = 2;
const G_IF_DESCR: usize = 3;
const G_VM_VLAN: usize = 4;
const G_DYN_STATE: usize = 5;
const G_DYN_STATUS: usize = 6;
const G_ENCAP_OPER: usize = 7;
const G_ENCAP: usize = 8;
const G_NATIVE: usize = 9;
const G_BITMAPS: usize = 10;
const G_SERIAL: usize = 14;
const G_PORT_MODE: usize = 15;
const G_SECONDARY: usize = 16;
const G_REMAP: usize = 17;

/// A port's objects as read: each `None` where the agent has no such object.
#[derive(Debug, Clone)]
struct Port {
    got: Vec<Option<Value>>,
}

impl Port {
    fn oids(if_index: u32, domain: u32) -> Vec<Vec<u32>> {
        let at = |c: &[u32]| [c, &[if_index]].concat();
        let mut oids = vec![
            SYS_OBJECT_ID.to_vec(),
            SYS_DESCR.to_vec(),
            [DOMAIN_LOCAL_MODE, &[domain]].concat(),
            at(if_table::DESCR),
            at(VM_VLAN),
            at(trunk::DYNAMIC_STATE),
            at(trunk::DYNAMIC_STATUS),
            at(trunk::ENCAPSULATION_OPER),
            at(trunk::ENCAPSULATION),
            at(trunk::NATIVE_VLAN),
        ];
        oids.extend(trunk::BITMAPS.iter().map(|c| at(c)));
        oids.push(trunk::SET_SERIAL_NO.to_vec());
        oids.push(at(pvlan::PORT_MODE));
        oids.push(at(pvlan::PORT_SECONDARY));
        oids.extend(pvlan::PROM_REMAP.iter().map(|c| at(c)));
        debug_assert_eq!(oids.len(), PORT_OBJECTS);
        oids
    }

    async fn read(s: &Session, if_index: u32, domain: u32) -> Result<Port, SnmpError> {
        let oids = Port::oids(if_index, domain);
        let refs: Vec<&[u32]> = oids.iter().map(Vec::as_slice).collect();
        let got = s.get_optional(&refs).await?;
        Ok(Port {
            got: got.into_iter().map(Result::ok).collect(),
        })
    }

    fn int(&self, at: usize) -> Option<i64> {
        self.got[at].as_ref().and_then(Value::as_integer)
    }

    fn bytes(&self, at: usize) -> Option<&[u8]> {
        self.got[at].as_ref().and_then(Value::as_bytes)
    }

    fn has_trunk_row(&self) -> bool {
        [G_DYN_STATE, G_ENCAP_OPER, G_NATIVE, G_ENCAP]
            .iter()
            .any(|&g| self.got[g].is_some())
    }

    fn trunks(&self) -> bool {
        is_trunk(
            self.int(G_DYN_STATE),
            self.int(G_DYN_STATUS),
            self.int(G_ENCAP_OPER),
        )
    }

    /// The port's VLAN state, as `status` reads it.
    fn state(&self) -> PortVlan {
        let blocks: Vec<Option<&[u8]>> = (0..4).map(|k| self.bytes(G_BITMAPS + k)).collect();
        let details = TrunkDetails {
            status: self.int(G_DYN_STATUS),
            native: self.int(G_NATIVE).and_then(vlan_number),
            allowed: allowed(&blocks),
        };
        port_vlan(self.int(G_VM_VLAN), self.trunks(), details)
    }
}

/// `set_vlan`: see the module docs.
pub async fn set_vlan(
    cx: &Context,
    port: &PortId,
    change: &VlanChange,
) -> Result<PortState, Error> {
    let want = Wanted::from_change(change)?;
    let if_index = if_index(port)?;
    let s = Session::for_call(cx).await?;
    let db = Db::read(&s).await?;
    let now = Port::read(&s, if_index, db.domain).await?;
    let object_id = match &now.got[G_OBJECT_ID] {
        Some(Value::ObjectId(o)) => o.arcs().to_vec(),
        _ => Vec::new(),
    };
    let descr = now.got[G_DESCR]
        .as_ref()
        .and_then(Value::as_text)
        .unwrap_or_default();
    let target = s.target().to_owned();
    if db.vlans.is_empty() && now.got[G_VM_VLAN].is_none() && !now.has_trunk_row() {
        // No Cisco VLAN tables: the Cisco models that use Q-BRIDGE-MIB.
        vlan::refuse_private(
            change,
            "this switch has no CISCO-PRIVATE-VLAN-MIB, and Q-BRIDGE-MIB has no private VLANs",
        )?;
        let t = s.table(qbridge::STATUS_COLUMNS).await?;
        let bridge = Bridge::read(&s, &t, 0).await?.unwrap_or_default();
        return qbridge::set_vlan_with(cx, &s, if_index, &want, &bridge, &object_id, &descr).await;
    }
    if let Some(f) = vlan::read_only(&object_id, &descr) {
        return Err(VlanError::ReadOnly {
            target,
            device: f.device,
            why: f.why,
        }
        .into());
    }
    if now.got[G_IF_DESCR].is_none() {
        return Err(PortError::NoSuchPort { target, if_index }.into());
    }
    if now.got[G_VM_VLAN].is_none() && !now.has_trunk_row() {
        return Err(CiscoVlanError::NotSwitchPort { target, if_index }.into());
    }
    if want.trunk && !now.has_trunk_row() {
        return Err(CiscoVlanError::CannotTrunk { target, if_index }.into());
    }
    want.check_members(&target, |v| db.vlans.contains_key(&v))?;
    match change.pvlan {
        Some(PvlanType::Primary | PvlanType::Isolated | PvlanType::Other) => {
            return private(cx, &s, if_index, &want, change, &db, &now).await;
        }
        Some(PvlanType::None) | None => {}
    }
    let mut db = db;
    match db.vlans.get(&want.vlan) {
        Some(v) => usable(&target, want.vlan, v)?,
        None => create(cx, &s, &mut db, &want, now.int(G_MODE)).await?,
    }
    tracing::info!(if_index, vlan = want.vlan, trunk = want.trunk, members = %vlan::list(&want.members), "setting the port's VLAN");
    let at = |c: &[u32]| [c, &[if_index]].concat();
    let present_bitmaps: Vec<usize> = (0..4)
        .filter(|k| now.got[G_BITMAPS + k].is_some())
        .collect();
    let cleared: Vec<(Vec<u32>, Value)> = present_bitmaps
        .iter()
        .map(|&k| {
            (
                at(trunk::BITMAPS[k]),
                Value::OctetString(vec![0; BITMAP_OCTETS]),
            )
        })
        .collect();
    if now.int(G_PORT_MODE).is_some_and(|m| m != 1) {
        // Out of private VLAN mode first: nonPrivateVlan(1).
        set(&s, &[(at(pvlan::PORT_MODE), Value::Integer(1))]).await?;
    }
    if want.trunk {
        let already = now.trunks() && now.int(G_ENCAP).is_none_or(|e| e == 4);
        let mut switch_on = Vec::new();
        if !already {
            set(&s, &cleared).await?;
            if now.int(G_ENCAP).is_some_and(|e| e != 4) {
                switch_on.push((at(trunk::ENCAPSULATION), Value::Integer(4)));
            }
        }
        if now.int(G_NATIVE) != Some(i64::from(want.vlan)) || !already {
            switch_on.push((at(trunk::NATIVE_VLAN), Value::Integer(i64::from(want.vlan))));
        }
        if !already && now.got[G_DYN_STATE].is_some() {
            switch_on.push((at(trunk::DYNAMIC_STATE), Value::Integer(1)));
        }
        set(&s, &switch_on).await?;
        let mut carried: BTreeSet<u32> = want.members.iter().map(|&m| u32::from(m)).collect();
        carried.insert(u32::from(want.vlan));
        let mut bitmaps = Vec::new();
        if let Some(Value::Integer(serial)) = &now.got[G_SERIAL] {
            bitmaps.push((trunk::SET_SERIAL_NO.to_vec(), Value::Integer(*serial)));
        }
        for &k in &present_bitmaps {
            let block = bits::encode(&carried, 1024 * k as u32, BITMAP_OCTETS);
            bitmaps.push((at(trunk::BITMAPS[k]), Value::OctetString(block)));
        }
        set(&s, &bitmaps).await?;
    } else {
        // The access VLAN first: IOS keeps it while the port trunks, and a switch that does
        // not take it (no vmVlan instance) then refuses before the port stops trunking, so a
        // refused move leaves the port as it was.
        let oid = at(VM_VLAN);
        let written = match s.set(&oid, &Value::Integer(i64::from(want.vlan))).await {
            // Some boxes want Unsigned32 (NAV's experience, Uninett/nav#141 the other way).
            Err(SnmpError::Status { status, .. }) if status.contains("wrongType") => {
                s.set(&oid, &Value::Gauge32(u32::from(want.vlan))).await
            }
            other => other,
        };
        if let Err(SnmpError::NoSuch { exception, .. }) = &written {
            return Err(CiscoVlanError::NoAccessVlan {
                target,
                if_index,
                exception,
            }
            .into());
        }
        written?;
        if now.trunks() || now.int(G_DYN_STATE).is_some_and(|d| d != 2) {
            let mut off = Vec::new();
            if now.got[G_DYN_STATE].is_some() {
                off.push((at(trunk::DYNAMIC_STATE), Value::Integer(2)));
            }
            off.extend(cleared);
            set(&s, &off).await?;
        }
    }
    let got = vlan::confirm(cx, &target, if_index, &want, || async {
        Ok(Port::read(&s, if_index, db.domain).await?.state())
    })
    .await?;
    let mut p = PortState::new(if_index.to_string());
    db.vlans().fill(&got, &mut p);
    Ok(p)
}

/// One SET of `bindings` (none: nothing sent).
async fn set(s: &Session, bindings: &[(Vec<u32>, Value)]) -> Result<(), SnmpError> {
    if bindings.is_empty() {
        return Ok(());
    }
    s.set_many(bindings).await
}

/// A VLAN can take ports when it is operational(1) and of type ethernet(1).
fn usable(target: &str, vlan: u16, v: &Vtp) -> Result<(), VlanError> {
    let why = match (v.state, v.kind) {
        (Some(1), Some(1)) => return Ok(()),
        (Some(2), _) => "it is suspended (vtpVlanState suspended(2))".to_owned(),
        (Some(1), Some(k)) => format!(
            "it is not an Ethernet VLAN (vtpVlanType {k}; 1002-1005 are FDDI and Token Ring)"
        ),
        (s, k) => {
            format!("vtpVlanState {s:?}, vtpVlanType {k:?} (wanted operational(1), ethernet(1))")
        }
    };
    Err(VlanError::Unusable {
        target: target.to_owned(),
        vlan,
        why,
    })
}

/// Creates the VLAN through the VTP edit buffer: copy, owner, one SET of the new row (RowStatus
/// createAndGo, type ethernet, name, 802.10 SAID 100000 + VLAN: "this next line MUST happen all
/// in one set command", Emulab), apply, wait for the apply status, release (always), and wait
/// until vtpVlanTable lists it. Only a VTP server or a transparent switch has VLANs of its own.
async fn create(
    cx: &Context,
    s: &Session,
    db: &mut Db,
    want: &Wanted,
    mode: Option<i64>,
) -> Result<(), Error> {
    let cannot = |why: String| VlanError::CannotCreate {
        target: s.target().to_owned(),
        vlan: want.vlan,
        why,
    };
    match mode {
        Some(2 | 3) => {}
        Some(1) => return Err(cannot("the switch is a VTP client (managementDomainLocalMode client(1)): VLANs are created on the VTP server".into()).into()),
        Some(4) => return Err(cannot("VTP is off on the switch (managementDomainLocalMode off(4)), which leaves no VLAN database to edit over SNMP".into()).into()),
        other => return Err(cannot(format!("the switch does not say its VTP mode (managementDomainLocalMode {other:?})")).into()),
    }
    let name = want
        .name
        .clone()
        .unwrap_or_else(|| format!("VLAN{:04}", want.vlan));
    let d = db.domain;
    let op: Vec<u32> = [edit::OPERATION, &[d]].concat();
    tracing::info!(vlan = want.vlan, name = %name, "creating the VLAN through the VTP edit buffer");
    s.set(&op, &Value::Integer(2)).await.map_err(|e| {
        cannot(format!(
            "the VTP edit buffer could not be taken (copy): {e}"
        ))
    })?;
    let edited: Result<Option<String>, SnmpError> = async {
        s.set(
            &[edit::BUFFER_OWNER, &[d]].concat(),
            &Value::OctetString(OWNER.to_vec()),
        )
        .await?;
        let said = (100_000u32 + u32::from(want.vlan)).to_be_bytes().to_vec();
        set(
            s,
            &[
                (db.oid(edit::ROW_STATUS, want.vlan), Value::Integer(4)),
                (db.oid(edit::TYPE, want.vlan), Value::Integer(1)),
                (
                    db.oid(edit::NAME, want.vlan),
                    Value::OctetString(name.clone().into_bytes()),
                ),
                (
                    db.oid(edit::DOT10_SAID, want.vlan),
                    Value::OctetString(said),
                ),
            ],
        )
        .await?;
        s.set(&op, &Value::Integer(3)).await?;
        let status: Vec<u32> = [edit::APPLY_STATUS, &[d]].concat();
        let until = Instant::now() + cx.limits().confirm.min(cx.remaining());
        loop {
            match s.get(&[&status]).await?.remove(0).as_integer() {
                Some(2) => return Ok(None),
                Some(1) if Instant::now() + CONFIRM_EVERY <= until => {
                    tokio::time::sleep(CONFIRM_EVERY).await
                }
                other => {
                    return Ok(Some(format!(
                        "vtpVlanApplyStatus {other:?}, not succeeded(2)"
                    )));
                }
            }
        }
    }
    .await;
    // Released whatever happened: a held buffer blocks every other VLAN change on the switch.
    let released = s.set(&op, &Value::Integer(4)).await;
    match edited {
        Ok(None) => {}
        Ok(Some(why)) => return Err(cannot(why).into()),
        Err(e) => return Err(cannot(e.to_string()).into()),
    }
    released?;
    // The switch can report success without the VLAN (Emulab): wait until it is listed.
    let state = db.oid(vtp_vlan::STATE, want.vlan);
    let until = Instant::now() + cx.limits().confirm.min(cx.remaining());
    loop {
        if let Ok(v) = s.get_optional(&[&state]).await?.remove(0) {
            let entry = Vtp {
                state: v.as_integer(),
                kind: Some(1),
                name: Some(name),
                ..Vtp::default()
            };
            usable(s.target(), want.vlan, &entry)?;
            db.vlans.insert(want.vlan, entry);
            return Ok(());
        }
        if Instant::now() + CONFIRM_EVERY > until {
            return Err(
                cannot("the edit buffer applied, but vtpVlanTable never listed it".into()).into(),
            );
        }
        tokio::time::sleep(CONFIRM_EVERY).await;
    }
}

/// The private VLAN state of a port: its mode and the VLAN the request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PrivatePort {
    mode: Option<i64>,
    /// A host port's secondary VLAN.
    secondary: Option<i64>,
    /// A promiscuous port's remapped secondary VLANs.
    remapped: BTreeSet<u16>,
}

impl PrivatePort {
    fn of(p: &Port) -> PrivatePort {
        let blocks: Vec<Option<&[u8]>> = (0..4).map(|k| p.bytes(G_REMAP + k)).collect();
        PrivatePort {
            mode: p.int(G_PORT_MODE),
            secondary: p.int(G_SECONDARY),
            remapped: allowed(&blocks),
        }
    }
}

/// A private VLAN port (see the module docs), checked against CISCO-PRIVATE-VLAN-MIB's VLAN
/// types and associations before anything is written.
async fn private(
    cx: &Context,
    s: &Session,
    if_index: u32,
    want: &Wanted,
    change: &VlanChange,
    db: &Db,
    now: &Port,
) -> Result<PortState, Error> {
    let target = s.target().to_owned();
    let refuse = |why: String| -> Error {
        CiscoVlanError::Pvlan {
            target: target.clone(),
            why,
        }
        .into()
    };
    if !db.has_pvlan_mib || now.got[G_PORT_MODE].is_none() {
        return Err(VlanError::PrivateVlan {
            why: "this switch does not answer CISCO-PRIVATE-VLAN-MIB (cpvlanVlanPrivateVlanType, cpvlanPortMode)",
        }
        .into());
    }
    if want.trunk {
        return Err(refuse(
            "a private VLAN port is not a trunk here (private VLAN trunks are not written)".into(),
        ));
    }
    let mapped = match change.mapped {
        Some(MappedVlan::Vlan(v)) => Some(v.get()),
        _ => None,
    };
    let kind = |v: u16| db.vlans.get(&v).and_then(|e| e.pvlan_type);
    let primary_of = |v: u16| db.vlans.get(&v).and_then(|e| e.primary);
    let at = |c: &[u32]| [c, &[if_index]].concat();
    let (writes, wanted): (Vec<(Vec<u32>, Value)>, PrivatePort) = match change.pvlan {
        Some(PvlanType::Primary) => {
            // Promiscuous: vlan_id is the primary VLAN, mapped_vlan the secondary it maps.
            let Some(secondary) = mapped else {
                return Err(refuse("vlan_pvlan 2 (a promiscuous port) needs mapped_vlan, the secondary VLAN to map onto the primary".into()));
            };
            if kind(want.vlan) != Some(2) {
                return Err(refuse(format!(
                    "VLAN {} is not a primary private VLAN (cpvlanVlanPrivateVlanType {:?})",
                    want.vlan,
                    kind(want.vlan)
                )));
            }
            if !matches!(kind(secondary), Some(3..=5))
                || primary_of(secondary) != Some(i64::from(want.vlan))
            {
                return Err(refuse(format!(
                    "VLAN {secondary} is not a secondary private VLAN associated with primary VLAN {}",
                    want.vlan
                )));
            }
            let mut w = vec![(at(pvlan::PORT_MODE), Value::Integer(3))];
            let remap: BTreeSet<u32> = BTreeSet::from([u32::from(secondary)]);
            for k in 0..4 {
                if now.got[G_REMAP + k].is_some() {
                    w.push((
                        at(pvlan::PROM_REMAP[k]),
                        Value::OctetString(bits::encode(&remap, 1024 * k as u32, BITMAP_OCTETS)),
                    ));
                }
            }
            (
                w,
                PrivatePort {
                    mode: Some(3),
                    secondary: None,
                    remapped: BTreeSet::from([secondary]),
                },
            )
        }
        _ => {
            // Host: vlan_id is the secondary VLAN (isolated for 3, community for 1), mapped_vlan
            // its primary when given.
            let types: &[i64] = if change.pvlan == Some(PvlanType::Isolated) {
                &[3]
            } else {
                &[4, 5]
            };
            if !kind(want.vlan).is_some_and(|k| types.contains(&k)) {
                return Err(refuse(format!(
                    "VLAN {} is not {} private VLAN (cpvlanVlanPrivateVlanType {:?})",
                    want.vlan,
                    if types == [3] {
                        "an isolated"
                    } else {
                        "a community"
                    },
                    kind(want.vlan)
                )));
            }
            let primary = primary_of(want.vlan).filter(|p| *p != 0);
            let Some(primary) = primary else {
                return Err(refuse(format!(
                    "VLAN {} is associated with no primary VLAN (a port can join a secondary VLAN only after that)",
                    want.vlan
                )));
            };
            if let Some(m) = mapped
                && i64::from(m) != primary
            {
                return Err(refuse(format!(
                    "VLAN {} belongs to primary VLAN {primary}, not mapped_vlan {m}",
                    want.vlan
                )));
            }
            (
                vec![
                    (at(pvlan::PORT_MODE), Value::Integer(2)),
                    (
                        at(pvlan::PORT_SECONDARY),
                        Value::Integer(i64::from(want.vlan)),
                    ),
                ],
                PrivatePort {
                    mode: Some(2),
                    secondary: Some(i64::from(want.vlan)),
                    remapped: BTreeSet::new(),
                },
            )
        }
    };
    tracing::info!(if_index, vlan = want.vlan, pvlan = ?change.pvlan, "setting the port's private VLAN");
    if now.trunks() {
        let mut off = Vec::new();
        if now.got[G_DYN_STATE].is_some() {
            off.push((at(trunk::DYNAMIC_STATE), Value::Integer(2)));
        }
        set(s, &off).await?;
    }
    set(s, &writes).await?;
    let difference = |got: &PrivatePort| -> Option<Difference> {
        let show = |p: &PrivatePort| {
            format!(
                "mode {:?} secondary {:?} remap {}",
                p.mode,
                p.secondary,
                vlan::list(&p.remapped)
            )
        };
        let same = got.mode == wanted.mode
            && (wanted.secondary.is_none() || got.secondary == wanted.secondary)
            && wanted.remapped.is_subset(&got.remapped);
        (!same).then(|| Difference {
            field: "vlan_pvlan",
            wanted: show(&wanted),
            got: show(got),
        })
    };
    let got = vlan::confirm_with(
        cx,
        &target,
        if_index,
        || async { Ok(PrivatePort::of(&Port::read(s, if_index, db.domain).await?)) },
        difference,
    )
    .await?;
    // What the switch says: a host port's secondary VLAN; a promiscuous port's primary, the
    // one its remapped secondary VLAN belongs to.
    let vlan = match got.secondary.filter(|_| got.mode == Some(2)) {
        Some(v) => u16::try_from(v).ok(),
        None => got
            .remapped
            .first()
            .and_then(|s| primary_of(*s))
            .and_then(|p| u16::try_from(p).ok()),
    };
    let mut p = PortState::new(if_index.to_string());
    db.vlans().fill(
        &PortVlan {
            vlan,
            trunk: false,
            members: BTreeSet::new(),
        },
        &mut p,
    );
    Ok(p)
}
