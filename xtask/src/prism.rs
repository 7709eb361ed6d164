//! Prism (`@stoplight/prism-cli`, installed by [`crate::tools`]) as a mock server for one spec, on
//! a free loopback port, for the tasks that call clients against a spec: `clients` (the Python
//! clients) and `corpus --contract` (the generated contract tests).

use crate::tools::Tools;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long one Prism may take to listen (node starting on a busy two-core machine, and reading a
/// spec of a megabyte or two).
const PRISM_START_LIMIT: Duration = Duration::from_secs(120);

/// A Prism mock for one spec, serving the spec's examples and answering any request or response
/// that breaks the spec with an error (`--errors`); killed when dropped, on every exit path.
pub struct Prism {
    child: Child,
    port: u16,
    /// Prism's output, for when it does not start.
    log: PathBuf,
}

impl Prism {
    /// Starts Prism on `spec`, its output going to `log`. It is listening only once
    /// [`Prism::wait_until_listening`] returned, so several can start side by side.
    pub fn spawn(tools: &Tools, spec: &Path, log: PathBuf) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free loopback port: {e}"))?
            .port();
        let log_file = std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let log_copy = log_file.try_clone().map_err(|e| format!("cannot share {}: {e}", log.display()))?;
        let child = Command::new(&tools.prism)
            .arg("mock")
            .arg(spec)
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--errors"])
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_copy)
            .spawn()
            .map_err(|e| format!("cannot start Prism: {e}"))?;
        Ok(Prism { child, port, log })
    }

    /// The mock's base URL, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Prism's output so far.
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// Waits until Prism accepts connections; fails with its output when it exits or takes too long.
    pub fn wait_until_listening(&mut self) -> Result<(), String> {
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            let exited = self.child.try_wait().ok().flatten().is_some();
            if exited || started.elapsed() > PRISM_START_LIMIT {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                return Err(format!("Prism did not start ({}):\n{log}", self.log.display()));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(())
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
