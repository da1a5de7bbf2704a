//! `hello`: the smallest Rust program, the floor of the benchmark's start-up scenario.

fn main() {
    println!("hello, world");
}
