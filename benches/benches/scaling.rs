//! Compile-time scaling of `network!`: for nets of about 10 to 100k parameters, in each form the
//! macro accepts, the time `backprop_codegen::network` takes to expand the spec, the lines of the
//! expansion (formatted by prettyplease, as `backprop-codegen/tests/expansions.rs` formats it),
//! and the `cargo build --release` time of a binary crate holding that one net and calling its
//! methods, against an empty binary crate:
//!
//! ```sh
//! cargo bench -p backprop-benches --bench scaling                 # everything
//! cargo bench -p backprop-benches --bench scaling -- --no-build   # expansion only
//! cargo bench -p backprop-benches --bench scaling -- 784-128-10/looped 8-10-1/looped  # some rows
//! ```
//!
//! The crates are written to `target/scaling/` (a workspace of their own, sharing one target
//! directory): the dependencies are built first, then each crate is touched and rebuilt three
//! times, and the fastest build is reported. Each crate's binary then times its net's `forward`
//! and a step (`gradient` + `sgd_step`), best of 15 samples, in 5 processes.
//!
//! Expansion times are the median of repeated runs in this (optimised) binary; `cargo` builds
//! proc macros without optimisation by default (`build-override`), so run with
//! `CARGO_PROFILE_BENCH_OPT_LEVEL=0` to see what a build pays.

use proc_macro2::TokenStream;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One net of the table: its name, its sample type and the entries of its spec after `scalar`,
/// without `form`.
struct Net {
    name: String,
    /// The Rust type of one sample, as `[f32; 784]` or `[[f32; 100]; 6]`.
    sample: String,
    outputs: usize,
    entries: String,
}

/// Dense nets: layer widths (the input first), hidden activation, output activation and loss.
const DENSE: &[(&[usize], &str, (&str, &str))] = &[
    (&[2, 2, 1], "relu", ("relu", "squared_error")),
    (&[4, 8, 1], "relu", ("identity", "mean_squared_error")),
    (&[8, 10, 1], "relu", ("identity", "mean_squared_error")),
    (&[8, 16, 8, 1], "relu", ("identity", "mean_squared_error")),
    (&[16, 32, 1], "relu", ("identity", "mean_squared_error")),
    (&[16, 32, 16, 1], "relu", ("identity", "mean_squared_error")),
    (&[64, 32, 32, 1], "tanh", ("identity", "mean_squared_error")),
    (
        &[64, 128, 16, 1],
        "relu",
        ("identity", "mean_squared_error"),
    ),
    (&[784, 128, 10], "relu", ("softmax", "cross_entropy")),
];

/// Signal nets: name, input `[channels, steps]`, outputs, and the layers and loss of the spec
/// (the nets of `examples/basic_motions.rs` and `examples/japanese_vowels.rs`).
const SIGNAL: &[(&str, [usize; 2], usize, &str)] = &[
    (
        "conv-BasicMotions",
        [6, 100],
        4,
        "c1: conv1d(8, 5, relu, stride = 2, padding = 2), p1: max_pool1d(2), \
         c2: conv1d(16, 5, relu, padding = 2), gp: global_avg_pool1d, \
         output: dense(4, softmax), loss: cross_entropy,",
    ),
    (
        "gru-JapaneseVowels",
        [12, 29],
        9,
        "gru: gru(24), output: dense(9, softmax), loss: cross_entropy,",
    ),
];

/// Every net of the table, the dense ones first.
fn nets() -> Vec<Net> {
    let dense = DENSE.iter().map(|&(widths, hidden, (output, loss))| {
        let last = widths.len() - 2;
        let mut layers = String::new();
        for (l, width) in widths[1..].iter().enumerate() {
            let activation = if l == last { output } else { hidden };
            write!(layers, "layer{l}: dense({width}, {activation}), ").expect("write to a String");
        }
        let name = widths.iter().map(ToString::to_string).collect::<Vec<_>>();
        Net {
            name: name.join("-"),
            sample: format!("[f32; {}]", widths[0]),
            outputs: widths[widths.len() - 1],
            entries: format!("input: {}, {layers}loss: {loss},", widths[0]),
        }
    });
    let signal = SIGNAL
        .iter()
        .map(|&(name, [channels, steps], outputs, layers)| Net {
            name: name.to_owned(),
            sample: format!("[[f32; {steps}]; {channels}]"),
            outputs,
            entries: format!("input: [{channels}, {steps}], {layers}"),
        });
    dense.chain(signal).collect()
}

impl Net {
    /// The spec, `f32`, with `form: <form>`.
    fn spec(&self, form: &str) -> TokenStream {
        let source = format!(
            "/// A net of the compile-time table.\npub struct Net {{ scalar: f32, {} form: {form}, }}",
            self.entries
        );
        source.parse().expect("a spec tokenizes")
    }

    /// Its parameter count, as the macro's checked model gives it.
    fn parameters(&self) -> usize {
        backprop_codegen::validate(self.spec("looped"))
            .expect("every net of the table is valid")
            .parameters()
    }
}

/// The median time of `network(spec)`, over at least 5 runs and about a second.
fn expansion_time(spec: &TokenStream) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < Duration::from_secs(1) && times.len() < 1000) {
        let spec = spec.clone();
        let run = Instant::now();
        let tokens = backprop_codegen::network(spec);
        times.push(run.elapsed());
        drop(tokens);
    }
    times.sort();
    times[times.len() / 2]
}

/// The expansion as `cargo expand` shows it (prettyplease), and its number of lines.
fn expanded_lines(spec: &TokenStream) -> usize {
    let tokens = backprop_codegen::network(spec.clone());
    let file = syn::parse2::<syn::File>(tokens).expect("the expansion is valid Rust");
    prettyplease::unparse(&file).lines().count()
}

/// Times a closure: nanoseconds per call, the best of 15 samples of at least 2 ms each. Shared by
/// every crate, the empty one included, so it costs them all the same build time.
const TIMER: &str = "
fn nanoseconds(mut f: impl FnMut()) -> f64 {
    use std::time::{Duration, Instant};
    let mut iterations = 1_u32;
    loop {
        let start = Instant::now();
        for _ in 0..iterations {
            f();
        }
        if start.elapsed() >= Duration::from_millis(2) {
            break;
        }
        iterations *= 2;
    }
    (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            start.elapsed().as_secs_f64() * 1e9 / f64::from(iterations)
        })
        .fold(f64::INFINITY, f64::min)
}
";

/// The empty crate: the timer, called on nothing.
fn empty_source() -> String {
    format!("{TIMER}\nfn main() {{\n    println!(\"{{}}\", nanoseconds(|| {{}}));\n}}\n")
}

/// `main` of a crate holding `spec`: every method a training program calls, on inputs the
/// optimiser cannot see, so all of them are compiled; then it prints the time of `forward` and
/// of a step (`gradient` + `sgd_step`) in nanoseconds, as `forward <ns> step <ns>`.
fn crate_source(spec: &TokenStream, net: &Net) -> String {
    let (sample, outputs) = (&net.sample, net.outputs);
    format!(
        "use backprop_core::network;
use std::hint::black_box;

network! {{ {spec} }}
{TIMER}
fn main() {{
    let mut net = Box::new(Net::he_uniform(black_box(1)));
    let x: {sample} = black_box(backprop_core::shape::Array::splat(0.5));
    let t = black_box([0.1_f32; {outputs}]);
    let (loss, gradient) = net.gradient(&x, &t);
    net.sgd_step(&gradient, 0.01);
    let (mean, gradient) = net.batch_gradient(&[x, x], &[t, t]);
    net.sgd_step(&gradient, 0.01);
    let mut adam = backprop_core::optim::Adam::new(0.01);
    let last = net.train_step(&x, &t, &mut adam);
    black_box((loss, mean, last, net.loss(&x, &t)));
    let forward = nanoseconds(|| {{
        black_box(black_box(&net).forward(black_box(&x)));
    }});
    let step = nanoseconds(|| {{
        let net = black_box(&mut net);
        let (loss, gradient) = net.gradient(black_box(&x), black_box(&t));
        net.sgd_step(&gradient, 0.01);
        black_box(loss);
    }});
    println!(\"forward {{forward}} step {{step}}\");
}}
"
    )
}

/// The crates' workspace, `target/scaling` of this repository.
fn scaling_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/scaling")
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the directory");
    std::fs::write(path, contents).expect("write");
}

/// Writes one crate of the scaling workspace.
fn write_crate(dir: &Path, name: &str, main: &str) {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("../backprop-core");
    let core = core.canonicalize().expect("backprop-core");
    write(
        &dir.join(name).join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nbackprop-core = {{ path = \"{}\" }}\n",
            core.display()
        ),
    );
    write(&dir.join(name).join("src/main.rs"), main);
}

/// `cargo build --release -p name` in the scaling workspace, and how long it took.
fn build(dir: &Path, name: &str) -> Duration {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let start = Instant::now();
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            name,
            "--target-dir",
            "target",
        ])
        .current_dir(dir)
        .status()
        .expect("run cargo");
    let elapsed = start.elapsed();
    assert!(status.success(), "cargo build -p {name} failed");
    elapsed
}

/// The fastest of three rebuilds of crate `name` (its `main.rs` touched before each).
fn build_time(dir: &Path, name: &str) -> Duration {
    (0..3)
        .map(|_| {
            let main = dir.join(name).join("src/main.rs");
            let source = std::fs::read_to_string(&main).expect("read main.rs");
            std::fs::write(&main, source).expect("touch main.rs");
            build(dir, name)
        })
        .min()
        .expect("three builds")
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1e3)
}

/// Runs a built crate five times and reads `forward <ns> step <ns>`: the fastest of the runs
/// (the times of one binary differ by up to 2x from one process to the next, with where its
/// memory lands).
fn run_times(dir: &Path, name: &str) -> (f64, f64) {
    (0..5)
        .map(|_| {
            let output = Command::new(dir.join("target/release").join(name))
                .output()
                .expect("run the crate");
            let text = String::from_utf8_lossy(&output.stdout);
            let words: Vec<&str> = text.split_whitespace().collect();
            match words[..] {
                ["forward", forward, "step", step] => (
                    forward.parse::<f64>().expect("nanoseconds"),
                    step.parse::<f64>().expect("nanoseconds"),
                ),
                _ => panic!("{name} printed {text}"),
            }
        })
        .fold((f64::INFINITY, f64::INFINITY), |(f, s), (forward, step)| {
            (f.min(forward), s.min(step))
        })
}

/// One row of the table.
struct Row<'a> {
    net: &'a Net,
    form: &'static str,
    spec: TokenStream,
    expansion: Duration,
    lines: usize,
    build: Option<Duration>,
    times: Option<(f64, f64)>,
}

fn main() {
    let builds = !std::env::args().any(|argument| argument == "--no-build");
    // Rows named `net/form` on the command line (cargo passes `--bench` too); all without any.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|argument| !argument.starts_with('-'))
        .collect();
    let mut rows = Vec::new();
    let nets = nets();
    for net in &nets {
        for form in ["unrolled", "looped"] {
            // A form the macro refuses for this net (the unrolled form of a big one) has no row.
            if backprop_codegen::validate(net.spec(form)).is_err() {
                continue;
            }
            if !only.is_empty() && !only.contains(&format!("{}/{form}", net.name)) {
                continue;
            }
            let spec = net.spec(form);
            let expansion = expansion_time(&spec);
            let lines = expanded_lines(&spec);
            eprintln!(
                "{} {form}: {} parameters, expansion {} ms, {lines} lines",
                net.name,
                net.parameters(),
                milliseconds(expansion)
            );
            rows.push(Row {
                net,
                form,
                spec,
                expansion,
                lines,
                build: None,
                times: None,
            });
        }
    }
    let dir = scaling_dir();
    let mut empty = None;
    if builds {
        let name = |row: &Row| format!("net-{}-{}", row.net.name, row.form);
        let mut members = vec!["\"empty\"".to_owned()];
        write_crate(&dir, "empty", &empty_source());
        for row in &rows {
            write_crate(&dir, &name(row), &crate_source(&row.spec, row.net));
            members.push(format!("\"{}\"", name(row)));
        }
        write(
            &dir.join("Cargo.toml"),
            &format!(
                "# Written by backprop-benches/benches/scaling.rs.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        );
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        std::fs::copy(lock, dir.join("Cargo.lock")).expect("copy Cargo.lock");
        eprintln!("building the dependencies");
        build(&dir, "empty");
        let empty_time = build_time(&dir, "empty");
        eprintln!("empty crate: {} ms", milliseconds(empty_time));
        empty = Some(empty_time);
        for row in &mut rows {
            let build = build_time(&dir, &name(row));
            let times = run_times(&dir, &name(row));
            eprintln!(
                "{}: {} ms, forward {:.1} ns, step {:.1} ns",
                name(row),
                milliseconds(build),
                times.0,
                times.1
            );
            (row.build, row.times) = (Some(build), Some(times));
        }
    }
    println!("{}", table(&rows, empty));
}

/// The markdown table of the rows, and the empty crate last.
fn table(rows: &[Row<'_>], empty: Option<Duration>) -> String {
    let mut table = String::from(
        "| net | parameters | form | expansion (ms) | expanded lines | release build (s) | build - empty (s) | forward (ns) | step (ns) |\n\
         | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for row in rows {
        let (build, extra) = match (row.build, empty) {
            (Some(build), Some(empty)) => (
                format!("{:.2}", build.as_secs_f64()),
                format!("{:.2}", build.as_secs_f64() - empty.as_secs_f64()),
            ),
            _ => ("-".to_owned(), "-".to_owned()),
        };
        let (forward, step) = row
            .times
            .map_or(("-".to_owned(), "-".to_owned()), |(f, s)| {
                (format!("{f:.1}"), format!("{s:.1}"))
            });
        writeln!(
            table,
            "| {} | {} | {} | {} | {} | {build} | {extra} | {forward} | {step} |",
            row.net.name,
            row.net.parameters(),
            row.form,
            milliseconds(row.expansion),
            row.lines,
        )
        .expect("write to a String");
    }
    if let Some(empty) = empty {
        writeln!(
            table,
            "| empty crate | 0 | - | - | - | {:.2} | 0 | - | - |",
            empty.as_secs_f64()
        )
        .expect("write to a String");
    }
    table
}
