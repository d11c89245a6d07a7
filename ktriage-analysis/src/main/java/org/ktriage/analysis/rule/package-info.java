/** The rule engine: YAML data rules, computed rules and the rule book. */
@NullMarked
package org.ktriage.analysis.rule;

import org.jspecify.annotations.NullMarked;
