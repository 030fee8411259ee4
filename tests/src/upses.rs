//! UPS recordings generated from the MIBs, each with what DCImanager must be told about it:
//! the standard UPS-MIB (RFC 1628) on a single-phase and a three-phase UPS, an APC Smart-UPS
//! on PowerNet-MIB only (and a three-phase Symmetra with its phase tables), an Eaton on
//! XUPS-MIB only, and one recording for each way real agents are known to lie (the
//! `../shared/recordings/ups` files they were seen in are named beside each).
//!
//! The expectations are written here by hand, as numbers, from the MIBs' units: line A is line
//! (phase) 1, B line 2; watts become kW, minutes stay, seconds and TimeTicks become minutes,
//! tenths become units; a value the UPS does not give is absent. `device_status` follows the
//! rule the issue states (Critical: output off, battery depleted, on battery with a low
//! battery; Warning: on battery, bypass, boost or trim, battery low, alarms; OK: on mains),
//! never the handler's profiles.

use crate::snmprec::{Snmprec, Value};

/// sysObjectID.0.
const SYS_OBJECT_ID: &str = "1.3.6.1.2.1.1.2.0";
/// UPS-MIB (mib-2 33).
const UPS_MIB: &str = "1.3.6.1.2.1.33.1";
/// XUPS-MIB (enterprise 534.1).
const XUPS: &str = "1.3.6.1.4.1.534.1";
/// PowerNet-MIB's UPS tree (enterprise 318.1.1.1).
const APC: &str = "1.3.6.1.4.1.318.1.1.1";
/// Huawei's UPS tree (enterprise 2011.6.174.1).
const HUAWEI: &str = "1.3.6.1.4.1.2011.6.174.1";

/// A generated UPS: the recording and the readings DCImanager must get, in the guide's order.
#[derive(Debug, Clone)]
pub struct Ups {
    /// What it is, for messages.
    pub what: &'static str,
    /// The `.snmprec` to serve.
    pub recording: Snmprec,
    /// `device_status`.
    pub status: &'static str,
    /// Every other reading given, by DCImanager's name, in the guide's order.
    pub readings: Vec<(&'static str, f64)>,
}

impl Ups {
    fn new(what: &'static str, sys_object_id: &str) -> Ups {
        let mut recording = Snmprec::new();
        recording
            .add("1.3.6.1.2.1.1.1.0", Value::string(what))
            .add(SYS_OBJECT_ID, Value::Oid(sys_object_id.into()));
        Ups {
            what,
            recording,
            status: "OK",
            readings: Vec::new(),
        }
    }

    fn add(&mut self, oid: String, v: Value) -> &mut Ups {
        self.recording.add(&oid, v);
        self
    }

    fn expect(mut self, status: &'static str, readings: &[(&'static str, f64)]) -> Ups {
        self.status = status;
        self.readings = readings.to_vec();
        self
    }

    /// The subtrees the recording answers for, for snmpd's proxy.
    pub fn subtrees(&self) -> Vec<&'static str> {
        let text = self.recording.to_string();
        [UPS_MIB, XUPS, APC, HUAWEI]
            .into_iter()
            .filter(|t| text.lines().any(|l| l.starts_with(&format!("{t}."))))
            .collect()
    }
}

fn int(i: i32) -> Value {
    Value::Integer(i)
}

fn gauge(u: u32) -> Value {
    Value::Gauge32(u)
}

/// What UPS-MIB says of one UPS.
struct UpsMib<'a> {
    /// upsOutputSource: other(1) none(2) normal(3) bypass(4) battery(5) booster(6) reducer(7).
    source: i32,
    /// upsBatteryStatus: unknown(1) batteryNormal(2) batteryLow(3) batteryDepleted(4).
    battery: i32,
    /// upsEstimatedMinutesRemaining, as sent.
    minutes: Value,
    /// upsEstimatedChargeRemaining.
    charge: i32,
    /// upsAlarmsPresent.
    alarms: u32,
    /// Per input line: upsInputVoltage (V), upsInputTruePower (W).
    input: &'a [(i32, i32)],
    /// Per output line: upsOutputPercentLoad (%), upsOutputPower (W).
    output: &'a [(i32, i32)],
    /// upsInputNumLines and upsOutputNumLines are there.
    counts: bool,
}

fn ups_mib(u: &mut Ups, m: &UpsMib<'_>) {
    let o = |s: &str| format!("{UPS_MIB}.{s}");
    u.add(o("2.1.0"), int(m.battery))
        .add(o("2.3.0"), m.minutes.clone())
        .add(o("2.4.0"), int(m.charge))
        .add(o("4.1.0"), int(m.source))
        .add(o("6.1.0"), gauge(m.alarms));
    if m.counts {
        u.add(o("3.2.0"), int(m.input.len() as i32))
            .add(o("4.3.0"), int(m.output.len() as i32));
    }
    for (k, (volts, watts)) in m.input.iter().enumerate() {
        let l = k + 1;
        u.add(o(&format!("3.3.1.1.{l}")), int(l as i32))
            .add(o(&format!("3.3.1.2.{l}")), int(500))
            .add(o(&format!("3.3.1.3.{l}")), int(*volts))
            .add(o(&format!("3.3.1.5.{l}")), int(*watts));
    }
    for (k, (load, watts)) in m.output.iter().enumerate() {
        let l = k + 1;
        u.add(o(&format!("4.4.1.1.{l}")), int(l as i32))
            .add(o(&format!("4.4.1.4.{l}")), int(*watts))
            .add(o(&format!("4.4.1.5.{l}")), int(*load));
    }
}

/// What XUPS-MIB says of one UPS.
struct Xups<'a> {
    /// xupsOutputSource (same codes as UPS-MIB to reducer(7), then parallelCapacity(8) …).
    source: i32,
    /// xupsBatTimeRemaining, seconds.
    seconds: i32,
    /// xupsBatCapacity, %.
    capacity: i32,
    /// xupsBatteryAbmStatus: batteryFloating(3), batteryDisconnected(6), checkBattery(8) …
    abm: i32,
    /// xupsAlarms.
    alarms: i32,
    /// xupsOutputLoad, %.
    load: i32,
    /// Per input phase: xupsInputVoltage (V), xupsInputWatts (W).
    input: &'a [(i32, i32)],
    /// Per output phase: xupsOutputPercentLoad (%), xupsOutputWatts (W).
    output: &'a [(i32, i32)],
}

fn xups(u: &mut Ups, x: &Xups<'_>) {
    let o = |s: &str| format!("{XUPS}.{s}");
    u.add(o("2.1.0"), int(x.seconds))
        .add(o("2.4.0"), int(x.capacity))
        .add(o("2.5.0"), int(x.abm))
        .add(o("3.3.0"), int(x.input.len() as i32))
        .add(o("4.1.0"), int(x.load))
        .add(o("4.3.0"), int(x.output.len() as i32))
        .add(o("4.5.0"), int(x.source))
        .add(o("7.1.0"), int(x.alarms));
    for (k, (volts, watts)) in x.input.iter().enumerate() {
        let p = k + 1;
        u.add(o(&format!("3.4.1.1.{p}")), int(p as i32))
            .add(o(&format!("3.4.1.2.{p}")), int(*volts))
            .add(o(&format!("3.4.1.4.{p}")), int(*watts));
    }
    for (k, (load, watts)) in x.output.iter().enumerate() {
        let p = k + 1;
        u.add(o(&format!("4.4.1.1.{p}")), int(p as i32))
            .add(o(&format!("4.4.1.4.{p}")), int(*watts))
            .add(o(&format!("4.4.1.8.{p}")), int(*load));
    }
}

/// The UPS-MIB readings of a healthy UPS on mains, alarms none.
fn on_mains<'a>(input: &'a [(i32, i32)], output: &'a [(i32, i32)], minutes: i32) -> UpsMib<'a> {
    UpsMib {
        source: 3,
        battery: 2,
        minutes: int(minutes),
        charge: 100,
        alarms: 0,
        input,
        output,
        counts: true,
    }
}

/// What the single-phase UPS on mains reports: 231 V, 37 %, 620 W out, 650 W in, 42 minutes.
const SINGLE_PHASE: &[(&str, f64)] = &[
    ("input_voltage_line_A", 231.0),
    ("output_load_line_A", 37.0),
    ("output_power_line_A", 0.62),
    ("input_power_line_A", 0.65),
    ("battary_time_remains", 42.0),
];

/// A single-phase UPS on UPS-MIB alone: line B is not there, never 0 V.
pub fn single_phase() -> Ups {
    let mut u = Ups::new("UPS-MIB single-phase UPS", "1.3.6.1.4.1.99999.1");
    ups_mib(&mut u, &on_mains(&[(231, 650)], &[(37, 620)], 42));
    u.expect("OK", SINGLE_PHASE)
}

/// A three-phase UPS on UPS-MIB alone, on mains: lines 1 and 2 are A and B, line 3 is not
/// representable.
pub fn three_phase() -> Ups {
    let mut u = Ups::new("UPS-MIB three-phase UPS", "1.3.6.1.4.1.99999.3");
    ups_mib(
        &mut u,
        &on_mains(
            &[(229, 5200), (231, 5100), (230, 4900)],
            &[(41, 5000), (38, 4800), (40, 4700)],
            18,
        ),
    );
    u.expect(
        "OK",
        &[
            ("input_voltage_line_A", 229.0),
            ("input_voltage_line_B", 231.0),
            ("output_load_line_A", 41.0),
            ("output_load_line_B", 38.0),
            ("output_power_line_A", 5.0),
            ("output_power_line_B", 4.8),
            ("input_power_line_A", 5.2),
            ("input_power_line_B", 5.1),
            ("battary_time_remains", 18.0),
        ],
    )
}

/// The three-phase UPS on battery with the battery low: Critical; the input is gone (0 V, a
/// real reading, and 0 W drawn).
pub fn on_battery_low() -> Ups {
    let mut u = Ups::new("UPS-MIB UPS on battery, battery low", "1.3.6.1.4.1.99999.3");
    ups_mib(
        &mut u,
        &UpsMib {
            source: 5,
            battery: 3,
            minutes: int(3),
            charge: 9,
            alarms: 2,
            input: &[(0, 0), (0, 0), (0, 0)],
            output: &[(41, 5000), (38, 4800), (40, 4700)],
            counts: true,
        },
    );
    u.expect(
        "Critical",
        &[
            ("input_voltage_line_A", 0.0),
            ("input_voltage_line_B", 0.0),
            ("output_load_line_A", 41.0),
            ("output_load_line_B", 38.0),
            ("output_power_line_A", 5.0),
            ("output_power_line_B", 4.8),
            ("input_power_line_A", 0.0),
            ("input_power_line_B", 0.0),
            ("battary_time_remains", 3.0),
        ],
    )
}

/// UPS-MIB states, each with the level the issue gives it: (what, upsOutputSource,
/// upsBatteryStatus, upsAlarmsPresent, level).
pub const UPS_MIB_STATES: &[(&str, i32, i32, u32, &str)] = &[
    ("output off", 2, 2, 0, "Critical"),
    ("battery depleted", 3, 4, 0, "Critical"),
    ("on battery", 5, 2, 0, "Warning"),
    ("on bypass", 4, 2, 0, "Warning"),
    ("boosting", 6, 2, 0, "Warning"),
    ("trimming", 7, 2, 0, "Warning"),
    ("on mains, battery low", 3, 3, 0, "Warning"),
    ("on mains, an alarm", 3, 2, 1, "Warning"),
    ("on mains", 3, 2, 0, "OK"),
];

/// The single-phase UPS in state `k` of [`UPS_MIB_STATES`].
pub fn in_state(k: usize) -> Ups {
    let (what, source, battery, alarms, level) = UPS_MIB_STATES[k];
    let mut u = Ups::new(what, "1.3.6.1.4.1.99999.1");
    ups_mib(
        &mut u,
        &UpsMib {
            source,
            battery,
            alarms,
            ..on_mains(&[(231, 650)], &[(37, 620)], 42)
        },
    );
    u.expect(level, SINGLE_PHASE)
}

/// An APC Smart-UPS on PowerNet-MIB alone (as apc_smart1500): high-precision voltage and load
/// in tenths beside the whole values, the output's active power, the runtime in TimeTicks.
pub fn apc_smart_ups() -> Ups {
    let mut u = Ups::new("APC Smart-UPS 1500", "1.3.6.1.4.1.318.1.3.27");
    let o = |s: &str| format!("{APC}.{s}");
    u.add(o("2.1.1.0"), int(2)) // upsBasicBatteryStatus batteryNormal
        .add(o("2.2.1.0"), gauge(100)) // upsAdvBatteryCapacity
        .add(o("2.2.3.0"), Value::TimeTicks(270_000)) // upsAdvBatteryRunTimeRemaining: 45 min
        .add(o("3.2.1.0"), gauge(230)) // upsAdvInputLineVoltage
        .add(o("3.3.1.0"), gauge(2302)) // upsHighPrecInputLineVoltage, tenths
        .add(o("4.1.1.0"), int(2)) // upsBasicOutputStatus onLine
        .add(o("4.2.3.0"), gauge(25)) // upsAdvOutputLoad
        .add(o("4.2.8.0"), int(410)) // upsAdvOutputActivePower, W
        .add(o("4.3.3.0"), gauge(254)); // upsHighPrecOutputLoad, tenths
    u.expect(
        "OK",
        &[
            ("input_voltage_line_A", 230.2),
            ("output_load_line_A", 25.4),
            ("output_power_line_A", 0.41),
            ("battary_time_remains", 45.0),
        ],
    )
}

/// An APC three-phase Symmetra on PowerNet-MIB alone: the phase tables ({ table 1, phase })
/// give lines A and B; on battery with the battery low, Critical.
pub fn apc_three_phase() -> Ups {
    let mut u = Ups::new("APC Symmetra PX 3-phase", "1.3.6.1.4.1.318.1.3.17");
    let o = |s: &str| format!("{APC}.{s}");
    u.add(o("2.1.1.0"), int(3)) // batteryLow
        .add(o("2.2.1.0"), gauge(12))
        .add(o("2.2.3.0"), Value::TimeTicks(48_000)) // 8 min
        .add(o("4.1.1.0"), int(3)) // onBattery
        .add(o("9.2.2.1.2.1"), int(3)) // upsPhaseNumInputPhases
        .add(o("9.3.2.1.2.1"), int(3)); // upsPhaseNumOutputPhases
    for p in 1..=3 {
        u.add(o(&format!("9.2.3.1.3.1.{p}")), int(-1)) // input voltage: not supported
            .add(o(&format!("9.2.3.1.9.1.{p}")), int(0))
            .add(o(&format!("9.3.3.1.10.1.{p}")), int(30 + p))
            .add(o(&format!("9.3.3.1.13.1.{p}")), int(3000 + 100 * p));
    }
    u.expect(
        "Critical",
        &[
            ("output_load_line_A", 31.0),
            ("output_load_line_B", 32.0),
            ("output_power_line_A", 3.1),
            ("output_power_line_B", 3.2),
            ("input_power_line_A", 0.0),
            ("input_power_line_B", 0.0),
            ("battary_time_remains", 8.0),
        ],
    )
}

/// An Eaton on XUPS-MIB alone (as eatonups), three phases on each side, on mains.
pub fn eaton_xups() -> Ups {
    let mut u = Ups::new("Eaton 9PX 3-phase", "1.3.6.1.4.1.534.1");
    xups(
        &mut u,
        &Xups {
            source: 3,
            seconds: 1800,
            capacity: 100,
            abm: 3,
            alarms: 0,
            load: 29,
            input: &[(228, 3100), (232, 3000), (231, 2900)],
            output: &[(30, 2900), (29, 2800), (28, 2700)],
        },
    );
    u.expect(
        "OK",
        &[
            ("input_voltage_line_A", 228.0),
            ("input_voltage_line_B", 232.0),
            ("output_load_line_A", 30.0),
            ("output_load_line_B", 29.0),
            ("output_power_line_A", 2.9),
            ("output_power_line_B", 2.8),
            ("input_power_line_A", 3.1),
            ("input_power_line_B", 3.0),
            ("battary_time_remains", 30.0),
        ],
    )
}

/// Quirks of real agents, each declared in a profile: (community, UPS).
pub fn quirks() -> Vec<(&'static str, Ups)> {
    vec![
        ("no-line-counts", no_line_counts()),
        ("minus-one", minus_one()),
        ("zero-runtime-full", zero_runtime_full()),
        ("xups-65535", xups_65535()),
        ("tenths-in-ups-mib", tenths_in_ups_mib()),
        ("huawei", huawei()),
        ("two-mibs", two_mibs()),
    ]
}

/// Generex CS141: the UPS-MIB tables without upsInputNumLines/upsOutputNumLines (the rows are
/// the lines), negative watts on a loaded line (not available), on bypass (Warning).
fn no_line_counts() -> Ups {
    let mut u = Ups::new("Generex CS141: no line counts", "1.3.6.1.2.1.33");
    ups_mib(
        &mut u,
        &UpsMib {
            source: 4,
            counts: false,
            ..on_mains(
                &[(233, 900), (233, 880), (235, 870)],
                &[(2, -4), (14, 469), (2, -26)],
                544,
            )
        },
    );
    u.expect(
        "Warning",
        &[
            ("input_voltage_line_A", 233.0),
            ("input_voltage_line_B", 233.0),
            ("output_load_line_A", 2.0),
            ("output_load_line_B", 14.0),
            ("output_power_line_B", 0.469),
            ("input_power_line_A", 0.9),
            ("input_power_line_B", 0.88),
            ("battary_time_remains", 544.0),
        ],
    )
}

/// Huawei's card: upsEstimatedMinutesRemaining and the charge -1, outside the MIB's ranges.
fn minus_one() -> Ups {
    let mut u = Ups::new("UPS-MIB runtime -1", "1.3.6.1.4.1.99999.1");
    ups_mib(
        &mut u,
        &UpsMib {
            minutes: int(-1),
            charge: -1,
            ..on_mains(&[(231, 650)], &[(37, 620)], 0)
        },
    );
    u.expect(
        "OK",
        &[
            ("input_voltage_line_A", 231.0),
            ("output_load_line_A", 37.0),
            ("output_power_line_A", 0.62),
            ("input_power_line_A", 0.65),
        ],
    )
}

/// Ingrasys: runtime 0 (sent as TimeTicks) with the charge at 100 %, and 0 W drawn on every
/// input line of a loaded UPS on mains: neither is a measurement.
fn zero_runtime_full() -> Ups {
    let mut u = Ups::new(
        "Ingrasys: zero runtime, full battery",
        "1.3.6.1.4.1.2468.1.2.1",
    );
    ups_mib(
        &mut u,
        &UpsMib {
            minutes: Value::TimeTicks(0),
            ..on_mains(
                &[(228, 0), (229, 0), (227, 0)],
                &[(33, 7900), (33, 5500), (33, 7700)],
                0,
            )
        },
    );
    u.expect(
        "OK",
        &[
            ("input_voltage_line_A", 228.0),
            ("input_voltage_line_B", 229.0),
            ("output_load_line_A", 33.0),
            ("output_load_line_B", 33.0),
            ("output_power_line_A", 7.9),
            ("output_power_line_B", 5.5),
        ],
    )
}

/// XUPS alone with xupsBatTimeRemaining 65535 s (as Eaton 93E sends it), one phase.
fn xups_65535() -> Ups {
    let mut u = Ups::new("XUPS runtime 65535", "1.3.6.1.4.1.534.1");
    xups(
        &mut u,
        &Xups {
            source: 3,
            seconds: 65535,
            capacity: 100,
            abm: 3,
            alarms: 0,
            load: 20,
            input: &[(230, 450)],
            output: &[(20, 400)],
        },
    );
    u.expect(
        "OK",
        &[
            ("input_voltage_line_A", 230.0),
            ("output_load_line_A", 20.0),
            ("output_power_line_A", 0.4),
            ("input_power_line_A", 0.45),
        ],
    )
}

/// A UPS-MIB agent that sends the voltage in tenths against the MIB (Huawei's 2369 for
/// 236.9 V), with nothing else to read it from: left out, never 2369 V.
fn tenths_in_ups_mib() -> Ups {
    let mut u = Ups::new("UPS-MIB voltage in tenths", "1.3.6.1.4.1.8072.3.2.10");
    ups_mib(&mut u, &on_mains(&[(2369, 3500)], &[(8, 3400)], 30));
    u.expect(
        "OK",
        &[
            ("output_load_line_A", 8.0),
            ("output_power_line_A", 3.4),
            ("input_power_line_A", 3.5),
            ("battary_time_remains", 30.0),
        ],
    )
}

/// Huawei's GSE200M card: UPS-MIB one line with the voltage in tenths and a runtime of -1,
/// beside Huawei's own tree (three phases in columns of row 1, tenths of V, %, kW; runtime in
/// seconds), which disagrees with it and wins.
fn huawei() -> Ups {
    let mut u = Ups::new("Huawei UPS5000 (GSE200M)", "1.3.6.1.4.1.8072.3.2.10");
    ups_mib(
        &mut u,
        &UpsMib {
            minutes: int(-1),
            charge: -1,
            ..on_mains(&[(2369, 0)], &[(8, 34)], 0)
        },
    );
    let h = |s: &str| format!("{HUAWEI}.{s}");
    u.add(h("2.101.1.1.1"), int(3)) // supply method: normal
        .add(h("2.101.1.3.1"), int(4)) // battery: float
        .add(h("3.100.1.1.1"), gauge(2347))
        .add(h("3.100.1.2.1"), gauge(2380))
        .add(h("3.100.1.3.1"), gauge(2361))
        .add(h("4.100.1.8.1"), int(21))
        .add(h("4.100.1.9.1"), int(24))
        .add(h("4.100.1.10.1"), int(60))
        .add(h("4.100.1.14.1"), gauge(200))
        .add(h("4.100.1.15.1"), gauge(219))
        .add(h("4.100.1.16.1"), gauge(481))
        .add(h("6.100.1.4.1"), gauge(28080));
    u.expect(
        "OK",
        &[
            ("input_voltage_line_A", 234.7),
            ("input_voltage_line_B", 238.0),
            ("output_load_line_A", 20.0),
            ("output_load_line_B", 21.9),
            ("output_power_line_A", 2.1),
            ("output_power_line_B", 2.4),
            ("battary_time_remains", 468.0),
        ],
    )
}

/// UPS-MIB and XUPS on one agent, disagreeing: UPS-MIB's runtime (50 min) against XUPS's
/// (1800 s) and its on-mains against XUPS's on-battery. Readings: UPS-MIB first. Status: the
/// more severe.
fn two_mibs() -> Ups {
    let mut u = Ups::new("Eaton 93E: UPS-MIB and XUPS disagree", "1.3.6.1.4.1.705.1");
    ups_mib(&mut u, &on_mains(&[(227, 0)], &[(21, 5100)], 50));
    xups(
        &mut u,
        &Xups {
            source: 5,
            seconds: 1800,
            capacity: 100,
            abm: 2,
            alarms: 0,
            load: 22,
            input: &[(226, 0)],
            output: &[(22, 5000)],
        },
    );
    u.expect(
        "Warning",
        &[
            ("input_voltage_line_A", 227.0),
            ("output_load_line_A", 21.0),
            ("output_power_line_A", 5.1),
            // UPS-MIB's 0 W while on mains is not a measurement; XUPS's 0 W on battery is.
            ("input_power_line_A", 0.0),
            ("battary_time_remains", 50.0),
        ],
    )
}
