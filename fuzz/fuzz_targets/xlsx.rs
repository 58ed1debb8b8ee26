#![no_main]
//! Fuzz target: see `double_random::fuzzing::check_xlsx`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = double_random::fuzzing::check_xlsx(data) {
        panic!("property violated: {e}");
    }
});
