//! Confirmed power switching of one outlet (a PDU socket, a blade bay): read, skip when already
//! there, SET, read back about once a second until the device shows the state asked for.
//!
//! Generic on purpose: a handler describes its outlet as an [`Outlet`] (which object to read,
//! how its INTEGER maps onto a [`PowerState`], which object and value switch it on, off and,
//! where the device has one, reboot it) and calls [`switch`] or [`reset`]. The answer is always
//! a state read from the device, never the state asked for.
//!
//! Reset, thought through: a device's own reboot command turns the outlet off, waits its own
//! delay, and turns it on. Read right after the command, the outlet may still read on (the
//! device has not started), already read off or a transitional value (it is cycling), or read
//! on again (it has finished). No read can tell "not started yet" from "already done", so
//! after the reboot command every read that is not on (off, transitional, anything else) means
//! "not yet", and the first on read is the confirmation: the device accepted the reboot and its
//! outlet is on. Where the device has no reboot command, reset is off, confirmed, then on,
//! confirmed, so both halves are seen. An outlet that is off is simply switched on (resetting
//! something that is off is turning it on, and a reboot command on an off outlet is refused or
//! ignored by most PDUs).

use std::time::{Duration, Instant};

use crate::error::SnmpError;
use crate::session::Session;
use crate::value::{Oid, Value};

/// How often the state is read back while waiting for it to change: about once a second, as
/// DCImanager 6's own PDU code does. The first read follows the SET at once.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// What an outlet's state object says, mapped by the handler from its MIB's INTEGER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerState {
    /// Powered.
    On,
    /// Not powered.
    Off,
    /// On its way (pending, cycling, command pending): "not yet", never an answer by itself.
    Transitional,
    /// A value the MIB does not define, or one with no on/off meaning.
    Unknown(i64),
}

impl PowerState {
    /// The protocol's admin status: on, off, or unknown (a transitional state is not an answer,
    /// so it is unknown when `status` happens to read one).
    pub fn to_protocol(self) -> dci_protocol::PortStatus {
        match self {
            PowerState::On => dci_protocol::PortStatus::On,
            PowerState::Off => dci_protocol::PortStatus::Off,
            PowerState::Transitional | PowerState::Unknown(_) => dci_protocol::PortStatus::Unknown,
        }
    }

    /// The answer to a switching function: port `port` with this state, as read.
    pub fn answer(self, port: &dci_protocol::PortId) -> dci_protocol::PortState {
        dci_protocol::PortState {
            admin_status: Some(self.to_protocol()),
            ..dci_protocol::PortState::new(port.as_str())
        }
    }
}

impl std::fmt::Display for PowerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PowerState::On => f.write_str("on"),
            PowerState::Off => f.write_str("off"),
            PowerState::Transitional => f.write_str("a transitional state"),
            PowerState::Unknown(v) => write!(f, "unknown value {v}"),
        }
    }
}

/// On or off: what [`switch`] is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// Switch on.
    On,
    /// Switch off.
    Off,
}

impl Wanted {
    fn state(self) -> PowerState {
        match self {
            Wanted::On => PowerState::On,
            Wanted::Off => PowerState::Off,
        }
    }
}

/// A SET that commands an outlet: the instance OID and the INTEGER written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The full instance OID.
    pub oid: Vec<u32>,
    /// The INTEGER written.
    pub value: i64,
}

/// An object that says a command is still on its way (APC rPDU2's command-pending column,
/// Sentry4's control state): while it reads one of `values`, the outlet is transitional ("not
/// yet"), whatever its state reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The full instance OID.
    pub oid: Vec<u32>,
    /// The INTEGERs that mean "a command is pending".
    pub values: Vec<i64>,
}

/// How a state INTEGER maps onto a [`PowerState`]: a handler's function, or the sets of a
/// device profile (a value in none of them is unknown).
#[derive(Debug, Clone)]
pub enum Decode {
    /// A handler's map.
    Fn(fn(i64) -> PowerState),
    /// The values that mean on, off and on its way.
    Sets {
        /// Powered.
        on: Vec<i64>,
        /// Not powered.
        off: Vec<i64>,
        /// On its way.
        transitional: Vec<i64>,
    },
}

impl Decode {
    /// The state `v` means.
    pub fn apply(&self, v: i64) -> PowerState {
        match self {
            Decode::Fn(f) => f(v),
            Decode::Sets {
                on,
                off,
                transitional,
            } => {
                if on.contains(&v) {
                    PowerState::On
                } else if off.contains(&v) {
                    PowerState::Off
                } else if transitional.contains(&v) {
                    PowerState::Transitional
                } else {
                    PowerState::Unknown(v)
                }
            }
        }
    }
}

/// One outlet as a handler describes it.
#[derive(Debug, Clone)]
pub struct Outlet {
    /// How the outlet is named in errors ("outlet 3", "blade bay 7").
    pub name: String,
    /// The full instance OID of its state.
    pub state: Vec<u32>,
    /// The device's INTEGER for the state, mapped.
    pub decode: Decode,
    /// The SET that switches it on.
    pub on: Command,
    /// The SET that switches it off.
    pub off: Command,
    /// The device's own reboot command, where it has one.
    pub reboot: Option<Command>,
    /// Where the device says that a command is pending: read with the state, in one GET.
    pub pending: Option<Pending>,
    /// How long one change may take to show (the handler's figure for its device, already
    /// bounded by the runtime's confirm limit: see [`Outlet::bounded`]).
    pub within: Duration,
    /// How often to read back ([`POLL_EVERY`] unless a handler knows better).
    pub every: Duration,
}

impl Outlet {
    /// `device_max` bounded by the runtime's confirm limit: the wait for one change.
    pub fn bounded(device_max: Duration, confirm: Duration) -> Duration {
        device_max.min(confirm)
    }
}

/// An outlet a handler has found on the device, with the state it read while looking (the
/// same GET that proved the outlet exists), so switching starts without a second read.
pub struct Found {
    /// The session the outlet was found on.
    pub session: Session,
    /// The outlet.
    pub outlet: Outlet,
    /// Its state as read.
    pub now: PowerState,
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Found")
            .field("target", &self.session.target())
            .field("outlet", &self.outlet)
            .field("now", &self.now)
            .finish()
    }
}

impl Found {
    /// The outlet and its state from `value`, just read from its state object ([`decode`]), for
    /// a handler that reads the state together with objects of its own (a blade's presence).
    /// An outlet with a pending object is found with [`Found::find`], which reads that too; here
    /// the pending object is not consulted.
    pub fn new(session: Session, outlet: Outlet, value: &Value) -> Result<Found, SnmpError> {
        let now = decode(&session, &outlet, value)?;
        Ok(Found {
            session,
            outlet,
            now,
        })
    }

    /// The outlet if the device has it, read in one GET with its pending object ([`find`]);
    /// `Ok(Err(session))` gives the session back when the device has no such state object.
    pub async fn find(
        session: Session,
        outlet: Outlet,
    ) -> Result<Result<Found, Session>, SnmpError> {
        Ok(Found::find_with(session, outlet, &[])
            .await?
            .map(|(found, _)| found))
    }

    /// [`Found::find`], reading `extra` objects in the same GET (a profile's "switchable"
    /// column): their values, `None` where the device lacks one.
    pub async fn find_with(
        session: Session,
        mut outlet: Outlet,
        extra: &[&[u32]],
    ) -> Result<Result<(Found, Vec<Option<Value>>), Session>, SnmpError> {
        match find_with(&session, &mut outlet, extra).await? {
            Some((now, extra)) => Ok(Ok((
                Found {
                    session,
                    outlet,
                    now,
                },
                extra,
            ))),
            None => Ok(Err(session)),
        }
    }

    /// [`switch`] from the state read.
    pub async fn switch(&self, want: Wanted) -> Result<PowerState, SnmpError> {
        switch_from(&self.session, &self.outlet, want, self.now).await
    }

    /// [`reset`] from the state read.
    pub async fn reset(&self) -> Result<PowerState, SnmpError> {
        reset_from(&self.session, &self.outlet, self.now).await
    }
}

/// Looks for the outlet: one GET of its state object and, where it has one, its pending object.
/// `None` when the device has no such state object (no such outlet). An outlet whose pending
/// object the device lacks forgets it, so later reads are one object (and on SNMPv1, where a
/// missing object costs a second request, one request).
pub async fn find(s: &Session, outlet: &mut Outlet) -> Result<Option<PowerState>, SnmpError> {
    Ok(find_with(s, outlet, &[]).await?.map(|(now, _)| now))
}

/// [`find`], reading `extra` objects in the same GET: their values, `None` where the device
/// lacks one.
async fn find_with(
    s: &Session,
    outlet: &mut Outlet,
    extra: &[&[u32]],
) -> Result<Option<(PowerState, Vec<Option<Value>>)>, SnmpError> {
    let Some((v, pending, extra)) = get_state(s, outlet, extra).await? else {
        return Ok(None);
    };
    if pending.is_none() {
        outlet.pending = None;
    }
    Ok(Some((
        with_pending(s, outlet, &v, pending.as_ref())?,
        extra,
    )))
}

/// Reads the outlet's state once (with its pending object, in the same GET).
pub async fn read(s: &Session, outlet: &Outlet) -> Result<PowerState, SnmpError> {
    if outlet.pending.is_none() {
        let v = s.get(&[&outlet.state]).await?.remove(0);
        return decode(s, outlet, &v);
    }
    match get_state(s, outlet, &[]).await? {
        Some((v, pending, _)) => with_pending(s, outlet, &v, pending.as_ref()),
        // Read it alone for the error that names the object.
        None => decode(s, outlet, &s.get(&[&outlet.state]).await?.remove(0)),
    }
}

/// One GET of the outlet's state object, its pending object where it has one, and `extra`:
/// the state's value, the pending object's and the extras' (`None` where the device lacks
/// one); `None` when the device has no such state object.
async fn get_state(
    s: &Session,
    outlet: &Outlet,
    extra: &[&[u32]],
) -> Result<Option<(Value, Option<Value>, Vec<Option<Value>>)>, SnmpError> {
    let mut oids: Vec<&[u32]> = vec![&outlet.state];
    if let Some(p) = &outlet.pending {
        oids.push(&p.oid);
    }
    oids.extend_from_slice(extra);
    let Some(got) = s.get_if_first(&oids).await? else {
        return Ok(None);
    };
    let mut got = got.into_iter().map(Result::ok);
    let Some(Some(v)) = got.next() else {
        return Ok(None);
    };
    let pending = if outlet.pending.is_some() {
        got.next().flatten()
    } else {
        None
    };
    Ok(Some((v, pending, got.collect())))
}

/// The state `v` read, transitional while the pending object read says a command is pending.
fn with_pending(
    s: &Session,
    outlet: &Outlet,
    v: &Value,
    pending: Option<&Value>,
) -> Result<PowerState, SnmpError> {
    let state = decode(s, outlet, v)?;
    let busy = outlet.pending.as_ref().map_or(&[][..], |p| &p.values[..]);
    if pending
        .and_then(Value::as_integer)
        .is_some_and(|v| busy.contains(&v))
    {
        tracing::debug!(snmp.target = %s.target(), outlet = %outlet.name, state = %state, "a command is pending");
        return Ok(PowerState::Transitional);
    }
    Ok(state)
}

/// The outlet's state from a value of its state object that the handler has just read (when
/// it looked for the outlet), for [`switch_from`] and [`reset_from`]: no second GET.
pub fn decode(s: &Session, outlet: &Outlet, v: &Value) -> Result<PowerState, SnmpError> {
    v.as_integer()
        .map(|i| outlet.decode.apply(i))
        .ok_or_else(|| SnmpError::WrongValue {
            target: s.target().to_owned(),
            oid: Oid(outlet.state.clone()),
            got: format!("{} {v}", v.type_name()),
            expected: "an INTEGER",
        })
}

/// Switches the outlet on or off and answers with the state read once it shows. Already
/// there: no SET, the state read is the answer.
pub async fn switch(s: &Session, outlet: &Outlet, want: Wanted) -> Result<PowerState, SnmpError> {
    let now = read(s, outlet).await?;
    switch_from(s, outlet, want, now).await
}

/// [`switch`] from a state `now` just read by the handler ([`decode`]).
pub async fn switch_from(
    s: &Session,
    outlet: &Outlet,
    want: Wanted,
    now: PowerState,
) -> Result<PowerState, SnmpError> {
    if now == want.state() {
        tracing::debug!(snmp.target = %s.target(), outlet = %outlet.name, state = %now, "already there");
        return Ok(now);
    }
    command_and_wait(s, outlet, want, want_command(outlet, want)).await
}

/// Resets the outlet: the device's reboot command confirmed back on where it has one; else
/// off, confirmed, on, confirmed; an outlet that reads off is switched on.
pub async fn reset(s: &Session, outlet: &Outlet) -> Result<PowerState, SnmpError> {
    let now = read(s, outlet).await?;
    reset_from(s, outlet, now).await
}

/// [`reset`] from a state `now` just read by the handler ([`decode`]).
pub async fn reset_from(
    s: &Session,
    outlet: &Outlet,
    now: PowerState,
) -> Result<PowerState, SnmpError> {
    if now == PowerState::Off {
        return command_and_wait(s, outlet, Wanted::On, &outlet.on).await;
    }
    match &outlet.reboot {
        Some(reboot) => command_and_wait(s, outlet, Wanted::On, reboot).await,
        None => {
            command_and_wait(s, outlet, Wanted::Off, &outlet.off).await?;
            command_and_wait(s, outlet, Wanted::On, &outlet.on).await
        }
    }
}

fn want_command(outlet: &Outlet, want: Wanted) -> &Command {
    match want {
        Wanted::On => &outlet.on,
        Wanted::Off => &outlet.off,
    }
}

async fn command_and_wait(
    s: &Session,
    outlet: &Outlet,
    want: Wanted,
    command: &Command,
) -> Result<PowerState, SnmpError> {
    // An unanswered command may have been applied: the state read decides (never sent twice).
    s.set_then_read(
        s.set(&command.oid, &Value::Integer(command.value)),
        wait_for(s, outlet, want),
    )
    .await
}

/// Reads the outlet until it shows `want` or its confirmation time passes.
async fn wait_for(s: &Session, outlet: &Outlet, want: Wanted) -> Result<PowerState, SnmpError> {
    let started = Instant::now();
    let until = (started + outlet.within).min(s.deadline());
    loop {
        let state = read(s, outlet).await?;
        if state == want.state() {
            tracing::debug!(snmp.target = %s.target(), outlet = %outlet.name, state = %state, waited_ms = started.elapsed().as_millis() as u64, "confirmed");
            return Ok(state);
        }
        if Instant::now() + outlet.every > until {
            return Err(SnmpError::NotFollowed {
                target: s.target().to_owned(),
                outlet: outlet.name.clone(),
                wanted: want.state().to_string(),
                last: state.to_string(),
                waited: started.elapsed(),
            });
        }
        tokio::time::sleep(outlet.every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_as_words() {
        assert_eq!(PowerState::On.to_string(), "on");
        assert_eq!(PowerState::Off.to_string(), "off");
        assert_eq!(PowerState::Unknown(7).to_string(), "unknown value 7");
        assert_eq!(Wanted::Off.state(), PowerState::Off);
    }

    #[test]
    fn bounded_takes_the_smaller() {
        let s = Duration::from_secs;
        assert_eq!(Outlet::bounded(s(20), s(5)), s(5));
        assert_eq!(Outlet::bounded(s(3), s(20)), s(3));
    }
}
