/** Crash titles (syzbot-compatible), crash types and stable crash signatures. */
@NullMarked
package org.ktriage.analysis.signature;

import org.jspecify.annotations.NullMarked;
