-- The PostgreSQL store's schema: the same tables as the SQLite store's migrations 0001-0003.

-- Plans: every answered trip request (feasible, infeasible or timed out), with its reports.
CREATE TABLE plans (
    id             TEXT PRIMARY KEY,
    created_at     TEXT NOT NULL,
    region         TEXT NOT NULL,
    status         TEXT NOT NULL,
    request        TEXT NOT NULL,
    summary        TEXT NOT NULL,
    report_html    TEXT NOT NULL,
    report_md      TEXT NOT NULL,
    report_geojson TEXT,
    report_gpx     TEXT,
    report_ics     TEXT
);
CREATE INDEX plans_by_time ON plans (created_at DESC, id DESC);

-- Jobs: a queue that the instances share. A queued job is claimed with FOR UPDATE SKIP LOCKED;
-- a running one is held by `instance` until `lease_until_ms` (milliseconds since the Unix epoch),
-- which that instance renews.
CREATE TABLE jobs (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL,
    progress       DOUBLE PRECISION NOT NULL,
    message        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    result         TEXT,
    error          TEXT,
    input          TEXT,
    instance       TEXT,
    lease_until_ms BIGINT,
    attempts       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_queue ON jobs (status, created_at, id);

-- Idempotency keys: what the first request with a key made (null while it is being answered).
CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    key           TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    target        TEXT,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
