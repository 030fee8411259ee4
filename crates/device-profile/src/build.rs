//! Profiles compiled into Rust at build time: a profile handler's build script reads and checks
//! its TOML files ([`compile`]) and writes the Rust expression that builds the same [`Profile`]s,
//! so the handler does not parse TOML every time DCImanager starts it (about 0.1 ms a profile
//! under musl's allocator). A wrong profile fails the build with the checker's message: file,
//! line and field. `DCIH_PDU_PROFILE` still reads a file at run time.
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     device_profile::build::compile(&["acme.toml"]);
//! }
//! // src/lib.rs: `PROFILES` (the files' names and texts), `profiles()` (the compiled
//! // profiles), and a test that the two agree.
//! include!(concat!(env!("OUT_DIR"), "/profiles.rs"));
//! ```

use std::fmt::Write as _;

use toml::Spanned;

use crate::ups::UpsProfile;

use crate::format::{
    Action, Confirm, Control, Detect, IndexShape, Invalid, InvalidWord, Meta, Metric, Metrics,
    Outlets, Pending, Profile, Reset, ResetSequence, ScaleFrom, SetType, StateSource, Switchable,
    Unit,
};

/// Reads and checks the PDU profiles `files` (paths relative to the crate), and writes
/// `$OUT_DIR/profiles.rs` ([`source`]), in the order given. Panics (failing the build) with the
/// checker's message on a wrong profile.
pub fn compile(files: &[&str]) {
    compile_with(files, Profile::parse, "device_profile::Profile");
}

/// [`compile`] for UPS profiles: `profiles()` gives [`UpsProfile`]s.
pub fn compile_ups(files: &[&str]) {
    compile_with(files, UpsProfile::parse, "device_profile::ups::UpsProfile");
}

#[allow(clippy::print_stdout)]
fn compile_with<P: Lit>(
    files: &[&str],
    parse: fn(&str, &str) -> Result<P, crate::ProfileError>,
    ty: &str,
) {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo for build scripts");
    let mut profiles = Vec::new();
    for file in files {
        println!("cargo:rerun-if-changed={file}");
        let path = std::path::Path::new(&dir).join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let p = parse(file, &text).unwrap_or_else(|e| panic!("{e}"));
        profiles.push((*file, path.to_string_lossy().into_owned(), p.lit()));
    }
    let out = std::env::var_os("OUT_DIR").expect("OUT_DIR, set by cargo for build scripts");
    let path = std::path::Path::new(&out).join("profiles.rs");
    std::fs::write(&path, source(&profiles, ty)).unwrap_or_else(|e| panic!("{e}"));
}

/// The Rust source a handler includes, for `(name, path, expression)` of each profile of type
/// `ty` in the order tried: `PROFILES` (each file's name and text), `profiles()` (the compiled
/// profiles), and a test that the compiled profiles are what the files say.
pub fn source(profiles: &[(&str, String, String)], ty: &str) -> String {
    let files: Vec<String> = profiles
        .iter()
        .map(|(name, path, _)| format!("({name:?}, include_str!({path:?}))"))
        .collect();
    let built: Vec<&str> = profiles.iter().map(|(_, _, p)| p.as_str()).collect();
    format!(
        r#"/// The profiles' files, in the order they are tried: each name and text.
pub const PROFILES: &[(&str, &str)] = &[{files}];

/// The profiles, compiled from their files by the build script, in the same order.
pub fn profiles() -> Vec<{ty}> {{
    vec![{built}]
}}

#[cfg(test)]
mod compiled_profiles {{
    /// What the build script compiled is what the files say.
    #[test]
    fn the_compiled_profiles_are_the_files() {{
        let parsed: Vec<{ty}> = super::PROFILES
            .iter()
            .map(|(name, text)| {ty}::parse(name, text).expect("a profile"))
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
            "device_profile::format::Spanned::new({}..{}, {})",
            self.span().start,
            self.span().end,
            self.get_ref().lit()
        )
    }
}

/// Unit-like enums by their Debug name, in the module at `$m` (a path in device_profile).
macro_rules! lit_enum {
    ($m:literal: $($t:ty),*) => {$(
        impl Lit for $t {
            fn lit(&self) -> String {
                format!(concat!("device_profile::", $m, "::", stringify!($t), "::{:?}"), self)
            }
        }
    )*};
}

lit_enum!("format": IndexShape, SetType, Unit, ResetSequence, InvalidWord);

/// Structs field by field, in the module at `$m`.
macro_rules! lit_struct {
    ($m:literal: $($t:ident { $($f:ident),* })*) => {$(
        impl Lit for $t {
            fn lit(&self) -> String {
                let mut s = concat!("device_profile::", $m, "::", stringify!($t), " { ").to_owned();
                $( let _ = write!(s, "{}: {}, ", stringify!($f), self.$f.lit()); )*
                s.push('}');
                s
            }
        }
    )*};
}

lit_struct! { "format":
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
            Reset::Native(a) => format!("device_profile::format::Reset::Native({})", a.lit()),
            Reset::Sequence(s) => format!("device_profile::format::Reset::Sequence({})", s.lit()),
        }
    }
}

impl Lit for Invalid {
    fn lit(&self) -> String {
        match self {
            Invalid::Value(v) => format!("device_profile::format::Invalid::Value({})", v.lit()),
            Invalid::Word(w) => format!("device_profile::format::Invalid::Word({})", w.lit()),
        }
    }
}

/// The UPS profile's types (their names repeat the PDU format's: a module of their own).
mod ups_lit {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;

    use super::Lit;
    use crate::ups::format::{
        Condition, CountMissing, Invalid, InvalidWord, Level, Line, LineSet, Readings, Rule,
        Source, Status, Unit, UpsProfile,
    };

    lit_enum!("ups::format": Unit, Line, Level, CountMissing, InvalidWord);

    lit_struct! { "ups::format":
        UpsProfile { profile, detect, lines, readings, status }
        LineSet { count, if_count_missing }
        Readings { input_voltage, output_load, output_power, input_power, runtime }
        Source { oid, index, lines, line, unit, range, invalid }
        Condition { oid, values, gt }
        Status { rules, otherwise }
        Rule { level, why, all, any }
    }

    impl Lit for Invalid {
        fn lit(&self) -> String {
            let p = "device_profile::ups::format::Invalid";
            match self {
                Invalid::Value(v) => format!("{p}::Value({})", v.lit()),
                Invalid::Word(w) => format!("{p}::Word({})", w.lit()),
                Invalid::When { value, when } => {
                    format!(
                        "{p}::When {{ value: {}, when: {} }}",
                        value.lit(),
                        when.lit()
                    )
                }
            }
        }
    }

    impl Lit for [f64; 2] {
        fn lit(&self) -> String {
            // Debug keeps the decimal point, so the literal is an f64.
            format!("[{:?}, {:?}]", self[0], self[1])
        }
    }

    impl<V: Lit> Lit for BTreeMap<String, V> {
        fn lit(&self) -> String {
            let mut s = String::from("std::collections::BTreeMap::from([");
            for (k, v) in self {
                let _ = write!(s, "({}, {}), ", k.lit(), v.lit());
            }
            s.push_str("])");
            s
        }
    }
}
