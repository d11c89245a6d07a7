/**
 * Archive re-triage on Apache Spark: the service's raw reports (PostgreSQL, partitioned by id, or a
 * JSONL export) read on the executors by the same reader and {@link org.ktriage.analysis.Analyzer}
 * as {@code ktriage triage}, grouped into the same buckets. An optional module: built and tested
 * with the rest, never in the {@code ktriage} launcher; run with {@code spark-submit}.
 */
@NullMarked
package org.ktriage.spark;

import org.jspecify.annotations.NullMarked;
