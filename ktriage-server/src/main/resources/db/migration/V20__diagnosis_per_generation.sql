-- Re-triage (see Retriage): a report's diagnosis leaves the immutable report row for a table of
-- its own, one row per report and triage generation, stamped with the rule-book version that made
-- it. A generation is one grouping of the stored reports into buckets: the current one (what the
-- dashboard and API show, ingest adds to it) and at most one staged by a re-triage, beside it until
-- applied (one transaction moves the pointer in triage_state) or discarded (its rows dropped).

CREATE TABLE triage_generation (
  id               BIGINT PRIMARY KEY,
  rulebook_version VARCHAR(64) NOT NULL,
  -- 'current', 'staging' (re-triage running or interrupted), 'staged' (complete, preview ready),
  -- 'retired' (was current before an apply)
  state            VARCHAR(16) NOT NULL,
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at      TIMESTAMP WITH TIME ZONE,
  applied_at       TIMESTAMP WITH TIME ZONE,
  -- a re-triage diagnoses the reports with id <= through_report (those stored when it started; later
  -- ones are added by ingest); done_report is the last one committed, where it resumes
  through_report   BIGINT NOT NULL,
  done_report      BIGINT NOT NULL
);

-- Generation 1 is what ingest made so far (its diagnoses keep the version each report was made by).
INSERT INTO triage_generation (id, rulebook_version, state, started_at, finished_at, through_report,
  done_report)
  SELECT 1, COALESCE(MAX(rulebook_version), 'none'), 'current', CURRENT_TIMESTAMP,
    CURRENT_TIMESTAMP, COALESCE(MAX(id), 0), COALESCE(MAX(id), 0) FROM report;

-- The pointer: one row, the generation the service shows.
CREATE TABLE triage_state (
  id                 INT PRIMARY KEY,
  current_generation BIGINT NOT NULL REFERENCES triage_generation (id)
);
INSERT INTO triage_state (id, current_generation) VALUES (1, 1);

ALTER TABLE bucket ADD COLUMN generation BIGINT DEFAULT 1 NOT NULL;
CREATE UNIQUE INDEX bucket_generation_signature ON bucket (generation, signature);

CREATE TABLE diagnosis (
  generation       BIGINT NOT NULL REFERENCES triage_generation (id),
  report_id        BIGINT NOT NULL REFERENCES report (id),
  rulebook_version VARCHAR(64) NOT NULL,
  crash_found      BOOLEAN NOT NULL,
  signature        VARCHAR(128),
  title            VARCHAR(1000),
  failure_class    VARCHAR(64),
  -- the primary failure's function and module (null on rows moved from before this table)
  primary_function VARCHAR(200),
  primary_module   VARCHAR(200),
  bucket_id        BIGINT REFERENCES bucket (id),
  diagnosis_json   TEXT NOT NULL,
  PRIMARY KEY (generation, report_id)
);
CREATE INDEX diagnosis_bucket ON diagnosis (bucket_id, report_id);
CREATE INDEX diagnosis_report ON diagnosis (report_id);

INSERT INTO diagnosis (generation, report_id, rulebook_version, crash_found, signature, title,
  failure_class, bucket_id, diagnosis_json)
  SELECT 1, id, rulebook_version, crash_found, signature, title, failure_class, bucket_id,
    diagnosis_json FROM report;

DROP INDEX report_bucket;
ALTER TABLE report DROP COLUMN bucket_id;
ALTER TABLE report DROP COLUMN signature;
ALTER TABLE report DROP COLUMN title;
ALTER TABLE report DROP COLUMN failure_class;
ALTER TABLE report DROP COLUMN crash_found;
ALTER TABLE report DROP COLUMN rulebook_version;
ALTER TABLE report DROP COLUMN diagnosis_json;
