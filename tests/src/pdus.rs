//! PDU recordings generated from the MIBs, each with the facts a handler must report about it:
//! an IBM BladeCenter (BLADE-MIB), an RPCM (enterprise 46235), and APC PDUs of the three
//! generations (PowerNet-MIB rPDU2, rPDU, MasterSwitch sPDUOutletCtl), metered or not.
//!
//! The expectations are an independent model, written again here from the MIBs' definitions
//! (the enumerations, on which number is on), never from handler code.
//!
//! Outlets switch through the test bed's snmpsim variation module `follow`
//! (tests/fixtures/snmpsim-variation/follow.py): the command object is writable and the state
//! object takes the commanded state after the outlet's [`Follow`] delay (reading a given value
//! meanwhile, for reboots), or never. Every outlet's group is local to its recording.

use dci_protocol::{PortState, PortStatus};

use crate::snmprec::{Snmprec, Value};

/// How an outlet's state follows a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// At once.
    Now,
    /// After this many seconds.
    After(u32),
    /// Never: the device accepts the command and the state stays.
    Never,
    /// After this many seconds, reading the given value meanwhile (a reboot that reads off,
    /// or a transitional value, until it is done).
    Through(u32, i32),
}

impl Follow {
    fn delay(self) -> String {
        match self {
            Follow::Now => "0".into(),
            Follow::After(s) | Follow::Through(s, _) => s.to_string(),
            Follow::Never => "-1".into(),
        }
    }

    fn during(self) -> String {
        match self {
            Follow::Through(_, v) => format!(",during={v}"),
            _ => String::new(),
        }
    }
}

/// One outlet (or blade bay) of a generated PDU.
#[derive(Debug, Clone, PartialEq)]
pub struct Outlet {
    /// Its index N in the tables.
    pub n: u32,
    /// Its name as recorded.
    pub name: String,
    /// Powered at the start.
    pub on: bool,
    /// How it follows commands.
    pub follow: Follow,
    /// Watts (metered APC) or mA (RPCM) it reports.
    pub load: u32,
    /// BladeCenter: a blade is installed.
    pub present: bool,
}

/// The PDU families generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// IBM BladeCenter management module, BLADE-MIB.
    Blade,
    /// RPCM.
    Rpcm,
    /// APC rPDU2, switched; metered by outlet when `metered`.
    ApcRpdu2 {
        /// rPDU2OutletMeteredStatusTable present.
        metered: bool,
    },
    /// APC rPDU (AP79xx).
    ApcRpdu,
    /// APC MasterSwitch (sPDUOutletCtl).
    ApcMasterSwitch,
}

/// A generated PDU: its outlets, and the recording.
#[derive(Debug, Clone)]
pub struct Pdu {
    /// The family.
    pub kind: Kind,
    /// The outlets, by index.
    pub outlets: Vec<Outlet>,
    /// The `.snmprec` to serve.
    pub recording: Snmprec,
}

const BLADE_STATUS: &str = "1.3.6.1.4.1.2.3.51.2.22.1.5.1.1";
const BLADE_CONTROL: &str = "1.3.6.1.4.1.2.3.51.2.22.1.6.1.1";
const RPCM_OUTPUT: &str = "1.3.6.1.4.1.46235.2.4.2.1";
const RPDU2_STATUS: &str = "1.3.6.1.4.1.318.1.1.26.9.2.3.1";
const RPDU2_CONTROL: &str = "1.3.6.1.4.1.318.1.1.26.9.2.4.1";
const RPDU2_METERED: &str = "1.3.6.1.4.1.318.1.1.26.9.4.3.1";
const RPDU_STATUS: &str = "1.3.6.1.4.1.318.1.1.12.3.5.1.1";
const RPDU_CONTROL: &str = "1.3.6.1.4.1.318.1.1.12.3.3.1.1";
const SPDU_CONTROL: &str = "1.3.6.1.4.1.318.1.1.4.4.2.1";

fn at(entry: &str, column: u32, n: u32) -> String {
    format!("{entry}.{column}.{n}")
}

/// `count` outlets in a pattern: every third one off, names "srv-N" (bay 2 of a BladeCenter
/// unnamed, bays 5 and 13 empty), loads that vary.
pub fn outlets(kind: Kind, count: u32) -> Vec<Outlet> {
    (1..=count)
        .map(|n| {
            let present = !(kind == Kind::Blade && (n == 5 || n == 13));
            let name = match (kind, present) {
                (Kind::Blade, false) => "Not installed".to_owned(),
                (Kind::Blade, true) if n == 2 => "(No name)".to_owned(),
                _ => format!("srv-{n}"),
            };
            Outlet {
                n,
                name,
                on: present && n % 3 != 0,
                follow: Follow::Now,
                load: if n % 3 != 0 { 40 + 7 * n } else { 0 },
                present,
            }
        })
        .collect()
}

impl Pdu {
    /// A PDU of `kind` with `outlets`.
    pub fn new(kind: Kind, outlets: Vec<Outlet>) -> Pdu {
        let mut rec = Snmprec::new();
        rec.add("1.3.6.1.2.1.1.1.0", Value::string(descr(kind)))
            .add("1.3.6.1.2.1.1.5.0", Value::string("pdu-under-test"));
        for o in &outlets {
            write_outlet(&mut rec, kind, o);
        }
        Pdu {
            kind,
            outlets,
            recording: rec,
        }
    }

    /// Sets how outlet `n` follows commands.
    pub fn follow(mut self, n: u32, follow: Follow) -> Pdu {
        for o in &mut self.outlets {
            if o.n == n {
                o.follow = follow;
            }
        }
        Pdu::new(self.kind, self.outlets)
    }

    /// What `status` must answer.
    pub fn expected_status(&self) -> Vec<PortState> {
        self.outlets
            .iter()
            .map(|o| {
                let mut p = PortState::new(o.n.to_string());
                p.description = match self.kind {
                    Kind::Rpcm => None,
                    Kind::Blade if !o.present => Some("Not installed".into()),
                    Kind::Blade if o.name == "(No name)" => Some(format!("Blade {}", o.n)),
                    _ => Some(o.name.clone()),
                };
                p.admin_status = Some(if o.on {
                    PortStatus::On
                } else {
                    PortStatus::Off
                });
                p
            })
            .collect()
    }

    /// What `statistics` must answer on a metered APC: watts per outlet.
    pub fn expected_statistics(&self) -> Vec<PortState> {
        self.outlets
            .iter()
            .map(|o| {
                let mut p = PortState::new(o.n.to_string());
                p.power = Some(f64::from(o.load));
                p
            })
            .collect()
    }
}

fn descr(kind: Kind) -> &'static str {
    match kind {
        Kind::Blade => "BladeCenter Advanced Management Module",
        Kind::Rpcm => "RPCM",
        Kind::ApcRpdu2 { .. } => "APC Web/SNMP Management Card (MN:AP8941)",
        Kind::ApcRpdu => "APC Web/SNMP Management Card (MN:AP7921)",
        Kind::ApcMasterSwitch => "APC MasterSwitch AP9212",
    }
}

/// The `follow` records of one outlet: a state and its command(s). `map` is COMMAND>STATE
/// pairs from the MIB.
fn follow_state(o: &Outlet, state: i32, map: &str) -> String {
    follow_stateful("state", o, state, map)
}

fn follow_command(o: &Outlet, value: i32) -> String {
    format!("2:follow|role=command,group=o{},value={value}", o.n)
}

fn follow_pending(o: &Outlet, idle: i32, pending: i32) -> String {
    format!(
        "2:follow|role=pending,group=o{},value={idle},pending={pending}",
        o.n
    )
}

/// One object read (the state) and written (a command), as RPCM's and sPDUOutletCtl.
fn follow_both(o: &Outlet, state: i32, map: &str) -> String {
    follow_stateful("both", o, state, map)
}

/// A `follow` record that holds outlet `o`'s state (`role` state or both).
fn follow_stateful(role: &str, o: &Outlet, state: i32, map: &str) -> String {
    format!(
        "2:follow|role={role},group=o{},value={state},delay={},map={map}{}",
        o.n,
        o.follow.delay(),
        o.follow.during()
    )
}

fn write_outlet(rec: &mut Snmprec, kind: Kind, o: &Outlet) {
    let n = o.n;
    let ni = i32::try_from(n).expect("a small index");
    let load = i32::try_from(o.load).expect("a small load");
    match kind {
        Kind::Blade => {
            // bladeExists false(0)/true(1); bladePowerState off(0)/on(1); powerOnOffBlade
            // off(0)/on(1); restartBlade execute(1), after which the blade is on.
            rec.add(&at(BLADE_STATUS, 1, n), Value::Integer(ni))
                .add(
                    &at(BLADE_STATUS, 3, n),
                    Value::Integer(i32::from(o.present)),
                )
                .variation(
                    &at(BLADE_STATUS, 4, n),
                    &follow_state(o, i32::from(o.on), "0>0/1>1"),
                )
                .add(&at(BLADE_STATUS, 6, n), Value::string(&o.name))
                .variation(
                    &at(BLADE_CONTROL, 7, n),
                    &follow_command(o, i32::from(o.on)),
                )
                .variation(&at(BLADE_CONTROL, 8, n), &follow_command(o, 0));
        }
        Kind::Rpcm => {
            // Administrative state off(0)/on(1), read and written; current in mA.
            rec.variation(
                &at(RPCM_OUTPUT, 4, n),
                &follow_both(o, i32::from(o.on), "0>0/1>1"),
            )
            .add(&at(RPCM_OUTPUT, 11, n), Value::Gauge32(o.load * 10));
        }
        Kind::ApcRpdu2 { metered } => {
            // rPDU2OutletSwitchedStatusState off(1)/on(2); the control command
            // immediateOn(1)/immediateOff(2)/immediateReboot(3), after which the outlet is on.
            let state = if o.on { 2 } else { 1 };
            rec.add(&at(RPDU2_STATUS, 1, n), Value::Integer(ni))
                .add(&at(RPDU2_STATUS, 2, n), Value::Integer(1))
                .add(&at(RPDU2_STATUS, 3, n), Value::string(&o.name))
                .add(&at(RPDU2_STATUS, 4, n), Value::Integer(ni))
                .variation(
                    &at(RPDU2_STATUS, 5, n),
                    &follow_state(o, state, "1>2/2>1/3>2"),
                )
                // rPDU2OutletSwitchedStatusCommandPending: commandPending(1) while a command
                // is on its way, else noCommandPending(2).
                .variation(&at(RPDU2_STATUS, 6, n), &follow_pending(o, 2, 1))
                .add(&at(RPDU2_CONTROL, 1, n), Value::Integer(ni))
                .add(&at(RPDU2_CONTROL, 2, n), Value::Integer(1))
                .add(&at(RPDU2_CONTROL, 3, n), Value::string(&o.name))
                .add(&at(RPDU2_CONTROL, 4, n), Value::Integer(ni))
                .variation(
                    &at(RPDU2_CONTROL, 5, n),
                    &follow_command(o, if o.on { 1 } else { 2 }),
                );
            if metered {
                rec.add(&at(RPDU2_METERED, 1, n), Value::Integer(ni))
                    .add(&at(RPDU2_METERED, 2, n), Value::Integer(1))
                    .add(&at(RPDU2_METERED, 3, n), Value::string(&o.name))
                    .add(&at(RPDU2_METERED, 4, n), Value::Integer(ni))
                    .add(&at(RPDU2_METERED, 5, n), Value::Integer(2))
                    .add(&at(RPDU2_METERED, 6, n), Value::Integer(load / 20))
                    .add(&at(RPDU2_METERED, 7, n), Value::Integer(load));
            }
        }
        Kind::ApcRpdu => {
            // rPDUOutletStatusOutletState outletStatusOn(1)/outletStatusOff(2) (inverted
            // against rPDU2); rPDUOutletControlOutletCommand immediateOn(1)/immediateOff(2)/
            // immediateReboot(3).
            let state = if o.on { 1 } else { 2 };
            rec.add(&at(RPDU_STATUS, 1, n), Value::Integer(ni))
                .add(&at(RPDU_STATUS, 2, n), Value::string(&o.name))
                .add(&at(RPDU_STATUS, 3, n), Value::Integer(1))
                .variation(
                    &at(RPDU_STATUS, 4, n),
                    &follow_state(o, state, "1>1/2>2/3>1"),
                )
                .add(&at(RPDU_CONTROL, 1, n), Value::Integer(ni))
                .variation(&at(RPDU_CONTROL, 4, n), &follow_command(o, state));
        }
        Kind::ApcMasterSwitch => {
            // sPDUOutletCtl outletOn(1)/outletOff(2)/outletReboot(3), read and written.
            let state = if o.on { 1 } else { 2 };
            rec.add(&at(SPDU_CONTROL, 1, n), Value::Integer(ni))
                .add(&at(SPDU_CONTROL, 2, n), Value::Integer(1))
                .variation(
                    &at(SPDU_CONTROL, 3, n),
                    &follow_both(o, state, "1>1/2>2/3>1"),
                )
                .add(&at(SPDU_CONTROL, 4, n), Value::string(&o.name));
        }
    }
}
