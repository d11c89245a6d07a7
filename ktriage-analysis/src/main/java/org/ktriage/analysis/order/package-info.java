/** Cause ordering: primary failure, trigger and the cause chain. */
@NullMarked
package org.ktriage.analysis.order;

import org.jspecify.annotations.NullMarked;
