/** The terminal report of a diagnosis. */
@NullMarked
package org.ktriage.render.text;

import org.jspecify.annotations.NullMarked;
