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
//! // src/lib.rs: `PROFILES` (the files' names and texts), `profiles()` (the compiled
//! // profiles), and a test that the two agree.
//! include!(concat!(env!("OUT_DIR"), "/profiles.rs"));
//! ```

use std::fmt::Write as _;

use toml::Spanned;

use crate::format::{
    Action, Confirm, Control, Detect, IndexShape, Invalid, InvalidWord, Meta, Metric, Metrics,
    Outlets, Pending, Profile, Reset, ResetSequence, ScaleFrom, SetType, StateSource, Switchable,
    Unit,
};

/// Reads and checks `files` (paths relative to the crate), and writes `$OUT_DIR/profiles.rs`
/// ([`source`]), in the order given. Panics (failing the build) with the checker's message on a
/// wrong profile.
#[allow(clippy::print_stdout)]
pub fn compile(files: &[&str]) {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo for build scripts");
    let mut profiles = Vec::new();
    for file in files {
        println!("cargo:rerun-if-changed={file}");
        let path = std::path::Path::new(&dir).join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let p = Profile::parse(file, &text).unwrap_or_else(|e| panic!("{e}"));
        profiles.push((*file, path.to_string_lossy().into_owned(), p));
    }
    let out = std::env::var_os("OUT_DIR").expect("OUT_DIR, set by cargo for build scripts");
    let path = std::path::Path::new(&out).join("profiles.rs");
    std::fs::write(&path, source(&profiles)).unwrap_or_else(|e| panic!("{e}"));
}

/// The Rust source a handler includes, for `(name, path, profile)` in the order tried:
/// `PROFILES` (each file's name and text), `profiles()` (the compiled profiles), and a test that
/// the compiled profiles are what the files say.
pub fn source(profiles: &[(&str, String, Profile)]) -> String {
    let files: Vec<String> = profiles
        .iter()
        .map(|(name, path, _)| format!("({name:?}, include_str!({path:?}))"))
        .collect();
    let built: Vec<String> = profiles.iter().map(|(_, _, p)| p.lit()).collect();
    format!(
        r#"/// The profiles' files, in the order they are tried: each name and text.
pub const PROFILES: &[(&str, &str)] = &[{files}];

/// The profiles, compiled from their files by the build script, in the same order.
pub fn profiles() -> Vec<pdu_profile::Profile> {{
    vec![{built}]
}}

#[cfg(test)]
mod compiled_profiles {{
    /// What the build script compiled is what the files say.
    #[test]
    fn the_compiled_profiles_are_the_files() {{
        let parsed: Vec<pdu_profile::Profile> = super::PROFILES
            .iter()
            .map(|(name, text)| pdu_profile::Profile::parse(name, text).expect("a profile"))
            .collect();
        assert_eq!(super::profiles(), parsed);
    }}
}}
"#,
        files = files.join(", "),
        built = built.join(", ")
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
