//! A walk's answers, as an agent could send them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    snmp_core::fuzzing::absorb_bytes(data);
});
