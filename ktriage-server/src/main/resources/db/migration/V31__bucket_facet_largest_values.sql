-- A bucket page lists each facet's largest values first, ties by value (StoreQueries.facets, LIMIT
-- 200 but days). V23's index stopped at the count, so the database read past the 200th row to sort
-- the values of equal count (on PostgreSQL an incremental sort; 341 rows for the 200 hosts of a
-- bucket of 15 000 reports at 1 M); in exactly the page's order it reads those rows and no more.
DROP INDEX bucket_facet_largest;
CREATE INDEX bucket_facet_largest_values ON bucket_facet (bucket_id, facet, report_count DESC,
  facet_value);
