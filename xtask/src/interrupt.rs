//! Ctrl-C and SIGTERM handling: stop the running step, then clean up.
//!
//! Child steps (`cargo test`, …) run in their own process group, so the first
//! signal is forwarded to the whole group (cargo *and* the test binaries it
//! started) and the main thread then unwinds normally, which stops the test
//! server through its guard. A second signal runs the registered clean-ups
//! right away and exits, for the case where the main thread is stuck.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

use anyhow::Context as _;

/// The exit code of a process ended by SIGINT, by shell convention.
pub const INTERRUPTED_EXIT_CODE: u8 = 130;

static SIGNALS: AtomicUsize = AtomicUsize::new(0);
static CHILD_GROUP: Mutex<Option<u32>> = Mutex::new(None);
static WAKE: Condvar = Condvar::new();
static CLEANUPS: Mutex<Vec<(u64, CleanupFn)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

type CleanupFn = Box<dyn FnOnce() + Send>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking clean-up must not disable the others.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the handler for SIGINT, SIGTERM and SIGHUP (once per process).
pub fn install() -> anyhow::Result<()> {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    INSTALLED
        .get_or_init(|| ctrlc::set_handler(on_signal).map_err(|e| e.to_string()))
        .clone()
        .map_err(anyhow::Error::msg)
        .context("cannot install the Ctrl-C handler")
}

fn on_signal() {
    let count = SIGNALS.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(group) = *lock(&CHILD_GROUP) {
        signal_group(group);
    }
    WAKE.notify_all();
    if count >= 2 {
        eprintln!("xtask: interrupted again; cleaning up and exiting");
        let pending: Vec<_> = lock(&CLEANUPS).drain(..).collect();
        for (_, cleanup) in pending {
            cleanup();
        }
        std::process::exit(i32::from(INTERRUPTED_EXIT_CODE));
    }
}

fn signal_group(group: u32) {
    let _ = Command::new("kill")
        .args(["-INT", "--", &format!("-{group}")])
        .status();
}

/// Whether a signal has arrived.
pub fn interrupted() -> bool {
    SIGNALS.load(Ordering::SeqCst) > 0
}

/// Runs a step's command to completion in its own process group, so that a
/// signal reaches all its processes, and returns its exit status.
pub fn run_step(cmd: &mut Command) -> anyhow::Result<ExitStatus> {
    let child = spawn_in_group(cmd)?;
    wait_child(child, cmd)
}

/// Like [`run_step`], but copies the child's stdout to ours as it arrives
/// and also hands each complete line to `on_line`.
pub fn run_step_tee(
    cmd: &mut Command,
    on_line: &mut dyn FnMut(&str),
) -> anyhow::Result<ExitStatus> {
    cmd.stdout(Stdio::piped());
    let mut child = spawn_in_group(cmd)?;
    if let Some(mut out) = child.stdout.take() {
        // A broken terminal must not stop the step: keep reading to the end.
        let _ = copy_lines(&mut out, &mut std::io::stdout(), on_line);
    }
    wait_child(child, cmd)
}

fn spawn_in_group(cmd: &mut Command) -> anyhow::Result<Child> {
    // Holding the lock across spawn closes the window in which a signal
    // could arrive after the spawn but before the group is recorded.
    let mut slot = lock(&CHILD_GROUP);
    let child = cmd
        .process_group(0)
        .spawn()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    *slot = Some(child.id());
    drop(slot);
    if interrupted() {
        signal_group(child.id());
    }
    Ok(child)
}

fn wait_child(mut child: Child, cmd: &Command) -> anyhow::Result<ExitStatus> {
    let status = child.wait();
    *lock(&CHILD_GROUP) = None;
    status.with_context(|| format!("cannot wait for {cmd:?}"))
}

/// Copies `input` to `output` chunk by chunk (partial lines show at once)
/// and calls `on_line` for every line, the last one even without `\n`.
pub fn copy_lines(
    input: &mut dyn Read,
    output: &mut dyn Write,
    on_line: &mut dyn FnMut(&str),
) -> std::io::Result<()> {
    let mut buffer = [0u8; 8192];
    let mut pending: Vec<u8> = Vec::new();
    let mut output_ok = true;
    loop {
        let n = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        output_ok = output_ok
            && output
                .write_all(&buffer[..n])
                .and_then(|()| output.flush())
                .is_ok();
        pending.extend_from_slice(&buffer[..n]);
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            on_line(String::from_utf8_lossy(&line[..end]).trim_end_matches('\r'));
        }
    }
    if !pending.is_empty() {
        on_line(&String::from_utf8_lossy(&pending));
    }
    Ok(())
}

/// A clean-up that runs when the guard is dropped, or from the signal
/// handler when a second signal arrives first, but never twice.
#[derive(Debug)]
pub struct Cleanup {
    id: u64,
}

/// Registers `cleanup` and returns its guard.
pub fn on_exit(cleanup: impl FnOnce() + Send + 'static) -> Cleanup {
    let id = NEXT_ID.fetch_add(1, Ordering::SeqCst);
    lock(&CLEANUPS).push((id, Box::new(cleanup)));
    Cleanup { id }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        // Run under the lock, so that a second signal waits for this
        // clean-up instead of exiting in the middle of it.
        let mut cleanups = lock(&CLEANUPS);
        if let Some(index) = cleanups.iter().position(|(id, _)| *id == self.id) {
            let (_, cleanup) = cleanups.swap_remove(index);
            cleanup();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn cleanup_runs_once_on_drop() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&runs);
        let guard = on_exit(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let id = guard.id;
        assert_eq!(runs.load(Ordering::SeqCst), 0);
        assert!(lock(&CLEANUPS).iter().any(|(i, _)| *i == id));
        drop(guard);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(!lock(&CLEANUPS).iter().any(|(i, _)| *i == id));
    }

    #[test]
    fn run_step_reports_the_exit_status() {
        let status = run_step(Command::new("sh").args(["-c", "exit 3"])).unwrap();
        assert_eq!(status.code(), Some(3));
        assert!(run_step(&mut Command::new("/nonexistent/program")).is_err());
    }

    fn lines_of(input: &[u8]) -> (Vec<String>, Vec<u8>) {
        let mut lines = Vec::new();
        let mut output = Vec::new();
        copy_lines(&mut &input[..], &mut output, &mut |line| {
            lines.push(line.to_owned())
        })
        .unwrap();
        (lines, output)
    }

    #[test]
    fn copy_lines_passes_bytes_through_and_splits_lines() {
        let (lines, output) = lines_of(b"a\r\nb\n\nlast");
        assert_eq!(lines, ["a", "b", "", "last"]);
        assert_eq!(output, b"a\r\nb\n\nlast");
        let (lines, _) = lines_of(b"\xff ok\n");
        assert_eq!(lines, ["\u{fffd} ok"]);
        assert_eq!(lines_of(b"").0, Vec::<String>::new());
    }

    #[test]
    fn run_step_tee_sees_the_lines() {
        let mut lines = Vec::new();
        let status = run_step_tee(
            Command::new("sh").args(["-c", "echo one; echo two; exit 4"]),
            &mut |line| lines.push(line.to_owned()),
        )
        .unwrap();
        assert_eq!(status.code(), Some(4));
        assert_eq!(lines, ["one", "two"]);
    }
}
