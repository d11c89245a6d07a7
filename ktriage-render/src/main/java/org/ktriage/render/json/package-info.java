/** The JSON contract of a diagnosis (docs/architecture.md), rendered with Jackson. */
@NullMarked
package org.ktriage.render.json;

import org.jspecify.annotations.NullMarked;
