//! The shared store: PostgreSQL through `tokio-postgres`, with a `deadpool` connection pool, so
//! several API instances serve the same plans and jobs. A queued job is claimed with
//! `SELECT … FOR UPDATE SKIP LOCKED` (two instances never take the same one, neither waits for
//! the other); every later write of a job is conditional on the instance still holding it.
//! Schema migrations live in `api/migrations/postgres/`, applied in order at connection under an
//! advisory lock, tracked in the table `tripsmith_schema`.
//!
//! The [`Store`] trait is synchronous (the server calls it from blocking threads), so the store
//! keeps a small runtime of its own for the client's connections and waits on it.

use super::{
    job_counts_from, Enqueued, IdempotencyKey, JobCount, JobRecord, JobStatus, KeyState, Lease, PlanListing,
    PlanRecord, Renewal, Store, StoreError, RELEASED, REQUEUED,
};
use deadpool_postgres::{Pool, PoolConfig, Runtime, Timeouts};
use std::future::Future;
use std::time::Duration;
use tokio_postgres::{GenericClient, NoTls, Row};

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: [&str; 1] = [include_str!("../../migrations/postgres/0001_schema.sql")];

/// The columns of a job, in [`job_from_row`]'s order.
const JOB_COLUMNS: &str =
    "id, kind, status, progress, message, created_at, updated_at, result, error, attempts, instance";

/// Connections kept open to the server.
const POOL_SIZE: usize = 8;

/// How long a connection, or a wait for a free one, may take before the store reports an error.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Plans and jobs in a PostgreSQL database.
pub struct PostgresStore {
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
}

/// `url` without its password (for messages and logs).
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => url.to_string(),
    }
}

/// A pooled connection, or why none can be had (the database is unreachable).
async fn connection(pool: &Pool) -> Result<deadpool_postgres::Object, StoreError> {
    pool.get().await.map_err(|e| match pg_error(e) {
        StoreError::Postgres(text) => StoreError::Unavailable(text),
        other => other,
    })
}

/// A client error: the database unreachable when the connection is gone, else what it said.
fn query_error(e: tokio_postgres::Error) -> StoreError {
    let closed = e.is_closed();
    match pg_error(e) {
        StoreError::Postgres(text) if closed => StoreError::Unavailable(text),
        other => other,
    }
}

fn pg_error(e: impl std::error::Error) -> StoreError {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    StoreError::Postgres(text)
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user[:password]@host[:port]/database`) and
    /// brings its schema up to date.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("tripsmith-postgres")
            .enable_all()
            .build()
            .map_err(pg_error)?;
        let mut config = deadpool_postgres::Config::new();
        config.url = Some(url.to_string());
        config.connect_timeout = Some(CONNECT_TIMEOUT);
        config.pool = Some(PoolConfig {
            max_size: POOL_SIZE,
            timeouts: Timeouts {
                wait: Some(CONNECT_TIMEOUT),
                create: Some(CONNECT_TIMEOUT),
                recycle: Some(CONNECT_TIMEOUT),
            },
            ..PoolConfig::default()
        });
        let pool = config.create_pool(Some(Runtime::Tokio1), NoTls).map_err(pg_error)?;
        let store = Self { runtime: Some(runtime), pool };
        store.block(migrate(&store.pool))?;
        Ok(store)
    }

    /// Runs `work` on the store's runtime and waits for it.
    fn block<T>(&self, work: impl Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
        match &self.runtime {
            Some(runtime) => runtime.block_on(work),
            None => Err(StoreError::Postgres("the store is closed".into())),
        }
    }

    /// Runs `work` with a pooled connection.
    fn with<T, F>(&self, work: impl FnOnce(deadpool_postgres::Object) -> F) -> Result<T, StoreError>
    where
        F: Future<Output = Result<T, tokio_postgres::Error>>,
    {
        self.block(async {
            let client = connection(&self.pool).await?;
            work(client).await.map_err(query_error)
        })
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // The server may drop its store on an async thread, where a runtime cannot be dropped.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn migrate(pool: &Pool) -> Result<(), StoreError> {
    let mut client = connection(pool).await?;
    let tx = client.transaction().await.map_err(query_error)?;
    // One instance migrates at a time; the others wait here and then find the schema current.
    tx.execute("SELECT pg_advisory_xact_lock(727100001)", &[]).await.map_err(query_error)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS tripsmith_schema (version INTEGER NOT NULL)")
        .await
        .map_err(query_error)?;
    let version: i32 =
        tx.query_one("SELECT coalesce(max(version), 0) FROM tripsmith_schema", &[]).await.map_err(query_error)?.get(0);
    let known = MIGRATIONS.len() as i64;
    if i64::from(version) > known {
        return Err(StoreError::TooNew { found: i64::from(version), known });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(sql).await.map_err(query_error)?;
        tx.execute("INSERT INTO tripsmith_schema (version) VALUES ($1)", &[&(i as i32 + 1)])
            .await
            .map_err(query_error)?;
    }
    tx.commit().await.map_err(query_error)
}

fn job_from_row(row: &Row) -> Result<JobRecord, StoreError> {
    let status: String = row.get(2);
    let attempts: i32 = row.get(9);
    Ok(JobRecord {
        id: row.get(0),
        kind: row.get(1),
        status: JobStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("job status {status:?}")))?,
        progress: row.get(3),
        message: row.get(4),
        created_at: row.get(5),
        updated_at: row.get(6),
        result: row.get(7),
        error: row.get(8),
        attempts: attempts.max(0) as u32,
        instance: row.get(10),
    })
}

fn plan_from_row(row: &Row) -> PlanRecord {
    PlanRecord {
        id: row.get(0),
        created_at: row.get(1),
        region: row.get(2),
        status: row.get(3),
        request: row.get(4),
        summary: row.get(5),
        report_html: row.get(6),
        report_md: row.get(7),
        report_geojson: row.get(8),
        report_gpx: row.get(9),
        report_ics: row.get(10),
    }
}

async fn read_job(c: &impl GenericClient, id: &str) -> Result<Option<Row>, tokio_postgres::Error> {
    c.query_opt(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"), &[&id]).await
}

impl Store for PostgresStore {
    fn insert_plan(&self, p: &PlanRecord) -> Result<(), StoreError> {
        self.with(|c| async move {
            c.execute(
                "INSERT INTO plans (id, created_at, region, status, request, summary, report_html, report_md,
                 report_geojson, report_gpx, report_ics) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                &[
                    &p.id,
                    &p.created_at,
                    &p.region,
                    &p.status,
                    &p.request,
                    &p.summary,
                    &p.report_html,
                    &p.report_md,
                    &p.report_geojson,
                    &p.report_gpx,
                    &p.report_ics,
                ],
            )
            .await
            .map(|_| ())
        })
    }

    fn plan(&self, id: &str) -> Result<Option<PlanRecord>, StoreError> {
        let row = self.with(|c| async move {
            c.query_opt(
                "SELECT id, created_at, region, status, request, summary, report_html, report_md, report_geojson,
                 report_gpx, report_ics FROM plans WHERE id = $1",
                &[&id],
            )
            .await
        })?;
        Ok(row.as_ref().map(plan_from_row))
    }

    fn list_plans(&self, status: Option<&str>, limit: usize, offset: usize) -> Result<Vec<PlanListing>, StoreError> {
        let (limit, offset) = (limit.min(i64::MAX as usize) as i64, offset.min(i64::MAX as usize) as i64);
        let rows = self.with(|c| async move {
            c.query(
                "SELECT id, created_at, region, status FROM plans WHERE $1::TEXT IS NULL OR status = $1
                 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
                &[&status, &limit, &offset],
            )
            .await
        })?;
        Ok(rows
            .iter()
            .map(|row| PlanListing { id: row.get(0), created_at: row.get(1), region: row.get(2), status: row.get(3) })
            .collect())
    }

    fn enqueue_job(
        &self,
        job: &JobRecord,
        input: &str,
        key: Option<&IdempotencyKey>,
        max_queued: usize,
    ) -> Result<Enqueued, StoreError> {
        self.block(async {
            let mut client = connection(&self.pool).await?;
            let tx = client.transaction().await.map_err(query_error)?;
            if let Some(key) = key {
                // A concurrent transaction with the same key makes this insert wait for it.
                let inserted = tx
                    .execute(
                        "INSERT INTO idempotency_keys (scope, key, fingerprint, target, created_at_ms)
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                        &[&key.scope, &key.key, &key.fingerprint, &job.id, &crate::clock::now_ms()],
                    )
                    .await
                    .map_err(query_error)?;
                if inserted == 0 {
                    let stored = tx
                        .query_one(
                            "SELECT fingerprint, target FROM idempotency_keys WHERE scope = $1 AND key = $2",
                            &[&key.scope, &key.key],
                        )
                        .await
                        .map_err(query_error)?;
                    let (fingerprint, target): (String, Option<String>) = (stored.get(0), stored.get(1));
                    if fingerprint != key.fingerprint {
                        return Ok(Enqueued::KeyReused);
                    }
                    let Some(target) = target else { return Ok(Enqueued::KeyReused) };
                    return match read_job(&*tx, &target).await.map_err(query_error)? {
                        Some(row) => Ok(Enqueued::Repeated(Box::new(job_from_row(&row)?))),
                        None => Ok(Enqueued::KeyReused),
                    };
                }
            }
            let queued: i64 = tx
                .query_one("SELECT count(*) FROM jobs WHERE status = 'queued'", &[])
                .await
                .map_err(query_error)?
                .get(0);
            if queued as usize >= max_queued {
                return Ok(Enqueued::QueueFull);
            }
            tx.execute(
                "INSERT INTO jobs (id, kind, status, progress, message, created_at, updated_at, input, attempts)
                 VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, 0)",
                &[&job.id, &job.kind, &job.progress, &job.message, &job.created_at, &job.updated_at, &input],
            )
            .await
            .map_err(query_error)?;
            tx.commit().await.map_err(query_error)?;
            Ok(Enqueued::Queued)
        })
    }

    fn job(&self, id: &str) -> Result<Option<JobRecord>, StoreError> {
        self.with(|c| async move { read_job(&**c, id).await })?.as_ref().map(job_from_row).transpose()
    }

    fn claim_job(&self, lease: &Lease, now: &str) -> Result<Option<(JobRecord, String)>, StoreError> {
        let row = self.with(|c| async move {
            c.query_opt(
                &format!(
                    "UPDATE jobs SET status = 'running', instance = $1, lease_until_ms = $2,
                     attempts = attempts + 1, message = 'starting', updated_at = $3
                     WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1
                                 FOR UPDATE SKIP LOCKED)
                     RETURNING {JOB_COLUMNS}, input"
                ),
                &[&lease.instance, &lease.until_ms, &now],
            )
            .await
        })?;
        match row {
            None => Ok(None),
            Some(row) => {
                let input: Option<String> = row.get(11);
                Ok(Some((job_from_row(&row)?, input.unwrap_or_default())))
            }
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
        self.with(|c| async move {
            let renewed = c
                .execute(
                    "UPDATE jobs SET lease_until_ms = $1, progress = $2, message = $3, updated_at = $4
                     WHERE id = $5 AND instance = $6 AND status = 'running'",
                    &[&lease.until_ms, &progress, &message, &now, &id, &lease.instance],
                )
                .await?;
            if renewed == 1 {
                return Ok(Renewal::Held);
            }
            let status = c.query_opt("SELECT status FROM jobs WHERE id = $1", &[&id]).await?;
            let cancelled = status.is_some_and(|row| row.get::<_, String>(0) == "cancelled");
            Ok(if cancelled { Renewal::Cancelled } else { Renewal::Lost })
        })
    }

    fn finish_job(&self, j: &JobRecord, instance: &str) -> Result<bool, StoreError> {
        let status = j.status.as_str();
        self.with(|c| async move {
            c.execute(
                "UPDATE jobs SET status = $1, progress = $2, message = $3, updated_at = $4, result = $5, error = $6,
                 lease_until_ms = NULL WHERE id = $7 AND instance = $8 AND status = 'running'",
                &[&status, &j.progress, &j.message, &j.updated_at, &j.result, &j.error, &j.id, &instance],
            )
            .await
            .map(|n| n == 1)
        })
    }

    fn release_job(&self, id: &str, instance: &str, now: &str) -> Result<bool, StoreError> {
        self.with(|c| async move {
            c.execute(
                "UPDATE jobs SET status = 'queued', progress = 0, message = $1, updated_at = $2,
                 attempts = greatest(attempts - 1, 0), lease_until_ms = NULL
                 WHERE id = $3 AND instance = $4 AND status = 'running'",
                &[&RELEASED, &now, &id, &instance],
            )
            .await
            .map(|n| n == 1)
        })
    }

    fn cancel_job(&self, id: &str, now: &str) -> Result<Option<JobRecord>, StoreError> {
        let row = self.with(|c| async move {
            c.execute(
                "UPDATE jobs SET status = 'cancelled', message = 'cancelled by the client', updated_at = $1,
                 lease_until_ms = NULL WHERE id = $2 AND status IN ('queued', 'running')",
                &[&now, &id],
            )
            .await?;
            read_job(&**c, id).await
        })?;
        row.as_ref().map(job_from_row).transpose()
    }

    fn recover_expired_jobs(
        &self,
        now_ms: i64,
        max_attempts: u32,
        reason: &str,
        now: &str,
    ) -> Result<(usize, usize), StoreError> {
        let error = serde_json::json!({"title": "interrupted", "detail": reason}).to_string();
        let max_attempts = max_attempts.min(i32::MAX as u32) as i32;
        self.block(async {
            let mut client = connection(&self.pool).await?;
            let tx = client.transaction().await.map_err(query_error)?;
            let failed = tx
                .execute(
                    "UPDATE jobs SET status = 'failed', message = $1, error = $2, updated_at = $3,
                     lease_until_ms = NULL
                     WHERE status = 'running' AND coalesce(lease_until_ms, 0) < $4 AND attempts >= $5",
                    &[&reason, &error, &now, &now_ms, &max_attempts],
                )
                .await
                .map_err(query_error)?;
            let requeued = tx
                .execute(
                    "UPDATE jobs SET status = 'queued', progress = 0, message = $1, updated_at = $2,
                     lease_until_ms = NULL WHERE status = 'running' AND coalesce(lease_until_ms, 0) < $3",
                    &[&REQUEUED, &now, &now_ms],
                )
                .await
                .map_err(query_error)?;
            tx.commit().await.map_err(query_error)?;
            Ok((requeued as usize, failed as usize))
        })
    }

    fn job_counts(&self) -> Result<Vec<JobCount>, StoreError> {
        let rows = self.with(|c| async move {
            c.query(
                "SELECT status, instance, count(*) FROM jobs WHERE status IN ('queued', 'running')
                 GROUP BY status, instance ORDER BY status, instance",
                &[],
            )
            .await
        })?;
        job_counts_from(rows.iter().map(|row| (row.get(0), row.get(1), row.get(2))).collect())
    }

    fn reserve_key(&self, key: &IdempotencyKey, now_ms: i64, stale_ms: i64) -> Result<KeyState, StoreError> {
        self.with(|c| async move {
            // Inserted, or taken over when an unfinished reservation went stale; otherwise the row
            // as it stands says what the key is.
            let taken = c
                .execute(
                    "INSERT INTO idempotency_keys (scope, key, fingerprint, target, created_at_ms)
                     VALUES ($1, $2, $3, NULL, $4)
                     ON CONFLICT (scope, key) DO UPDATE SET created_at_ms = EXCLUDED.created_at_ms
                     WHERE idempotency_keys.target IS NULL
                       AND idempotency_keys.fingerprint = EXCLUDED.fingerprint
                       AND idempotency_keys.created_at_ms < $5",
                    &[&key.scope, &key.key, &key.fingerprint, &now_ms, &(now_ms - stale_ms)],
                )
                .await?;
            if taken == 1 {
                return Ok(KeyState::Reserved);
            }
            let row = c
                .query_one(
                    "SELECT fingerprint, target FROM idempotency_keys WHERE scope = $1 AND key = $2",
                    &[&key.scope, &key.key],
                )
                .await?;
            let (fingerprint, target): (String, Option<String>) = (row.get(0), row.get(1));
            Ok(match target {
                _ if fingerprint != key.fingerprint => KeyState::Reused,
                Some(target) => KeyState::Answered(target),
                None => KeyState::Pending,
            })
        })
    }

    fn complete_key(&self, key: &IdempotencyKey, target: &str) -> Result<(), StoreError> {
        self.with(|c| async move {
            c.execute(
                "UPDATE idempotency_keys SET target = $1 WHERE scope = $2 AND key = $3",
                &[&target, &key.scope, &key.key],
            )
            .await
            .map(|_| ())
        })
    }

    fn release_key(&self, key: &IdempotencyKey) -> Result<(), StoreError> {
        self.with(|c| async move {
            c.execute(
                "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND target IS NULL",
                &[&key.scope, &key.key],
            )
            .await
            .map(|_| ())
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.with(|c| async move { c.query_one("SELECT 1", &[]).await.map(|_| ()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_urls() {
        assert_eq!(without_password("postgres://u:secret@h:5432/db"), "postgres://u@h:5432/db");
        assert_eq!(without_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(without_password("postgresql://h/db"), "postgresql://h/db");
        assert_eq!(without_password("postgres://u:p@ss@h/db"), "postgres://u@h/db");
    }
}
