//! `weft serve`: starts the credential page (see [`crate::serve`]) on 127.0.0.1, prints its
//! address with the launch token, opens a browser when one exists, and stops cleanly on SIGINT or
//! SIGTERM.

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use anyhow::Context;

use super::browser;
use crate::serve::Server;
use crate::signals::shutdown_signal;
use crate::store::Store;

/// Options of `weft serve`.
pub struct ServeOptions {
    /// The address to listen on (loopback unless the user asked otherwise).
    pub host: IpAddr,
    /// The port (0 = any free port).
    pub port: u16,
    /// Try to open a browser.
    pub open_browser: bool,
}

/// Runs the server until SIGINT or SIGTERM.
pub fn serve(options: &ServeOptions) -> anyhow::Result<ExitCode> {
    let store = Store::open_default()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let server = Server::bind(store, options.host, options.port).await?;
        if !options.host.is_loopback() {
            eprintln!(
                "weft serve: warning: listening on {}, not on loopback: other machines can reach this page; only the launch token protects your credentials\n  hint: leave out --host to listen on 127.0.0.1 only",
                options.host
            );
        }
        let url = server.url();
        eprintln!("weft serve: open this address to manage credentials (Ctrl-C stops):");
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{url}")?;
        stdout.flush()?;
        if options.open_browser {
            browser::open(&url);
        }
        server.run(shutdown_signal()).await?;
        eprintln!("weft serve: stopped");
        Ok(ExitCode::SUCCESS)
    })
}
