//! The `simulate` command line: columns, formats, and one-line errors with exit code 2.

use std::process::{Command, Output};

fn simulate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_simulate")).args(args).output().expect("simulate runs")
}

const REQUIRED: [&str; 21] = [
    "t_s",
    "offered_rps",
    "attempts_rps",
    "retries_rps",
    "goodput_rps",
    "success_ratio",
    "backend_completions_rps",
    "wasted_rps",
    "timeouts_rps",
    "errors_rps",
    "rejections_rps",
    "queue_len",
    "in_flight",
    "utilization",
    "cache_hit_rate",
    "cache_fill",
    "p50_ms",
    "p99_ms",
    "e2e_p99_ms",
    "retry_amplification",
    "health",
];

#[test]
fn run_writes_one_csv_row_per_window_with_the_required_columns_first() {
    let out = simulate(&["run", "--preset", "retry-storm", "--duration", "40", "--seed", "3"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    assert_eq!(&header[..21], &REQUIRED);
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 40);
    assert!(rows[0].starts_with("1.0,"), "{}", rows[0]);
    let last: Vec<&str> = rows[39].split(',').collect();
    assert_eq!(last[20], "metastable");
}

#[test]
fn jsonl_rows_carry_the_same_columns_in_order_and_set_overrides_fields() {
    let out = simulate(&[
        "run",
        "--preset",
        "healthy",
        "--duration",
        "3",
        "--format",
        "jsonl",
        "--set",
        "clients.load_rps=100",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(rows.len(), 3);
    let keys: Vec<&String> = rows[0].as_object().expect("object").keys().collect();
    assert_eq!(keys[..21].iter().map(|k| k.as_str()).collect::<Vec<_>>(), REQUIRED);
    let offered = rows[2]["offered_rps"].as_f64().expect("number");
    assert!((50.0..150.0).contains(&offered), "offered {offered}");
}

#[test]
fn a_scenario_file_runs_and_bad_files_exit_2_with_one_line() {
    let dir = std::env::temp_dir().join(format!("simulate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"clients": {"load_rps": 50}, "duration_s": 2}"#).expect("write");
    let out = simulate(&["run", "--scenario", good.to_str().expect("path")]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    for (name, text, expected) in [
        ("broken.json", "{\"clients\": ", "broken.json"),
        ("unknown.json", r#"{"clients": {"lod_rps": 5}}"#, "clients.lod_rps: unknown field"),
        ("type.json", r#"{"backend": {"workers": "ten"}}"#, "backend.workers: invalid type"),
        ("element.json", r#"{"triggers": [{"at_s": 1, "kind": "load_spike"}, {"at_s": "x"}]}"#, "triggers[1].at_s:"),
        ("missing.json", r#"{"triggers": [{"at_s": 1}]}"#, "triggers[0]: missing field `kind`"),
        ("group.json", r#"{"backnd": {"workers": 5}}"#, "backnd: unknown field `backnd`"),
        ("shape.json", r#"{"triggers": {"at_s": 1}}"#, "triggers: invalid type: map"),
        ("range.json", r#"{"backend": {"workers": 0}}"#, "backend.workers"),
        ("array.json", "[]", "not an array"),
        ("number.json", "3", "not a number"),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, text).expect("write");
        assert_one_line_error(&simulate(&["run", "--scenario", file.to_str().expect("path")]), expected);
    }
    assert_one_line_error(&simulate(&["run", "--scenario", "/no/such/file.json"]), "cannot read");
}

#[test]
fn at_and_trigger_schedule_changes_and_triggers() {
    let out = simulate(&[
        "run",
        "--preset",
        "healthy",
        "--duration",
        "12",
        "--at",
        "5:clients.load_rps=500",
        "--at",
        "8:load=1000",
        "--trigger",
        "10:error_burst:1:1",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let offered: Vec<f64> =
        text.lines().skip(1).map(|l| l.split(',').nth(1).expect("offered").parse().expect("number")).collect();
    assert!(offered[..5].iter().all(|&o| o > 2000.0), "{offered:?}");
    assert!(offered[5..8].iter().all(|&o| (350.0..650.0).contains(&o)), "{offered:?}");
    assert!(offered[8..].iter().all(|&o| (800.0..1200.0).contains(&o)), "{offered:?}");
    let errors: Vec<f64> =
        text.lines().skip(1).map(|l| l.split(',').nth(9).expect("errors").parse().expect("number")).collect();
    assert!(errors[10] > 100.0 && errors[9] == 0.0, "{errors:?}");
    assert_one_line_error(&simulate(&["run", "--preset", "healthy", "--at", "5:nope=3"]), "changes[0].set");
    assert_one_line_error(&simulate(&["run", "--preset", "healthy", "--at", "five:load=3"]), "--at");
    assert_one_line_error(&simulate(&["run", "--preset", "healthy", "--trigger", "5:zap:1:1"]), "--trigger");
}

#[test]
fn bad_arguments_exit_2_with_a_message_naming_the_problem() {
    assert_one_line_error(&simulate(&["run", "--preset", "nope"]), "unknown preset \"nope\"");
    assert_one_line_error(&simulate(&["run", "--preset", "healthy", "--set", "backend.wrkers=3"]), "backend.wrkers");
    assert_one_line_error(&simulate(&["run", "--preset", "healthy", "--set", "backend.workers=-1"]), "backend.workers");
    assert_one_line_error(&simulate(&["run", "--preset", "healthy", "--set", "novalue"]), "PATH=VALUE");
    assert_one_line_error(&simulate(&["run", "--preset", "healthy", "--duration", "-4"]), "duration_s");
    assert_one_line_error(&simulate(&["run", "--preset", "healthy", "--format", "xml"]), "xml");
    assert_one_line_error(&simulate(&["fly"]), "fly");
}

fn assert_one_line_error(out: &Output, expected: &str) {
    assert_eq!(out.status.code(), Some(2), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.contains(expected), "{stderr:?} does not name {expected:?}");
}

#[test]
fn list_names_every_preset_with_its_description() {
    let out = simulate(&["list"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for p in metastable_playground::sim::presets::all() {
        assert!(text.contains(p.name) && text.contains(p.title), "{} missing", p.name);
    }
}

#[test]
fn bench_prints_one_json_line_per_benchmark() {
    let out = simulate(&["bench", "--duration", "2", "--repeat", "1"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let names: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            for key in ["events", "attempts", "wall_s", "events_per_s", "attempts_per_s", "sim_s_per_wall_s"] {
                assert!(v[key].as_f64().is_some_and(|x| x > 0.0), "{key} in {l}");
            }
            v["name"].as_str().expect("name").to_string()
        })
        .collect();
    assert_eq!(names, vec!["retry-storm", "plain-10k", "three-tier"]);
    let only = simulate(&["bench", "--duration", "1", "--repeat", "1", "--only", "three-tier"]);
    let text = String::from_utf8(only.stdout).expect("utf-8");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("\"three-tier\""), "{text}");
    let unknown = simulate(&["bench", "--only", "plain-1k"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("plain-1k"));
}

#[test]
fn a_chain_writes_each_tiers_columns_after_the_others_and_a_tiers_array_in_json() {
    let out = simulate(&["run", "--preset", "layered-retries", "--duration", "3"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let header: Vec<&str> = text.lines().next().expect("header").split(',').collect();
    assert_eq!(&header[..21], &REQUIRED);
    assert_eq!(header[40], "chain_amplification");
    for (i, name) in ["api", "orders", "db"].iter().enumerate() {
        assert_eq!(header[41 + 20 * i], format!("{name}.calls_rps"));
    }
    assert_eq!(header.len(), 41 + 3 * 20);
    let row: Vec<&str> = text.lines().nth(3).expect("third window").split(',').collect();
    assert_eq!(row.len(), header.len());

    let out = simulate(&["run", "--preset", "layered-retries", "--duration", "3", "--format", "jsonl"]);
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8(out.stdout).expect("utf-8").lines().last().expect("row")).expect("json");
    let tiers = last["tiers"].as_array().expect("tiers array");
    let names: Vec<&str> = tiers.iter().map(|t| t["name"].as_str().expect("name")).collect();
    assert_eq!(names, ["api", "orders", "db"]);
    // Healthy and far from saturation: every call reaches the database once.
    let db = tiers[2]["retry_amplification"].as_f64().expect("amplification");
    assert!((db - 1.0).abs() < 0.05, "{db}");
    assert_eq!(last["chain_amplification"], tiers[2]["retry_amplification"]);
}

#[test]
fn set_reaches_a_later_tier_and_a_missing_tier_is_named() {
    let out = simulate(&["run", "--preset", "pool-exhaustion", "--duration", "2", "--set", "tier2.workers=7"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = simulate(&["run", "--preset", "retry-storm", "--duration", "2", "--set", "tier2.workers=7"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tier2") && stderr.lines().count() == 1, "{stderr}");
}

#[test]
fn show_prints_a_preset_as_a_scenario_file_that_runs_the_same() {
    let out = simulate(&["show", "retry-storm"]);
    assert!(out.status.success());
    let file = std::env::temp_dir().join(format!("simulate-show-{}.json", std::process::id()));
    std::fs::write(&file, &out.stdout).expect("write");
    let from_file = simulate(&["run", "--scenario", file.to_str().expect("path"), "--duration", "30"]);
    let from_preset = simulate(&["run", "--preset", "retry-storm", "--duration", "30"]);
    assert!(from_file.status.success());
    assert_eq!(from_file.stdout, from_preset.stdout);
    assert_one_line_error(&simulate(&["show", "nope"]), "unknown preset");
}

#[test]
fn sweep_writes_one_row_per_cell_and_seed_the_same_on_any_number_of_threads() {
    let args = |threads: &'static str| {
        [
            "sweep",
            "--preset",
            "retry-storm",
            "--duration",
            "40",
            "--x",
            "clients.load_rps=400..1000:3",
            "--y",
            "triggers[0].magnitude=1..2:2",
            "--seeds",
            "2",
            "--threads",
            threads,
        ]
    };
    let one = simulate(&args("1"));
    assert!(one.status.success(), "{}", String::from_utf8_lossy(&one.stderr));
    let text = String::from_utf8(one.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "clients.load_rps,triggers[0].magnitude,seed,outcome,state,success_ratio,offered_rps,goodput_rps,amplification,utilization,e2e_p99_ms,events,end_s"
    );
    assert_eq!(lines.len(), 1 + 3 * 2 * 2, "{text}");
    // Seeds vary fastest, then x, then y.
    let keys: Vec<(&str, &str, &str)> = lines[1..]
        .iter()
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[0], c[1], c[2])
        })
        .collect();
    assert_eq!(keys[..3], [("400.0", "1.0", "1"), ("400.0", "1.0", "2"), ("700.0", "1.0", "1")]);
    assert_eq!(keys[11], ("1000.0", "2.0", "2"));
    // Above capacity (1000 req/s on 10 workers of 10 ms) every run ends Overloaded.
    assert!(lines[1..].iter().filter(|l| l.starts_with("1000.0,")).all(|l| l.contains(",overloaded,")), "{text}");
    let two = simulate(&args("2"));
    assert_eq!(String::from_utf8(two.stdout).expect("utf-8"), text);
}

#[test]
fn a_bad_sweep_axis_exits_2_naming_it() {
    for (axis, says) in [
        ("clients.bogus=1..2:3", "clients.bogus"),
        ("clients.load_rps=300..-1:3", "-1 is not between"),
        ("triggers[3].magnitude=1..2:3", "there is no triggers[3]: its only trigger is triggers[0]"),
        ("clients.mode=1..2:3", "not a number"),
        ("clients.load_rps=1..2:0", "number of values"),
        ("clients.load_rps", "TARGET=FROM..TO:N"),
        ("seed=1..2:2", "--seeds"),
        ("backend.workers=1..2:5", "repeat a value"),
        ("backend.workers=1.5..10:3", "\"backend.workers=1.5..10:3\": 1.5 is not a whole number"),
        ("retry.max_attempts=1..4.5:3", "4.5 is not a whole number"),
        ("clients.load_rps=300..900:", "give a number of values from 1 to 200"),
        ("clients.load_rps=..900:3", "give both ends of the range"),
        ("clients.load_rps=1...5:2", "not a number"),
        ("clients.load_rps=900..300:5", "from 900 is above to 300"),
        ("clients.load_rps=300..900:1", "left out"),
        ("clients.load_rps=300..300:3", "repeat a value"),
    ] {
        let out = simulate(&["sweep", "--preset", "retry-storm", "--x", axis]);
        assert_eq!(out.status.code(), Some(2), "{axis}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(axis) && stderr.contains(says), "{axis}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn a_sweep_that_cannot_run_whole_exits_2_before_any_row() {
    let cases: [(&[&str], &str); 3] = [
        (&["--x", "clients.load_rps=100..200:2", "--y", "clients.load_rps=300..400:2"], "both axes move"),
        (&["--x", "retry.base_ms=10..1000:3", "--y", "retry.cap_ms=100..2000:3"], "retry.cap_ms"),
        (
            &["--x", "clients.load_rps=100..200:200", "--y", "backend.workers=1..200:200", "--seeds", "4000000000"],
            "more than",
        ),
    ];
    for (args, says) in cases {
        let out = simulate(&[&["sweep", "--preset", "retry-storm"], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn hysteresis_prints_one_row_per_level_up_then_down() {
    let out = simulate(&["hysteresis", "--preset", "retry-storm", "--from", "300", "--to", "1300", "--steps", "5"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "at_s,load_rps,offered_rps,goodput_rps,branch");
    assert_eq!(lines.len(), 1 + 11, "{text}");
    assert!(lines[1].starts_with("0,300,") && lines[1].ends_with(",up"), "{text}");
    assert!(lines[11].starts_with("200,300,") && lines[11].ends_with(",down"), "{text}");
    for (args, says) in [
        (["--to", "-5"], "the load must rise"),
        (["--hold", "2.5"], "hold: 2.5 s is not a whole number of 1 s windows"),
        (["--steps", "0"], "steps: 0 is not between 1 and 200"),
        (["--set", "clients.mode=closed"], "open-loop"),
    ] {
        let out = simulate(&["hysteresis", "--preset", "retry-storm", args[0], args[1]]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{}", String::from_utf8_lossy(&out.stderr));
    }
}
