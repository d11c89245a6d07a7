/**
 * Positional binary input over dump files, byte-order-explicit field access and the dump reader
 * exceptions.
 */
@NullMarked
package org.ktriage.ingest.bin;

import org.jspecify.annotations.NullMarked;
