//! The full playground's layout: header and banner, messages, transport, share bar, controls and
//! triggers beside the diagram and the charts.

use super::{App, MIN_VIEW_S, Msg, VIEW_S};
use crate::link::{Link, MAX_START_S};
use crate::sim::Window;
use crate::sim::engine::Scheduled;
use crate::sim::scenario::Scenario;
use crate::ui::banner::Banner;
use crate::ui::browser;
use crate::ui::chain::Chain;
use crate::ui::charts::{
    Charts, Mark, OverviewProps, XyChart, XySeries, item_label, marks, overview, timeout, whole_run,
};
use crate::ui::controls::ControlPanel;
use crate::ui::diagram::live;
use crate::ui::embed_dialog::EmbedDialog;
use crate::ui::share::{ShareProps, share_bar};
use crate::ui::sweep::{LoopPanel, MapPanel, made_of};
use crate::ui::timeline::{Row, Timeline};
use crate::ui::transport::Transport;
use crate::ui::triggers::Triggers;
use std::rc::Rc;
use yew::prelude::*;

impl App {
    pub(super) fn marks(&self) -> Rc<Vec<Mark>> {
        marks(self.playback.sim())
    }

    /// The diagram of the run now.
    pub(super) fn diagram(&self) -> Html {
        live(self.playback.sim(), &self.dots, self.reduced_motion)
    }

    /// Which tier the charts show: every tier at once, or one.
    fn chart_picker(&self, ctx: &Context<Self>) -> Html {
        let scenario = self.playback.sim().scenario();
        let onchange = ctx.link().callback(|e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            Msg::ChartTier(value.parse::<usize>().ok())
        });
        html! {
            <label class="chart-picker">{ "Charts show " }
                <select id="chart-tier" {onchange}>
                    <option value="all" selected={self.chart_tier.is_none()}>{ "every tier" }</option>
                    { for (0..scenario.tier_count()).map(|i| html! {
                        <option value={i.to_string()} selected={self.chart_tier == Some(i)}>{ format!("tier {} · {}", i + 1, scenario.tier_name(i)) }</option>
                    }) }
                </select>
            </label>
        }
    }

    /// The timeline's items, past and to come, in time order.
    fn timeline_rows(&self) -> Vec<Row> {
        let sim = self.playback.sim();
        let scenario = sim.scenario();
        let upcoming: Vec<Scheduled> = sim.upcoming().map(|(_, item)| item).collect();
        let triggers = scenario.triggers.iter().enumerate().map(|(i, t)| (t.at_s, Scheduled::Trigger(i as u32)));
        let changes = scenario.changes.iter().enumerate().map(|(i, c)| (c.at_s, Scheduled::Change(i as u32)));
        let mut rows: Vec<Row> = triggers
            .chain(changes)
            .map(|(at_s, item)| Row {
                at_s,
                label: item_label(sim, item),
                upcoming: upcoming.contains(&item).then_some(item),
            })
            .collect();
        rows.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        rows
    }

    /// The charts' time axis and the windows on it. The axis ends at the clock at every render, so
    /// the charts move smoothly: it stretches over the first two minutes, then slides.
    pub(super) fn chart_view(&self) -> (f64, f64, Rc<Vec<Window>>) {
        let sim = self.playback.sim();
        let to_s = sim.now_s().max(MIN_VIEW_S);
        let from_s = (to_s - VIEW_S).max(0.0);
        (from_s, to_s, Rc::new(sim.windows().filter(|w| w.end_s >= from_s).cloned().collect()))
    }

    /// The time the run is being advanced to, while it is more than a second away and not playing.
    pub(super) fn catching_up(&self) -> Option<f64> {
        let (now, target) = (self.playback.sim().now_ns(), self.playback.target_ns());
        (!self.playback.playing() && target > now + 1_000_000_000).then(|| target as f64 / 1e9)
    }

    /// Once the run outgrows the charts' window (`from_s` to `to_s`), the whole of it, drawn
    /// under their first two.
    pub(super) fn overview(&self, from_s: f64, to_s: f64) -> Html {
        let sim = self.playback.sim();
        if from_s <= 0.0 {
            return Html::default();
        }
        html! {
            { overview(&OverviewProps {
                lines: whole_run(sim.windows()),
                from_s: sim.windows().next().map_or(0.0, |w| w.start_s),
                now_s: sim.now_s(),
                window: (from_s, to_s),
                marks: self.marks(),
            }) }
        }
    }

    /// The live state space: the backend queue against retry amplification, window by window
    /// over the last minute, so a run is seen to jump from one resting place to the other. In a
    /// chain it shows the tier the charts show (the first when they show every tier), with the
    /// amplification so far: attempts reaching that tier per logical request. The axes reach the
    /// queue's limit and the most attempts a request can make there, so the places stay put, and
    /// further when a window does (attempts of earlier requests can outnumber a window's offered
    /// load several times over).
    pub(super) fn state_space(&self, windows: &[Window], settings_modified: bool) -> Html {
        let s = self.playback.sim().scenario();
        let tier = self.chart_tier.unwrap_or(0).min(s.tier_count() - 1);
        let per_minute = (60.0 / s.metrics.window_s).ceil() as usize;
        let last = &windows[windows.len().saturating_sub(per_minute + 1)..];
        let (points, times): (Vec<_>, Vec<_>) = last
            .iter()
            .filter_map(|w| w.tiers.get(tier).map(|t| ((t.queue_mean, t.retry_amplification.unwrap_or(1.0)), w.end_s)))
            .unzip();
        let series = XySeries {
            label: "now".into(),
            class: "c-amp",
            dash: "",
            points: Rc::new(points),
            fade: true,
            times: Some(Rc::new(times)),
        };
        let most_attempts: u32 = (0..=tier).map(|i| s.tier(i).retry.max_attempts.max(1)).product();
        let at = if s.tier_count() > 1 { format!(" at {}", s.tier_name(tier)) } else { String::new() };
        // Named like the map and the loops, so that a saved copy says what it shows.
        let preset = (!self.preset.is_empty()).then_some(self.preset.as_str());
        let title = format!("State space{at}{}, seed {}, last minute", made_of(preset, settings_modified), s.seed);
        let x_label = format!("Backend queue{at} (mean, requests)");
        html! {
            <XyChart title={title} x_label={x_label}
                y_label="Retry amplification (×)" series={vec![series]} csv=true
                x_max={Some(f64::from(s.tier(tier).backend.queue_limit.max(1)))} y_max={Some(f64::from(most_attempts.max(2)))} />
        }
    }

    /// The stability map and the hysteresis loops (only those drawn, without their forms, in
    /// an embed), titled as of the preset `modified` or not.
    pub(super) fn studies(&self, ctx: &Context<Self>, compact: bool, modified: bool) -> Html {
        let link = ctx.link();
        let start = Rc::new(self.start());
        let preset = (!self.preset.is_empty()).then(|| AttrValue::from(self.preset.clone()));
        html! {
            <>
                if !compact || self.map.is_some() {
                    <MapPanel scenario={start.clone()} preset={preset.clone()} {modified}
                        live={self.scenario.clone()} request={self.map.clone()} {compact}
                        on_open={link.callback(|s: Scenario| Msg::Open(Box::new(s)))} on_drawn={link.callback(Msg::MapDrawn)} />
                }
                if !compact || self.loops.is_some() {
                    <LoopPanel scenario={start} {preset} {modified} request={self.loops.clone()} {compact} on_drawn={link.callback(Msg::LoopsDrawn)} />
                }
            </>
        }
    }

    pub(super) fn full_view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let sim = self.playback.sim();
        let scenario = sim.scenario();
        let now_s = sim.now_s();
        let (from_s, to_s, windows) = self.chart_view();
        let verdict = self.playback.health();
        let modified = self.modified();
        // Read once a render: the state space, the map and the loops are titled with it.
        let settings_modified = self.settings_modified();
        html! {
            <div class="app">
                // The fragment holds the scenario, so the skip link moves focus itself.
                <a class="skip" href="#playground" onclick={|e: MouseEvent| {
                    e.prevent_default();
                    browser::focus_id("playground");
                }}>{ "Skip to the playground" }</a>
                <header class="top">
                    <h1>{ "Metastable Playground" }</h1>
                    <Banner state={verdict.state} reason={verdict.reason.to_string()} />
                    <a class="lessons-link" href="#v=2&lesson=">{ "Lessons" }</a>
                    <button type="button" class="theme" onclick={link.callback(|_| Msg::ToggleTheme)} aria-label="Switch light or dark theme">
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z" /></svg>
                    </button>
                </header>
                { self.messages(ctx) }
                <Transport playing={self.playback.playing()} speed={self.playback.speed()}
                    effective_speed={self.playback.effective_speed()} behind={self.behind} seed={scenario.seed}
                    {now_s} at_rest={self.playback.at_rest()} catching_up={self.catching_up()} preset={self.preset.clone()} {modified} on_command={link.callback(Msg::Command)} />
                { share_bar(ShareProps { on_action: link.callback(Msg::Share), status: self.share_status.clone() }) }
                if self.embed_dialog {
                    <EmbedDialog link={Link { embed: None, start_s: Some(scenario.story_told_s().max(now_s.floor()).min(MAX_START_S)).filter(|t| *t > 0.0), ..self.link() }} title={self.title()}
                        on_close={link.callback(|_| Msg::CloseEmbedDialog)} />
                }
                <main class="layout" id="playground" tabindex="-1">
                    <aside class="side">
                        <Triggers on_fire={link.callback(|(t, at)| Msg::Fire(t, at))}
                            tiers={scenario.tier_refs().map(|t| t.name()).collect::<Vec<_>>()} />
                        <Chain scenario={self.scenario.clone()} shown={self.shown_tier}
                            on_count={link.callback(Msg::SetTiers)} on_show={link.callback(Msg::ShowTier)} />
                        <ControlPanel scenario={self.scenario.clone()} notes={self.notes.clone()} tier={self.shown_tier}
                            on_change={link.callback(|(path, value, released)| Msg::Set(path, value, released))} />
                        <Timeline rows={self.timeline_rows()} {now_s} recording={self.recording} tiers={scenario.tier_count()}
                            on_record={link.callback(|_| Msg::ToggleRecord)} on_schedule={link.callback(Msg::Schedule)}
                            on_remove={link.callback(Msg::Unschedule)} error={self.schedule_error.clone()} />
                    </aside>
                    <div class="stage">
                        { self.diagram() }
                        if scenario.tier_count() > 1 {
                            { self.chart_picker(ctx) }
                        }
                        <Charts windows={windows.clone()} {from_s} {to_s} marks={self.marks()}
                            timeout={timeout(self.playback.sim())} tier={self.chart_tier}
                            last={self.state_space(&windows, settings_modified)}>
                            { self.overview(from_s, to_s) }
                        </Charts>
                        { self.studies(ctx, false, settings_modified) }
                    </div>
                </main>
            </div>
        }
    }
}
