//! A datagram from a BMC, through every IPMI decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ipmi_core::fuzzing::decode_any(data);
});
