//! The z3 solver on the real query sets: every train and structured validation query gets a
//! plan the independent evaluator passes, at the cost the evaluator recomputes; the
//! unsatisfiable sets are reported infeasible with minimal cores, and every repair is
//! re-verified here from its changes alone.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use tripsmith_planner::repair::RepairChange;
use tripsmith_planner::Violation;
use tripsmith_travelplanner::christmas::ChristmasData;
use tripsmith_travelplanner::database::Database;
use tripsmith_travelplanner::evaluate::{cost, evaluate, Sandbox};
use tripsmith_travelplanner::explain::{apply, explain, Change, Sandbox as Explainer};
use tripsmith_travelplanner::instance::{Constraint, Instance};
use tripsmith_travelplanner::query::{load_queries, DayRecord, Flight, Query, QueryRecord};
use tripsmith_travelplanner::reference::{attach_flights, load_reference_flights};
use tripsmith_travelplanner::requirement::Requirement;
use tripsmith_travelplanner::run::{solve_instance, Answer};
use tripsmith_travelplanner::solve::Search;
use tripsmith_travelplanner::unsat::{load_christmas, load_travelplanner_unsat};
use tripsmith_travelplanner::validation::load_validation;

fn data(relative: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/travelplanner")
        .join(relative)
}

const LIMIT: Duration = Duration::from_secs(60);

fn train() -> (Database, Vec<QueryRecord>) {
    let (db, _) = Database::load(&data("database")).unwrap();
    let (mut records, _) = load_queries(&data("train/train_data_list.jsonl")).unwrap();
    let (flights, _) = load_reference_flights(&data("train/train_ref_info.jsonl")).unwrap();
    attach_flights(&mut records, flights);
    (db, records)
}

/// Solves with every constraint and checks the plan with the evaluator; the failures, if any.
fn solve_and_check(db: &Database, r: &QueryRecord) -> Result<(), String> {
    let inst = Instance::from_record(db, r).map_err(|e| e.to_string())?;
    let Answer::Plan { solution, records } = solve_instance(&inst, LIMIT) else {
        return Err(format!("query {}: no plan", r.query.id));
    };
    let sandbox = Sandbox::new(db, &r.flights);
    let verdict = evaluate(&r.query, &records, &sandbox);
    let failed: Vec<String> = verdict.violations.iter().map(ToString::to_string).collect();
    if !failed.is_empty() {
        return Err(format!("query {}: {failed:?}", r.query.id));
    }
    let recomputed = cost(&r.query, &records, &sandbox)?;
    if recomputed != solution.cost {
        return Err(format!("query {}: solver cost {} but the plan costs {recomputed}", r.query.id, solution.cost));
    }
    Ok(())
}

#[test]
fn every_train_query_gets_a_plan_the_evaluator_passes() {
    let (db, records) = train();
    assert_eq!(records.len(), 45);
    let failures: Vec<String> = records.iter().filter_map(|r| solve_and_check(&db, r).err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_structured_validation_queries_get_plans_with_flights_from_their_text_tables() {
    let (db, _) = Database::load(&data("database")).unwrap();
    let (records, skipped) = load_validation(&data("validation/selected_validation.csv")).unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(records.len(), 3);
    assert_eq!(records[1].query.dest, "Texas");
    assert_eq!(records[1].query.visiting_city_number, 2);
    let killeen_dallas: Vec<&Flight> = records[1]
        .flights
        .iter()
        .filter(|f| f.origin == "Killeen" && f.destination == "Dallas" && f.date == "2022-03-03")
        .collect();
    assert!(killeen_dallas
        .iter()
        .any(|f| f.number == "F3592775" && f.price == tripsmith_planner::Money(4700) && f.departure == "16:32"));
    for r in &records {
        assert!(!r.flights.is_empty());
        solve_and_check(&db, r).unwrap();
    }
}

fn explainer_check<'a>(
    db: &'a Database,
    flights: &[Flight],
) -> impl Fn(&Query, &[DayRecord]) -> Result<(), Violation<Requirement>> + 'a {
    let flights = flights.to_vec();
    move |q, plan| {
        let v = evaluate(q, plan, &Sandbox::new(db, &flights));
        v.violations.into_iter().next().map_or(Ok(()), Err)
    }
}

#[test]
fn unsatisfiable_travelplanner_queries_get_cores_and_repairs_that_hold() {
    let (db, train_records) = train();
    let pool: Vec<Flight> = train_records.iter().flat_map(|r| r.flights.clone()).collect();
    let (set, _) = load_travelplanner_unsat(&data("unsat/travelplanner_unsat.csv")).unwrap();
    assert_eq!(set.len(), 12);
    let mut infeasible = 0;
    for u in &set {
        let flights: Vec<Flight> = pool.iter().filter(|f| u.query.dates.contains(&f.date)).cloned().collect();
        let record = QueryRecord { query: u.query.clone(), plan: None, flights: flights.clone() };
        let inst = Instance::from_record(&db, &record).unwrap();
        match solve_instance(&inst, LIMIT) {
            Answer::Infeasible => infeasible += 1,
            // A plan must then pass every official check (the set's construction used stricter rules).
            Answer::Plan { .. } => {
                solve_and_check(&db, &record).unwrap();
                continue;
            }
            Answer::Timeout => panic!("query {}: time-out", u.query.id),
        }
        let check = explainer_check(&db, &flights);
        let build = |q: &Query| {
            Instance::from_record(&db, &QueryRecord { query: q.clone(), plan: None, flights: flights.clone() })
        };
        let none = |_: &Query| Vec::new();
        let sandbox = Explainer { build: &build, check: &check, alternatives: &none };
        let e = explain(&inst, &sandbox, LIMIT).unwrap();
        assert!(!e.core.is_empty() && !e.repairs.is_empty(), "query {}: {e:?}", u.query.id);
        // Each core is infeasible on its own, and minimal: without any one member a plan exists.
        let ctx = z3::Context::new(&z3::Config::new());
        let mut search = Search::new(&ctx, &inst, Instant::now() + LIMIT);
        for core in &e.cores {
            let only = |dropped: Option<&Constraint>| -> Vec<bool> {
                inst.constraints.iter().map(|l| core.contains(l) && Some(l) != dropped).collect()
            };
            assert!(search.find(&only(None)).unwrap().is_none(), "{core:?}");
            for label in core {
                assert!(e.core.contains(label));
                assert!(search.find(&only(Some(label))).unwrap().is_some(), "{core:?} without {label}");
            }
        }
        for repair in &e.repairs {
            let fixed = QueryRecord { query: repair.request.clone(), plan: None, flights: flights.clone() };
            solve_and_check(&db, &fixed).unwrap_or_else(|err| panic!("query {}: repair {repair:?}: {err}", u.query.id));
        }
        if u.query.id == "2" {
            // St. Petersburg → Rockford without flights: no road either.
            assert_eq!(e.core, [Constraint::NoFlight]);
            let dropped = RepairChange {
                constraint: "transportation: no flight".into(),
                change: "give up transportation: no flight".into(),
            };
            assert_eq!(e.repairs[0].changes, [dropped]);
            assert_eq!(e.repairs[0].size, 1.0);
            assert!(e.repairs[0].cost.is_some());
            let (from, to) = (u.query.budget, u.query.budget.times(2));
            let raise = Change::RaiseBudget { from, to }.described();
            assert_eq!(raise.constraint, format!("budget: {} USD", from.short()));
            assert_eq!(Change::RaiseBudget { from, to }.size(), 1.0);
            assert_eq!(apply(&u.query, &Change::RaiseBudget { from, to }).budget, to);
        }
    }
    assert!(infeasible >= 11, "{infeasible} of 12 infeasible");
}

#[test]
fn unsat_christmas_queries_are_infeasible_with_cores_naming_their_constraints() {
    let dir = data("unsat/unsat_christmas");
    let (sandbox, skipped) = ChristmasData::load(&dir).unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(sandbox.flights.len(), 270);
    let (set, _) = load_christmas(&dir.join("queries/query.csv")).unwrap();
    let mut infeasible = 0;
    for u in &set {
        let inst = sandbox.instance(&u.query).unwrap();
        match solve_instance(&inst, LIMIT) {
            Answer::Infeasible => infeasible += 1,
            Answer::Plan { records, .. } => {
                sandbox.check(&u.query, &records).unwrap();
                continue;
            }
            Answer::Timeout => panic!("time-out"),
        }
        let check = |q: &Query, plan: &[DayRecord]| sandbox.check(q, plan);
        let build = |q: &Query| sandbox.instance(q);
        let none = |_: &Query| Vec::new();
        let e = explain(&inst, &Explainer { build: &build, check: &check, alternatives: &none }, LIMIT).unwrap();
        for repair in &e.repairs {
            let q = &repair.request;
            let fixed = sandbox.instance(q).unwrap();
            let Answer::Plan { records, .. } = solve_instance(&fixed, LIMIT) else { panic!("repair {repair:?}") };
            sandbox.check(q, &records).unwrap();
        }
        assert!(!e.repairs.is_empty(), "query {}", u.query.id);
        if u.query.id == "1" {
            // Paris → Kuala Lumpur has no non-stop flight.
            assert_eq!(e.core, [Constraint::NonStop]);
        }
    }
    assert!(infeasible >= 36, "{infeasible} of {} infeasible", set.len());
}

#[test]
fn the_christmas_checker_catches_each_broken_rule() {
    let dir = data("unsat/unsat_christmas");
    let (sandbox, _) = ChristmasData::load(&dir).unwrap();
    let (set, _) = load_christmas(&dir.join("queries/query.csv")).unwrap();
    // Query 8 without its attraction category: Singapore → Paris, London with two airlines.
    let mut q = set.iter().find(|u| u.query.id == "8").unwrap().query.clone();
    q.local.attraction_category = vec!["Museum".into()];
    q.local.airlines.clear();
    let Answer::Plan { records, .. } = solve_instance(&sandbox.instance(&q).unwrap(), LIMIT) else { panic!() };
    sandbox.check(&q, &records).unwrap();
    let broken = |change: &dyn Fn(&mut Query, &mut Vec<DayRecord>)| {
        let (mut q, mut plan) = (q.clone(), records.clone());
        change(&mut q, &mut plan);
        sandbox.check(&q, &plan).unwrap_err()
    };
    let budget = broken(&|q, _| q.budget = tripsmith_planner::Money(1000));
    assert_eq!((budget.label, budget.detail.contains("budget")), (Requirement::Budget, true), "{budget}");
    let airline = broken(&|q, _| q.local.airlines = vec!["Nobody Air".into()]);
    assert_eq!((airline.label, airline.detail.contains("is by")), (Requirement::Airlines, true), "{airline}");
    let category = broken(&|q, _| q.local.attraction_category = vec!["Volcano".into()]);
    assert_eq!((category.label, category.detail.contains("Volcano")), (Requirement::AttractionCategory, true));
    let flight = broken(&|_, p| p[0].transportation = "Flight Number: XF9999, from Singapore to Paris".into());
    assert_eq!((flight.label, flight.detail.contains("XF9999")), (Requirement::WithinSandbox, true), "{flight}");
    let short = broken(&|_, p| p.truncate(4));
    assert_eq!((short.label, short.detail.contains("day")), (Requirement::CompleteInformation, true), "{short}");
    let route = broken(&|q, _| q.destinations.push("Dubai".into()));
    assert_eq!((route.label, route.detail.contains("once")), (Requirement::ReasonableCityRoute, true), "{route}");
}
