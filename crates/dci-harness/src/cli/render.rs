//! The readable forms of the handler's documents: a summary of `-info`, aligned tables of ports
//! and UPS readings, and one line for an `<error>` document.
//!
//! A port table has a column for each element that at least one port carries, in the protocol's
//! order; numbers are right-aligned; a port's second and later MAC addresses go on lines of
//! their own below it. Control characters in device text are escaped so a hostile description
//! cannot redraw the terminal.

use std::fmt::Display;

use dci_protocol::{EqValue, ErrorDoc, Info, PortState, Response};

/// `-info` as four labelled lines.
pub(crate) fn info(info: &Info) -> String {
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "(none)".to_owned()
        } else {
            items.join(", ")
        }
    };
    let rows = vec![
        vec!["type".to_owned(), info.device_type.to_string()],
        vec!["name".to_owned(), clean(&info.name)],
        vec![
            "requirements".to_owned(),
            list(info.requirements.iter().map(ToString::to_string).collect()),
        ],
        vec![
            "functions".to_owned(),
            list(info.funcs.iter().map(ToString::to_string).collect()),
        ],
    ];
    table(&rows, &[false, false])
}

/// `error (TYPE): TEXT`.
pub(crate) fn error(doc: &ErrorDoc) -> String {
    format!("error ({}): {}", doc.error_type, clean(&doc.text))
}

/// One column of the port table: its header, whether it holds numbers, and its cell.
struct Column {
    header: &'static str,
    numeric: bool,
    cell: fn(&PortState) -> Option<String>,
}

fn show<T: Display>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

// One column a line reads best as a table; rustfmt would spread each over five lines.
#[rustfmt::skip]
const COLUMNS: &[Column] = &[
    Column { header: "identity", numeric: false, cell: |p| Some(clean(&p.identity)) },
    Column { header: "description", numeric: false, cell: |p| p.description.as_deref().map(clean) },
    Column { header: "admin", numeric: false, cell: |p| show(p.admin_status) },
    Column { header: "oper", numeric: false, cell: |p| show(p.oper_status) },
    Column { header: "speed", numeric: false, cell: |p| show(p.speed) },
    Column { header: "duplex", numeric: false, cell: |p| show(p.duplex) },
    Column { header: "rxbytes", numeric: true, cell: |p| show(p.rxbytes) },
    Column { header: "txbytes", numeric: true, cell: |p| show(p.txbytes) },
    Column { header: "rxpackets", numeric: true, cell: |p| show(p.rxpackets) },
    Column { header: "txpackets", numeric: true, cell: |p| show(p.txpackets) },
    Column { header: "power", numeric: true, cell: |p| show(p.power) },
    Column { header: "current", numeric: true, cell: |p| show(p.current) },
    Column { header: "energy", numeric: true, cell: |p| show(p.energy) },
    Column { header: "vlan", numeric: true, cell: |p| show(p.vlan_id) },
    Column { header: "vlan_name", numeric: false, cell: |p| p.vlan_name.as_deref().map(clean) },
    Column { header: "trunk", numeric: false, cell: |p| p.is_trunk.map(|t| if t { "on" } else { "off" }.to_owned()) },
    Column { header: "trunk_members", numeric: false, cell: |p| show(p.trunk_members.as_ref()) },
    Column { header: "mac", numeric: false, cell: |p| show(p.macs.first()) },
];

/// A response: the host name, the port table, the UPS readings; `(empty response)` when it
/// holds nothing.
pub(crate) fn response(resp: &Response) -> String {
    let mut parts = Vec::new();
    if let Some(h) = &resp.hostname {
        parts.push(format!("hostname  {}\n", clean(h)));
    }
    if !resp.ports.is_empty() {
        parts.push(ports(&resp.ports));
    }
    if !resp.params.is_empty() {
        let mut rows = vec![vec!["name".to_owned(), "value".to_owned()]];
        for p in &resp.params {
            let value = match &p.value {
                EqValue::Str(s) => clean(s),
                EqValue::Float(f) => f.to_string(),
            };
            rows.push(vec![clean(&p.name), value]);
        }
        parts.push(table(&rows, &[false, false]));
    }
    if parts.is_empty() {
        return "(empty response)\n".to_owned();
    }
    parts.join("\n")
}

fn ports(ports: &[PortState]) -> String {
    let columns: Vec<&Column> = COLUMNS
        .iter()
        .filter(|c| ports.iter().any(|p| (c.cell)(p).is_some()))
        .collect();
    let mut rows = vec![
        columns
            .iter()
            .map(|c| c.header.to_owned())
            .collect::<Vec<_>>(),
    ];
    let mac_col = columns.iter().position(|c| c.header == "mac");
    for p in ports {
        rows.push(
            columns
                .iter()
                .map(|c| (c.cell)(p).unwrap_or_default())
                .collect(),
        );
        if let Some(at) = mac_col {
            for mac in p.macs.iter().skip(1) {
                let mut row = vec![String::new(); columns.len()];
                row[at] = mac.to_string();
                rows.push(row);
            }
        }
    }
    let numeric: Vec<bool> = columns.iter().map(|c| c.numeric).collect();
    table(&rows, &numeric)
}

/// Aligns `rows` in columns two spaces apart; `right[i]` right-aligns column `i` (the first row,
/// the header, is always left-aligned). No line ends in spaces.
fn table(rows: &[Vec<String>], right: &[bool]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i] - cell.chars().count();
            if r > 0 && right.get(i).copied().unwrap_or(false) {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Device text made safe for a terminal: control characters escaped (`\n`, `\u{1b}`).
fn clean(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The first `max_lines` lines of a handler's output, indented, for an error report.
pub(crate) fn excerpt(text: &str, max_lines: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: String = lines
        .iter()
        .take(max_lines)
        .map(|l| format!("  {}\n", clean(l)))
        .collect();
    if lines.len() > max_lines {
        out.push_str(&format!("  … ({} more lines)\n", lines.len() - max_lines));
    }
    out
}

#[cfg(test)]
mod tests;
