//! Trip request documents: the examples in `constraints/`, the committed JSON Schema, labels,
//! and errors that name the field.

use std::path::PathBuf;
use tripsmith_planner::{ClockTime, Money, TripRequest};

fn constraints_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../constraints")
}

fn parse_file(path: &std::path::Path) -> Result<TripRequest, tripsmith_planner::RequestError> {
    let text = std::fs::read_to_string(path).unwrap();
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => TripRequest::from_json(&text),
        _ => TripRequest::from_toml(&text),
    }
}

#[test]
fn every_example_parses_and_validates() {
    let mut seen = 0;
    for entry in std::fs::read_dir(constraints_dir()).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if (ext == "toml" || ext == "json") && !path.to_string_lossy().ends_with(".schema.json") {
            parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            seen += 1;
        }
    }
    assert!(seen >= 4, "{seen} examples");
}

#[test]
fn committed_schema_is_current() {
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(constraints_dir().join("trip-request.schema.json")).unwrap())
            .unwrap();
    assert_eq!(
        committed,
        TripRequest::json_schema(),
        "run `tripsmith request-schema > constraints/trip-request.schema.json`"
    );
}

#[test]
fn toml_and_json_forms_are_the_same_document() {
    let toml =
        TripRequest::from_toml(&std::fs::read_to_string(constraints_dir().join("demo-weekend.toml")).unwrap()).unwrap();
    let json = serde_json::to_string(&toml).unwrap();
    assert_eq!(TripRequest::from_json(&json).unwrap(), toml);
    assert_eq!(toml.budget, Some(Money(45_000)));
    assert_eq!(toml.day_window(1), (ClockTime(570), ClockTime(1290)));
    let labels = toml.labels();
    for expected in [
        "day[2].end",
        "budget",
        "lodging[\"Hôtel de la Gare\"]",
        "meal.lunch.max_price",
        "cuisine.italian",
        "must_visit[\"Musée des Beaux-Arts\"]",
        "must_avoid[\"Le Hangar\"]",
        "travel.max_per_day",
        "return_to_base",
    ] {
        assert!(labels.iter().any(|l| *l == expected), "{expected} missing from {labels:?}");
    }
    let mut sorted = labels.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), labels.len(), "labels are unique");
}

fn err_toml(text: &str) -> (String, String) {
    let e = TripRequest::from_toml(text).expect_err("accepted a bad request");
    (e.field, e.reason)
}

#[test]
fn errors_name_the_field_and_the_reason() {
    let cases: &[(&str, &str, &str)] = &[
        ("days = 2\nbudjet = 100", "budjet", "unknown field `budjet`"),
        ("days = \"two\"", "days", "invalid type"),
        ("days = 0", "days", "between 1 and 30"),
        ("days = 40", "days", "between 1 and 30"),
        ("days = 1\nday_start = \"18:00\"\nday_end = \"09:00\"", "day_end", "not after day_start"),
        ("days = 1\nday_start = \"25:00\"", "day_start", "not a time of day"),
        ("days = 1\nbudget = -5", "budget", "negative"),
        ("days = 1\nstart_date = \"2026-02-30\"", "start_date", "not a date"),
        ("days = 1\n[meals.lunch]\nwindow = [\"14:00\", \"12:00\"]", "meals.lunch.window", "is after"),
        ("days = 1\n[meals.lunch]\nwindow = [\"12:00\"]", "meals.lunch.window", "2"),
        ("days = 1\n[meals]\ncuisines = [\"thai\"]", "meals.cuisines", "no meal"),
        ("days = 1\n[interests]\nmuseum = -1", "interests.museum", "≥ 0"),
        ("days = 1\n[interests]\nspaceport = 1", "interests", "spaceport"),
        ("days = 1\nmust_visit = [\"A\", \"A\"]", "must_visit[1]", "twice"),
        ("days = 1\nmust_visit = [\"A\"]\nmust_avoid = [\"A\"]", "must_avoid", "both"),
        ("days = 2\n[[day_overrides]]\nday = 3\nend = \"18:00\"", "day_overrides[0].day", "not one of the 2 days"),
        ("days = 1\n[travel]\nmodes = []", "travel.modes", "at least one"),
        ("days = 1\n[travel]\nmodes = [\"boat\"]", "travel.modes[0]", "unknown variant"),
        ("days = 1\n[travel]\nmax_per_leg_m = 0", "travel.max_per_leg_m", "between 0"),
        ("days = 1\nparty_size = 0", "party_size", "between 1"),
        ("days = 1\nbudget = 1e12", "budget", "not a usable amount"),
        ("days = 1\n[rest]\nwindow = [\"15:00\", \"12:00\"]", "rest.window", "not after"),
        ("days = 1\n[rest]\nminutes = 200", "rest.minutes", "0 to 180 minutes"),
        ("days = [", "request", "TOML"),
    ];
    let mut wrong = Vec::new();
    for (text, field, reason) in cases {
        let (f, r) = err_toml(text);
        if &f != field || !r.contains(reason) || r.contains('\n') {
            wrong.push(format!("{text:?}: got {f}: {r}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let e = TripRequest::from_json("{\"days\": 1, \"meals\": {\"lunch\": {\"window\": [\"12:00\", 5]}}}").unwrap_err();
    assert_eq!(e.field, "meals.lunch.window[1]", "{e}");
    let e = TripRequest::from_json("{\"days\": 1} trailing").unwrap_err();
    assert_eq!(e.field, "request", "{e}");
    let e = TripRequest::from_json("{}").unwrap_err();
    assert!(e.reason.contains("missing field `days`"), "{e}");
    // No type names of the code: a whole number, and one beyond the field's limits says so.
    let e = TripRequest::from_json("{\"days\": \"two\"}").unwrap_err();
    assert!(e.reason.contains("expected a whole number") && !e.reason.contains("u32"), "{e}");
    let e = TripRequest::from_json("{\"days\": 700000000000}").unwrap_err();
    assert!(e.reason.starts_with("700000000000 is beyond this field's limits"), "{e}");
}
