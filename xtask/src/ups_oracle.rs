//! What a UPS recording's own objects say DCImanager should be told, for `cargo xtask
//! conformance` to hold `ups-snmp`'s `status` against.
//!
//! Written apart from the handler's profiles on purpose (a second reading of the MIBs, so a
//! wrong profile line cannot agree with itself), from the mapping the UPS issue states: line A
//! is line (phase) 1, B line 2, only where the table's line count (or, without one, its rows)
//! has it; W to kW, seconds and TimeTicks to minutes, tenths where the MIB says so; a value the
//! MIB or a known agent marks "not available" is absent: negative watts, voltages outside
//! 0..500 V, a -1 or 65535 runtime, a runtime of 0 with a full battery, 0 W drawn while the
//! mains feeds the output. Sources in order: Huawei's tree (where its supply method answers:
//! its card's UPS-MIB contradicts its units), UPS-MIB, XUPS, PowerNet. Status: the most severe
//! of each MIB's verdict.

use crate::vlan_oracle::Recording;

const UPS: &str = "1.3.6.1.2.1.33.1";
const XUPS: &str = "1.3.6.1.4.1.534.1";
const APC: &str = "1.3.6.1.4.1.318.1.1.1";
const HUAWEI: &str = "1.3.6.1.4.1.2011.6.174.1";

/// One place a reading may come from: the object for a line (`None`: not this line), the
/// divisor to DCImanager's unit, and whether a raw value is "not available".
struct From<'a> {
    at: Box<dyn Fn(u32) -> Option<String> + 'a>,
    divisor: f64,
    unavailable: Box<dyn Fn(i64) -> bool + 'a>,
}

/// `(name, value)` of each reading the recording gives, `device_status` first; `None` when it
/// holds none of the four MIBs' status objects.
pub fn expected(rec: &Recording) -> Option<Vec<(String, String)>> {
    let num = |oid: &str| rec.number(oid);
    let huawei = num(&format!("{HUAWEI}.2.101.1.1.1"));
    let ups_src = num(&format!("{UPS}.4.1.0"));
    let xups_src = num(&format!("{XUPS}.4.5.0"));
    let apc_out = num(&format!("{APC}.4.1.1.0"));
    let status = [
        huawei.map(|s| match s {
            1 => 2,
            3 | 6 => 0,
            _ => 1,
        }),
        ups_src.map(|s| {
            let batt = num(&format!("{UPS}.2.1.0"));
            let alarms = num(&format!("{UPS}.6.1.0")).unwrap_or(0);
            match (s, batt) {
                (2, _) | (_, Some(4)) | (5, Some(3)) => 2,
                (1 | 4 | 5 | 6 | 7, _) | (_, Some(3)) => 1,
                _ if alarms > 0 => 1,
                (3, _) => 0,
                _ => 1,
            }
        }),
        xups_src.map(|s| {
            let abm = num(&format!("{XUPS}.2.5.0"));
            let alarms = num(&format!("{XUPS}.7.1.0")).unwrap_or(0);
            match (s, abm) {
                (2, _) | (_, Some(6)) => 2,
                (1 | 4 | 5 | 6 | 7 | 11, _) | (_, Some(8)) => 1,
                _ if alarms > 0 => 1,
                (3 | 8 | 9 | 10, _) => 0,
                _ => 1,
            }
        }),
        apc_out.map(|s| {
            let batt = num(&format!("{APC}.2.1.1.0"));
            match (s, batt) {
                (5 | 7 | 8 | 10 | 11, _) | (3 | 24, Some(3)) => 2,
                (1 | 3 | 4 | 6 | 9 | 12 | 15 | 16 | 17 | 24 | 28, _) | (_, Some(3..=5)) => 1,
                (2 | 13 | 14 | 18..=23 | 25..=27, _) => 0,
                _ => 1,
            }
        }),
    ];
    let level = status.iter().flatten().max()?;
    let mut out = vec![(
        "device_status".to_owned(),
        ["OK", "Warning", "Critical"][*level as usize].to_owned(),
    )];
    // A line of a table: within its count where the count answers, else where the row does.
    let line = |count: Option<String>, oid: String| {
        move |l: u32| match count.as_deref().map(num) {
            Some(Some(n)) if i64::from(l) > n => None,
            _ => Some(format!("{oid}.{l}")),
        }
    };
    let mains = |src: Option<i64>, codes: &[i64]| src.is_some_and(|s| codes.contains(&s));
    let line_a = |oid: String| move |l: u32| (l == 1).then(|| oid.clone());
    let huawei_ab = |a: &str, b: &str| {
        let (a, b) = (format!("{HUAWEI}.{a}.1"), format!("{HUAWEI}.{b}.1"));
        move |l: u32| Some(if l == 1 { a.clone() } else { b.clone() })
    };
    let negative = |v: i64| v < 0;
    let ups_in = Some(format!("{UPS}.3.2.0"));
    let ups_out = Some(format!("{UPS}.4.3.0"));
    let x_in = Some(format!("{XUPS}.3.3.0"));
    let x_out = Some(format!("{XUPS}.4.3.0"));
    let apc_in = Some(format!("{APC}.9.2.2.1.2.1"));
    let apc_out_n = Some(format!("{APC}.9.3.2.1.2.1"));
    let on_huawei = huawei.is_some();
    let voltage = |v: i64| !(0..=500).contains(&v);
    let voltage10 = |v: i64| !(0..=5000).contains(&v);
    let load = |v: i64| !(0..=200).contains(&v);
    let load10 = |v: i64| !(0..=2000).contains(&v);
    let ups_mains = mains(ups_src, &[3, 4, 6, 7]);
    let x_mains = mains(xups_src, &[3, 4, 6, 7, 8, 9, 10, 11]);
    let full = |oid: String| num(&oid) == Some(100);
    let readings: Vec<(&str, Vec<From<'_>>)> = vec![
        (
            "input_voltage",
            [
                on_huawei.then(|| From {
                    at: Box::new(huawei_ab("3.100.1.1", "3.100.1.2")),
                    divisor: 10.0,
                    unavailable: Box::new(voltage10),
                }),
                Some(From {
                    at: Box::new(line(ups_in.clone(), format!("{UPS}.3.3.1.3"))),
                    divisor: 1.0,
                    unavailable: Box::new(voltage),
                }),
                Some(From {
                    at: Box::new(line(x_in.clone(), format!("{XUPS}.3.4.1.2"))),
                    divisor: 1.0,
                    unavailable: Box::new(voltage),
                }),
                Some(From {
                    at: Box::new(line(apc_in.clone(), format!("{APC}.9.2.3.1.3.1"))),
                    divisor: 1.0,
                    unavailable: Box::new(voltage),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{APC}.3.3.1.0"))),
                    divisor: 10.0,
                    unavailable: Box::new(voltage10),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{APC}.3.2.1.0"))),
                    divisor: 1.0,
                    unavailable: Box::new(voltage),
                }),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        (
            "output_load",
            [
                on_huawei.then(|| From {
                    at: Box::new(huawei_ab("4.100.1.14", "4.100.1.15")),
                    divisor: 10.0,
                    unavailable: Box::new(load10),
                }),
                Some(From {
                    at: Box::new(line(ups_out.clone(), format!("{UPS}.4.4.1.5"))),
                    divisor: 1.0,
                    unavailable: Box::new(load),
                }),
                Some(From {
                    at: Box::new(line(x_out.clone(), format!("{XUPS}.4.4.1.8"))),
                    divisor: 1.0,
                    unavailable: Box::new(load),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{XUPS}.4.1.0"))),
                    divisor: 1.0,
                    unavailable: Box::new(load),
                }),
                Some(From {
                    at: Box::new(line(apc_out_n.clone(), format!("{APC}.9.3.3.1.10.1"))),
                    divisor: 1.0,
                    unavailable: Box::new(load),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{APC}.4.3.3.0"))),
                    divisor: 10.0,
                    unavailable: Box::new(load10),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{APC}.4.2.3.0"))),
                    divisor: 1.0,
                    unavailable: Box::new(load),
                }),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        (
            "output_power",
            [
                on_huawei.then(|| From {
                    at: Box::new(huawei_ab("4.100.1.8", "4.100.1.9")),
                    divisor: 10.0,
                    unavailable: Box::new(negative),
                }),
                Some(From {
                    at: Box::new(line(ups_out, format!("{UPS}.4.4.1.4"))),
                    divisor: 1000.0,
                    unavailable: Box::new(negative),
                }),
                Some(From {
                    at: Box::new(line(x_out, format!("{XUPS}.4.4.1.4"))),
                    divisor: 1000.0,
                    unavailable: Box::new(negative),
                }),
                Some(From {
                    at: Box::new(line(apc_out_n, format!("{APC}.9.3.3.1.13.1"))),
                    divisor: 1000.0,
                    unavailable: Box::new(negative),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{APC}.4.2.8.0"))),
                    divisor: 1000.0,
                    unavailable: Box::new(negative),
                }),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        (
            "input_power",
            vec![
                From {
                    at: Box::new(line(ups_in, format!("{UPS}.3.3.1.5"))),
                    divisor: 1000.0,
                    unavailable: Box::new(move |v| v < 0 || (v == 0 && ups_mains)),
                },
                From {
                    at: Box::new(line(x_in, format!("{XUPS}.3.4.1.4"))),
                    divisor: 1000.0,
                    unavailable: Box::new(move |v| v < 0 || (v == 0 && x_mains)),
                },
                From {
                    at: Box::new(line(apc_in, format!("{APC}.9.2.3.1.9.1"))),
                    divisor: 1000.0,
                    unavailable: Box::new(negative),
                },
            ],
        ),
        (
            "runtime",
            [
                on_huawei.then(|| From {
                    at: Box::new(line_a(format!("{HUAWEI}.6.100.1.4.1"))),
                    divisor: 60.0,
                    unavailable: Box::new(negative),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{UPS}.2.3.0"))),
                    divisor: 1.0,
                    unavailable: Box::new(|v| v < 0 || (v == 0 && full(format!("{UPS}.2.4.0")))),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{XUPS}.2.1.0"))),
                    divisor: 60.0,
                    unavailable: Box::new(|v| {
                        v < 0 || v == 65535 || (v == 0 && full(format!("{XUPS}.2.4.0")))
                    }),
                }),
                Some(From {
                    at: Box::new(line_a(format!("{APC}.2.2.3.0"))),
                    divisor: 6000.0,
                    unavailable: Box::new(|v| v == 0 && full(format!("{APC}.2.2.1.0"))),
                }),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
    ];
    for (reading, sources) in &readings {
        for l in [1, 2] {
            if *reading == "runtime" && l == 2 {
                continue;
            }
            let got = sources.iter().find_map(|s| {
                let raw = num(&(s.at)(l)?)?;
                (!(s.unavailable)(raw)).then(|| raw as f64 / s.divisor)
            });
            if let Some(v) = got {
                let name = if *reading == "runtime" {
                    "battary_time_remains".to_owned()
                } else {
                    format!("{reading}_line_{}", if l == 1 { 'A' } else { 'B' })
                };
                out.push((name, format!("{}", (v * 1000.0).round() / 1000.0)));
            }
        }
    }
    Some(out)
}

/// The readings of a UPS `status` answer (XML), as `(name, value)` in order.
pub fn reported(xml: &str) -> Vec<(String, String)> {
    xml.split("<eq_param name=\"")
        .skip(1)
        .filter_map(|part| {
            let (name, rest) = part.split_once('"')?;
            let value = rest
                .split_once("value>")?
                .1
                .split_once("</")?
                .0
                .trim()
                .to_owned();
            Some((name.to_owned(), value))
        })
        .collect()
}
