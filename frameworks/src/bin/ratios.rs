//! Reads the output of one or more runs of `cargo bench --bench frameworks` on stdin and prints,
//! for every case and measurement, each framework's time and its ratio to ours, as a Markdown
//! table. Each cell is the fastest sample over all the runs given (the best estimate of
//! the cost when other jobs share the cores), or with `median` as argument the median of the
//! runs' medians.
//!
//! `for run in 1 2 3; do cargo bench --bench frameworks; done > target/bench.txt`
//! `cargo run --release --bin ratios < target/bench.txt` (or `-- median`)

use std::collections::BTreeMap;
use std::io::Read;

/// A divan time such as `1.632 µs`, in nanoseconds.
fn nanoseconds(text: &str) -> Option<f64> {
    let mut parts = text.split_whitespace();
    let value: f64 = parts.next()?.parse().ok()?;
    let scale = match parts.next()? {
        "ns" => 1.0,
        "µs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(value * scale)
}

fn show(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.1} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

/// A ratio with two significant digits at least.
fn ratio(r: f64) -> String {
    if r >= 100.0 {
        format!("{r:.0}x")
    } else if r >= 10.0 {
        format!("{r:.1}x")
    } else {
        format!("{r:.2}x")
    }
}

fn main() {
    let median = std::env::args().nth(1).is_some_and(|a| a == "median");
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    // (case, measurement) -> framework -> each run's fastest sample or median
    let mut runs: BTreeMap<(String, String), BTreeMap<String, Vec<f64>>> = BTreeMap::new();
    let (mut case, mut measurement) = (String::new(), String::new());
    for line in input.lines() {
        let columns: Vec<&str> = line.split('│').collect();
        let Some(position) = columns.iter().position(|c| c.contains('─')) else {
            continue;
        };
        let text = columns[position].rsplit('─').next().unwrap_or_default();
        let mut words = text.split_whitespace();
        let Some(label) = words.next() else { continue };
        let fastest: Vec<&str> = words.collect();
        if fastest.is_empty() {
            if matches!(label, "forward" | "step") {
                measurement = label.to_string();
            } else {
                case = label.to_string();
            }
            continue;
        }
        // A benchmark row: "name  fastest │ slowest │ median │ mean │ samples │ iters".
        let Some(position) = columns.iter().position(|c| c.contains(label)) else {
            continue;
        };
        let time = if median {
            columns.get(position + 2).and_then(|c| nanoseconds(c))
        } else {
            nanoseconds(&fastest.join(" "))
        };
        let Some(time) = time else { continue };
        runs.entry((case.clone(), measurement.clone()))
            .or_default()
            .entry(label.to_string())
            .or_default()
            .push(time);
    }
    let medians: BTreeMap<_, BTreeMap<_, f64>> = runs
        .into_iter()
        .map(|(key, row)| {
            let row = row
                .into_iter()
                .map(|(name, mut times)| {
                    times.sort_by(f64::total_cmp);
                    (
                        name,
                        if median {
                            times[times.len() / 2]
                        } else {
                            times[0]
                        },
                    )
                })
                .collect();
            (key, row)
        })
        .collect();
    println!("| case | measured | ours | dfdx | candle | burn |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    for ((case, measurement), row) in &medians {
        let Some(&ours) = row.get("ours") else {
            continue;
        };
        let cell = |name: &str| {
            row.get(name).map_or_else(
                || "n/a".to_string(),
                |&t| format!("{} ({})", show(t), ratio(t / ours)),
            )
        };
        println!(
            "| {case} | {measurement} | {} | {} | {} | {} |",
            show(ours),
            cell("dfdx"),
            cell("candle"),
            cell("burn")
        );
    }
}
