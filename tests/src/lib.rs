//! Helpers for black-box tests: find (or build) the `tripsmith` binary of the tests' profile,
//! run it capturing exit status, stdout and stderr, or start it as a server on an ephemeral
//! port and talk HTTP/1.1 to it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root: the parent of this package's folder, as `cargo test` names it when it
/// runs the tests (a build shared between checkouts in other folders may carry another folder
/// in `env!`), else as it was when compiled.
pub fn workspace_root() -> PathBuf {
    let package =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    package.join("..")
}

/// A file in `../shared/data` (next to the workspace).
pub fn shared_data(relative: &str) -> PathBuf {
    workspace_root().join("../shared/data").join(relative)
}

/// Newest modification time of the files under `dir` (recursively).
fn newest_under(dir: &Path) -> Option<std::time::SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let time = if path.is_dir() { newest_under(&path) } else { entry.metadata().and_then(|m| m.modified()).ok() };
        newest = newest.max(time);
    }
    newest
}

/// Path of the `tripsmith` binary in the profile the tests run in. `cargo test --workspace`
/// builds it (the CLI package has an integration test); when it is missing or older than any
/// source, it is built here with `cargo build -p tripsmith`.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // Test executables live in target/<profile>/deps.
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("cannot locate the test executable: {e}"));
        let profile_dir = exe.parent().and_then(Path::parent).unwrap_or_else(|| panic!("unexpected test path {exe:?}"));
        let binary = profile_dir.join(format!("tripsmith{}", std::env::consts::EXE_SUFFIX));
        let root = workspace_root();
        let sources = ["crates", "api", "data-osm", "Cargo.lock"].iter().filter_map(|d| {
            let p = root.join(d);
            if p.is_dir() {
                newest_under(&p)
            } else {
                p.metadata().and_then(|m| m.modified()).ok()
            }
        });
        let newest_source = sources.max();
        let built = binary.metadata().and_then(|m| m.modified()).ok();
        if built.is_some() && built >= newest_source {
            return binary;
        }
        let profile = profile_dir.file_name().and_then(|p| p.to_str()).unwrap_or("debug");
        let target_dir = profile_dir.parent().unwrap_or(profile_dir);
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.current_dir(&root).args(["build", "--quiet", "-p", "tripsmith", "--target-dir"]).arg(target_dir);
        if profile != "debug" {
            build.args(["--profile", profile]);
        }
        let status = build.status().unwrap_or_else(|e| panic!("cannot run cargo build: {e}"));
        assert!(status.success(), "cargo build -p tripsmith failed");
        binary
    })
}

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Parses stdout as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }

    /// Asserts success and returns self.
    pub fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "tripsmith failed:\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts the exit status `code` (3: infeasible, 4: no plan in time, 5: unserved clients)
    /// and returns self.
    pub fn exits(self, code: i32) -> Self {
        assert_eq!(self.code, Some(code), "exit status:\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts failure with exactly one line on stderr starting `error:`, and returns that line.
    pub fn one_line_error(self) -> String {
        assert_eq!(self.code, Some(1), "expected failure:\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        let lines: Vec<&str> = self.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "expected one error line, got:\n{}", self.stderr);
        assert!(lines[0].starts_with("error:"), "{}", lines[0]);
        lines[0].to_string()
    }
}

/// Every stop of a `routes` array of arrays of ids, sorted.
pub fn served_ids(routes: &serde_json::Value) -> Vec<u64> {
    let mut ids: Vec<u64> = routes
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r.as_array().cloned().unwrap_or_default())
        .filter_map(|j| j.as_u64())
        .collect();
    ids.sort_unstable();
    ids
}

/// Runs `tripsmith ARGS` (with progress bars off) in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env_remove("TRIPSMITH_REGION")
        .output()
        .unwrap_or_else(|e| panic!("cannot run tripsmith: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `tripsmith ARGS` in the workspace root.
pub fn run(args: &[&str]) -> Run {
    run_in(&workspace_root(), args)
}

/// Which store the API tests run against: `postgres` when `TRIPSMITH_TEST_STORE=postgres`
/// (the server at `TRIPSMITH_TEST_POSTGRES`, which `scripts/test.sh` starts), else `sqlite`.
pub fn store_kind() -> &'static str {
    match std::env::var("TRIPSMITH_TEST_STORE").as_deref() {
        Ok("postgres") => "postgres",
        Ok("sqlite") | Err(_) => "sqlite",
        Ok(other) => panic!("TRIPSMITH_TEST_STORE={other:?}: use sqlite or postgres"),
    }
}

/// The URL of the test PostgreSQL server (`TRIPSMITH_TEST_POSTGRES`); panics with what to do
/// when it is not set.
pub fn postgres_url() -> String {
    std::env::var("TRIPSMITH_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "TRIPSMITH_TEST_POSTGRES is not set: run `bash scripts/test.sh` (it starts a PostgreSQL server), or \
             `eval \"$(bash scripts/postgres.sh start)\"` first"
        )
    })
}

/// A new, empty PostgreSQL database on the test server, named after `name`: its URL.
pub fn new_postgres_database(name: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let server = postgres_url();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let clean: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let database = format!("t_{clean}_{}_{n}", std::process::id()).to_ascii_lowercase();
    let made = Command::new("psql")
        .args([server.as_str(), "-q", "-v", "ON_ERROR_STOP=1", "-c", &format!("CREATE DATABASE {database}")])
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
    assert!(made.status.success(), "CREATE DATABASE {database}: {}", String::from_utf8_lossy(&made.stderr));
    let (base, _) = server.rsplit_once('/').unwrap_or_else(|| panic!("no database in {server:?}"));
    format!("{base}/{database}")
}

/// Where a test server keeps its plans and jobs: a SQLite file `NAME.db` in `dir`, or a new
/// PostgreSQL database when the tests run against PostgreSQL ([`store_kind`]).
pub fn test_store(dir: &Path, name: &str) -> String {
    match store_kind() {
        "postgres" => new_postgres_database(name),
        _ => dir.join(format!("{name}.db")).to_string_lossy().into_owned(),
    }
}

/// A running `tripsmith serve` on an ephemeral loopback port.
pub struct Server {
    /// The process.
    pub child: std::process::Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    /// What the server logged so far is collected here (stderr).
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts `tripsmith serve --listen 127.0.0.1:0 --db DB ARGS` and waits for its address
    /// (`db`: a SQLite file or a PostgreSQL URL, see [`test_store`]).
    pub fn start(db: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Server {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(binary())
            .args(["serve", "--quiet", "--listen", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(args)
            .current_dir(workspace_root())
            .env_remove("TRIPSMITH_REGION")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tripsmith serve: {e}"));
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap_or_else(|p| p.into_inner());
                log.push_str(&line);
                log.push('\n');
            }
        });
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).unwrap_or_else(|e| panic!("reading the server's stdout: {e}"));
        let address = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| {
                panic!("no address in {first:?}; log:\n{}", log.lock().unwrap_or_else(|p| p.into_inner()))
            })
            .to_string();
        Server { child, address, log }
    }

    /// Sends one request and reads the whole answer.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        http(&self.address, method, path, headers, body)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    /// `POST path` with a JSON body.
    pub fn post_json(&self, path: &str, body: &str) -> Response {
        self.request("POST", path, &[("content-type", "application/json")], body.as_bytes())
    }

    /// Kills the process at once (SIGKILL): nothing is flushed or finished.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid} failed");
        self.child.wait().unwrap_or_else(|e| panic!("waiting for the server: {e}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }
}

/// One HTTP/1.1 request over a new connection (`Connection: close`), with chunked bodies decoded.
pub fn http(address: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("connect {address}: {e}"));
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(180)));
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap_or_else(|e| panic!("write: {e}"));
    // A server may answer (413) before reading the whole body and close; that is not an error here.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_response(&raw).unwrap_or_else(|| panic!("unreadable HTTP answer: {:?}", String::from_utf8_lossy(&raw)))
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body)?;
    }
    Some(Response { status, headers, body })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).ok()?.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
