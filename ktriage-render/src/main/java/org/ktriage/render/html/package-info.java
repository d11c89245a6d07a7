/** The self-contained HTML report of a diagnosis. */
@NullMarked
package org.ktriage.render.html;

import org.jspecify.annotations.NullMarked;
