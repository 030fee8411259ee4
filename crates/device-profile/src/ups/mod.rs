//! UPSes as data: a profile says where one UPS MIB keeps each of DCImanager's readings, in
//! what unit, which values mean "not available" and how `device_status` is decided
//! ([`format`]); [`read`] turns the objects a UPS answered into the readings, and [`engine`]
//! is the handler that reads them in one GET.

#[cfg(feature = "engine")]
pub mod check;
#[cfg(feature = "engine")]
pub mod engine;
pub mod format;
#[cfg(feature = "engine")]
pub mod read;

#[cfg(feature = "engine")]
pub use engine::{ProfileUps, run_compiled};
pub use format::UpsProfile;
