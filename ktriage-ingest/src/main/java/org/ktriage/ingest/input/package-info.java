/**
 * Input formats, one registry line each ({@link org.ktriage.ingest.input.InputFormats}): how each
 * is recognised by its first bytes and which reader takes it; opening files and standard input.
 */
@NullMarked
package org.ktriage.ingest.input;

import org.jspecify.annotations.NullMarked;
