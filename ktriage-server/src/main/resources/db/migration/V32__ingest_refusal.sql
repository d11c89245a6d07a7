-- The refusals of queued uploads (issue 13): the worker (or accepting request) that refuses an
-- upload deletes its queue row and writes this row in the same transaction, so a request waiting
-- for the outcome of the same bytes answers 422 only on this record, never on "not stored and no
-- longer queued" (two reads a concurrent commit can fall between, or see in either order). A new
-- upload of the same bytes clears it (its outcome is decided again); rows go after an hour.
CREATE TABLE ingest_refusal (
  sha256           CHAR(64) PRIMARY KEY,
  refused_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  status           INTEGER NOT NULL,
  reason           VARCHAR(1000) NOT NULL
);
CREATE INDEX ingest_refusal_at ON ingest_refusal (refused_at);
