//! The embedded store: one SQLite file in WAL mode with `synchronous = FULL`, so a committed
//! write survives a killed process (and a power cut). Schema migrations live in `api/migrations/`
//! and are applied in order at open, tracked by `PRAGMA user_version`.

use super::{JobRecord, JobStatus, PlanListing, PlanRecord, Store, StoreError};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: [&str; 2] =
    [include_str!("../../migrations/0001_plans_and_jobs.sql"), include_str!("../../migrations/0002_plan_exports.sql")];

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
        },
        status,
    ))
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

    fn put_job(&self, j: &JobRecord) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "INSERT OR REPLACE INTO jobs (id, kind, status, progress, message, created_at, updated_at, result, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    j.id,
                    j.kind,
                    j.status.as_str(),
                    j.progress,
                    j.message,
                    j.created_at,
                    j.updated_at,
                    j.result,
                    j.error
                ],
            )
            .map(|_| ())
        })
    }

    fn job(&self, id: &str) -> Result<Option<JobRecord>, StoreError> {
        let found = self.with(|c| {
            c.query_row(
                "SELECT id, kind, status, progress, message, created_at, updated_at, result, error FROM jobs WHERE id = ?1",
                [id],
                job_from_row,
            )
            .optional()
        })?;
        match found {
            None => Ok(None),
            Some((mut job, status)) => {
                job.status =
                    JobStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("job status {status:?}")))?;
                Ok(Some(job))
            }
        }
    }

    fn fail_unfinished_jobs(&self, reason: &str, now: &str) -> Result<usize, StoreError> {
        let error = serde_json::json!({"title": "interrupted", "detail": reason}).to_string();
        self.with(|c| {
            c.execute(
                "UPDATE jobs SET status = 'failed', message = ?1, error = ?2, updated_at = ?3
                 WHERE status IN ('queued', 'running')",
                params![reason, error, now],
            )
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.with(|c| c.query_row("SELECT 1", [], |_| Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, status: JobStatus) -> JobRecord {
        JobRecord {
            id: id.into(),
            kind: "plan".into(),
            status,
            progress: 0.5,
            message: "solving".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            result: None,
            error: None,
        }
    }

    #[test]
    fn plans_and_jobs_round_trip_and_survive_reopening() {
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
            store.put_job(&job("jb_run", JobStatus::Running)).unwrap();
            store.put_job(&job("jb_done", JobStatus::Succeeded)).unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.plan("pl_1").unwrap(), Some(plan));
        assert_eq!(store.plan("pl_2").unwrap(), None);
        assert_eq!(store.fail_unfinished_jobs("server restarted", "2026-01-02T00:00:00Z").unwrap(), 1);
        let failed = store.job("jb_run").unwrap().unwrap();
        assert_eq!(failed.status, JobStatus::Failed);
        assert_eq!(failed.message, "server restarted");
        assert_eq!(store.job("jb_done").unwrap().unwrap().status, JobStatus::Succeeded);
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
}
