/** ktriage cli layer. */
@NullMarked
package org.ktriage.cli;

import org.jspecify.annotations.NullMarked;
