/** Rules that need code (register comparison, address arithmetic), one class each. */
@NullMarked
package org.ktriage.analysis.rule.computed;

import org.jspecify.annotations.NullMarked;
