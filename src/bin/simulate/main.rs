//! Command-line runner: list presets, run a scenario to CSV or JSON lines, benchmark the engine.
//!
//! Exit codes: 0 on success, 2 with a one-line message for bad input.

use clap::{Parser, Subcommand, ValueEnum};
use metastable_playground::sim::metrics::export;
use metastable_playground::sim::presets::{self, Preset};
use metastable_playground::sim::scenario::{self, Scenario, ScheduledChange, ScheduledTrigger, path, s_to_ns};
use metastable_playground::sim::{Run, Simulation};
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

mod hysteresis;
mod sweep;

#[derive(Parser)]
#[command(name = "simulate", about = "Run Metastable Playground scenarios from the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the presets with what each one shows.
    List,
    /// Run a scenario and print one row per metrics window.
    Run(RunArgs),
    /// Print every scenario field as a Markdown table: path, link name, default, unit, values.
    Fields,
    /// Print a preset's scenario as JSON: a starting point for --scenario files.
    Show {
        /// A preset by name (see `simulate list`).
        preset: String,
    },
    /// Run a scenario over a grid of one or two settings and several seeds, on every core: one row
    /// per cell and seed with the axes, the outcome and the key figures.
    Sweep(SweepArgs),
    /// Ramp the load up past capacity and back down with the timeline and print the goodput each
    /// level settles at: a hysteresis loop, one row per level (the ramp sets the duration and
    /// replaces the triggers and scheduled changes).
    Hysteresis(HysteresisArgs),
    /// Measure engine speed: one JSON line per benchmark, timed as the median of several runs.
    Bench {
        /// Simulated seconds per benchmark.
        #[arg(long, default_value_t = 120.0, allow_negative_numbers = true)]
        duration: f64,
        /// Runs per benchmark; the median wall time is reported.
        #[arg(long, default_value_t = 5)]
        repeat: u32,
        /// Run only the benchmark of this name (repeatable; default: every benchmark).
        #[arg(long = "only", value_name = "NAME")]
        only: Vec<String>,
    },
}

#[derive(clap::Args)]
pub(crate) struct RunArgs {
    /// A preset by name (see `simulate list`).
    #[arg(long, conflicts_with = "scenario", required_unless_present = "scenario")]
    preset: Option<String>,
    /// A scenario file in JSON (fields left out take their defaults).
    #[arg(long)]
    scenario: Option<String>,
    /// Simulated seconds to run (default: the scenario's duration_s).
    #[arg(long, allow_negative_numbers = true)]
    duration: Option<f64>,
    /// Seed of every random stream.
    #[arg(long)]
    seed: Option<u64>,
    /// Set a field by dotted path, e.g. --set clients.load_rps=2000 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    sets: Vec<String>,
    /// Schedule a change of a field at a simulated time, e.g. --at 60:clients.load_rps=500
    /// (repeatable; as `at=` in links).
    #[arg(long = "at", value_name = "AT_S:PATH=VALUE")]
    changes: Vec<String>,
    /// Schedule a trigger, e.g. --trigger 20:load_spike:2:10 (repeatable; as in links). When any is
    /// given they replace the scenario's triggers.
    #[arg(long = "trigger", value_name = "AT_S:KIND:MAGNITUDE:DURATION_S")]
    triggers: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
}

#[derive(clap::Args)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    run: RunArgs,
    /// The first axis, TARGET=FROM..TO:N (N values from FROM to TO, both included): a numeric
    /// field (clients.load_rps=300..900:13) or a timeline item's part (triggers[0].magnitude=1..3:9,
    /// changes[0].at_s=20..80:7).
    #[arg(long, value_name = "AXIS")]
    x: String,
    /// A second axis, written the same way.
    #[arg(long, value_name = "AXIS")]
    y: Option<String>,
    /// Seeds per cell: the scenario's seed (or --seed) and the ones after it.
    #[arg(long, default_value_t = 1)]
    seeds: u32,
    /// Threads to run cells on (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(clap::Args)]
pub(crate) struct HysteresisArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Lowest load, req/s (the ramp starts and ends there).
    #[arg(long, default_value_t = 300.0, allow_negative_numbers = true)]
    from: f64,
    /// Highest load, req/s.
    #[arg(long, default_value_t = 1300.0, allow_negative_numbers = true)]
    to: f64,
    /// Steps from the lowest load to the highest.
    #[arg(long, default_value_t = 10)]
    steps: u32,
    /// Seconds each level is held (its second half is read).
    #[arg(long, default_value_t = 20.0, allow_negative_numbers = true)]
    hold: f64,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Csv,
    Jsonl,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let rendered = e.to_string();
            let first = rendered.lines().next().unwrap_or("bad arguments");
            return fail(first.trim_start_matches("error: "));
        }
    };
    let outcome = match cli.command {
        Command::List => list(),
        Command::Fields => say(&scenario::fields::reference_table()),
        Command::Run(args) => run(args),
        Command::Show { preset } => show(&preset),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Hysteresis(args) => hysteresis::hysteresis(args),
        Command::Bench { duration, repeat, only } => bench(duration, repeat, &only),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) if message == OUTPUT_CLOSED => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

/// What a command returns when whoever reads its output stops early (`simulate run | head`):
/// not a failure, so it ends quietly.
const OUTPUT_CLOSED: &str = "output closed";

/// The error for a failed write to standard output.
pub(crate) fn write_error(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        OUTPUT_CLOSED.to_string()
    } else {
        format!("cannot write output: {e}")
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("simulate: {message}");
    ExitCode::from(2)
}

/// Writes `text` to standard output as it is.
fn say(text: &str) -> Result<(), String> {
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(write_error)
}

fn list() -> Result<(), String> {
    presets::all()
        .iter()
        .try_for_each(|p| say(&format!("{:<22} {}\n{:<22} {}\n\n", p.name, p.title, "", p.description)))
}

fn preset(name: &str) -> Result<Scenario, String> {
    presets::find(name).map(|p: &Preset| (p.scenario)()).ok_or_else(|| {
        let names: Vec<&str> = presets::all().iter().map(|p| p.name).collect();
        format!("unknown preset {name:?}; presets: {}", names.join(", "))
    })
}

fn show(name: &str) -> Result<(), String> {
    let text = serde_json::to_string_pretty(&preset(name)?).map_err(|e| e.to_string())?;
    say(&format!("{text}\n"))
}

pub(crate) fn load(args: &RunArgs) -> Result<Scenario, String> {
    let mut scenario = match (&args.preset, &args.scenario) {
        (Some(name), _) => preset(name)?,
        (None, Some(file)) => {
            let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
            scenario::from_json(&text).map_err(|e| format!("{file}: {e}"))?
        }
        (None, None) => return Err("give --preset NAME or --scenario FILE.json".to_string()),
    };
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    if let Some(duration) = args.duration {
        scenario.duration_s = duration;
    }
    for assignment in &args.sets {
        let (field, value) =
            assignment.split_once('=').ok_or_else(|| format!("--set {assignment:?}: expected PATH=VALUE"))?;
        scenario = path::set(&scenario, field, value).map_err(|e| format!("--set {e}"))?;
    }
    if !args.triggers.is_empty() {
        let parsed: Result<Vec<_>, String> = args.triggers.iter().map(|t| ScheduledTrigger::parse(t)).collect();
        scenario.triggers = parsed.map_err(|e| format!("--trigger {e}"))?;
    }
    for change in &args.changes {
        scenario.changes.push(ScheduledChange::parse(change).map_err(|e| format!("--at {e}"))?);
    }
    scenario.validate().map_err(|e| e.to_string())?;
    Ok(scenario)
}

fn run(args: RunArgs) -> Result<(), String> {
    let scenario = load(&args)?;
    let end_ns = s_to_ns(scenario.duration_s);
    let header = export::csv_header(&scenario);
    let mut run = Run::new(scenario).map_err(|e| e.to_string())?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if let Format::Csv = args.format {
        writeln!(out, "{header}").map_err(write_error)?;
    }
    let mut next_index = 0;
    let step_ns = s_to_ns(1.0);
    while run.sim().now_ns() < end_ns {
        run.run_until((run.sim().now_ns() + step_ns).min(end_ns));
        let new: Vec<_> = run.judged_windows().rev().take_while(|(w, _)| w.index >= next_index).collect();
        for (w, verdict) in new.into_iter().rev() {
            let line = match args.format {
                Format::Csv => export::csv_line(w, verdict),
                Format::Jsonl => export::json_line(w, verdict),
            };
            writeln!(out, "{line}").map_err(write_error)?;
            next_index = w.index + 1;
        }
    }
    out.flush().map_err(write_error)
}

fn bench(duration_s: f64, repeat: u32, only: &[String]) -> Result<(), String> {
    if !(duration_s.is_finite() && duration_s > 0.0 && duration_s <= 86_400.0) {
        return Err(format!("--duration {duration_s}: give more than 0 and at most 86400 simulated seconds"));
    }
    if repeat == 0 {
        return Err("--repeat must be at least 1".to_string());
    }
    let benchmarks = presets::benchmarks();
    if let Some(unknown) = only.iter().find(|o| !benchmarks.iter().any(|(name, _)| name == o)) {
        let names: Vec<&str> = benchmarks.iter().map(|(name, _)| *name).collect();
        return Err(format!("--only {unknown:?}: no such benchmark; benchmarks: {}", names.join(", ")));
    }
    for (name, scenario) in benchmarks.into_iter().filter(|(name, _)| only.is_empty() || only.iter().any(|o| o == name))
    {
        let mut walls = Vec::new();
        let mut counts = (0, 0);
        for _ in 0..repeat {
            let mut sim = Simulation::new(scenario.clone()).map_err(|e| e.to_string())?;
            let started = Instant::now();
            sim.run_until(s_to_ns(duration_s));
            walls.push(started.elapsed().as_secs_f64());
            counts = (sim.events_processed(), sim.totals().tiers.iter().map(|t| t.attempts).sum::<u64>());
        }
        walls.sort_by(f64::total_cmp);
        let wall_s = walls[walls.len() / 2];
        let (events, attempts) = counts;
        let line = serde_json::json!({
            "name": name,
            "events": events,
            "attempts": attempts,
            "wall_s": wall_s,
            "events_per_s": events as f64 / wall_s,
            "attempts_per_s": attempts as f64 / wall_s,
            "sim_s_per_wall_s": duration_s / wall_s,
        });
        say(&format!("{line}\n"))?;
    }
    Ok(())
}
