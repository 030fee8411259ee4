//! Fake handlers: `/bin/sh` scripts written into a fresh directory under the system's temporary
//! directory, which is removed when the test ends.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A directory of fake handlers for one test.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// A new, empty directory named after the test and this process.
    pub fn new(test: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("dci-harness-it-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir }
    }

    /// Writes an executable `#!/bin/sh` script with `body`; `$OUT` in the body is this
    /// directory when the runner passes it (see [`Scratch::dir`]).
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// The directory itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A valid `status` answer of a two-port switch.
pub const SWITCH_STATUS: &str = "<doc><hostname>sw1</hostname>\
<port><identity>1</identity><description>Gi0/1</description><admin_status>on</admin_status><oper_status>on</oper_status></port>\
<port><identity>2</identity><admin_status>off</admin_status><oper_status>off</oper_status></port></doc>";

/// A valid `-info` of a UPS handler.
pub const UPS_INFO: &str = "<doc><type>UPS</type><name>Fake UPS</name><requirements><snmpv1/></requirements><supported_funcs><status/></supported_funcs></doc>";

/// A well-formed `<error>` document.
pub const CONNECTION_ERROR: &str =
    "<doc><error><type>connection</type><text>no answer from 127.0.0.1:161</text></error></doc>";
