//! `simulate hysteresis`: the load ramped up and back down by the timeline, one row per level.

use super::{Format, HysteresisArgs, load};
use metastable_playground::sim::sweep::Ramp;
use std::io::{BufWriter, Write};

pub fn hysteresis(args: HysteresisArgs) -> Result<(), String> {
    let base = load(&args.run)?;
    let ramp = Ramp { from_rps: args.from, to_rps: args.to, steps: args.steps, hold_s: args.hold };
    let points = ramp.run(&base).map_err(|e| format!("hysteresis: {e}"))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let write_error = |e: std::io::Error| format!("cannot write output: {e}");
    if let Format::Csv = args.run.format {
        writeln!(out, "at_s,load_rps,offered_rps,goodput_rps,branch").map_err(write_error)?;
    }
    for p in points {
        let branch = if p.rising { "up" } else { "down" };
        let line = match args.run.format {
            Format::Csv => format!("{},{},{},{},{branch}", p.at_s, p.load_rps, p.offered_rps, p.goodput_rps),
            Format::Jsonl => {
                let mut value = serde_json::to_value(p).map_err(|e| e.to_string())?;
                value["branch"] = branch.into();
                value.to_string()
            }
        };
        writeln!(out, "{line}").map_err(write_error)?;
    }
    out.flush().map_err(write_error)
}
