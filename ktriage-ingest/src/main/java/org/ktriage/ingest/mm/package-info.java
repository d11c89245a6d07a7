/** Physical memory views and x86_64/arm64 virtual-to-physical translation. */
@NullMarked
package org.ktriage.ingest.mm;

import org.jspecify.annotations.NullMarked;
