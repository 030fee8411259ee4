//! A very small flag parser: `--name value`, `--switch` and positional arguments.

use anyhow::{Result, bail};

/// Parsed command line of one task.
#[derive(Debug, Default)]
pub struct Flags {
    pub values: Vec<(String, String)>,
    pub switches: Vec<String>,
    pub positional: Vec<String>,
}

impl Flags {
    /// Parses `args`, knowing which `--names` take a value and which are switches.
    pub fn parse(args: &[String], with_value: &[&str], switches: &[&str]) -> Result<Flags> {
        let mut out = Flags::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if with_value.contains(&name) {
                    let Some(v) = it.next() else {
                        bail!("--{name} needs a value")
                    };
                    out.values.push((name.to_owned(), v.clone()));
                } else if switches.contains(&name) {
                    out.switches.push(name.to_owned());
                } else {
                    bail!("unknown option --{name}");
                }
            } else {
                out.positional.push(a.clone());
            }
        }
        Ok(out)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}
