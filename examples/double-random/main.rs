//! The double-random command line (under construction).
fn main() {
    println!("double-random");
}
