/**
 * The one corpus runner: every corpus of real crash text (syzkaller, satyr, ABRT, linux-docs, lab
 * consoles, seed, wild) read with its own labels, run through the real pipeline, scored per measure
 * against ratcheting floors, pinned file by file in golden files, and checked against invariants
 * that hold for every report. See {@code corpus/README.md} in the repository.
 */
@NullMarked
package org.ktriage.testkit.corpus;

import org.jspecify.annotations.NullMarked;
