//! The `weft` binary.

fn main() {
    println!("weft");
}
