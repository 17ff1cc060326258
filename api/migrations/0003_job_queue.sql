-- Jobs as a queue that several server instances share: the input each job's work is rebuilt
-- from, the instance holding it, its lease (milliseconds since the Unix epoch) and its attempts.
-- Jobs left unfinished by a version without inputs cannot be run again: they are failed.
UPDATE jobs SET status = 'failed', message = 'the server stopped before the job finished'
    WHERE status IN ('queued', 'running');
ALTER TABLE jobs ADD COLUMN input TEXT;
ALTER TABLE jobs ADD COLUMN instance TEXT;
ALTER TABLE jobs ADD COLUMN lease_until_ms INTEGER;
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_queue ON jobs (status, created_at, id);

-- Idempotency keys: what the first request with a key made (a plan or job id; null while it is
-- being answered), and a fingerprint of that request.
CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    key           TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    target        TEXT,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
