/**
 * Purpose-made violations of the rules in {@code ArchitectureTest}, one or more per rule, laid out
 * like the real layers below this package; never used by main code.
 */
@NullMarked
package org.ktriage.cli.archfixture;

import org.jspecify.annotations.NullMarked;
