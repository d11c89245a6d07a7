/** ktriage bench layer. */
@NullMarked
package org.ktriage.bench;

import org.jspecify.annotations.NullMarked;
