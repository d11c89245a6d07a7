/** Failure classification of reports and panic messages from a table of patterns. */
@NullMarked
package org.ktriage.analysis.classify;

import org.jspecify.annotations.NullMarked;
