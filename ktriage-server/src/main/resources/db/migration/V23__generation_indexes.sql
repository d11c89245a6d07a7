-- The bucket list reads the current generation's buckets only, in one of its sort orders.
DROP INDEX bucket_last_seen;
DROP INDEX bucket_count;
CREATE INDEX bucket_generation_count ON bucket (generation, report_count);
CREATE INDEX bucket_generation_last_seen ON bucket (generation, last_seen);
-- A bucket page lists the largest values of each facet first (a bucket can have many hosts).
CREATE INDEX bucket_facet_largest ON bucket_facet (bucket_id, facet, report_count);
