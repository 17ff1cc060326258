//! The store contract, checked on both stores: SQLite (a temporary file) and PostgreSQL (a new
//! database on the server at `TRIPSMITH_TEST_POSTGRES`, which `scripts/test.sh` starts): plans,
//! the job queue (claims, leases, renewals, cancellation, release, recovery of expired leases,
//! attempts), idempotency keys, and two claimers racing for the same jobs.

use std::collections::HashSet;
use std::sync::Arc;
use tripsmith_api::store::{
    Enqueued, IdempotencyKey, JobRecord, JobStatus, KeyState, Lease, PlanRecord, Renewal, Store, StoreLocation,
};

fn job(id: &str, created_at: &str) -> JobRecord {
    JobRecord {
        id: id.into(),
        kind: "plan".into(),
        status: JobStatus::Queued,
        progress: 0.0,
        message: "waiting".into(),
        created_at: created_at.into(),
        updated_at: created_at.into(),
        result: None,
        error: None,
        attempts: 0,
        instance: None,
    }
}

fn key(k: &str, fingerprint: &str) -> IdempotencyKey {
    IdempotencyKey { scope: "POST /v1/plans".into(), key: k.into(), fingerprint: fingerprint.into() }
}

fn lease(instance: &str, until_ms: i64) -> Lease {
    Lease { instance: instance.into(), until_ms }
}

const NOW: &str = "2026-12-07T00:00:00.000Z";

fn contract(store: &dyn Store) {
    store.ping().unwrap();
    let plan = PlanRecord {
        id: "pl_1".into(),
        created_at: NOW.into(),
        region: "demo".into(),
        status: "feasible".into(),
        request: "{}".into(),
        summary: "{}".into(),
        report_html: "<html></html>".into(),
        report_md: "# plan".into(),
        report_geojson: Some("{}".into()),
        report_gpx: None,
        report_ics: None,
    };
    store.insert_plan(&plan).unwrap();
    assert!(store.insert_plan(&plan).is_err(), "plan ids are unique");
    assert_eq!(store.plan("pl_1").unwrap(), Some(plan));
    assert_eq!(store.list_plans(Some("feasible"), 10, 0).unwrap().len(), 1);
    assert!(store.list_plans(Some("infeasible"), 10, 0).unwrap().is_empty());

    // The queue: first in, first claimed; the input comes back; a full queue refuses.
    assert_eq!(store.enqueue_job(&job("jb_1", "2026-12-07T00:00:01.000Z"), "in-1", None, 5).unwrap(), Enqueued::Queued);
    assert_eq!(store.enqueue_job(&job("jb_2", "2026-12-07T00:00:02.000Z"), "in-2", None, 5).unwrap(), Enqueued::Queued);
    assert_eq!(store.enqueue_job(&job("jb_x", NOW), "x", None, 2).unwrap(), Enqueued::QueueFull);
    assert_eq!(store.job("jb_x").unwrap(), None);
    let counts = store.job_counts().unwrap();
    assert_eq!(counts.iter().find(|c| c.status == JobStatus::Queued).map(|c| c.count), Some(2));
    let (claimed, input) = store.claim_job(&lease("a", 1_000), NOW).unwrap().unwrap();
    assert_eq!((claimed.id.as_str(), input.as_str(), claimed.status), ("jb_1", "in-1", JobStatus::Running));
    assert_eq!((claimed.attempts, claimed.instance.as_deref()), (1, Some("a")));

    // Renewals hold the lease and store progress; only the holder renews or finishes.
    assert_eq!(store.renew_job("jb_1", &lease("a", 2_000), 0.5, "solving", NOW).unwrap(), Renewal::Held);
    let stored = store.job("jb_1").unwrap().unwrap();
    assert_eq!((stored.progress, stored.message.as_str()), (0.5, "solving"));
    assert_eq!(store.renew_job("jb_1", &lease("b", 2_000), 0.6, "x", NOW).unwrap(), Renewal::Lost);
    let mut done = stored.clone();
    done.status = JobStatus::Succeeded;
    done.result = Some("{\"ok\":true}".into());
    assert!(!store.finish_job(&done, "b").unwrap(), "another instance cannot finish it");
    assert!(store.finish_job(&done, "a").unwrap());
    assert_eq!(store.job("jb_1").unwrap().unwrap().status, JobStatus::Succeeded);
    assert_eq!(store.cancel_job("jb_1", NOW).unwrap().unwrap().status, JobStatus::Succeeded, "ended jobs stay");

    // Cancelled while running: the holder learns it at its next renewal and cannot finish it.
    let (second, _) = store.claim_job(&lease("b", 1_000), NOW).unwrap().unwrap();
    assert_eq!(second.id, "jb_2");
    assert_eq!(store.claim_job(&lease("c", 1_000), NOW).unwrap(), None, "the queue is empty");
    assert_eq!(store.cancel_job("jb_2", NOW).unwrap().unwrap().status, JobStatus::Cancelled);
    assert_eq!(store.renew_job("jb_2", &lease("b", 3_000), 0.9, "x", NOW).unwrap(), Renewal::Cancelled);
    assert!(!store.finish_job(&second, "b").unwrap());
    assert_eq!(store.cancel_job("jb_none", NOW).unwrap(), None);

    // A graceful stop puts a job back without counting the attempt; an expired lease re-queues
    // it, and fails it once it has had its attempts.
    store.enqueue_job(&job("jb_3", "2026-12-07T00:00:03.000Z"), "in-3", None, 5).unwrap();
    store.claim_job(&lease("a", 1_000), NOW).unwrap().unwrap();
    assert!(store.release_job("jb_3", "a", NOW).unwrap());
    let released = store.job("jb_3").unwrap().unwrap();
    assert_eq!((released.status, released.attempts), (JobStatus::Queued, 0));
    store.claim_job(&lease("a", 1_000), NOW).unwrap().unwrap();
    assert_eq!(store.recover_expired_jobs(999, 2, "gone", NOW).unwrap(), (0, 0), "the lease holds until 1000");
    assert_eq!(store.recover_expired_jobs(1_001, 2, "gone", NOW).unwrap(), (1, 0));
    let (again, _) = store.claim_job(&lease("b", 5_000), NOW).unwrap().unwrap();
    assert_eq!((again.id.as_str(), again.attempts), ("jb_3", 2));
    assert_eq!(store.renew_job("jb_3", &lease("a", 9_000), 0.1, "x", NOW).unwrap(), Renewal::Lost);
    assert_eq!(store.recover_expired_jobs(6_000, 2, "gone", NOW).unwrap(), (0, 1));
    let failed = store.job("jb_3").unwrap().unwrap();
    assert_eq!((failed.status, failed.message.as_str()), (JobStatus::Failed, "gone"));
    assert!(failed.error.is_some_and(|e| e.contains("gone")));

    // Idempotency keys for jobs: the same request gets the job it made; another is refused.
    let k = IdempotencyKey { scope: "POST /v1/vrp/solutions".into(), key: "k1".into(), fingerprint: "f1".into() };
    assert_eq!(store.enqueue_job(&job("jb_4", NOW), "in-4", Some(&k), 5).unwrap(), Enqueued::Queued);
    match store.enqueue_job(&job("jb_5", NOW), "in-5", Some(&k), 5).unwrap() {
        Enqueued::Repeated(earlier) => assert_eq!(earlier.id, "jb_4"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.job("jb_5").unwrap(), None, "no twin");
    let changed = IdempotencyKey { fingerprint: "f2".into(), ..k.clone() };
    assert_eq!(store.enqueue_job(&job("jb_6", NOW), "in-6", Some(&changed), 5).unwrap(), Enqueued::KeyReused);

    // Idempotency keys for answers: reserved, pending, answered, reused, released, stale.
    assert_eq!(store.reserve_key(&key("p1", "f"), 10_000, 5_000).unwrap(), KeyState::Reserved);
    assert_eq!(store.reserve_key(&key("p1", "f"), 11_000, 5_000).unwrap(), KeyState::Pending);
    assert_eq!(store.reserve_key(&key("p1", "g"), 11_000, 5_000).unwrap(), KeyState::Reused);
    store.complete_key(&key("p1", "f"), "pl_1").unwrap();
    assert_eq!(store.reserve_key(&key("p1", "f"), 12_000, 5_000).unwrap(), KeyState::Answered("pl_1".into()));
    assert_eq!(store.reserve_key(&key("p2", "f"), 10_000, 5_000).unwrap(), KeyState::Reserved);
    store.release_key(&key("p2", "f")).unwrap();
    assert_eq!(store.reserve_key(&key("p2", "f"), 10_500, 5_000).unwrap(), KeyState::Reserved, "released");
    assert_eq!(store.reserve_key(&key("p2", "f"), 16_000, 5_000).unwrap(), KeyState::Reserved, "stale: taken over");
}

/// Two connections (as two instances would have) claim 40 jobs as fast as they can: each job is
/// claimed exactly once.
fn racing_claims(one: Arc<dyn Store>, two: Arc<dyn Store>) {
    for i in 0..40 {
        let j = job(&format!("jb_race_{i:02}"), &format!("2026-12-08T00:00:{i:02}.000Z"));
        assert_eq!(one.enqueue_job(&j, "{}", None, 100).unwrap(), Enqueued::Queued);
    }
    let claimers: Vec<_> = [("a", one), ("b", two)]
        .into_iter()
        .map(|(name, store)| {
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                while let Some((j, _)) = store.claim_job(&lease(name, i64::MAX), NOW).unwrap() {
                    mine.push(j.id);
                }
                mine
            })
        })
        .collect();
    let claimed: Vec<Vec<String>> = claimers.into_iter().map(|t| t.join().unwrap()).collect();
    let all: Vec<&String> = claimed.iter().flatten().collect();
    let distinct: HashSet<&String> = all.iter().copied().collect();
    assert_eq!((all.len(), distinct.len()), (40, 40), "every job claimed once: {claimed:?}");
}

#[test]
fn the_sqlite_store_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    contract(StoreLocation::Sqlite(dir.path().join("contract.db")).open().unwrap().as_ref());
    let race = StoreLocation::Sqlite(dir.path().join("race.db"));
    racing_claims(race.open().unwrap(), race.open().unwrap());
}

#[test]
fn the_postgres_store_keeps_the_contract() {
    let location: StoreLocation = tripsmith_e2e::new_postgres_database("contract").parse().unwrap();
    contract(location.open().unwrap().as_ref());
    location.open().unwrap().ping().unwrap();
    let race: StoreLocation = tripsmith_e2e::new_postgres_database("race").parse().unwrap();
    racing_claims(race.open().unwrap(), race.open().unwrap());
}

#[test]
fn store_locations_are_read_and_shown_without_passwords() {
    let e = "postgres://nobody@127.0.0.1:1/none".parse::<StoreLocation>().unwrap().open().err().unwrap();
    assert!(matches!(e, tripsmith_api::store::StoreError::Unavailable(_)), "{e}");
    assert!(e.to_string().contains("cannot be reached"), "{e}");
    assert!("mysql://x/y".parse::<StoreLocation>().is_err());
    assert_eq!("plans.db".parse::<StoreLocation>().unwrap(), StoreLocation::Sqlite("plans.db".into()));
    let shown = "postgres://u:secret@h/db".parse::<StoreLocation>().unwrap().to_string();
    assert_eq!(shown, "postgres://u@h/db");
}
