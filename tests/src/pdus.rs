//! PDU recordings generated from the MIBs, each with the facts a handler must report about it:
//! an IBM BladeCenter (BLADE-MIB), an RPCM (enterprise 46235), APC PDUs of the three
//! generations (PowerNet-MIB rPDU2, rPDU, MasterSwitch sPDUOutletCtl), metered or not, Eaton
//! ePDUs alone or daisy-chained (EATON-EPDU-MIB), Raritan PX2/PX3 (PDU2-MIB) and Dominion PX
//! (PDU-MIB), ServerTech Sentry4 and Sentry3.
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
    /// The PDU lets it be switched (Eaton, Raritan PDU2, Sentry: a column says so).
    pub switchable: bool,
    /// The PDU gives its watts (else it sends the MIB's "not available", where it has one).
    pub metered: bool,
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
    /// Eaton ePDU (EATON-EPDU-MIB): `units` daisy-chained, strappingIndex 0 the master, the
    /// outlets shared out between them in order.
    Eaton {
        /// Units in the chain.
        units: u32,
    },
    /// Raritan PX2/PX3 (PDU2-MIB), pduId 1.
    RaritanPdu2 {
        /// The switching state and operation columns are there (else only the on/off sensor,
        /// as in a PX3 walked by LibreNMS).
        switching: bool,
    },
    /// Raritan Dominion PX (PDU-MIB).
    RaritanPx,
    /// ServerTech Sentry4: tower 1, eight outlets an input cord.
    Sentry4,
    /// ServerTech Sentry3: tower 1, eight outlets an infeed.
    Sentry3,
}

impl Kind {
    /// The names the command-line tools (`gen-recording pdu`, `pdu-agent`) take, `|`-separated.
    pub const NAMES: &'static str = "blade|rpcm|apc|eaton|raritan|px|sentry4|sentry3";

    /// The family a tool's name stands for: a metered APC rPDU2, a single Eaton, a switching
    /// Raritan PX3.
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "blade" => Kind::Blade,
            "rpcm" => Kind::Rpcm,
            "apc" => Kind::ApcRpdu2 { metered: true },
            "eaton" => Kind::Eaton { units: 1 },
            "raritan" => Kind::RaritanPdu2 { switching: true },
            "px" => Kind::RaritanPx,
            "sentry4" => Kind::Sentry4,
            "sentry3" => Kind::Sentry3,
            _ => return None,
        })
    }
}

/// Outlets an infeed (input cord) of a generated Sentry.
const SENTRY_PER_INFEED: u32 = 8;

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

/// The index arcs of outlet `n` of `count` in a PDU of `kind`, dotted.
fn index(kind: Kind, n: u32, count: u32) -> String {
    match kind {
        Kind::Eaton { units } => {
            let per = count.div_ceil(units.max(1));
            format!("{}.{}", (n - 1) / per, (n - 1) % per + 1)
        }
        Kind::RaritanPdu2 { .. } => format!("1.{n}"),
        Kind::Sentry4 | Kind::Sentry3 => format!(
            "1.{}.{}",
            (n - 1) / SENTRY_PER_INFEED + 1,
            (n - 1) % SENTRY_PER_INFEED + 1
        ),
        _ => n.to_string(),
    }
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

const EATON_OUTLET: &str = "1.3.6.1.4.1.534.6.6.7.6";
const PDU2_CONFIG: &str = "1.3.6.1.4.1.13742.6.3.5.3.1";
const PDU2_DIGITS: &str = "1.3.6.1.4.1.13742.6.3.5.4.1.7";
const PDU2_CONTROL: &str = "1.3.6.1.4.1.13742.6.4.1.2.1";
const PDU2_SENSOR: &str = "1.3.6.1.4.1.13742.6.5.4.3.1";
const PX_OUTLET: &str = "1.3.6.1.4.1.13742.4.1.2.2.1";
const ST4_OUTLET: &str = "1.3.6.1.4.1.1718.4.1.8";
const ST3_OUTLET: &str = "1.3.6.1.4.1.1718.3.2.3.1";

fn at(entry: &str, column: u32, ix: impl std::fmt::Display) -> String {
    format!("{entry}.{column}.{ix}")
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
                switchable: true,
                metered: true,
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
        let count = u32::try_from(outlets.len()).expect("a few outlets");
        for o in &outlets {
            write_outlet(&mut rec, kind, o, &index(kind, o.n, count));
        }
        if let Kind::Eaton { .. } = kind {
            // inputTotalWatts of the master's input 1: what its outlets draw.
            let total: u32 = outlets.iter().filter(|o| o.metered).map(|o| o.load).sum();
            rec.add(
                "1.3.6.1.4.1.534.6.6.7.3.5.1.4.0.1",
                Value::Integer(i32::try_from(total).expect("a small total")),
            );
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

    /// Outlet `n` cannot be switched (the PDU's column says so).
    pub fn fixed(mut self, n: u32) -> Pdu {
        self.outlets
            .iter_mut()
            .for_each(|o| o.switchable &= o.n != n);
        Pdu::new(self.kind, self.outlets)
    }

    /// Outlet `n` sends the MIB's "not available" for its watts.
    pub fn unmetered(mut self, n: u32) -> Pdu {
        self.outlets.iter_mut().for_each(|o| o.metered &= o.n != n);
        Pdu::new(self.kind, self.outlets)
    }

    /// The identity DCImanager knows outlet `n` by: `N`; `U.N` on an Eaton chain of more than
    /// one unit; `T.I.N` on a Sentry.
    pub fn identity(&self, n: u32) -> String {
        let count = u32::try_from(self.outlets.len()).expect("a few outlets");
        let ix = index(self.kind, n, count);
        match self.kind {
            Kind::Eaton { units: 1 } | Kind::RaritanPdu2 { .. } => {
                ix.rsplit('.').next().unwrap_or_default().to_owned()
            }
            _ => ix,
        }
    }

    /// What `status` must answer.
    pub fn expected_status(&self) -> Vec<PortState> {
        self.outlets
            .iter()
            .map(|o| {
                let mut p = PortState::new(self.identity(o.n));
                p.description = match self.kind {
                    Kind::Rpcm => None,
                    // outletName empty on every fourth: the label, the outlet's number.
                    Kind::RaritanPdu2 { .. } if o.n % 4 == 1 => Some(o.n.to_string()),
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

    /// What `statistics` must answer on a PDU that meters its outlets: watts per outlet, none
    /// where the PDU says "not available".
    pub fn expected_statistics(&self) -> Vec<PortState> {
        self.outlets
            .iter()
            .map(|o| {
                let mut p = PortState::new(self.identity(o.n));
                p.power = o.metered.then_some(f64::from(o.load));
                p
            })
            .collect()
    }

    /// What `statistics` must answer when a request asks for `<readings>current energy`
    /// (DCImanager 6): beside the watts, each outlet's current in A and energy in kWh where
    /// the family's MIB has them (RPCM: current only; APC: watts only), from the raw values
    /// [`write_outlet`] records and the units the MIBs give them.
    pub fn expected_readings(&self) -> Vec<PortState> {
        self.outlets
            .iter()
            .map(|o| {
                let load = f64::from(o.load);
                let milliamps = f64::from(o.load * 1000 / 230) / 1000.0;
                let hundredths = f64::from(o.load * 100 / 230) / 100.0;
                let kwh = f64::from(o.load * 100) / 1000.0;
                let watts = o.metered.then_some(load);
                let mut p = PortState::new(self.identity(o.n));
                (p.power, p.current, p.energy) = match self.kind {
                    Kind::Rpcm => (None, Some(f64::from(o.load * 10) / 1000.0), None),
                    Kind::ApcRpdu2 { metered: true } => (watts, None, None),
                    Kind::Eaton { .. } => (watts, Some(milliamps), Some(kwh)),
                    Kind::RaritanPdu2 { .. } | Kind::RaritanPx => {
                        (Some(load), Some(milliamps), Some(kwh))
                    }
                    Kind::Sentry4 | Kind::Sentry3 => (watts, Some(hundredths), Some(kwh)),
                    _ => (None, None, None),
                };
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
        Kind::Eaton { .. } => "Eaton ePDU MA 1P IN:C20 16A OUT:20xC13, 4xC19",
        Kind::RaritanPdu2 { .. } => "Raritan PX3-5190R",
        Kind::RaritanPx => "Raritan Dominion PX DPXR12-20L",
        Kind::Sentry4 => "Sentry Switched PDU PRO2",
        Kind::Sentry3 => "Sentry Switched CDU",
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

fn write_outlet(rec: &mut Snmprec, kind: Kind, o: &Outlet, ix: &str) {
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
        Kind::Eaton { .. } => {
            // outletControlStatus off(0)/on(1)/pendingOff(2)/pendingOn(3); the Off, On and
            // Reboot command objects each take the delay (0 = now) and read -1 when nothing
            // is pending; outletControlSwitchable switchable(1)/notSwitchable(2); outletWatts
            // negative when not available; outletWh; outletCurrent in mA.
            let m = ix.rsplit('.').next().unwrap_or_default();
            let command =
                |code: u32| format!("2:follow|role=command,group=o{n},value=-1,as={code}");
            rec.add(
                &at(EATON_OUTLET, 1, format!("1.2.{ix}")),
                Value::string(&format!("A{m}")),
            )
            .add(
                &at(EATON_OUTLET, 1, format!("1.3.{ix}")),
                Value::string(&o.name),
            )
            .add(
                &at(EATON_OUTLET, 4, format!("1.3.{ix}")),
                Value::Integer(load * 1000 / 230),
            )
            .add(
                &at(EATON_OUTLET, 5, format!("1.3.{ix}")),
                Value::Integer(if o.metered { load } else { -1 }),
            )
            .add(
                &at(EATON_OUTLET, 5, format!("1.4.{ix}")),
                Value::Integer(load * 100),
            )
            .variation(
                &at(EATON_OUTLET, 6, format!("1.2.{ix}")),
                &follow_state(o, i32::from(o.on), "0>0/1>1/2>1"),
            )
            .variation(&at(EATON_OUTLET, 6, format!("1.3.{ix}")), &command(0))
            .variation(&at(EATON_OUTLET, 6, format!("1.4.{ix}")), &command(1))
            .variation(&at(EATON_OUTLET, 6, format!("1.5.{ix}")), &command(2))
            .add(
                &at(EATON_OUTLET, 6, format!("1.9.{ix}")),
                Value::Integer(if o.switchable { 1 } else { 2 }),
            );
        }
        Kind::RaritanPdu2 { switching } => {
            // outletLabel "N", outletName (empty on every fourth), outletSwitchable
            // true(1)/false(2); outletSwitchingState and the onOff sensor (type 14) on(7)/
            // off(8); switchingOperation off(0)/on(1)/cycle(2); sensor values (Unsigned32)
            // with their decimal digits: activePower (5) in 0.1 W, activeEnergy (8) in Wh,
            // rmsCurrent (1) in mA.
            let state = if o.on { 7 } else { 8 };
            let name = if n % 4 == 1 { "" } else { o.name.as_str() };
            let unsigned = |v: i32| Value::Gauge32(u32::try_from(v).expect("a load"));
            rec.add(&at(PDU2_CONFIG, 2, ix), Value::string(&n.to_string()))
                .add(&at(PDU2_CONFIG, 3, ix), Value::string(name))
                .add(
                    &at(PDU2_CONFIG, 28, ix),
                    Value::Integer(if o.switchable { 1 } else { 2 }),
                )
                .add(&format!("{PDU2_DIGITS}.{ix}.1"), Value::Gauge32(3))
                .add(&format!("{PDU2_DIGITS}.{ix}.5"), Value::Gauge32(1))
                .add(&format!("{PDU2_DIGITS}.{ix}.8"), Value::Gauge32(0))
                .add(
                    &format!("{PDU2_SENSOR}.4.{ix}.1"),
                    unsigned(load * 1000 / 230),
                )
                .add(&format!("{PDU2_SENSOR}.4.{ix}.5"), unsigned(load * 10))
                .add(&format!("{PDU2_SENSOR}.4.{ix}.8"), unsigned(load * 100));
            if switching {
                let map = "0>8/1>7/2>7";
                rec.variation(
                    &at(PDU2_CONTROL, 2, ix),
                    &follow_command(o, i32::from(o.on)),
                )
                .variation(&at(PDU2_CONTROL, 3, ix), &follow_state(o, state, map))
                .variation(
                    &format!("{PDU2_SENSOR}.3.{ix}.14"),
                    &follow_state(o, state, map),
                );
            } else {
                rec.add(&format!("{PDU2_SENSOR}.3.{ix}.14"), Value::Integer(state));
            }
        }
        Kind::RaritanPx => {
            // outletLabel; outletOperationalState error(-1)/off(0)/on(1)/cycling(2), read and
            // written; outletCurrent mA, outletActivePower W, outletWattHours Wh.
            rec.add(&at(PX_OUTLET, 1, n), Value::Integer(ni))
                .add(&at(PX_OUTLET, 2, n), Value::string(&o.name))
                .variation(
                    &at(PX_OUTLET, 3, n),
                    &follow_both(o, i32::from(o.on), "0>0/1>1/2>1"),
                )
                .add(&at(PX_OUTLET, 4, n), Value::Integer(load * 1000 / 230))
                .add(&at(PX_OUTLET, 7, n), Value::Integer(load))
                .add(&at(PX_OUTLET, 31, n), Value::Integer(load * 100));
        }
        Kind::Sentry4 => {
            // st4OutletID "AAN", st4OutletName; st4OutletState on(1)/off(2);
            // st4OutletActivePower W (-1 not available), st4OutletCurrent 0.01 A,
            // st4OutletEnergy Wh; st4OutletControlState: on(11)/off(10) idle, pendOn(8) while a
            // command is on its way, fixedOn(1) on an outlet that cannot be switched;
            // st4OutletControlAction on(1)/off(2)/reboot(3).
            let m = ix.rsplit('.').next().unwrap_or_default();
            rec.add(
                &at(ST4_OUTLET, 2, format!("1.2.{ix}")),
                Value::string(&format!("AA{m}")),
            )
            .add(
                &at(ST4_OUTLET, 2, format!("1.3.{ix}")),
                Value::string(&o.name),
            )
            .variation(
                &at(ST4_OUTLET, 3, format!("1.1.{ix}")),
                &follow_state(o, if o.on { 1 } else { 2 }, "1>1/2>2/3>1"),
            )
            .add(
                &at(ST4_OUTLET, 3, format!("1.3.{ix}")),
                Value::Integer(load * 100 / 230),
            )
            .add(
                &at(ST4_OUTLET, 3, format!("1.7.{ix}")),
                Value::Integer(if o.metered { load } else { -1 }),
            )
            .add(
                &at(ST4_OUTLET, 3, format!("1.14.{ix}")),
                Value::Integer(load * 100),
            )
            .variation(
                &at(ST4_OUTLET, 5, format!("1.2.{ix}")),
                &follow_command(o, 0),
            );
            let control = at(ST4_OUTLET, 5, format!("1.1.{ix}"));
            if o.switchable {
                rec.variation(&control, &follow_pending(o, if o.on { 11 } else { 10 }, 8));
            } else {
                rec.add(&control, Value::Integer(1));
            }
        }
        Kind::Sentry3 => {
            // outletID, outletName; outletCapabilities BITS onSense(0), powerControl(2);
            // outletStatus off(0)/on(1)/offWait(2)/onWait(3)/…; outletControlAction on(1)/
            // off(2)/reboot(3); outletLoadValue 0.01 A, outletPower W (-1 not available),
            // outletEnergy Wh.
            let m = ix.rsplit('.').next().unwrap_or_default();
            let capabilities = if o.switchable { 0xA0 } else { 0x80 };
            rec.add(&at(ST3_OUTLET, 2, ix), Value::string(&format!("AA{m}")))
                .add(&at(ST3_OUTLET, 3, ix), Value::string(&o.name))
                .add(
                    &at(ST3_OUTLET, 4, ix),
                    Value::OctetString(vec![capabilities, 0]),
                )
                .variation(
                    &at(ST3_OUTLET, 5, ix),
                    &follow_state(o, i32::from(o.on), "1>1/2>0/3>1"),
                )
                .add(&at(ST3_OUTLET, 7, ix), Value::Integer(load * 100 / 230))
                .variation(&at(ST3_OUTLET, 11, ix), &follow_command(o, 0))
                .add(
                    &at(ST3_OUTLET, 14, ix),
                    Value::Integer(if o.metered { load } else { -1 }),
                )
                .add(&at(ST3_OUTLET, 18, ix), Value::Integer(load * 100));
        }
    }
}
