/** ktriage render layer. */
@NullMarked
package org.ktriage.render;

import org.jspecify.annotations.NullMarked;
