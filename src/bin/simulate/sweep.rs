//! `simulate sweep`: cells of a grid run on a pool of threads, each taking the next cell not yet
//! taken; rows are written in cell order as soon as every row before them is done, so the output
//! is the same on any number of threads. On a terminal, a progress bar with the time left.

use super::{Format, SweepArgs, load, write_error};
use metastable_playground::sim::health::Memo;
use metastable_playground::sim::scenario::Scenario;
use metastable_playground::sim::sweep::{Axis, CellResult, Grid, rows};
use std::io::{BufWriter, IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

pub fn sweep(args: SweepArgs) -> Result<(), String> {
    let base = load(&args.run)?;
    let axis = |flag: &str, text: &str| Axis::parse_typed(text, &base).map_err(|e| format!("{flag} {e}"));
    let x = axis("--x", &args.x)?;
    let y = args.y.as_deref().map(|y| axis("--y", y)).transpose()?;
    let grid = Grid::new(&base, x, y, args.seeds, base.seed).map_err(|e| format!("sweep: {e}"))?;
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err("--threads must be at least 1".to_string());
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if let Format::Csv = args.run.format {
        writeln!(out, "{}", rows::csv_header(&grid)).map_err(write_error)?;
    }
    let progress = std::io::stderr().is_terminal().then(Instant::now);
    let next = AtomicUsize::new(0);
    let (send, receive) = mpsc::channel::<Result<CellResult, String>>();
    let written = std::thread::scope(|scope| {
        for _ in 0..threads.min(grid.len()) {
            let (send, grid, base, next) = (send.clone(), &grid, &base, &next);
            scope.spawn(move || run_cells(grid, base, next, &send));
        }
        drop(send);
        let mut done: Vec<Option<CellResult>> = vec![None; grid.len()];
        let (mut written, mut finished) = (0, 0);
        for result in receive {
            let result = result?;
            let index = result.cell.index;
            done[index] = Some(result);
            finished += 1;
            let before = written;
            while let Some(Some(row)) = done.get_mut(written).map(Option::take) {
                if progress.is_some() && written == before {
                    // Rows may go to the same terminal as the bar: clear it before they print.
                    eprint!("\r{CLEAR_LINE}");
                }
                let line = match args.run.format {
                    Format::Csv => rows::csv_row(&grid, &row),
                    Format::Jsonl => rows::json_row(&grid, &row),
                };
                writeln!(out, "{line}").map_err(write_error)?;
                written += 1;
            }
            if let Some(started) = progress {
                out.flush().map_err(write_error)?;
                draw_progress(finished, grid.len(), started);
            }
        }
        if let Some(started) = progress {
            eprintln!("\r{CLEAR_LINE}{} runs in {:.0} s", grid.len(), started.elapsed().as_secs_f64());
        }
        out.flush().map_err(write_error)
    });
    if progress.is_some() && written.is_err() {
        // Whatever is said next starts on a clean line.
        eprint!("\r{CLEAR_LINE}");
    }
    written
}

/// Runs cells until none is left, sending each result (or the first error) back.
fn run_cells(grid: &Grid, base: &Scenario, next: &AtomicUsize, send: &mpsc::Sender<Result<CellResult, String>>) {
    let mut memo = Memo::default();
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        if index >= grid.len() {
            return;
        }
        let cell = grid.cell(index);
        let result = grid.run(base, &cell, &mut memo).map_err(|e| format!("cell {index} ({cell:?}): {e}"));
        let failed = result.is_err();
        if send.send(result).is_err() || failed {
            return;
        }
    }
}

/// Erases the terminal line the cursor is on (ANSI "erase in line").
const CLEAR_LINE: &str = "\x1b[2K";

fn draw_progress(finished: usize, total: usize, started: Instant) {
    const WIDTH: usize = 30;
    let filled = WIDTH * finished / total.max(1);
    let elapsed = started.elapsed().as_secs_f64();
    let left = elapsed / finished.max(1) as f64 * (total - finished) as f64;
    eprint!("\r[{}{}] {finished}/{total} runs, about {left:.0} s left", "#".repeat(filled), "-".repeat(WIDTH - filled));
}
