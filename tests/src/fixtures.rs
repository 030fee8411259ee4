//! Switch recordings generated from the MIBs, each with the facts a handler must report about it.
//!
//! [`SwitchRecording`] is a builder of knobs (ports, stack modules, with or without
//! CISCO-STACK-MIB's portTable, IF-MIB's ifXTable, EtherLike-MIB's dot3StatsDuplexStatus, a few
//! non-Ethernet interfaces); [`SwitchRecording::build`] writes every object a real switch of that
//! kind answers, straight from the MIB definitions (IF-MIB ifTable `1.3.6.1.2.1.2.2.1` and
//! ifXTable `1.3.6.1.2.1.31.1.1.1`, EtherLike-MIB dot3StatsTable `1.3.6.1.2.1.10.7.2.1`,
//! CISCO-STACK-MIB portTable `1.3.6.1.4.1.9.5.1.4.1.1`, SNMPv2-MIB system `1.3.6.1.2.1.1`), and
//! returns it with a [`Switch`]: the interfaces as the generator made them ([`Interface`], raw MIB
//! values) and what DCImanager must be told about them ([`Switch::expected_status`],
//! [`Switch::expected_statistics`]).
//!
//! The expectations are an independent model: they come from the generator's own knobs and the
//! MIBs' and the protocol's definitions, written out here again, never from handler code. A
//! handler that disagrees with them is wrong, or the model is, and either way a person looks.
//!
//! Choices that make the recordings catch real bugs:
//! - ifIndex is `10000 × module + 100 + port` (10101, 10102, …, 20101, …), the numbering of a
//!   Catalyst stack: never the port number, so a handler that takes the last arc of a portTable
//!   index (`module.port`) for an ifIndex maps ports wrong, and on a stack the same port number
//!   exists on every module.
//! - Octet and packet counters go above 2^32 in the ifHC columns; the 32-bit ifTable columns
//!   hold their low 32 bits, as an agent's wrapping Counter32 does.
//! - Some ports are administratively down, some operationally down, some in other operational
//!   states (dormant, notPresent, lowerLayerDown) that are neither on nor off; some speeds have
//!   no protocol value (portAdminSpeed s155000000, ifHighSpeed 25000, ifSpeed 4294967295).
//! - Vlan1, Null0 and Port-channel1 (the `extras`) have no portTable row; Null0 has no ifXTable
//!   row either, so its counters exist only in 32 bits even on a switch with ifXTable.
//! - ifAdminStatus, portAdminSpeed and portDuplex are writable (snmpsim's write cache).

use std::fmt::Write as _;

use dci_protocol::{Duplex, PortState, PortStatus, Speed};

use crate::snmprec::{Snmprec, Value};

/// SNMPv2-MIB system group scalars.
pub mod system {
    /// sysDescr.0.
    pub const DESCR: &str = "1.3.6.1.2.1.1.1.0";
    /// sysObjectID.0.
    pub const OBJECT_ID: &str = "1.3.6.1.2.1.1.2.0";
    /// sysUpTime.0.
    pub const UP_TIME: &str = "1.3.6.1.2.1.1.3.0";
    /// sysName.0.
    pub const NAME: &str = "1.3.6.1.2.1.1.5.0";
}

/// IF-MIB ifTable (`ifEntry`), indexed by ifIndex.
pub mod if_table {
    /// ifEntry.
    pub const ENTRY: &str = "1.3.6.1.2.1.2.2.1";
    /// ifIndex.
    pub const INDEX: u32 = 1;
    /// ifDescr.
    pub const DESCR: u32 = 2;
    /// ifType (IANAifType).
    pub const TYPE: u32 = 3;
    /// ifMtu.
    pub const MTU: u32 = 4;
    /// ifSpeed (Gauge32, bit/s).
    pub const SPEED: u32 = 5;
    /// ifPhysAddress.
    pub const PHYS_ADDRESS: u32 = 6;
    /// ifAdminStatus: up(1), down(2), testing(3). Read-write.
    pub const ADMIN_STATUS: u32 = 7;
    /// ifOperStatus: up(1), down(2), testing(3), unknown(4), dormant(5), notPresent(6),
    /// lowerLayerDown(7).
    pub const OPER_STATUS: u32 = 8;
    /// ifInOctets (Counter32).
    pub const IN_OCTETS: u32 = 10;
    /// ifInUcastPkts (Counter32).
    pub const IN_UCAST: u32 = 11;
    /// ifInNUcastPkts (Counter32).
    pub const IN_NUCAST: u32 = 12;
    /// ifOutOctets (Counter32).
    pub const OUT_OCTETS: u32 = 16;
    /// ifOutUcastPkts (Counter32).
    pub const OUT_UCAST: u32 = 17;
    /// ifOutNUcastPkts (Counter32).
    pub const OUT_NUCAST: u32 = 18;
}

/// IF-MIB ifXTable (`ifXEntry`), indexed by ifIndex.
pub mod if_x_table {
    /// ifXEntry.
    pub const ENTRY: &str = "1.3.6.1.2.1.31.1.1.1";
    /// ifName.
    pub const NAME: u32 = 1;
    /// ifHCInOctets (Counter64).
    pub const HC_IN_OCTETS: u32 = 6;
    /// ifHCInUcastPkts.
    pub const HC_IN_UCAST: u32 = 7;
    /// ifHCInMulticastPkts.
    pub const HC_IN_MCAST: u32 = 8;
    /// ifHCInBroadcastPkts.
    pub const HC_IN_BCAST: u32 = 9;
    /// ifHCOutOctets.
    pub const HC_OUT_OCTETS: u32 = 10;
    /// ifHCOutUcastPkts.
    pub const HC_OUT_UCAST: u32 = 11;
    /// ifHCOutMulticastPkts.
    pub const HC_OUT_MCAST: u32 = 12;
    /// ifHCOutBroadcastPkts.
    pub const HC_OUT_BCAST: u32 = 13;
    /// ifHighSpeed (Gauge32, Mbit/s).
    pub const HIGH_SPEED: u32 = 15;
    /// ifAlias.
    pub const ALIAS: u32 = 18;
}

/// EtherLike-MIB dot3StatsTable (`dot3StatsEntry`), indexed by dot3StatsIndex (= ifIndex).
pub mod dot3 {
    /// dot3StatsEntry.
    pub const ENTRY: &str = "1.3.6.1.2.1.10.7.2.1";
    /// dot3StatsIndex.
    pub const INDEX: u32 = 1;
    /// dot3StatsDuplexStatus: unknown(1), halfDuplex(2), fullDuplex(3).
    pub const DUPLEX_STATUS: u32 = 19;
}

/// CISCO-STACK-MIB portTable (`portEntry`), indexed by {portModuleIndex, portIndex}.
pub mod port_table {
    /// portEntry.
    pub const ENTRY: &str = "1.3.6.1.4.1.9.5.1.4.1.1";
    /// portModuleIndex.
    pub const MODULE_INDEX: u32 = 1;
    /// portIndex.
    pub const INDEX: u32 = 2;
    /// portAdminSpeed: autoDetect(1), autoDetect10100(2), s10000000(10000000),
    /// s100000000(100000000), s155000000(155000000), s1000000000(1000000000), s10G(10), …
    /// Read-write.
    pub const ADMIN_SPEED: u32 = 9;
    /// portDuplex: half(1), full(2), disagree(3), auto(4). Read-write.
    pub const DUPLEX: u32 = 10;
    /// portIfIndex.
    pub const IF_INDEX: u32 = 11;
}

/// The OID of `column` of the table `entry` at `index`.
pub fn oid(entry: &str, column: u32, index: &[u32]) -> String {
    let mut s = format!("{entry}.{column}");
    for i in index {
        let _ = write!(s, ".{i}");
    }
    s
}

/// The ifIndex of `port` (from 1) on stack `module` (from 1): 10101 is port 1 of module 1.
pub fn if_index(module: u32, port: u32) -> u32 {
    10_000 * module + 100 + port
}

/// Interface counters as the device counts them (64 bits); the 32-bit ifTable columns hold their
/// low 32 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters {
    /// Octets received.
    pub in_octets: u64,
    /// Unicast packets received.
    pub in_ucast: u64,
    /// Multicast packets received.
    pub in_mcast: u64,
    /// Broadcast packets received.
    pub in_bcast: u64,
    /// Octets sent.
    pub out_octets: u64,
    /// Unicast packets sent.
    pub out_ucast: u64,
    /// Multicast packets sent.
    pub out_mcast: u64,
    /// Broadcast packets sent.
    pub out_bcast: u64,
}

impl Counters {
    /// Distinct values for interface number `k`, most of them above 2^32.
    fn for_interface(k: u64) -> Counters {
        const G: u64 = 1 << 32;
        Counters {
            in_octets: (k % 7) * G + k * 1_000_003 + 11,
            in_ucast: (k % 3) * G + k * 7_919 + 5,
            in_mcast: k * 31 + 2,
            in_bcast: k * 17 + 3,
            out_octets: (k % 5 + 1) * 2 * G + k * 999_983 + 7,
            out_ucast: (k % 2) * 3 * G + k * 104_729 + 1,
            out_mcast: k * 13 + 4,
            out_bcast: k * 11 + 6,
        }
    }

    /// ifInOctets, ifInUcastPkts, ifInNUcastPkts, ifOutOctets, ifOutUcastPkts, ifOutNUcastPkts:
    /// what a 32-bit agent reports, modulo 2^32.
    pub fn low(&self) -> [u32; 6] {
        [
            self.in_octets as u32,
            self.in_ucast as u32,
            (self.in_mcast + self.in_bcast) as u32,
            self.out_octets as u32,
            self.out_ucast as u32,
            (self.out_mcast + self.out_bcast) as u32,
        ]
    }
}

/// One interface as generated: the raw MIB values, before any mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// ifIndex.
    pub if_index: u32,
    /// ifDescr.
    pub descr: String,
    /// ifName.
    pub name: String,
    /// ifAlias.
    pub alias: String,
    /// ifType (IANAifType: 6 ethernetCsmacd, 53 propVirtual, 1 other).
    pub if_type: i32,
    /// ifAdminStatus.
    pub admin: i32,
    /// ifOperStatus.
    pub oper: i32,
    /// ifSpeed, bit/s (4294967295 when faster).
    pub if_speed: u32,
    /// ifHighSpeed, Mbit/s (`None`: no ifXTable row).
    pub high_speed: Option<u32>,
    /// Whether ifXTable has a row (ifName, ifHighSpeed, ifAlias) for it.
    pub if_x_row: bool,
    /// Whether the ifHC counters exist for it.
    pub hc: bool,
    /// dot3StatsDuplexStatus, when dot3StatsTable has a row.
    pub dot3_duplex: Option<i32>,
    /// The portTable row (module, port), if any.
    pub stack: Option<(u32, u32)>,
    /// portAdminSpeed, with a portTable row.
    pub port_admin_speed: Option<i32>,
    /// portDuplex, with a portTable row.
    pub port_duplex: Option<i32>,
    /// The counters.
    pub counters: Counters,
}

/// A non-Ethernet interface of the `extras`.
struct Extra {
    if_index: u32,
    descr: &'static str,
    /// IANAifType: 53 propVirtual, 1 other.
    if_type: i32,
    oper: i32,
    /// ifSpeed, bit/s.
    if_speed: u32,
    dot3: Option<i32>,
    /// Whether it has an ifXTable row (ifName, ifHighSpeed, ifAlias, the ifHC counters).
    if_x: bool,
}

/// Vlan1, Null0, Port-channel1: as a Catalyst has them, with no portTable row.
const EXTRAS: [Extra; 3] = [
    Extra {
        if_index: 1,
        descr: "Vlan1",
        if_type: 53,
        oper: 1,
        if_speed: 1_000_000_000,
        dot3: None,
        if_x: true,
    },
    // No ifXTable row: ifSpeed says only "faster than 4294967295", and its counters have 32
    // bits even on a switch with ifXTable.
    Extra {
        if_index: 2,
        descr: "Null0",
        if_type: 1,
        oper: 1,
        if_speed: u32::MAX,
        dot3: None,
        if_x: false,
    },
    // 2 Gbit/s (two bundled ports: no protocol speed), full duplex, its members down:
    // lowerLayerDown.
    Extra {
        if_index: 5001,
        descr: "Port-channel1",
        if_type: 53,
        oper: 7,
        if_speed: 2_000_000_000,
        dot3: Some(3),
        if_x: true,
    },
];

/// A switch to generate. Start from [`SwitchRecording::new`] and turn the knobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwitchRecording {
    ports: u32,
    modules: u32,
    port_table: bool,
    if_x_table: bool,
    dot3: bool,
    extras: bool,
    plain: bool,
    hostname: String,
}

impl SwitchRecording {
    /// A Catalyst-like switch with `ports` Ethernet ports on one module, CISCO-STACK-MIB's
    /// portTable, ifXTable, dot3StatsDuplexStatus, and Vlan1, Null0 and Port-channel1.
    pub fn new(ports: u32) -> SwitchRecording {
        SwitchRecording {
            ports,
            modules: 1,
            port_table: true,
            if_x_table: true,
            dot3: true,
            extras: true,
            plain: false,
            hostname: format!("sw-{ports}"),
        }
    }

    /// The ports spread evenly over `modules` stack members (`ports` must be a multiple).
    pub fn modules(mut self, modules: u32) -> SwitchRecording {
        self.modules = modules;
        self
    }

    /// With or without CISCO-STACK-MIB's portTable (modern IOS and IOS-XE switches have none).
    pub fn port_table(mut self, yes: bool) -> SwitchRecording {
        self.port_table = yes;
        self
    }

    /// With or without IF-MIB's ifXTable (old SNMPv1-only devices have none).
    pub fn if_x_table(mut self, yes: bool) -> SwitchRecording {
        self.if_x_table = yes;
        self
    }

    /// With or without EtherLike-MIB's dot3StatsTable.
    pub fn dot3(mut self, yes: bool) -> SwitchRecording {
        self.dot3 = yes;
        self
    }

    /// With or without Vlan1, Null0 and Port-channel1.
    pub fn extras(mut self, yes: bool) -> SwitchRecording {
        self.extras = yes;
        self
    }

    /// Only values every handler can map, the seed's Python handler included (it raises on any
    /// other): admin and oper status up or down, speeds and duplexes with a protocol value.
    /// For benchmarks side by side with the seed.
    pub fn plain(mut self, yes: bool) -> SwitchRecording {
        self.plain = yes;
        self
    }

    /// sysName.
    pub fn hostname(mut self, name: &str) -> SwitchRecording {
        self.hostname = name.to_owned();
        self
    }

    /// The interfaces, in ifIndex order.
    fn interfaces(&self) -> Vec<Interface> {
        assert!(
            self.modules >= 1 && self.ports >= 1 && self.ports.is_multiple_of(self.modules),
            "{} ports do not spread over {} modules",
            self.ports,
            self.modules
        );
        let per_module = self.ports / self.modules;
        let mut out = Vec::new();
        if self.extras {
            out.extend(EXTRAS.iter().map(|e| self.extra(e)));
        }
        let mut k: u64 = 0;
        for module in 1..=self.modules {
            for port in 1..=per_module {
                out.push(self.ethernet(module, port, k));
                k += 1;
            }
        }
        out.sort_by_key(|i| i.if_index);
        out
    }

    /// Ethernet port `port` of `module`, the `k`-th port of the switch (from 0). Its states and
    /// speeds follow from `k`, so every combination turns up on a few dozen ports.
    fn ethernet(&self, module: u32, port: u32, k: u64) -> Interface {
        let admin = match k % 12 {
            5 => 2,                                 // down
            11 if k % 24 == 23 && !self.plain => 3, // testing
            _ => 1,
        };
        // IF-MIB: down when administratively down, testing when testing.
        let oper = if admin != 1 {
            admin
        } else {
            match k % 10 {
                3 => 2, // no link
                _ if self.plain => 1,
                7 => 6,                 // notPresent
                8 => 7,                 // lowerLayerDown
                9 if k % 20 == 19 => 5, // dormant
                _ => 1,
            }
        };
        // (portAdminSpeed, running Mbit/s, portDuplex, dot3StatsDuplexStatus)
        let cycle = if self.plain { 6 } else { 8 };
        let (admin_speed, mbps) = match k % cycle {
            0 => (1, 1_000),
            1 => (1_000_000_000, 1_000),
            2 => (100_000_000, 100),
            3 => (2, 100),
            4 => (10_000_000, 10),
            5 => (10, 10_000),
            6 => (155_000_000, 155),
            _ => (1, 25_000),
        };
        let cycle = if self.plain { 4 } else { 5 };
        let (port_duplex, dot3_duplex) = match k % cycle {
            0 => (2, 3),
            1 => (4, 3),
            2 => (1, 2),
            3 => (2, 3),
            _ => (3, 1), // disagree; running: unknown
        };
        let if_index = if_index(module, port);
        Interface {
            if_index,
            descr: format!("GigabitEthernet{module}/0/{port}"),
            name: format!("Gi{module}/0/{port}"),
            alias: if k.is_multiple_of(4) {
                format!("server {k}")
            } else {
                String::new()
            },
            if_type: 6,
            admin,
            oper,
            if_speed: bps(mbps),
            high_speed: self.if_x_table.then_some(mbps as u32),
            if_x_row: self.if_x_table,
            hc: self.if_x_table,
            dot3_duplex: self.dot3.then_some(dot3_duplex),
            stack: self.port_table.then_some((module, port)),
            port_admin_speed: self.port_table.then_some(admin_speed),
            port_duplex: self.port_table.then_some(port_duplex),
            counters: Counters::for_interface(k + 10),
        }
    }

    /// A non-Ethernet interface, administratively up: no portTable row; an ifXTable row if
    /// the switch has ifXTable and the interface does; the same for dot3StatsTable.
    fn extra(&self, e: &Extra) -> Interface {
        let Extra {
            if_index,
            descr,
            if_type,
            oper,
            if_speed,
            dot3,
            if_x,
        } = *e;
        let if_x = if_x && self.if_x_table;
        Interface {
            if_index,
            descr: descr.to_owned(),
            name: descr.replace("Port-channel", "Po"),
            alias: String::new(),
            if_type,
            admin: 1,
            oper,
            if_speed,
            high_speed: if_x.then_some(if_speed / 1_000_000),
            if_x_row: if_x,
            hc: if_x,
            dot3_duplex: dot3.filter(|_| self.dot3),
            stack: None,
            port_admin_speed: None,
            port_duplex: None,
            counters: Counters::for_interface(u64::from(if_index)),
        }
    }

    /// The recording and its model.
    pub fn build(&self) -> Switch {
        let interfaces = self.interfaces();
        let mut rec = Snmprec::new();
        rec.add(
            system::DESCR,
            Value::string(
                "Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.2(4)E10, RELEASE SOFTWARE (fc2)",
            ),
        )
        .add(system::OBJECT_ID, Value::Oid("1.3.6.1.4.1.9.1.516".into()))
        .add(system::UP_TIME, Value::TimeTicks(123_456_789))
        .add(system::NAME, Value::string(&self.hostname));
        let ift = |col: u32, i: &Interface| oid(if_table::ENTRY, col, &[i.if_index]);
        let ifx = |col: u32, i: &Interface| oid(if_x_table::ENTRY, col, &[i.if_index]);
        for i in &interfaces {
            let c = &i.counters;
            let [
                in_octets,
                in_ucast,
                in_nucast,
                out_octets,
                out_ucast,
                out_nucast,
            ] = c.low();
            let mac = [
                0x00,
                0x1e,
                0xbd,
                (i.if_index >> 16) as u8,
                (i.if_index >> 8) as u8,
                i.if_index as u8,
            ];
            rec.add(&ift(if_table::INDEX, i), Value::Integer(i.if_index as i32))
                .add(&ift(if_table::DESCR, i), Value::string(&i.descr))
                .add(&ift(if_table::TYPE, i), Value::Integer(i.if_type))
                .add(&ift(if_table::MTU, i), Value::Integer(1500))
                .add(&ift(if_table::SPEED, i), Value::Gauge32(i.if_speed))
                .add(
                    &ift(if_table::PHYS_ADDRESS, i),
                    Value::OctetString(mac.to_vec()),
                )
                .writable(&ift(if_table::ADMIN_STATUS, i), Value::Integer(i.admin))
                .add(&ift(if_table::OPER_STATUS, i), Value::Integer(i.oper))
                .add(&ift(if_table::IN_OCTETS, i), Value::Counter32(in_octets))
                .add(&ift(if_table::IN_UCAST, i), Value::Counter32(in_ucast))
                .add(&ift(if_table::IN_NUCAST, i), Value::Counter32(in_nucast))
                .add(&ift(if_table::OUT_OCTETS, i), Value::Counter32(out_octets))
                .add(&ift(if_table::OUT_UCAST, i), Value::Counter32(out_ucast))
                .add(&ift(if_table::OUT_NUCAST, i), Value::Counter32(out_nucast));
            if i.if_x_row {
                rec.add(&ifx(if_x_table::NAME, i), Value::string(&i.name))
                    .add(&ifx(if_x_table::ALIAS, i), Value::string(&i.alias));
                if let Some(mbps) = i.high_speed {
                    rec.add(&ifx(if_x_table::HIGH_SPEED, i), Value::Gauge32(mbps));
                }
            }
            if i.hc {
                for (col, v) in [
                    (if_x_table::HC_IN_OCTETS, c.in_octets),
                    (if_x_table::HC_IN_UCAST, c.in_ucast),
                    (if_x_table::HC_IN_MCAST, c.in_mcast),
                    (if_x_table::HC_IN_BCAST, c.in_bcast),
                    (if_x_table::HC_OUT_OCTETS, c.out_octets),
                    (if_x_table::HC_OUT_UCAST, c.out_ucast),
                    (if_x_table::HC_OUT_MCAST, c.out_mcast),
                    (if_x_table::HC_OUT_BCAST, c.out_bcast),
                ] {
                    rec.add(&ifx(col, i), Value::Counter64(v));
                }
            }
            if let Some(d) = i.dot3_duplex {
                rec.add(
                    &oid(dot3::ENTRY, dot3::INDEX, &[i.if_index]),
                    Value::Integer(i.if_index as i32),
                )
                .add(
                    &oid(dot3::ENTRY, dot3::DUPLEX_STATUS, &[i.if_index]),
                    Value::Integer(d),
                );
            }
            if let (Some((module, port)), Some(speed), Some(duplex)) =
                (i.stack, i.port_admin_speed, i.port_duplex)
            {
                let p = |col: u32| oid(port_table::ENTRY, col, &[module, port]);
                rec.add(&p(port_table::MODULE_INDEX), Value::Integer(module as i32))
                    .add(&p(port_table::INDEX), Value::Integer(port as i32))
                    .writable(&p(port_table::ADMIN_SPEED), Value::Integer(speed))
                    .writable(&p(port_table::DUPLEX), Value::Integer(duplex))
                    .add(&p(port_table::IF_INDEX), Value::Integer(i.if_index as i32));
            }
        }
        Switch {
            hostname: self.hostname.clone(),
            interfaces,
            recording: rec,
        }
    }
}

/// ifSpeed for `mbps`: bit/s, 4294967295 when that does not fit (IF-MIB).
fn bps(mbps: u64) -> u32 {
    u32::try_from(mbps * 1_000_000).unwrap_or(u32::MAX)
}

/// A generated switch: the recording and what it holds.
#[derive(Debug, Clone)]
pub struct Switch {
    /// sysName.
    pub hostname: String,
    /// Every interface, in ifIndex order.
    pub interfaces: Vec<Interface>,
    /// The `.snmprec` to serve.
    pub recording: Snmprec,
}

impl Switch {
    /// The interface with `if_index`; panics if there is none (a bug in the test).
    #[track_caller]
    pub fn interface(&self, if_index: u32) -> &Interface {
        self.interfaces
            .iter()
            .find(|i| i.if_index == if_index)
            .unwrap_or_else(|| panic!("the recording has no ifIndex {if_index}"))
    }

    /// The Ethernet ports (interfaces with ifType ethernetCsmacd).
    pub fn ports(&self) -> impl Iterator<Item = &Interface> {
        self.interfaces.iter().filter(|i| i.if_type == 6)
    }

    /// Whether the switch has a portTable.
    pub fn has_port_table(&self) -> bool {
        self.interfaces.iter().any(|i| i.stack.is_some())
    }

    /// What `status` must answer: every interface, identity = ifIndex, description = ifDescr,
    /// admin and oper status (up on, down off, anything else unknown); speed and duplex from
    /// the portTable row where there is one (the configured values), else from ifHighSpeed (or
    /// ifSpeed without it) and dot3StatsDuplexStatus (the running values), and left out where
    /// the protocol has no value for them.
    pub fn expected_status(&self) -> Vec<PortState> {
        self.interfaces
            .iter()
            .map(|i| {
                let mut p = PortState::new(i.if_index.to_string());
                p.description = Some(i.descr.clone());
                p.admin_status = Some(if_status(i.admin));
                p.oper_status = Some(if_status(i.oper));
                if i.stack.is_some() {
                    p.speed = i.port_admin_speed.and_then(port_admin_speed);
                    p.duplex = i.port_duplex.and_then(port_duplex);
                } else {
                    p.speed = match i.high_speed {
                        Some(mbps) => speed_mbps(u64::from(mbps)),
                        None if i.if_speed == u32::MAX => None,
                        None if i.if_speed % 1_000_000 != 0 => None,
                        None => speed_mbps(u64::from(i.if_speed / 1_000_000)),
                    };
                    p.duplex = i.dot3_duplex.and_then(dot3_duplex);
                }
                p
            })
            .collect()
    }

    /// The `status` answer expected for one interface.
    #[track_caller]
    pub fn expected_port(&self, if_index: u32) -> PortState {
        self.expected_status()
            .into_iter()
            .find(|p| p.identity == if_index.to_string())
            .unwrap_or_else(|| panic!("the recording has no ifIndex {if_index}"))
    }

    /// What `statistics` must answer: the ifHC counters where the interface has them and the
    /// agent can send them (not on SNMPv1, which has no Counter64), packets = unicast +
    /// multicast + broadcast; else the 32-bit ifTable counters, packets = unicast + non-unicast.
    pub fn expected_statistics(&self, v1: bool) -> Vec<PortState> {
        self.interfaces
            .iter()
            .map(|i| {
                let mut p = PortState::new(i.if_index.to_string());
                let c = &i.counters;
                if i.hc && !v1 {
                    p.rxbytes = Some(c.in_octets);
                    p.txbytes = Some(c.out_octets);
                    p.rxpackets = Some(c.in_ucast + c.in_mcast + c.in_bcast);
                    p.txpackets = Some(c.out_ucast + c.out_mcast + c.out_bcast);
                } else {
                    let [
                        in_octets,
                        in_ucast,
                        in_nucast,
                        out_octets,
                        out_ucast,
                        out_nucast,
                    ] = c.low();
                    p.rxbytes = Some(u64::from(in_octets));
                    p.txbytes = Some(u64::from(out_octets));
                    p.rxpackets = Some(u64::from(in_ucast) + u64::from(in_nucast));
                    p.txpackets = Some(u64::from(out_ucast) + u64::from(out_nucast));
                }
                p
            })
            .collect()
    }
}

/// IF-MIB ifAdminStatus/ifOperStatus onto the protocol: up(1) on, down(2) off, the rest unknown.
fn if_status(v: i32) -> PortStatus {
    match v {
        1 => PortStatus::On,
        2 => PortStatus::Off,
        _ => PortStatus::Unknown,
    }
}

/// CISCO-STACK-MIB portAdminSpeed onto the protocol's six speeds.
fn port_admin_speed(v: i32) -> Option<Speed> {
    match v {
        1 => Some(Speed::Auto),
        2 => Some(Speed::Auto10100),
        10_000_000 => Some(Speed::Mbps10),
        100_000_000 => Some(Speed::Mbps100),
        1_000_000_000 => Some(Speed::Gbps1),
        10 => Some(Speed::Gbps10),
        _ => None,
    }
}

/// CISCO-STACK-MIB portDuplex: half(1), full(2), disagree(3) (no protocol value), auto(4).
fn port_duplex(v: i32) -> Option<Duplex> {
    match v {
        1 => Some(Duplex::Half),
        2 => Some(Duplex::Full),
        4 => Some(Duplex::Auto),
        _ => None,
    }
}

/// EtherLike-MIB dot3StatsDuplexStatus: unknown(1), halfDuplex(2), fullDuplex(3).
fn dot3_duplex(v: i32) -> Option<Duplex> {
    match v {
        2 => Some(Duplex::Half),
        3 => Some(Duplex::Full),
        _ => None,
    }
}

/// A running speed in Mbit/s onto the protocol's fixed speeds.
fn speed_mbps(mbps: u64) -> Option<Speed> {
    match mbps {
        10 => Some(Speed::Mbps10),
        100 => Some(Speed::Mbps100),
        1_000 => Some(Speed::Gbps1),
        10_000 => Some(Speed::Gbps10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_numbers_interfaces_apart_from_ports() {
        let sw = SwitchRecording::new(6).modules(3).build();
        let idx: Vec<u32> = sw.interfaces.iter().map(|i| i.if_index).collect();
        assert_eq!(idx, [1, 2, 5001, 10101, 10102, 20101, 20102, 30101, 30102]);
        let text = sw.recording.to_string();
        assert!(
            text.contains("1.3.6.1.4.1.9.5.1.4.1.1.11.2.1|2|20101\n"),
            "{text}"
        );
        assert!(text.contains("1.3.6.1.2.1.2.2.1.7.20101|2:writecache|value=1\n"));
    }

    #[test]
    fn counters_go_above_32_bits_and_the_low_columns_wrap() {
        let sw = SwitchRecording::new(8).build();
        assert!(
            sw.ports()
                .any(|i| i.counters.in_octets > u64::from(u32::MAX))
        );
        let text = sw.recording.to_string();
        let i = sw.interface(10102);
        assert!(text.contains(&format!(
            "1.3.6.1.2.1.31.1.1.1.6.10102|70|{}\n",
            i.counters.in_octets
        )));
        assert!(text.contains(&format!(
            "1.3.6.1.2.1.2.2.1.10.10102|65|{}\n",
            i.counters.in_octets % (1 << 32)
        )));
    }

    #[test]
    fn knobs_leave_tables_out() {
        let text = SwitchRecording::new(4)
            .port_table(false)
            .if_x_table(false)
            .dot3(false)
            .extras(false)
            .build()
            .recording
            .to_string();
        for table in [port_table::ENTRY, if_x_table::ENTRY, dot3::ENTRY] {
            assert!(!text.contains(table), "{table} in\n{text}");
        }
        assert_eq!(text.matches("1.3.6.1.2.1.2.2.1.2.").count(), 4);
    }
}
