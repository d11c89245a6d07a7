/** ktriage ingest layer. */
@NullMarked
package org.ktriage.ingest;

import org.jspecify.annotations.NullMarked;
