//! Everything that is not a request: triggers, live changes of settings and window closing.

use super::tier::Delays;
use super::timeline::Item;
use super::{ChangeMark, Event, Simulation};
use crate::sim::backend::ServiceTime;
use crate::sim::clients::KeySampler;
use crate::sim::metrics::{Gauges, TierGauges};
use crate::sim::retry::Backoff;
use crate::sim::scenario::fields::{Field, FieldValue};
use crate::sim::scenario::validate::{check_trigger_magnitude, out_of_range};
use crate::sim::scenario::{
    MAX_TIERS, Scenario, ScenarioError, ScheduledChange, ScheduledTrigger, Trigger, TriggerKind, path, s_to_ns,
};

impl Simulation {
    /// Fires `trigger` now (a live button press).
    pub fn fire(&mut self, trigger: Trigger) -> Result<(), ScenarioError> {
        check_trigger_magnitude(trigger.kind, trigger.magnitude)?;
        if !(trigger.duration_s.is_finite() && (0.0..=86_400.0).contains(&trigger.duration_s)) {
            let message = out_of_range(trigger.duration_s, 0.0, 86_400.0);
            return Err(ScenarioError { field: "duration_s".to_string(), message });
        }
        let tiers = self.tiers.len() as u32;
        if !(1..=tiers).contains(&trigger.tier) {
            let message = format!("tier {} is not one of the chain's tiers, 1 to {tiers}", trigger.tier);
            return Err(ScenarioError { field: "tier".to_string(), message });
        }
        self.start_trigger(trigger);
        Ok(())
    }

    /// Applies the next scheduled item (its time has come and every event due by then is done).
    pub(super) fn apply_scheduled(&mut self) {
        self.take_back_answers();
        self.finish_prepared();
        match self.timeline.take() {
            Some((_, Item::Trigger(index))) => {
                if let Some(t) = self.scenario.triggers.get(index as usize) {
                    let trigger = t.trigger();
                    self.start_trigger(trigger);
                }
            }
            Some((_, Item::Change(index))) => {
                let due = self.scenario.changes.get(index as usize).map(|c| c.resolve(index as usize));
                if let Some(Ok((field, value))) = due {
                    // Validated with the scenario; a live change since may make it inconsistent,
                    // and then it is skipped like a refused slider move.
                    let _ = self.change(field, value, false);
                }
            }
            None => {}
        }
    }

    /// Adds a trigger to the timeline, due later than now.
    pub fn schedule_trigger(&mut self, trigger: ScheduledTrigger) -> Result<(), ScenarioError> {
        let item = Item::Trigger(self.scenario.triggers.len() as u32);
        self.schedule(trigger.at_s, item, |s| s.triggers.push(trigger))
    }

    /// Adds a change of settings to the timeline, due later than now.
    /// The same change at the same time again is refused: it would do nothing.
    pub fn schedule_change(&mut self, change: ScheduledChange) -> Result<(), ScenarioError> {
        if self.scenario.changes.contains(&change) {
            return Err(ScenarioError { field: "at_s".to_string(), message: "already on the timeline".to_string() });
        }
        let item = Item::Change(self.scenario.changes.len() as u32);
        self.schedule(change.at_s, item, |s| s.changes.push(change))
    }

    /// Adds `item`, due at `at_s`, to the timeline with `add`, if the result is valid.
    fn schedule(&mut self, at_s: f64, item: Item, add: impl FnOnce(&mut Scenario)) -> Result<(), ScenarioError> {
        self.check_future(at_s)?;
        let mut updated = self.scenario.clone();
        add(&mut updated);
        updated.validate()?;
        (self.scenario.triggers, self.scenario.changes) = (updated.triggers, updated.changes);
        self.timeline.insert(s_to_ns(at_s), item);
        Ok(())
    }

    /// Writes a trigger fired now into the timeline, as already applied: recording a session.
    pub fn record_trigger(&mut self, trigger: Trigger) {
        let Trigger { kind, magnitude, duration_s, tier } = trigger;
        self.scenario.triggers.push(ScheduledTrigger { at_s: self.now_s(), kind, magnitude, duration_s, tier });
    }

    /// Writes the newest live change into the timeline, as already applied: recording a session.
    pub fn record_newest_change(&mut self) {
        if let Some(mark) = self.changes.last() {
            let to =
                serde_json::from_str(&mark.field.text(&mark.to)).unwrap_or_else(|_| mark.field.text(&mark.to).into());
            self.scenario.changes.push(ScheduledChange { at_s: mark.t_s, set: mark.field.path.to_string(), to });
        }
    }

    /// Takes a scheduled item that is still to come off the timeline.
    pub fn unschedule(&mut self, item: Item) {
        if !self.timeline.remove(item) {
            return;
        }
        match item {
            Item::Trigger(index) => drop(self.scenario.triggers.remove(index as usize)),
            Item::Change(index) => drop(self.scenario.changes.remove(index as usize)),
        }
    }

    /// Scheduled items still to come, in order, with their due times in seconds.
    pub fn upcoming(&self) -> impl Iterator<Item = (f64, Item)> + '_ {
        self.timeline.upcoming().map(|(due, item)| (due as f64 / 1e9, item))
    }

    fn check_future(&self, at_s: f64) -> Result<(), ScenarioError> {
        if at_s.is_finite() && s_to_ns(at_s) > self.now_ns {
            return Ok(());
        }
        let message = if at_s.is_finite() {
            format!("t = {at_s} s is not later than now (t = {:.1} s)", self.now_s())
        } else {
            "give the time it happens at, in seconds from the start".to_string()
        };
        Err(ScenarioError { field: "at_s".to_string(), message })
    }

    fn start_trigger(&mut self, trigger: Trigger) {
        let id = self.faults.start(self.now_ns, trigger);
        if trigger.kind == TriggerKind::CacheFlush {
            self.tiers[trigger.tier as usize - 1].server.cache.flush();
        } else if trigger.duration_s > 0.0 {
            self.queue.schedule(self.now_ns + s_to_ns(trigger.duration_s), Event::TriggerEnd { id });
        }
        self.after_fault_change();
    }

    pub(super) fn end_trigger(&mut self, id: u32) {
        self.apply_fills();
        self.faults.end(self.now_ns, id);
        self.after_fault_change();
    }

    fn after_fault_change(&mut self) {
        self.restart_arrivals();
        self.update_workers();
    }

    fn update_workers(&mut self) {
        for tier in 0..self.tiers.len() {
            let configured = self.tiers[tier].server.backend_config.workers;
            let lost = libm::round(configured as f64 * self.faults.capacity_lost(tier)) as u32;
            self.tiers[tier].server.backend.set_available(self.now_ns, configured.saturating_sub(lost));
            self.start_queued_work(tier);
        }
    }

    /// Sets one field by dotted path or short name (e.g. `clients.load_rps`, value `2000`) now.
    pub fn set(&mut self, path: &str, value: &str) -> Result<(), ScenarioError> {
        let field = path::field(path)?;
        self.change(field, field.parse(value)?, false)
    }

    /// Like [`Simulation::set`], for a slider still being dragged: when the newest change set the
    /// same field, this one continues it — its mark, at the drag's start, takes the new value — so
    /// a drag leaves one mark, from the value before it to the value let go at.
    pub fn set_continuing(&mut self, path: &str, value: &str) -> Result<(), ScenarioError> {
        let field = path::field(path)?;
        self.change(field, field.parse(value)?, true)
    }

    /// Sets `field` to `value` now, exactly as a slider does; the change is marked on the time
    /// axis, or, `continuing` a change of the same field that is the newest, that mark takes it.
    fn change(&mut self, field: &'static Field, value: FieldValue, continuing: bool) -> Result<(), ScenarioError> {
        let updated = path::with(&self.scenario, field, &value)?;
        let from = field.get(&self.scenario);
        self.apply(updated);
        if continuing && self.changes.last().is_some_and(|m| std::ptr::eq(m.field, field)) {
            self.changes.update(self.changes.len() - 1, |mark| mark.to = value);
        } else {
            self.changes.push(ChangeMark { t_s: self.now_s(), field, from, to: value });
        }
        Ok(())
    }

    fn apply(&mut self, new: Scenario) {
        let old = std::mem::replace(&mut self.scenario, new);
        let new = &self.scenario;
        if (old.clients.keys, old.clients.zipf_s) != (new.clients.keys, new.clients.zipf_s) {
            self.streams.keys.reshape(KeySampler::new(new.clients.keys, new.clients.zipf_s));
        }
        // The backend hop before, of each tier whose misses on their way must be recalled; the
        // tiers whose empty caches' lookups and fills read what changed.
        let mut recall = [None; MAX_TIERS];
        let mut take_back = [None; MAX_TIERS];
        for (index, (caller, server)) in self.tiers.iter_mut().map(|t| (&mut t.caller, &mut t.server)).enumerate() {
            let (before, after) = (old.tier(index), new.tier(index));
            let was = server.delays;
            server.delays = Delays::of(&after);
            let now = server.delays;
            if now.backend_hop_ns != was.backend_hop_ns
                || now.cache_reply_ns < was.cache_reply_ns
                || (after.cache.coalescing && !before.cache.coalescing)
            {
                recall[index] = Some(was.backend_hop_ns);
            }
            let capacity = new.cache_capacity_of(index);
            let resized = old.cache_capacity_of(index) != capacity;
            if (now.cache_reply_ns, now.backend_hop_ns) != (was.cache_reply_ns, was.backend_hop_ns)
                || before.cache != after.cache
                || resized
            {
                take_back[index] = Some(was.backend_hop_ns);
            }
            caller.timeout_ns = after.timeout_ns();
            if resized {
                server.cache.resize(capacity);
            }
            caller.admission.reconfigure(before.retry, after.retry);
            caller.policy = after.retry.clone();
            caller.backoff = Backoff::new(after.retry);
            if before.backend != after.backend {
                server.service = ServiceTime::new(after.backend);
            }
            server.backend_config = after.backend.clone();
            server.cache_config = after.cache.clone();
        }
        self.windows.set_capacity(new.metrics.history_windows as usize);
        if old.clients != new.clients {
            self.restart_arrivals();
        }
        for (tier, hop_ns) in take_back.into_iter().enumerate() {
            if let Some(hop_ns) = hop_ns
                && self.take_back_empty_cache(tier)
            {
                recall[tier] = Some(hop_ns);
            }
        }
        for (tier, hop_ns) in recall.into_iter().enumerate() {
            if let Some(hop_ns) = hop_ns {
                self.recall_misses(tier, hop_ns);
            }
        }
        self.update_workers();
        self.settings_version += 1;
    }

    pub(super) fn on_window_end(&mut self) {
        self.settle_empty_caches();
        self.count_answers();
        self.apply_fills();
        let now = self.now_ns;
        let length_ns = now.saturating_sub(self.window_start_ns).max(1) as f64;
        let mut tiers = Vec::with_capacity(self.tiers.len());
        for (index, (caller, server)) in self.tiers.iter_mut().map(|t| (&mut t.caller, &mut t.server)).enumerate() {
            server.backend.touch(now);
            let areas = server.backend.areas();
            let before = std::mem::replace(&mut self.window_areas[index], areas);
            let available = areas.capacity - before.capacity;
            let utilization = if available > 0.0 { (areas.busy - before.busy) / available } else { 0.0 };
            tiers.push(TierGauges {
                name: self.scenario.tier_name(index),
                utilization,
                queue_len: server.backend.queue_len() as u64,
                in_service: u64::from(server.backend.busy()),
                queue_mean: (areas.queue - before.queue) / length_ns,
                busy_mean: (areas.busy - before.busy) / length_ns,
                cache_fill: server.cache.fill_ratio(),
                cache_capacity: server.cache.capacity() as u64,
                breaker: caller.admission.breaker_state(now),
                retry_tokens: caller.admission.tokens(&caller.policy, now),
            });
        }
        let gauges = Gauges { in_flight: self.tiers[0].caller.calls_live, tiers };
        let index = self.windows.pushed();
        let totals = self.totals();
        let window = self.window.close(index, self.window_start_ns, now, &totals, gauges);
        self.windows.push(window);
        self.window.reopen(totals);
        self.window_start_ns = now;
        self.window_end_ns = now + s_to_ns(self.scenario.metrics.window_s).max(1);
        self.queue.schedule(self.window_end_ns, Event::WindowEnd);
    }
}
