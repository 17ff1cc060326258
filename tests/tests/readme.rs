//! Every `tripsmith` command the README shows runs as written: each line of its code blocks that
//! starts with `tripsmith` (continuation lines joined, optional `[...]` parts left out) runs with
//! the real binary, and must exit as the README says (0, or 3 where it plans an impossible trip)
//! without a panic. Figures the README states beside a command ("proven optimal: 450") must be
//! in its output. The commands run in a scratch folder with the repository's folders linked in,
//! `../shared` beside it and the shared Monaco extract as `monaco-latest.osm.pbf`; outputs land
//! there, and a redirection into a committed file (`> api/openapi.json`) must reproduce it.
//! Left out, each for a stated reason: `serve` (runs until stopped; `tests/api.rs` starts it and
//! drives every endpoint) and lines with placeholders for the reader's own files.

use std::path::Path;
use std::process::Command;
use std::time::Instant;
use tripsmith_e2e::{binary, shared_data, workspace_root};

/// Placeholders that stand for the reader's own files or values: such lines are templates.
const PLACEHOLDERS: [&str; 5] = ["DIR", "SUBMISSION", "someone-elses.sol", "trip.json", "my-checkins.csv"];

/// One README command: the line as written, the command (optional parts included), where its
/// standard output goes, and its comment.
#[derive(Debug)]
struct ReadmeCommand {
    line: String,
    command: String,
    stdout_to: Option<String>,
    comment: String,
}

impl ReadmeCommand {
    /// Its words, each optional `[...]` part left out unless `keep` says otherwise.
    fn words(&self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        words(&optional_parts(&self.command, keep))
    }

    /// The subcommand (`plan`, `vrp`...).
    fn subcommand(&self) -> String {
        self.words(|_| false).get(1).cloned().unwrap_or_default()
    }
}

/// `line` with its outermost optional `[...]` parts kept (brackets removed) where `keep` says
/// so, and left out otherwise.
fn optional_parts(line: &str, keep: impl Fn(&str) -> bool) -> String {
    let (mut depth, mut out, mut part) = (0, String::new(), String::new());
    for c in line.chars() {
        match c {
            '[' => {
                depth += 1;
                if depth > 1 {
                    part.push(c);
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if keep(&part) {
                        out.push_str(&part);
                    }
                    part.clear();
                } else {
                    part.push(c);
                }
            }
            _ if depth == 0 => out.push(c),
            _ => part.push(c),
        }
    }
    out
}

/// Shell-like words of `line` (single and double quotes).
fn words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quote, mut in_word) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The `tripsmith` commands of the README's code blocks, in order.
fn readme_commands(readme: &str) -> Vec<ReadmeCommand> {
    let mut commands = Vec::new();
    let (mut in_block, mut current): (bool, Option<String>) = (false, None);
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let joined = match current.take() {
            Some(before) => format!("{before} {}", line.trim()),
            None if line.starts_with("tripsmith ") => line.to_string(),
            None => continue,
        };
        if let Some(open) = joined.trim_end().strip_suffix('\\') {
            current = Some(open.to_string());
            continue;
        }
        let (command, comment) = match joined.find(" #") {
            Some(at) => (joined[..at].to_string(), joined[at + 2..].trim().to_string()),
            None => (joined.clone(), String::new()),
        };
        // A pipe into other programs (`| curl ...`) belongs to the REST API's tests; the
        // `tripsmith` part runs here.
        let command = command.split(" | ").next().unwrap_or_default().to_string();
        let (command, stdout_to) = match command.split_once(" > ") {
            Some((command, file)) => (command.to_string(), Some(file.trim().to_string())),
            None => (command, None),
        };
        commands.push(ReadmeCommand { line: joined, command, stdout_to, comment });
    }
    commands
}

/// The number a comment states after a colon ("proven optimal: 450" → "450").
fn stated_figure(comment: &str) -> Option<String> {
    let after = comment.split_once(": ")?.1;
    let figure: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    (!figure.is_empty()).then_some(figure)
}

#[test]
fn readme_commands_are_found() {
    let readme = "```\ntripsmith plan a.toml [--json]   # a plan\ntripsmith design x \\\n    --budget 0.5 [--seed 1]\n\
                  tripsmith openapi > api/openapi.json\ntripsmith check-request r.toml --json | python3 -c 'x'\n```\n\
                  tripsmith outside a block\n";
    let commands = readme_commands(readme);
    let found: Vec<Vec<String>> = commands.iter().map(|c| c.words(|_| false)).collect();
    assert_eq!(
        found,
        [
            vec!["tripsmith", "plan", "a.toml"],
            vec!["tripsmith", "design", "x", "--budget", "0.5"],
            vec!["tripsmith", "openapi"],
            vec!["tripsmith", "check-request", "r.toml", "--json"]
        ]
    );
    assert_eq!(commands[0].comment, "a plan");
    assert_eq!(
        commands[1].words(|part| part.contains("seed")),
        ["tripsmith", "design", "x", "--budget", "0.5", "--seed", "1"]
    );
    assert_eq!(commands[2].stdout_to.as_deref(), Some("api/openapi.json"));
    assert_eq!(words("--points \"1,2;3,4\" 'a b'"), ["--points", "1,2;3,4", "a b"]);
    assert_eq!(stated_figure("4 robots, min-max: 130"), Some("130".into()));
    assert_eq!(stated_figure("hybrid genetic search"), None);
}

#[test]
fn every_readme_command_runs_as_written() {
    let root = workspace_root();
    let shared = shared_data("");
    let monaco = shared_data("osm/monaco-latest-2026.osm.pbf");
    assert!(monaco.exists(), "the shared Monaco extract is missing: {}", monaco.display());
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = readme_commands(&readme);
    assert!(commands.len() >= 30, "only {} commands found", commands.len());
    // A scratch checkout: the repository's folders linked, `../shared` beside it, and the
    // Monaco extract under the name the README downloads it as; outputs land here.
    let parent = tempfile::tempdir().unwrap();
    let scratch = parent.path().join("work");
    std::fs::create_dir_all(scratch.join("data-osm")).unwrap();
    std::os::unix::fs::symlink(shared.join(".."), parent.path().join("shared")).unwrap();
    for folder in ["constraints", "vrp-examples", "crates"] {
        std::os::unix::fs::symlink(root.join(folder), scratch.join(folder)).unwrap();
    }
    std::os::unix::fs::symlink(&monaco, scratch.join("monaco-latest.osm.pbf")).unwrap();
    // Two lanes side by side: network design (single-threaded; its training takes minutes) and
    // the rest (the recommender's training and evaluation use every core). Region caches are made first in their lane; an
    // optional part naming a file an earlier command wrote (`[--model anaheim.safetensors]`) is
    // kept, as a reader who ran that command would.
    let mut lanes: [Vec<&ReadmeCommand>; 2] = [Vec::new(), Vec::new()];
    let mut left_out = Vec::new();
    for command in &commands {
        let subcommand = command.subcommand();
        if subcommand == "serve" {
            left_out.push(format!("{} (a server: tests/api.rs)", command.line));
        } else if PLACEHOLDERS.iter().any(|p| command.words(|_| false).iter().any(|w| w.contains(p))) {
            left_out.push(format!("{} (a template)", command.line));
        } else {
            lanes[usize::from(subcommand != "design")].push(command);
        }
    }
    lanes[1].sort_by_key(|c| !(c.subcommand() == "ingest" && c.words(|_| false).len() > 2));
    let ran: Vec<usize> = std::thread::scope(|scope| {
        let running: Vec<_> = lanes.iter().map(|lane| scope.spawn(|| run_lane(lane, &root, &scratch))).collect();
        running.into_iter().map(|lane| lane.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let ran: usize = ran.iter().sum();
    eprintln!("{ran} README commands ran; left out:\n  {}", left_out.join("\n  "));
    assert!(left_out.len() <= 8, "more templates than expected: {left_out:#?}");
}

/// Runs `lane`'s commands in order in `scratch` and checks each; how many ran.
fn run_lane(lane: &[&ReadmeCommand], root: &Path, scratch: &Path) -> usize {
    for command in lane {
        let words = command.words(|part| part.split_whitespace().any(|w| scratch.join(w).is_file()));
        let started = Instant::now();
        let out = Command::new(binary()).args(&words[1..]).current_dir(scratch).output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        eprintln!("{:6.1} s  {}", started.elapsed().as_secs_f64(), words.join(" "));
        let status = out.status.code();
        let impossible = ["plan", "explain"].contains(&words[1].as_str()) && status == Some(3);
        assert!(
            status == Some(0) || impossible,
            "`{}` exited {status:?}\nstdout: {stdout}\nstderr: {stderr}",
            command.line
        );
        assert!(!stderr.contains("panicked"), "`{}` panicked: {stderr}", command.line);
        if let Some(figure) = stated_figure(&command.comment) {
            assert!(stdout.contains(&figure), "`{}`: the README says {figure}; the output:\n{stdout}", command.line);
        }
        match command.stdout_to.as_deref() {
            Some(file) if root.join(file).exists() && !Path::new(file).starts_with("..") => {
                let committed = std::fs::read_to_string(root.join(file)).unwrap();
                assert_eq!(stdout.trim_end(), committed.trim_end(), "`{}` changes the committed {file}", command.line);
            }
            Some(file) => std::fs::write(scratch.join(file), out.stdout.as_slice()).unwrap(),
            None => {}
        }
    }
    lane.len()
}
