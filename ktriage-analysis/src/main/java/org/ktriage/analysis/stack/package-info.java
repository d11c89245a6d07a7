/** Per-CPU stack reading: exception entries, execution contexts and fault sites. */
@NullMarked
package org.ktriage.analysis.stack;

import org.jspecify.annotations.NullMarked;
