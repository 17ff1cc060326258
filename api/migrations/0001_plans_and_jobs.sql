-- Plans: every answered trip request (feasible, infeasible or timed out), with its reports.
CREATE TABLE plans (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    region      TEXT NOT NULL,
    status      TEXT NOT NULL,
    request     TEXT NOT NULL,
    summary     TEXT NOT NULL,
    report_html TEXT NOT NULL,
    report_md   TEXT NOT NULL
);

-- Jobs: long work run in the background; `result` and `error` are JSON documents.
CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    progress    REAL NOT NULL,
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    result      TEXT,
    error       TEXT
);
CREATE INDEX jobs_by_status ON jobs (status);
