/** Grouping of many per-input results into buckets of the same crash. */
@NullMarked
package org.ktriage.analysis.bucket;

import org.jspecify.annotations.NullMarked;
