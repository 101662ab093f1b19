//! The diagram of a running simulation: each tier's gauges from the engine, the newest window's
//! rates, and the sampled requests as dots.

use super::{Diagram, Outcomes, TierBox, dots::Dots};
use crate::sim::Simulation;
use crate::sim::metrics::TierWindow;
use yew::prelude::*;

/// What the diagram shows of each tier of `sim`.
pub fn tier_boxes(sim: &Simulation) -> Vec<TierBox> {
    let latest = sim.windows().last();
    (0..sim.tier_count())
        .filter_map(|i| {
            let live = sim.tier_live(i)?;
            let tier = sim.scenario().tier(i);
            let rate = |f: fn(&TierWindow) -> f64| latest.and_then(|w| w.tiers.get(i)).map(f);
            Some(TierBox {
                name: tier.name(),
                queue_len: live.queue_len,
                queue_limit: u64::from(tier.backend.queue_limit),
                busy: live.in_service,
                workers: live.workers_available,
                attempts_rps: rate(|t| t.attempts_rps),
                arrivals_rps: rate(|t| t.backend_arrivals_rps),
            })
        })
        .collect()
}

/// What became of requests in `sim`'s newest window, once one has closed.
fn outcomes(sim: &Simulation) -> Option<Outcomes> {
    let w = sim.windows().last()?;
    let first = w.tiers.first();
    Some(Outcomes {
        succeeded: w.goodput_rps,
        retried: w.retries_rps,
        timed_out: w.timeouts_rps,
        // Work wasted anywhere in the chain (the banner may name a later tier's).
        wasted: if w.tiers.len() > 1 { w.tiers.iter().map(|t| t.wasted_rps).sum() } else { w.wasted_rps },
        errored: w.errors_rps,
        hits: first.map_or(0.0, |t| t.cache_hits_rps),
        responses: first.map_or(w.backend_completions_rps, |t| t.backend_completions_rps),
        in_flight: w.in_flight,
    })
}

/// The diagram of `sim` now, with `dots`.
pub fn live(sim: &Simulation, dots: &Dots, reduced_motion: bool) -> Html {
    html! {
        <Diagram dots={dots.list()} cache_fill={sim.cache_len() as f64 / sim.cache_capacity().max(1) as f64}
            cache_capacity={sim.cache_capacity()} cache_enabled={sim.scenario().cache.enabled} offered_rps={sim.windows().last().map(|w| w.offered_rps)}
            outcomes={outcomes(sim)} tiers={tier_boxes(sim)} {reduced_motion} />
    }
}
