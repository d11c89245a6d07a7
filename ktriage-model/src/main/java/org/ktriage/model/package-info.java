/**
 * Immutable records that every layer shares: the crash report read from inputs and its diagnosis.
 */
@NullMarked
package org.ktriage.model;

import org.jspecify.annotations.NullMarked;
