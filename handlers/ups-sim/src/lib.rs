//! A simulated UPS on the handler runtime.
//!
//! It talks to no device: `status` answers with the seed's readings, or with those of a small
//! file named in `DCIH_UPS_SIM_FILE` (see [`readings`]), so an operator can see how DCImanager
//! shows a UPS that is on battery, overloaded or failing.

mod handler;
pub mod readings;

pub use handler::UpsSim;
