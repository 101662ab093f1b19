//! `simulate hysteresis`: the load ramped up and back down by the timeline, one row per level.

use super::{Format, HysteresisArgs, load, write_error};
use metastable_playground::sim::sweep::{LoopPoint, Ramp};
use std::io::{BufWriter, Write};

pub fn hysteresis(args: HysteresisArgs) -> Result<(), String> {
    let base = load(&args.run)?;
    let ramp = Ramp { from_rps: args.from, to_rps: args.to, steps: args.steps, hold_s: args.hold };
    let points = ramp.run(&base, &mut |_| {}).map_err(|e| format!("hysteresis: {e}"))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if let Format::Csv = args.run.format {
        writeln!(out, "{}", LoopPoint::CSV_HEADER).map_err(write_error)?;
    }
    for p in points {
        let line = match args.run.format {
            Format::Csv => p.csv_row(),
            Format::Jsonl => {
                let mut value = serde_json::to_value(p).map_err(|e| e.to_string())?;
                value["branch"] = p.branch().into();
                value.to_string()
            }
        };
        writeln!(out, "{line}").map_err(write_error)?;
    }
    out.flush().map_err(write_error)
}
