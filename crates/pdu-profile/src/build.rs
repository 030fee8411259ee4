//! Profiles compiled into Rust at build time: a profile handler's build script reads and checks
//! its TOML files ([`compile`]) and writes the Rust expression that builds the same [`Profile`]s,
//! so the handler does not parse TOML every time DCImanager starts it (about 0.1 ms a profile
//! under musl's allocator). A wrong profile fails the build with the checker's message: file,
//! line and field. `DCIH_PDU_PROFILE` still reads a file at run time.
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     pdu_profile::build::compile(&["acme.toml"]);
//! }
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/profiles.rs")); // pub fn profiles() -> Vec<Profile>
//! ```

use std::fmt::Write as _;

use toml::Spanned;

use crate::format::{
    Action, Confirm, Control, Detect, IndexShape, Invalid, InvalidWord, Meta, Metric, Metrics,
    Outlets, Pending, Profile, Reset, ResetSequence, ScaleFrom, SetType, StateSource, Switchable,
    Unit,
};

/// Reads and checks `files` (paths relative to the crate), and writes `$OUT_DIR/profiles.rs`:
/// `pub fn profiles() -> Vec<pdu_profile::Profile>`, in the order given. Panics (failing the
/// build) with the checker's message on a wrong profile.
#[allow(clippy::print_stdout)]
pub fn compile(files: &[&str]) {
    let mut profiles = Vec::new();
    for file in files {
        println!("cargo:rerun-if-changed={file}");
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let p = Profile::parse(file, &text).unwrap_or_else(|e| panic!("{e}"));
        profiles.push(p);
    }
    let out = std::env::var_os("OUT_DIR").expect("OUT_DIR, set by cargo for build scripts");
    let path = std::path::Path::new(&out).join("profiles.rs");
    std::fs::write(&path, source(&profiles)).unwrap_or_else(|e| panic!("{e}"));
}

/// The Rust source of `profiles()` building `profiles`.
pub fn source(profiles: &[Profile]) -> String {
    format!(
        "/// The profiles, compiled from their TOML by the build script, in the order tried.\n\
         pub fn profiles() -> Vec<pdu_profile::Profile> {{\n    vec![{}]\n}}\n",
        profiles.iter().map(Lit::lit).collect::<Vec<_>>().join(", ")
    )
}

/// A value as the Rust expression that builds it.
pub trait Lit {
    /// The expression.
    fn lit(&self) -> String;
}

impl Lit for String {
    fn lit(&self) -> String {
        // Debug escapes as Rust's string literals do.
        format!("String::from({self:?})")
    }
}

impl Lit for i64 {
    fn lit(&self) -> String {
        format!("{self}i64")
    }
}

impl Lit for u64 {
    fn lit(&self) -> String {
        format!("{self}u64")
    }
}

impl Lit for u32 {
    fn lit(&self) -> String {
        format!("{self}u32")
    }
}

impl<T: Lit> Lit for Option<T> {
    fn lit(&self) -> String {
        match self {
            Some(v) => format!("Some({})", v.lit()),
            None => "None".into(),
        }
    }
}

impl<T: Lit> Lit for Vec<T> {
    fn lit(&self) -> String {
        let items: Vec<String> = self.iter().map(Lit::lit).collect();
        format!("vec![{}]", items.join(", "))
    }
}

impl<T: Lit> Lit for Spanned<T> {
    fn lit(&self) -> String {
        // The span only places the checker's errors, and the profile was checked here.
        format!(
            "pdu_profile::format::Spanned::new({}..{}, {})",
            self.span().start,
            self.span().end,
            self.get_ref().lit()
        )
    }
}

/// Unit-like enums by their Debug name.
macro_rules! lit_enum {
    ($($t:ident),*) => {$(
        impl Lit for $t {
            fn lit(&self) -> String {
                format!(concat!("pdu_profile::format::", stringify!($t), "::{:?}"), self)
            }
        }
    )*};
}

lit_enum!(IndexShape, SetType, Unit, ResetSequence, InvalidWord);

/// Structs field by field.
macro_rules! lit_struct {
    ($($t:ident { $($f:ident),* })*) => {$(
        impl Lit for $t {
            fn lit(&self) -> String {
                let mut s = concat!("pdu_profile::format::", stringify!($t), " { ").to_owned();
                $( let _ = write!(s, "{}: {}, ", stringify!($f), self.$f.lit()); )*
                s.push('}');
                s
            }
        }
    )*};
}

lit_struct! {
    Profile { profile, detect, outlets, metrics }
    Meta { id, name, mib, family }
    Detect { sys_object_id, probe }
    Outlets { index, noun, single_unit, names, switchable, state, pending, control, confirm }
    Switchable { oid, yes, no, bit }
    StateSource { oid, suffix, on, off, transitional, fault }
    Pending { oid, values }
    Control { on, off, reset }
    Action { oid, kind, value }
    Confirm { poll_ms, within_s }
    Metrics { power, energy, current, unit_power }
    Metric { oid, suffix, unit, scale_from, invalid }
    ScaleFrom { oid, suffix }
}

impl Lit for Reset {
    fn lit(&self) -> String {
        match self {
            Reset::Native(a) => format!("pdu_profile::format::Reset::Native({})", a.lit()),
            Reset::Sequence(s) => format!("pdu_profile::format::Reset::Sequence({})", s.lit()),
        }
    }
}

impl Lit for Invalid {
    fn lit(&self) -> String {
        match self {
            Invalid::Value(v) => format!("pdu_profile::format::Invalid::Value({})", v.lit()),
            Invalid::Word(w) => format!("pdu_profile::format::Invalid::Word({})", w.lit()),
        }
    }
}
