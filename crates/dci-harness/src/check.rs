//! The conformance suite: everything a handler declares, exercised over the process boundary
//! against a real device (or a simulator), each step judged by the protocol's rules.
//!
//! 1. `-info` is valid.
//! 2. Every declared function that takes no port (`status`, `statistics`, `mac_list`) answers
//!    with the shape its device type requires.
//! 3. With a port to exercise: `port_off` answers off and the next `status` reads it off;
//!    `port_on` answers on and `status` reads it on; `port_reset` answers on; `port_speed` and
//!    `port_duplex` are set to the value `status` reports (no change to the device), and a
//!    clear `unexpected_data` refusal counts as conformant where the device cannot. The port
//!    is left as it was found. `set_vlan` moves the port to another VLAN the switch has (the
//!    lowest other VLAN `status` reports), `status` reads it there, and it is put back as it
//!    was (VLAN, trunk mode, members) and read back again.
//!
//! Writes happen only on the port named; without one, the port steps are skipped and say so.

use std::fmt;
use std::time::Duration;

use dci_protocol::{
    DeviceParams, Document, ErrorType, Func, Info, PortParams, PortState, PortStatus, Request,
    Response, VlanId,
};

use crate::runner::{Outcome, Runner};
use crate::shape;

/// How one step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The step did what the protocol asks.
    Pass(String),
    /// It did not; why.
    Fail(String),
    /// It was not run; why.
    Skip(String),
}

/// One step of the suite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What was exercised (`status`, `port_off 3`, …).
    pub name: String,
    /// How it ended.
    pub verdict: Verdict,
    /// How long the handler took (zero for skipped steps).
    pub elapsed: Duration,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (tag, text) = match &self.verdict {
            Verdict::Pass(t) => ("pass", t),
            Verdict::Fail(t) => ("FAIL", t),
            Verdict::Skip(t) => ("skip", t),
        };
        write!(f, "{tag}  {:<18} {text}", self.name)
    }
}

/// The whole suite's result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The steps, in the order run.
    pub steps: Vec<Step>,
}

impl Report {
    /// Whether no step failed.
    pub fn passed(&self) -> bool {
        !self
            .steps
            .iter()
            .any(|s| matches!(s.verdict, Verdict::Fail(_)))
    }

    /// (passed, failed, skipped).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for s in &self.steps {
            match s.verdict {
                Verdict::Pass(_) => c.0 += 1,
                Verdict::Fail(_) => c.1 += 1,
                Verdict::Skip(_) => c.2 += 1,
            }
        }
        c
    }
}

/// Which port the write steps may switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortChoice {
    /// None: no write is made.
    None,
    /// This identity.
    Named(String),
    /// The first port `status` reports enabled, preferring one with a speed and a duplex (a
    /// physical port rather than a VLAN interface). For simulators and lab devices only.
    Auto,
}

impl PortChoice {
    /// `auto`, an identity, or none.
    pub fn parse(s: Option<&str>) -> PortChoice {
        match s {
            None => PortChoice::None,
            Some("auto") => PortChoice::Auto,
            Some(p) => PortChoice::Named(p.to_owned()),
        }
    }
}

/// Runs the suite on `runner` with `device` (address and credentials); `port` says which port
/// the write steps may switch.
pub fn run(runner: &Runner, device: &DeviceParams, port: &PortChoice) -> Report {
    let mut s = Suite {
        runner,
        device,
        report: Report::default(),
    };
    let Some(info) = s.info() else {
        return s.report;
    };
    let status = s.plain(&info, Func::Status);
    for func in [Func::Statistics, Func::MacList] {
        if info.supports(func) {
            s.plain(&info, func);
        }
    }
    let port_funcs: Vec<Func> = info
        .funcs
        .iter()
        .copied()
        .filter(|f| f.needs_port())
        .collect();
    if port_funcs.is_empty() {
        return s.report;
    }
    let identity = match (port, &status) {
        (PortChoice::Named(p), _) => p.clone(),
        (PortChoice::Auto, Some(st)) => {
            // The first enabled port that reports most: speed and duplex mark a physical
            // port, whose settings the suite can then exercise too.
            let known =
                |p: &PortState| usize::from(p.speed.is_some()) + usize::from(p.duplex.is_some());
            let pick = st
                .ports
                .iter()
                .enumerate()
                .filter(|(_, p)| p.admin_status == Some(PortStatus::On))
                .max_by_key(|(i, p)| (known(p), std::cmp::Reverse(*i)))
                .map(|(_, p)| p);
            match pick {
                Some(p) => p.identity.clone(),
                None => {
                    s.skip("port", "no enabled port to exercise");
                    return s.report;
                }
            }
        }
        (PortChoice::Auto, None) => return s.report,
        (PortChoice::None, _) => {
            for f in port_funcs {
                s.skip(
                    f.as_str(),
                    "no port given to exercise (pass one to test writes)",
                );
            }
            return s.report;
        }
    };
    let Some(before) = status
        .as_ref()
        .and_then(|r| r.ports.iter().find(|p| p.identity == identity).cloned())
    else {
        s.fail(
            "port",
            format!("port '{identity}' is not among the ports status reported"),
        );
        return s.report;
    };
    s.power(&info, &identity, &before);
    s.settings(&info, &identity, &before);
    if info.supports(Func::SetVlan) {
        // VLANs that exist on the switch, as status shows them: a port's VLAN with a name, and
        // trunk members (a VLAN without a name may be one the switch keeps for itself, such as
        // a Catalyst's internal VLANs of routed ports, or one a recording lacks).
        let vlans: Vec<VlanId> = status
            .as_ref()
            .map(|r| {
                r.ports
                    .iter()
                    .flat_map(|p| {
                        let named = p.vlan_id.filter(|_| p.vlan_name.is_some());
                        let members = p.trunk_members.iter().flat_map(|m| m.0.iter().copied());
                        named.into_iter().chain(members)
                    })
                    .collect()
            })
            .unwrap_or_default();
        s.vlan(&info, &identity, &before, &vlans);
    }
    s.report
}

struct Suite<'a> {
    runner: &'a Runner,
    device: &'a DeviceParams,
    report: Report,
}

impl Suite<'_> {
    fn push(&mut self, name: impl Into<String>, verdict: Verdict, elapsed: Duration) {
        self.report.steps.push(Step {
            name: name.into(),
            verdict,
            elapsed,
        });
    }

    fn fail(&mut self, name: &str, why: String) {
        self.push(name, Verdict::Fail(why), Duration::ZERO);
    }

    fn skip(&mut self, name: &str, why: &str) {
        self.push(name, Verdict::Skip(why.to_owned()), Duration::ZERO);
    }

    fn info(&mut self) -> Option<Info> {
        match self.runner.info() {
            Ok(Outcome {
                document,
                transcript,
            }) => {
                self.push(
                    "-info",
                    Verdict::Pass(format!(
                        "{} '{}': {}",
                        document.device_type,
                        document.name,
                        document.funcs_list()
                    )),
                    transcript.elapsed,
                );
                Some(document)
            }
            Err(e) => {
                self.fail("-info", e.to_string());
                None
            }
        }
    }

    fn request(&self, func: Func, port: Option<PortParams>) -> Request {
        Request {
            func,
            device: self.device.clone(),
            port,
            readings: dci_protocol::Readings::NONE,
            ignored: Vec::new(),
        }
    }

    /// Calls `request`; a response comes back, anything else is the step's verdict.
    fn call(&mut self, request: &Request) -> Result<(Response, Duration), Verdict> {
        match self.runner.call(request) {
            Ok(Outcome {
                document: Document::Response(r),
                transcript,
            }) => Ok((r, transcript.elapsed)),
            Ok(Outcome {
                document: Document::Error(e),
                ..
            }) => Err(Verdict::Fail(format!(
                "answered error ({}): {}",
                e.error_type, e.text
            ))),
            Err(e) => Err(Verdict::Fail(e.to_string())),
        }
    }

    /// A function without a port: answers with the right shape.
    fn plain(&mut self, info: &Info, func: Func) -> Option<Response> {
        let req = self.request(func, None);
        match self.call(&req) {
            Ok((resp, elapsed)) => {
                let v = shape::check(info, &req, &resp);
                let unmetered = func == Func::Statistics
                    && info.device_type == dci_protocol::DeviceType::Pdu
                    && !resp.ports.is_empty()
                    && resp.ports.iter().all(|p| p.power.is_none());
                let verdict = if v.is_empty() && unmetered {
                    Verdict::Pass(format!(
                        "{}; note: no outlet reports power (the device does not meter its outlets)",
                        summary(&resp)
                    ))
                } else if v.is_empty() {
                    Verdict::Pass(summary(&resp))
                } else {
                    Verdict::Fail(join(&v))
                };
                self.push(func.as_str(), verdict, elapsed);
                Some(resp)
            }
            Err(verdict) => {
                self.push(func.as_str(), verdict, Duration::ZERO);
                None
            }
        }
    }

    /// Calls a port function and judges its shape and effect.
    fn port_call(&mut self, info: &Info, port: PortParams, func: Func) -> bool {
        let name = format!("{} {}", func, port.identity.as_deref().unwrap_or_default());
        let req = self.request(func, Some(port));
        match self.call(&req) {
            Ok((resp, elapsed)) => self.judge(info, name, &req, &resp, elapsed),
            Err(verdict) => {
                self.push(name, verdict, Duration::ZERO);
                false
            }
        }
    }

    /// Records whether a port function's answer has the right shape and shows the change.
    fn judge(
        &mut self,
        info: &Info,
        name: String,
        req: &Request,
        resp: &Response,
        elapsed: Duration,
    ) -> bool {
        let mut v = shape::check(info, req, resp);
        v.extend(shape::check_effect(req, resp));
        let ok = v.is_empty();
        let verdict = if ok {
            Verdict::Pass(port_summary(resp))
        } else {
            Verdict::Fail(join(&v))
        };
        self.push(name, verdict, elapsed);
        ok
    }

    /// After a change by `func`: `status` reads the port as `want`, in the words of `read`
    /// (what it shows of a port, `None` for nothing).
    fn reads_back(
        &mut self,
        func: Func,
        identity: &str,
        want: &str,
        read: impl Fn(&PortState) -> Option<String>,
    ) {
        let name = format!("status after {func} ({identity})");
        let req = self.request(Func::Status, None);
        let verdict = match self.call(&req) {
            Ok((resp, _)) => {
                let got = resp
                    .ports
                    .iter()
                    .find(|p| p.identity == identity)
                    .and_then(&read);
                if got.as_deref() == Some(want) {
                    Verdict::Pass(format!("port {identity} reads {want}"))
                } else {
                    Verdict::Fail(format!(
                        "port {identity} reads {} after {func} answered {want}",
                        got.unwrap_or_else(|| "nothing".into())
                    ))
                }
            }
            Err(v) => v,
        };
        self.push(name, verdict, Duration::ZERO);
    }

    fn power(&mut self, info: &Info, identity: &str, before: &PortState) {
        let port = || PortParams {
            identity: Some(identity.to_owned()),
            ..PortParams::default()
        };
        let mut changed = false;
        if info.supports(Func::PortOff) {
            changed = true;
            if self.port_call(info, port(), Func::PortOff) {
                self.reads_back(Func::PortOff, identity, "off", admin);
            }
        }
        if info.supports(Func::PortOn) {
            if self.port_call(info, port(), Func::PortOn) {
                self.reads_back(Func::PortOn, identity, "on", admin);
            }
            changed = true;
        }
        if info.supports(Func::PortReset) {
            self.port_call(info, port(), Func::PortReset);
            changed = true;
        }
        // Leave the port as it was found.
        if changed && before.admin_status == Some(PortStatus::Off) && info.supports(Func::PortOff) {
            let req = self.request(Func::PortOff, Some(port()));
            let restored = matches!(
                self.runner.call(&req),
                Ok(Outcome {
                    document: Document::Response(_),
                    ..
                })
            );
            if !restored {
                self.fail(
                    "restore",
                    format!("could not switch port {identity} off again, as it was found"),
                );
            }
        }
    }

    /// `port_speed` and `port_duplex`, set to what the port reports: exercised without a change.
    fn settings(&mut self, info: &Info, identity: &str, before: &PortState) {
        for func in [Func::PortSpeed, Func::PortDuplex] {
            if !info.supports(func) {
                continue;
            }
            let mut port = PortParams {
                identity: Some(identity.to_owned()),
                ..PortParams::default()
            };
            match func {
                Func::PortSpeed => port.speed = before.speed,
                _ => port.duplex = before.duplex,
            }
            let name = format!("{func} {identity}");
            if port.speed.is_none() && port.duplex.is_none() {
                self.skip(
                    &name,
                    "status reports no value to set it back to, so it is not changed",
                );
                continue;
            }
            let req = self.request(func, Some(port));
            self.call_or_refusal(info, name, &req);
        }
    }

    /// Calls a port function a device may be unable to do: its answer judged (`Some(ok)`), or a
    /// clear `unexpected_data` refusal, which is conformant (`None`, as is any failure, each
    /// recorded as the step's verdict).
    fn call_or_refusal(&mut self, info: &Info, name: String, req: &Request) -> Option<bool> {
        match self.runner.call(req) {
            Ok(Outcome {
                document: Document::Response(resp),
                transcript,
            }) => Some(self.judge(info, name, req, &resp, transcript.elapsed)),
            Ok(Outcome {
                document: Document::Error(e),
                transcript,
            }) if e.error_type == ErrorType::UnexpectedData => {
                self.push(
                    name,
                    Verdict::Pass(format!("refused clearly: {}", e.text)),
                    transcript.elapsed,
                );
                None
            }
            Ok(Outcome {
                document: Document::Error(e),
                ..
            }) => {
                self.fail(
                    &name,
                    format!("answered error ({}): {}", e.error_type, e.text),
                );
                None
            }
            Err(e) => {
                self.fail(&name, e.to_string());
                None
            }
        }
    }

    /// `set_vlan`: the port moves to another VLAN that exists on the switch (the lowest other
    /// named VLAN status reports) as an access port, `status` reads it there, and it moves back
    /// to what it was (its VLAN, trunk mode and members), read back again. A clear
    /// `unexpected_data` refusal (a switch that does not change VLANs over SNMP) is conformant.
    fn vlan(&mut self, info: &Info, identity: &str, before: &PortState, vlans: &[VlanId]) {
        let Some(home) = before.vlan_id else {
            self.skip(
                &format!("set_vlan {identity}"),
                "status reports no VLAN for the port, so it could not be put back",
            );
            return;
        };
        if before.vlan_name.is_none() && !vlans.contains(&home) {
            self.skip(
                &format!("set_vlan {identity}"),
                "status does not show that the port's own VLAN exists (no name), so putting the port back might be refused",
            );
            return;
        }
        let Some(&other) = vlans.iter().filter(|v| **v != home).min() else {
            self.skip(
                &format!("set_vlan {identity}"),
                "status reports no other VLAN on the switch to move the port to",
            );
            return;
        };
        let away = PortParams {
            identity: Some(identity.to_owned()),
            vlan_id: Some(other),
            is_trunk: Some(false),
            ..PortParams::default()
        };
        let back = PortParams {
            identity: Some(identity.to_owned()),
            vlan_id: Some(home),
            vlan_name: before.vlan_name.clone(),
            is_trunk: Some(before.is_trunk == Some(true)),
            trunk_members: before.trunk_members.clone(),
            ..PortParams::default()
        };
        for port in [away, back] {
            let want = (port.vlan_id, port.is_trunk);
            let req = self.request(Func::SetVlan, Some(port));
            if self.call_or_refusal(info, format!("set_vlan {identity}"), &req) != Some(true) {
                return;
            }
            self.reads_back(Func::SetVlan, identity, &vlan_words(want), |p| {
                p.vlan_id
                    .is_some()
                    .then(|| vlan_words((p.vlan_id, p.is_trunk)))
            });
        }
    }
}

/// A port's admin status, in the protocol's words.
fn admin(p: &PortState) -> Option<String> {
    p.admin_status.map(|s| s.to_string())
}

/// A port's VLAN and trunk mode, in words: "VLAN 20, trunk off".
fn vlan_words((vlan, trunk): (Option<VlanId>, Option<bool>)) -> String {
    format!(
        "VLAN {}, trunk {}",
        vlan.map(|v| v.to_string()).unwrap_or_default(),
        if trunk == Some(true) { "on" } else { "off" }
    )
}

fn join(v: &[shape::Violation]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn summary(r: &Response) -> String {
    if !r.params.is_empty() {
        return format!("{} parameters", r.params.len());
    }
    let mut s = format!("{} ports", r.ports.len());
    if let Some(h) = &r.hostname {
        s.push_str(&format!(", hostname '{h}'"));
    }
    s
}

fn port_summary(r: &Response) -> String {
    let Some(p) = r.ports.first() else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(v) = p.admin_status {
        parts.push(format!("admin {v}"));
    }
    if let Some(v) = p.speed {
        parts.push(format!("speed {v}"));
    }
    if let Some(v) = p.duplex {
        parts.push(format!("duplex {v}"));
    }
    parts.join(", ")
}
