//! What a handler answers, as the harness reads it, and `-info`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = dci_protocol::Document::parse(text);
        let _ = dci_protocol::Info::parse(text);
    }
});
