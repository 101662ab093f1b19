//! Scenario links: every preset survives a round trip, frozen links from each released format
//! version still open with the same settings, and bad links keep what is usable and say what was not.

mod common;

use metastable_playground::link::{Embed, LessonLink, Link, MAX_CHARS, Theme, decode, encode};
use metastable_playground::sim::lessons;
use metastable_playground::sim::metrics::Chart;
use metastable_playground::sim::presets;
use metastable_playground::sim::scenario::{AdmissionKind, Scenario, TriggerKind};
use proptest::prelude::*;

#[test]
fn every_preset_round_trips_exactly() {
    for preset in presets::all() {
        let link = Link {
            scenario: (preset.scenario)(),
            preset: Some(preset.name.to_string()),
            speed: Some(2.0),
            ..Link::default()
        };
        let text = encode(&link);
        let decoded = decode(&format!("#{text}"));
        assert_eq!(decoded.notices, Vec::<String>::new(), "{text}");
        assert_eq!(decoded.link, link, "{text}");
    }
}

#[test]
fn defaults_are_left_out_and_common_fields_use_short_names() {
    let mut scenario = Scenario::default();
    scenario.clients.load_rps = 3000.0;
    scenario.retry.token_bucket.capacity = 250.5;
    scenario.seed = 42;
    let text = encode(&Link { scenario, preset: Some("healthy".into()), ..Link::default() });
    assert_eq!(text, "v=2&preset=healthy&seed=42&load=3000&retry.token_bucket.capacity=250.5");
    assert_eq!(encode(&Link { scenario: landing(), ..Link::default() }), "v=2");
}

/// The scenario the playground opens on.
fn landing() -> Scenario {
    (presets::find(presets::LANDING).expect("the landing preset").scenario)()
}

#[test]
fn a_link_without_a_preset_starts_from_the_landing_page_and_version_1_from_the_defaults() {
    let d = decode("#v=2&load=5000");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(
        d.link.scenario,
        Scenario {
            clients: {
                let mut c = landing().clients;
                c.load_rps = 5000.0;
                c
            },
            ..landing()
        }
    );
    assert!(!d.link.scenario.triggers.is_empty());
    // Typed by hand, with no version: read as this version, so from the landing page too.
    assert_eq!(decode("#load=5000").link.scenario, d.link.scenario);
    // Written by version 1: from the default settings, as then.
    let d = decode("#v=1&load=5000");
    let mut then = Scenario::default();
    then.clients.load_rps = 5000.0;
    assert_eq!(d.link.scenario, then);
    // Whatever a link without a preset holds comes back.
    let mut scenario = Scenario::default();
    scenario.clients.load_rps = 900.0;
    let text = encode(&Link { scenario: scenario.clone(), ..Link::default() });
    assert!(text.contains("triggers=none"), "{text}");
    assert_eq!(decode(&text).link.scenario, scenario, "{text}");
}

#[test]
fn values_outside_a_slider_are_brought_to_its_range_and_reported() {
    // Max attempts takes 1–100 but its slider 1–8; the load slider ends at 12 000 req/s.
    let d = decode("#v=2&preset=retry-storm&retries=99999&load=20000&workers=12");
    let s = &d.link.scenario;
    assert_eq!((s.retry.max_attempts, s.clients.load_rps, s.backend.workers), (8, 12_000.0, 12));
    let all = d.notices.join("\n");
    assert_eq!(d.notices.len(), 2, "{all}");
    assert!(all.contains("retries=\"99999\"") && all.contains("range 1–8; set to 8"), "{all}");
    assert!(all.contains("load=\"20000\"") && all.contains("set to 12000"), "{all}");
}

#[test]
fn embed_settings_round_trip() {
    let embed = Embed {
        controls: vec!["load".into(), "retries".into(), "hit".into()],
        autoplay: true,
        theme: Theme::Dark,
        ..Embed::default()
    };
    let link = Link { embed: Some(embed), scenario: landing(), ..Link::default() };
    let text = encode(&link);
    assert_eq!(text, "v=2&embed=1&controls=load,retries,hit&autoplay=1&theme=dark");
    assert_eq!(decode(&text).link, link);
}

#[test]
fn an_embed_chooses_its_charts_diagram_and_start_time_and_bad_ones_are_named() {
    let embed = Embed { charts: vec![Chart::Utilization, Chart::Throughput], diagram: true, ..Embed::default() };
    let link =
        Link { embed: Some(embed), start_s: Some(90.0), speed: Some(2.0), scenario: landing(), ..Link::default() };
    let text = encode(&link);
    assert_eq!(text, "v=2&speed=2&t=90&embed=1&charts=utilization,throughput&diagram=1");
    assert_eq!(decode(&text).link, link);
    // hit-rate names the utilisation chart, which draws the hit rate; a repeat is dropped.
    let alias = decode("v=1&embed=1&charts=hit-rate,queue,utilization");
    assert_eq!(alias.link.embed.map(|e| e.charts), Some(vec![Chart::Utilization, Chart::Queue]));
    let bad = decode("v=1&embed=1&charts=queue,pie&t=-5&diagram=maybe");
    assert_eq!(bad.link.embed.as_ref().map(|e| e.charts.clone()), Some(vec![Chart::Queue]));
    assert_eq!(bad.link.start_s, None);
    let notices = bad.notices.join("\n");
    for expected in
        ["\"pie\": no such chart; charts: throughput, latency", "\"t\"=\"-5\": not a start time", "\"diagram\""]
    {
        assert!(notices.contains(expected), "{expected}: {notices}");
    }
    assert_eq!(decode("v=1&t=0").link.start_s, None, "t=0 is the start");
    assert!(decode("v=1&t=3601").notices[0].contains("from 0 to 3600 s"));
}

/// Links as version 1 wrote them. They must open with these settings in every later release.
#[test]
fn frozen_version_1_links_still_open() {
    let d = decode(
        "#v=1&preset=token-bucket&seed=7&speed=5&load=3000.0&retries=4&admission=token_bucket&trigger=20.0:load_spike:2.0:10.0",
    );
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let s = &d.link.scenario;
    assert_eq!(d.link.preset.as_deref(), Some("token-bucket"));
    assert_eq!(d.link.speed, Some(5.0));
    assert_eq!((s.seed, s.clients.load_rps, s.retry.max_attempts), (7, 3000.0, 4));
    assert_eq!(s.retry.admission, AdmissionKind::TokenBucket);
    assert_eq!(s.triggers.len(), 1);
    assert_eq!((s.triggers[0].at_s, s.triggers[0].kind, s.triggers[0].magnitude), (20.0, TriggerKind::LoadSpike, 2.0));

    let d = decode(
        "v=1&hit=0.95&fill=write_back&timeout=null&backend.queue_limit=2000&embed=1&controls=load,hit&theme=light",
    );
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let s = &d.link.scenario;
    assert_eq!((s.cache.target_hit_rate, s.clients.timeout_s, s.backend.queue_limit), (0.95, None, 2000));
    let embed = d.link.embed.expect("embed");
    assert_eq!(
        (embed.controls, embed.autoplay, embed.theme),
        (vec!["load".to_string(), "hit".to_string()], false, Theme::Light)
    );
}

#[test]
fn bad_fields_are_named_and_the_rest_kept() {
    let d = decode("#v=1&load=4000&nonsense=3&retries=many&backoff=sideways&workers&trigger=5:meteor:1:1&speed=3");
    let s = &d.link.scenario;
    assert_eq!(s.clients.load_rps, 4000.0);
    assert_eq!(s.retry.max_attempts, Scenario::default().retry.max_attempts);
    assert!(s.triggers.is_empty());
    assert_eq!(d.link.speed, Some(2.0));
    let all = d.notices.join("\n");
    for named in ["\"nonsense\"", "\"retries\"", "\"backoff\"", "\"workers\"", "\"trigger\"", "speed 3"] {
        assert!(all.contains(named), "no notice names {named}: {all}");
    }
    assert_eq!(d.notices.len(), 6, "{all}");
}

#[test]
fn out_of_range_values_are_clamped_and_reported() {
    // Fields with a slider come to the slider's range, the rest (and triggers) to the values they
    // take.
    let d = decode("v=2&preset=healthy&load=5e9&hit=1.5&retries=-3&workers=0.4&queue=-7&trigger=10:capacity_loss:7:5");
    let s = &d.link.scenario;
    assert_eq!(s.clients.load_rps, 12_000.0);
    assert_eq!(s.cache.target_hit_rate, 0.99);
    assert_eq!(s.retry.max_attempts, 1);
    assert_eq!(s.backend.workers, 1);
    assert_eq!(s.backend.queue_limit, 0);
    assert_eq!(s.triggers[0].magnitude, 1.0);
    assert!(s.validate().is_ok());
    let all = d.notices.join("\n");
    for field in ["load=", "hit=", "retries", "workers", "queue", "triggers[0].magnitude"] {
        assert!(all.contains(field), "no notice names {field}: {all}");
    }
    // One notice a value.
    assert_eq!(d.notices.len(), 6, "{all}");
    // A count beyond what its setting takes comes to the setting's own end, as the seed box says.
    let d = decode("v=2&preset=healthy&seed=99999999999999999999999");
    assert_eq!(d.link.scenario.seed, u64::MAX, "{:?}", d.notices);
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    assert!(d.notices[0].contains("set to 18446744073709551615"), "{:?}", d.notices);
    assert_eq!(decode("v=2&preset=healthy&seed=5000000000").link.scenario.seed, 5_000_000_000);
    // Even one too large for a float: to the end of the range, with one notice.
    let d = decode("v=2&preset=healthy&workers=1e400&queue=-1e400");
    assert_eq!((d.link.scenario.backend.workers, d.link.scenario.backend.queue_limit), (200, 0), "{:?}", d.notices);
    assert_eq!(d.notices.len(), 2, "{:?}", d.notices);
    // A seed just past 2⁵³, which a float cannot hold, is kept to the last digit.
    let past = decode("v=2&preset=healthy&seed=9007199254740993");
    assert_eq!(past.link.scenario.seed, 9_007_199_254_740_993, "{:?}", past.notices);
    assert!(encode(&past.link).contains("seed=9007199254740993"), "{}", encode(&past.link));
    // A whole number written with an exponent is taken as it is, without a notice.
    let d = decode("v=2&preset=healthy&seed=1e19");
    assert_eq!((d.link.scenario.seed, d.notices.len()), (10_000_000_000_000_000_000, 0), "{:?}", d.notices);
    // Version 1 links kept values beyond a slider; they still open exactly as written.
    let d = decode("v=1&load=20000&workers=400&timeout=10");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let s = &d.link.scenario;
    assert_eq!((s.clients.load_rps, s.backend.workers, s.clients.timeout_s), (20_000.0, 400, Some(10.0)));
}

#[test]
fn future_versions_and_missing_versions_are_reported() {
    let d = decode("v=3&load=100&warp=9");
    assert_eq!(d.link.scenario.clients.load_rps, 100.0);
    assert!(d.notices.iter().any(|n| n.contains("\"warp\"")), "{:?}", d.notices);
    assert!(d.notices.iter().any(|n| n.contains("newer version")), "{:?}", d.notices);
    let d = decode("load=100");
    assert!(d.notices.iter().any(|n| n.contains("no version")), "{:?}", d.notices);
    assert_eq!(decode("").notices, Vec::<String>::new());
    assert_eq!(decode("#").link, Link { scenario: landing(), ..Link::default() });
}

#[test]
fn truncated_links_keep_the_fields_before_the_cut() {
    let full = "v=1&load=3000.0&retries=6&hit=0.9";
    let d = decode(&full[..full.len() - 2]);
    assert_eq!((d.link.scenario.clients.load_rps, d.link.scenario.retry.max_attempts), (3000.0, 6));
    assert!(d.notices.is_empty() || d.notices.iter().all(|n| n.contains("hit")));
}

#[test]
fn overlong_links_are_cut_and_reported() {
    let long = format!("v=1&load=10&{}", "x".repeat(MAX_CHARS * 4));
    let d = decode(&long);
    assert_eq!(d.link.scenario.clients.load_rps, 10.0);
    assert!(d.notices.iter().any(|n| n.contains("longer than")), "{:?}", d.notices);
    assert!(d.notices.iter().all(|n| n.len() < 200), "notices quote at most a short piece");
}

/// Bounds on what any input may produce: a valid scenario, few notices, each short.
fn check_bounded(text: &str) {
    let d = decode(text);
    assert!(d.link.scenario.validate().is_ok());
    assert!(d.notices.len() <= 402 + 64 + 40, "{} notices", d.notices.len());
    assert!(d.notices.iter().all(|n| n.len() < 1000), "quotes are cut at 40 characters");
    assert!(d.link.scenario.triggers.len() <= 64);
    assert!(d.link.embed.as_ref().is_none_or(|e| e.controls.len() <= 40));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_text_never_panics(text in ".{0,300}") {
        check_bounded(&text);
    }

    #[test]
    fn random_pairs_never_panic(pairs in prop::collection::vec(("[a-z._%0-9]{0,12}", "[-a-z0-9.:,%eE+]{0,16}"), 0..30)) {
        let text: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        check_bounded(&text.join("&"));
    }

    #[test]
    fn mutated_preset_links_never_panic(which in 0usize..12, cut in 0usize..400, flips in prop::collection::vec((0usize..400, any::<char>()), 0..6)) {
        let preset = &presets::all()[which % presets::all().len()];
        let link = Link {
            scenario: (preset.scenario)(),
            preset: Some(preset.name.into()),
            speed: Some(1.0),
            ..Link::default()
        };
        let mut chars: Vec<char> = encode(&link).chars().collect();
        for (at, c) in flips {
            if !chars.is_empty() {
                let i = at % chars.len();
                chars[i] = c;
            }
        }
        chars.truncate(cut.max(1));
        check_bounded(&chars.into_iter().collect::<String>());
    }
}

#[test]
fn huge_inputs_stay_bounded() {
    check_bounded(&"&".repeat(1_000_000));
    check_bounded(&"trigger=1:load_spike:2:3&".repeat(10_000));
    check_bounded(&format!("embed=1&controls={}", "load,".repeat(100_000)));
    check_bounded(&"%FF%FE=%00&".repeat(50_000));
}

#[test]
fn a_preset_link_stands_for_the_preset_and_fields_change_it() {
    let storm = common::preset("retry-storm");
    assert_eq!(decode("v=1&preset=retry-storm").link.scenario, storm);
    let d = decode("v=1&preset=retry-storm&load=650&triggers=none");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(
        d.link.scenario,
        Scenario {
            clients: {
                let mut c = storm.clients.clone();
                c.load_rps = 650.0;
                c
            },
            triggers: vec![],
            ..storm.clone()
        }
    );
    let link = Link {
        scenario: Scenario { triggers: vec![], ..storm },
        preset: Some("retry-storm".into()),
        ..Link::default()
    };
    assert_eq!(encode(&link), "v=2&preset=retry-storm&triggers=none");
    assert_eq!(decode(&encode(&link)).link, link);
}

#[test]
fn a_chain_round_trips_with_its_names_fields_triggers_and_changes_at_later_tiers() {
    use metastable_playground::sim::scenario::{ScheduledChange, ScheduledTrigger, TriggerKind};
    let mut scenario = common::preset("pool-exhaustion");
    scenario.tiers.push(Default::default());
    scenario.tiers[1].backend.workers = 7;
    scenario.triggers.push(ScheduledTrigger {
        at_s: 40.0,
        kind: TriggerKind::ErrorBurst,
        magnitude: 0.5,
        duration_s: 3.0,
        tier: 3,
    });
    scenario.changes.push(ScheduledChange {
        at_s: 30.0,
        set: "tier2.backend.workers".into(),
        to: serde_json::json!(9),
    });
    let link = Link { scenario, preset: Some("pool-exhaustion".into()), ..Link::default() };
    let text = encode(&link);
    assert!(text.contains("tiers=3") && text.contains("tier3.workers=7"), "{text}");
    assert!(text.contains("at=30:tier2.workers=9") && text.contains(":tier3"), "{text}");
    let decoded = decode(&text);
    assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);
    // The change comes back under its link name, for the same field of the same tier.
    let (field, value) = decoded.link.scenario.changes[0].resolve(0).expect("valid");
    assert_eq!(
        (field.path, value),
        ("tier2.backend.workers", metastable_playground::sim::scenario::fields::FieldValue::Number(9.0))
    );
    let mut expected = link.clone();
    expected.scenario.changes[0].set = "tier2.workers".into();
    assert_eq!(decoded.link, expected);
    // A field of a tier the link does not have is named as such.
    let d = decode("v=1&tier3.workers=5");
    assert!(d.notices.iter().any(|n| n.contains("no tier 3")), "{:?}", d.notices);
}

#[test]
fn a_map_and_loops_round_trip_and_bad_ones_are_named() {
    use metastable_playground::link::{LoopLink, MapLink};
    use metastable_playground::sim::sweep::Ramp;
    let scenario = (presets::find("retry-storm").expect("preset").scenario)();
    let link = Link {
        scenario,
        preset: Some("retry-storm".into()),
        map: Some(MapLink {
            x: "clients.load_rps=300..900:7".into(),
            y: Some("triggers[0].magnitude=1..3:5".into()),
            seeds: 3,
            first_seed: Some(4),
        }),
        loops: Some(LoopLink {
            ramp: Ramp { from_rps: 300.0, to_rps: 1300.0, steps: 10, hold_s: 20.0 },
            policies: vec!["none".into(), "token_bucket".into()],
        }),
        ..Link::default()
    };
    let text = encode(&link);
    assert!(
        text.contains("mapx=clients.load_rps=300..900:7&mapy=triggers%5B0%5D.magnitude=1..3:5&seeds=3&mapseed=4"),
        "{text}"
    );
    assert!(text.contains("loop=300..1300:10:20&policies=none,token_bucket"), "{text}");
    let back = decode(&text);
    assert_eq!(back.notices, Vec::<String>::new());
    assert_eq!(back.link, link);
    // What cannot be drawn is named, and the scenario is kept.
    for (bad, named) in [
        ("mapx=clients.load_rps=300..lots:7", "\"lots\" is not a number"),
        ("mapx=triggers[5].magnitude=1..3:5", "there is no triggers[5]: its only trigger is triggers[0]"),
        ("mapy=clients.load_rps=300..900:7&seeds=2", "ignored mapy= and seeds=: a map needs mapx="),
        ("mapx=clients.load_rps=300..900:7&seeds=none", "seeds=\"none\""),
        ("mapx=clients.load_rps=300..900:7&seeds=51", "from 1 to 50"),
        ("mapx=clients.load_rps=300..900:7&mapseed=x", "mapseed=\"x\""),
        ("policies=none", "loops need loop="),
        ("mapy=clients.load_rps=300..900:7", "a map needs mapx="),
        ("loop=300..1300:10", "not FROM..TO:STEPS:HOLD_S"),
        ("loop=1300..300:10:20", "the load must rise"),
        ("loop=300..1300:10:20&policies=none,retry_harder", "\"retry_harder\" is not a retry-admission policy"),
    ] {
        let decoded = decode(&format!("v=1&preset=retry-storm&load=650&{bad}"));
        assert!(decoded.notices.iter().any(|n| n.contains(named)), "{bad}: {:?}", decoded.notices);
        assert_eq!(decoded.link.scenario.clients.load_rps, 650.0, "{bad}");
        assert!(decoded.link.map.is_none() && decoded.link.loops.is_none(), "{bad}");
    }
    // A map of whole numbers whose ends are not whole (the form once took them) still draws, its
    // values rounded as they always were; the form and the command line refuse such ends.
    let decoded = decode("v=1&preset=retry-storm&mapx=backend.workers=2.5..7.5:3");
    let map = decoded.link.map.expect("the map");
    assert_eq!((map.x.as_str(), decoded.notices.len()), ("backend.workers=2.5..7.5:3", 0));
    let scenario = &decoded.link.scenario;
    let grid = metastable_playground::sim::sweep::wire::grid(scenario, &map.x, None, 1, 1).expect("a grid");
    assert_eq!(grid.x.values(), vec![3.0, 5.0, 8.0]);
}

#[test]
fn every_lesson_step_has_a_link_and_bad_ones_fall_back_with_a_notice() {
    for lesson in lessons::all() {
        for step in 0..lesson.steps.len() {
            let link = Link {
                lesson: Some(LessonLink { name: Some(lesson.name), step }),
                scenario: landing(),
                ..Link::default()
            };
            let text = encode(&link);
            assert!(text.ends_with(&format!("lesson={}&step={}", lesson.name, step + 1)), "{text}");
            let decoded = decode(&text);
            assert_eq!(decoded.link.lesson, link.lesson, "{text}");
            assert!(decoded.notices.is_empty(), "{text}: {:?}", decoded.notices);
        }
    }
    let index = decode("v=2&lesson=");
    assert_eq!((index.link.lesson, index.notices.len()), (Some(LessonLink::INDEX), 0));
    assert_eq!(encode(&index.link), "v=2&lesson=");
    let unknown = decode("v=1&lesson=nope&step=2");
    assert_eq!(unknown.link.lesson, Some(LessonLink::INDEX));
    assert!(unknown.notices[0].contains("no such lesson"), "{:?}", unknown.notices);
    let past = decode("v=1&lesson=retry-storm&step=99");
    assert_eq!(past.link.lesson, Some(LessonLink { name: Some("retry-storm"), step: 0 }));
    assert!(past.notices[0].contains("steps 1 to 3"), "{:?}", past.notices);
    // Behind many bad parts, the lesson's notice still comes first: it says why another page shows.
    let crowded = decode("v=1&warp=1&a=1&b=2&c=3&d=4&e=5&lesson=zzz");
    assert!(
        crowded.notices.len() > 5 && crowded.notices[0].contains("\"zzz\": no such lesson"),
        "{:?}",
        crowded.notices
    );
    let stray = decode("v=1&step=2");
    assert_eq!(stray.link.lesson, None);
    assert!(stray.notices[0].contains("a step needs lesson="), "{:?}", stray.notices);
}

#[test]
fn a_key_with_a_broken_escape_is_quoted_as_the_link_writes_it() {
    let d = decode("#v=2&%E0%A4%A=1");
    let all = d.notices.join("\n");
    assert!(all.contains("\"%E0%A4%A\""), "{all}");
    assert!(!all.contains('\u{FFFD}'), "{all}");
}
