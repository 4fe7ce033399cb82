//! Running `wrk` and `pgbench` and reading their results: requests (or
//! transactions) per second and the 50th and 99th latency percentiles.

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::interrupt;

/// The outcome of one load run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Result {
    /// Completed requests or transactions per second.
    pub rate: f64,
    /// Median latency, milliseconds.
    pub p50_ms: f64,
    /// 99th percentile latency, milliseconds.
    pub p99_ms: f64,
}

/// How hard and how long to load.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// Concurrent connections.
    pub connections: u32,
    /// Client threads.
    pub threads: u32,
    /// Duration in seconds.
    pub seconds: u64,
}

/// `wrk --latency` against `url` with a bearer token.
pub fn wrk(url: &str, token: &str, load: Load) -> anyhow::Result<Result> {
    let mut lines = Vec::new();
    let status = interrupt::run_step_tee(
        Command::new("wrk")
            .arg(format!("-t{}", load.threads))
            .arg(format!("-c{}", load.connections))
            .arg(format!("-d{}s", load.seconds))
            .arg("--latency")
            .arg("-H")
            .arg(format!("Authorization: Bearer {token}"))
            .arg(url),
        &mut |line| lines.push(line.to_owned()),
    )?;
    if !status.success() {
        bail!("wrk failed ({status})");
    }
    parse_wrk(&lines.join("\n"))
}

/// Reads `Requests/sec`, the 50% and 99% latency lines, and refuses runs
/// with non-2xx answers or socket errors (they would inflate the rate).
pub fn parse_wrk(output: &str) -> anyhow::Result<Result> {
    if let Some(line) = output.lines().find(|l| l.contains("Non-2xx")) {
        bail!("wrk saw failed requests: {}", line.trim());
    }
    let value = |prefix: &str| {
        output
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
            .with_context(|| format!("no `{prefix}` in the wrk output"))
    };
    Ok(Result {
        rate: value("Requests/sec:")?.parse()?,
        p50_ms: duration_ms(value("50%")?)?,
        p99_ms: duration_ms(value("99%")?)?,
    })
}

/// A wrk duration (`812.00us`, `1.25ms`, `2.01s`, `1.00m`) in milliseconds.
fn duration_ms(text: &str) -> anyhow::Result<f64> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .with_context(|| format!("no unit in `{text}`"))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().with_context(|| format!("bad `{text}`"))?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        _ => bail!("unknown unit in `{text}`"),
    };
    Ok(number * factor)
}

/// `pgbench` running `script` (with `-D` variables) on the database at
/// `port`/`database`; latencies come from its per-transaction log.
pub fn pgbench(
    port: u16,
    database: &str,
    script: &Path,
    variables: &[(&str, String)],
    load: Load,
) -> anyhow::Result<Result> {
    let log_dir = script.parent().context("script without a directory")?;
    let prefix = log_dir.join("pgbench_floor");
    remove_logs(log_dir)?;
    let mut cmd = Command::new("pgbench");
    cmd.args([
        "-n",
        "-M",
        "prepared",
        "-r",
        "-l",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
    ])
    .arg(format!("--log-prefix={}", prefix.display()))
    .arg(format!("-p{port}"))
    .arg(format!("-c{}", load.connections))
    .arg(format!("-j{}", load.threads))
    .arg(format!("-T{}", load.seconds))
    .arg("-f")
    .arg(script);
    for (name, value) in variables {
        cmd.arg("-D").arg(format!("{name}={value}"));
    }
    cmd.arg(database);
    let mut lines = Vec::new();
    let status = interrupt::run_step_tee(&mut cmd, &mut |line| lines.push(line.to_owned()))?;
    if !status.success() {
        bail!("pgbench failed ({status})");
    }
    let rate = parse_tps(&lines.join("\n"))?;
    let mut latencies = read_logs(log_dir)?;
    let (p50_ms, p99_ms) = percentiles(&mut latencies).context("pgbench logged nothing")?;
    Ok(Result {
        rate,
        p50_ms,
        p99_ms,
    })
}

/// The `tps = … (without initial connection time)` figure.
pub fn parse_tps(output: &str) -> anyhow::Result<f64> {
    let line = output
        .lines()
        .find(|l| l.starts_with("tps = "))
        .context("no `tps =` in the pgbench output")?;
    let number = line["tps = ".len()..]
        .split_whitespace()
        .next()
        .context("empty tps line")?;
    Ok(number.parse()?)
}

fn is_log(name: &str) -> bool {
    name.starts_with("pgbench_floor.")
}

fn remove_logs(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)?.filter_map(|e| e.ok()) {
        if entry.file_name().to_str().is_some_and(is_log) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The latencies (third column, microseconds) of all per-transaction logs,
/// in milliseconds.
fn read_logs(dir: &Path) -> anyhow::Result<Vec<f64>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)?.filter_map(|e| e.ok()) {
        if !entry.file_name().to_str().is_some_and(is_log) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        for line in text.lines() {
            let micros: f64 = line
                .split_whitespace()
                .nth(2)
                .with_context(|| format!("short pgbench log line `{line}`"))?
                .parse()?;
            out.push(micros / 1000.0);
        }
    }
    Ok(out)
}

/// The 50th and 99th percentiles (nearest rank); `None` without samples.
pub fn percentiles(samples: &mut [f64]) -> Option<(f64, f64)> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_by(f64::total_cmp);
    let rank = |p: f64| {
        let index = ((p / 100.0) * samples.len() as f64).ceil() as usize;
        samples[index.clamp(1, samples.len()) - 1]
    };
    Some((rank(50.0), rank(99.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK: &str = "Running 20s test @ http://127.0.0.1:1/v1/events
  2 threads and 8 connections
  Latency Distribution
     50%    3.10ms
     75%    4.00ms
     90%  812.00us
     99%    1.02s
  4000 requests in 20.00s, 1.00MB read
Requests/sec:    200.50
Transfer/sec:     51.20KB";

    #[test]
    fn wrk_output_is_read() {
        let result = parse_wrk(WRK).unwrap();
        assert_eq!(result.rate, 200.5);
        assert_eq!(result.p50_ms, 3.1);
        assert_eq!(result.p99_ms, 1020.0);
        let failed = format!("{WRK}\n  Non-2xx or 3xx responses: 7");
        assert!(parse_wrk(&failed).is_err());
        assert!(parse_wrk("Requests/sec: 1").is_err());
    }

    #[test]
    fn durations_in_milliseconds() {
        let cases = [
            ("812.00us", Some(0.812)),
            ("2ms", Some(2.0)),
            ("1.5m", Some(90_000.0)),
        ];
        for (text, expected) in cases {
            assert_eq!(duration_ms(text).ok(), expected, "{text}");
        }
        assert!(duration_ms("12").is_err());
        assert!(duration_ms("3h").is_err());
    }

    #[test]
    fn pgbench_tps_and_percentiles() {
        let out = "latency average = 2.000 ms\ntps = 3998.123456 (without initial connection time)";
        assert_eq!(parse_tps(out).unwrap(), 3998.123456);
        assert!(parse_tps("nothing").is_err());
        let mut samples: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentiles(&mut samples), Some((50.0, 99.0)));
        assert_eq!(percentiles(&mut [7.0]), Some((7.0, 7.0)));
        assert_eq!(percentiles(&mut []), None);
    }
}
