//! The embedded store: one SQLite file in WAL mode with `synchronous = FULL`, so a committed
//! write survives a killed process (and a power cut). Instances on one machine may share the
//! file: a job is claimed by one `UPDATE … RETURNING` under SQLite's write lock. Schema migrations live in `api/migrations/`
//! and are applied in order at open, tracked by `PRAGMA user_version`.

use super::{
    Enqueued, IdempotencyKey, JobCount, JobRecord, JobStatus, KeyState, Lease, PlanListing, PlanRecord, Renewal, Store,
    StoreError, RELEASED, REQUEUED,
};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: [&str; 3] = [
    include_str!("../../migrations/0001_plans_and_jobs.sql"),
    include_str!("../../migrations/0002_plan_exports.sql"),
    include_str!("../../migrations/0003_job_queue.sql"),
];

/// The columns of a job, in [`job_from_row`]'s order.
const JOB_COLUMNS: &str =
    "id, kind, status, progress, message, created_at, updated_at, result, error, attempts, instance";

/// Plans and jobs in one SQLite file.
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (or creates) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut connection = Connection::open(path)?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        migrate(&mut connection)?;
        Ok(Self { connection: Mutex::new(connection) })
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        // A panic while holding the lock cannot leave a half-written transaction: SQLite rolls back.
        let connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(f(&connection)?)
    }
}

fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::TooNew { found: version, known });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = connection.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn job_from_row(row: &rusqlite::Row) -> rusqlite::Result<(JobRecord, String)> {
    let status: String = row.get(2)?;
    Ok((
        JobRecord {
            id: row.get(0)?,
            kind: row.get(1)?,
            status: JobStatus::Queued,
            progress: row.get(3)?,
            message: row.get(4)?,
            created_at: row.get(5)?,
            updated_at: row.get(6)?,
            result: row.get(7)?,
            error: row.get(8)?,
            attempts: row.get(9)?,
            instance: row.get(10)?,
        },
        status,
    ))
}

/// The job with its stored status read.
fn job_with_status((mut job, status): (JobRecord, String)) -> Result<JobRecord, StoreError> {
    job.status = JobStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("job status {status:?}")))?;
    Ok(job)
}

fn read_job(c: &Connection, id: &str) -> rusqlite::Result<Option<(JobRecord, String)>> {
    c.query_row(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"), [id], job_from_row).optional()
}

/// What `key` is in the table: its fingerprint and target, if stored.
fn stored_key(c: &Connection, key: &IdempotencyKey) -> rusqlite::Result<Option<(String, Option<String>, i64)>> {
    c.query_row(
        "SELECT fingerprint, target, created_at_ms FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
        params![key.scope, key.key],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .optional()
}

impl Store for SqliteStore {
    fn insert_plan(&self, p: &PlanRecord) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO plans (id, created_at, region, status, request, summary, report_html, report_md,
                 report_geojson, report_gpx, report_ics) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    p.id,
                    p.created_at,
                    p.region,
                    p.status,
                    p.request,
                    p.summary,
                    p.report_html,
                    p.report_md,
                    p.report_geojson,
                    p.report_gpx,
                    p.report_ics
                ],
            )
            .map(|_| ())
        })
    }

    fn plan(&self, id: &str) -> Result<Option<PlanRecord>, StoreError> {
        self.with(|c| {
            c.query_row(
                "SELECT id, created_at, region, status, request, summary, report_html, report_md, report_geojson,
                 report_gpx, report_ics FROM plans WHERE id = ?1",
                [id],
                |row| {
                    Ok(PlanRecord {
                        id: row.get(0)?,
                        created_at: row.get(1)?,
                        region: row.get(2)?,
                        status: row.get(3)?,
                        request: row.get(4)?,
                        summary: row.get(5)?,
                        report_html: row.get(6)?,
                        report_md: row.get(7)?,
                        report_geojson: row.get(8)?,
                        report_gpx: row.get(9)?,
                        report_ics: row.get(10)?,
                    })
                },
            )
            .optional()
        })
    }

    fn list_plans(&self, status: Option<&str>, limit: usize, offset: usize) -> Result<Vec<PlanListing>, StoreError> {
        self.with(|c| {
            let mut statement = c.prepare(
                "SELECT id, created_at, region, status FROM plans WHERE ?1 IS NULL OR status = ?1
                 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3",
            )?;
            let rows = statement.query_map(params![status, limit as i64, offset as i64], |row| {
                Ok(PlanListing { id: row.get(0)?, created_at: row.get(1)?, region: row.get(2)?, status: row.get(3)? })
            })?;
            rows.collect()
        })
    }

    fn enqueue_job(
        &self,
        job: &JobRecord,
        input: &str,
        key: Option<&IdempotencyKey>,
        max_queued: usize,
    ) -> Result<Enqueued, StoreError> {
        let mut connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(key) = key {
            if let Some((fingerprint, target, _)) = stored_key(&tx, key)? {
                if fingerprint != key.fingerprint {
                    return Ok(Enqueued::KeyReused);
                }
                let Some(earlier) = target.as_deref().map(|id| read_job(&tx, id)).transpose()?.flatten() else {
                    return Ok(Enqueued::KeyReused);
                };
                return Ok(Enqueued::Repeated(Box::new(job_with_status(earlier)?)));
            }
        }
        let queued: i64 = tx.query_row("SELECT count(*) FROM jobs WHERE status = 'queued'", [], |r| r.get(0))?;
        if queued as usize >= max_queued {
            return Ok(Enqueued::QueueFull);
        }
        tx.execute(
            "INSERT INTO jobs (id, kind, status, progress, message, created_at, updated_at, result, error, input,
             attempts) VALUES (?1, ?2, 'queued', ?3, ?4, ?5, ?6, NULL, NULL, ?7, 0)",
            params![job.id, job.kind, job.progress, job.message, job.created_at, job.updated_at, input],
        )?;
        if let Some(key) = key {
            tx.execute(
                "INSERT INTO idempotency_keys (scope, key, fingerprint, target, created_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![key.scope, key.key, key.fingerprint, job.id, crate::clock::now_ms()],
            )?;
        }
        tx.commit()?;
        Ok(Enqueued::Queued)
    }

    fn job(&self, id: &str) -> Result<Option<JobRecord>, StoreError> {
        self.with(|c| read_job(c, id))?.map(job_with_status).transpose()
    }

    fn claim_job(&self, lease: &Lease, now: &str) -> Result<Option<(JobRecord, String)>, StoreError> {
        let claimed = self.with(|c| {
            c.query_row(
                &format!(
                    "UPDATE jobs SET status = 'running', instance = ?1, lease_until_ms = ?2,
                     attempts = attempts + 1, message = 'starting', updated_at = ?3
                     WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1)
                     RETURNING {JOB_COLUMNS}, input"
                ),
                params![lease.instance, lease.until_ms, now],
                |row| Ok((job_from_row(row)?, row.get::<_, Option<String>>(11)?)),
            )
            .optional()
        })?;
        match claimed {
            None => Ok(None),
            Some((job, input)) => Ok(Some((job_with_status(job)?, input.unwrap_or_default()))),
        }
    }

    fn renew_job(
        &self,
        id: &str,
        lease: &Lease,
        progress: f64,
        message: &str,
        now: &str,
    ) -> Result<Renewal, StoreError> {
        self.with(|c| {
            let renewed = c.execute(
                "UPDATE jobs SET lease_until_ms = ?1, progress = ?2, message = ?3, updated_at = ?4
                 WHERE id = ?5 AND instance = ?6 AND status = 'running'",
                params![lease.until_ms, progress, message, now, id, lease.instance],
            )?;
            if renewed == 1 {
                return Ok(Renewal::Held);
            }
            let status: Option<String> =
                c.query_row("SELECT status FROM jobs WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            Ok(if status.as_deref() == Some("cancelled") { Renewal::Cancelled } else { Renewal::Lost })
        })
    }

    fn finish_job(&self, j: &JobRecord, instance: &str) -> Result<bool, StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE jobs SET status = ?1, progress = ?2, message = ?3, updated_at = ?4, result = ?5, error = ?6,
                 lease_until_ms = NULL WHERE id = ?7 AND instance = ?8 AND status = 'running'",
                params![j.status.as_str(), j.progress, j.message, j.updated_at, j.result, j.error, j.id, instance],
            )
            .map(|n| n == 1)
        })
    }

    fn release_job(&self, id: &str, instance: &str, now: &str) -> Result<bool, StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE jobs SET status = 'queued', progress = 0, message = ?1, updated_at = ?2,
                 attempts = max(attempts - 1, 0), lease_until_ms = NULL
                 WHERE id = ?3 AND instance = ?4 AND status = 'running'",
                params![RELEASED, now, id, instance],
            )
            .map(|n| n == 1)
        })
    }

    fn cancel_job(&self, id: &str, now: &str) -> Result<Option<JobRecord>, StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE jobs SET status = 'cancelled', message = 'cancelled by the client', updated_at = ?1,
                 lease_until_ms = NULL WHERE id = ?2 AND status IN ('queued', 'running')",
                params![now, id],
            )?;
            read_job(c, id)
        })?
        .map(job_with_status)
        .transpose()
    }

    fn recover_expired_jobs(
        &self,
        now_ms: i64,
        max_attempts: u32,
        reason: &str,
        now: &str,
    ) -> Result<(usize, usize), StoreError> {
        let error = serde_json::json!({"title": "interrupted", "detail": reason}).to_string();
        let mut connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let failed = tx.execute(
            "UPDATE jobs SET status = 'failed', message = ?1, error = ?2, updated_at = ?3, lease_until_ms = NULL
             WHERE status = 'running' AND coalesce(lease_until_ms, 0) < ?4 AND attempts >= ?5",
            params![reason, error, now, now_ms, max_attempts],
        )?;
        let requeued = tx.execute(
            "UPDATE jobs SET status = 'queued', progress = 0, message = ?1, updated_at = ?2, lease_until_ms = NULL
             WHERE status = 'running' AND coalesce(lease_until_ms, 0) < ?3",
            params![REQUEUED, now, now_ms],
        )?;
        tx.commit()?;
        Ok((requeued, failed))
    }

    fn job_counts(&self) -> Result<Vec<JobCount>, StoreError> {
        let rows = self.with(|c| {
            let mut statement = c.prepare(
                "SELECT status, instance, count(*) FROM jobs WHERE status IN ('queued', 'running')
                 GROUP BY status, instance ORDER BY status, instance",
            )?;
            let rows = statement.query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?, row.get::<_, i64>(2)?))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        super::job_counts_from(rows)
    }

    fn reserve_key(&self, key: &IdempotencyKey, now_ms: i64, stale_ms: i64) -> Result<KeyState, StoreError> {
        let mut connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let state = match stored_key(&tx, key)? {
            Some((fingerprint, _, _)) if fingerprint != key.fingerprint => KeyState::Reused,
            Some((_, Some(target), _)) => KeyState::Answered(target),
            Some((_, None, since)) if now_ms - since < stale_ms => KeyState::Pending,
            _ => {
                tx.execute(
                    "INSERT OR REPLACE INTO idempotency_keys (scope, key, fingerprint, target, created_at_ms)
                     VALUES (?1, ?2, ?3, NULL, ?4)",
                    params![key.scope, key.key, key.fingerprint, now_ms],
                )?;
                KeyState::Reserved
            }
        };
        tx.commit()?;
        Ok(state)
    }

    fn complete_key(&self, key: &IdempotencyKey, target: &str) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE idempotency_keys SET target = ?1 WHERE scope = ?2 AND key = ?3",
                params![target, key.scope, key.key],
            )
            .map(|_| ())
        })
    }

    fn release_key(&self, key: &IdempotencyKey) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND target IS NULL",
                params![key.scope, key.key],
            )
            .map(|_| ())
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.with(|c| c.query_row("SELECT 1", [], |_| Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_survive_reopening_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let plan = PlanRecord {
            id: "pl_1".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            region: "demo".into(),
            status: "feasible".into(),
            request: "{}".into(),
            summary: "{\"status\":\"feasible\"}".into(),
            report_html: "<html></html>".into(),
            report_md: "# plan".into(),
            report_geojson: Some("{\"type\":\"FeatureCollection\",\"features\":[]}".into()),
            report_gpx: Some("<gpx/>".into()),
            report_ics: None,
        };
        {
            let store = SqliteStore::open(&path).unwrap();
            store.insert_plan(&plan).unwrap();
            assert!(store.insert_plan(&plan).is_err(), "ids are unique");
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.plan("pl_1").unwrap(), Some(plan));
        assert_eq!(store.plan("pl_2").unwrap(), None);
        let mode: String = store.with(|c| c.pragma_query_value(None, "journal_mode", |r| r.get(0))).unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(SqliteStore::open(&path), Err(StoreError::TooNew { found: 99, .. })));
    }

    #[test]
    fn a_database_of_the_first_schema_keeps_its_plans_and_gains_the_export_columns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let old = Connection::open(&path).unwrap();
            old.execute_batch(MIGRATIONS[0]).unwrap();
            old.pragma_update(None, "user_version", 1).unwrap();
            old.execute(
                "INSERT INTO plans (id, created_at, region, status, request, summary, report_html, report_md)
                 VALUES ('pl_old', '2026-01-01T00:00:00Z', 'demo', 'feasible', '{}', '{}', '<html></html>', '# old')",
                [],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let old = store.plan("pl_old").unwrap().expect("the old plan is kept");
        assert_eq!((old.report_md.as_str(), old.report_geojson, old.report_ics), ("# old", None, None));
        let version: i64 = store.with(|c| c.pragma_query_value(None, "user_version", |row| row.get(0))).unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn jobs_left_running_by_a_version_without_inputs_are_failed_at_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let old = Connection::open(&path).unwrap();
            old.execute_batch(MIGRATIONS[0]).unwrap();
            old.execute_batch(MIGRATIONS[1]).unwrap();
            old.pragma_update(None, "user_version", 2).unwrap();
            old.execute(
                "INSERT INTO jobs (id, kind, status, progress, message, created_at, updated_at)
                 VALUES ('jb_old', 'plan', 'running', 0.5, 'solving', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let job = store.job("jb_old").unwrap().unwrap();
        assert_eq!((job.status, job.attempts), (JobStatus::Failed, 0));
        let lease = Lease { instance: "a".into(), until_ms: 1 };
        assert_eq!(store.claim_job(&lease, "2026-01-02T00:00:00Z").unwrap(), None, "nothing to run again");
    }
}
