//! `fake-salesforce`: runs the fake Salesforce server from the command line.

fn main() {
    eprintln!("fake-salesforce: not built yet");
    std::process::exit(2);
}
