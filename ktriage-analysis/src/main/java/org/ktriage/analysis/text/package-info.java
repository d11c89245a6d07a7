/** Text search shared by the analysis steps: several fixed literals found in one pass. */
@NullMarked
package org.ktriage.analysis.text;

import org.jspecify.annotations.NullMarked;
