/** Facade that opens any supported dump and returns what the analysis pipeline needs. */
@NullMarked
package org.ktriage.ingest.dump;

import org.jspecify.annotations.NullMarked;
