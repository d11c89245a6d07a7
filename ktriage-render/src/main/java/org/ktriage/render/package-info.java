/**
 * Renderers of a {@code Diagnosis} (text, JSON, HTML) and what they share; renderers draw, never
 * decide, and never print.
 */
@NullMarked
package org.ktriage.render;

import org.jspecify.annotations.NullMarked;
