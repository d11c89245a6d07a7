/** ktriage analysis layer. */
@NullMarked
package org.ktriage.analysis;

import org.jspecify.annotations.NullMarked;
