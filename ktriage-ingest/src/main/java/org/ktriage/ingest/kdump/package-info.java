/**
 * kdump-compressed (diskdump) reading: headers, bitmaps, page descriptors, compressed pages,
 * flattened and split forms.
 */
@NullMarked
package org.ktriage.ingest.kdump;

import org.jspecify.annotations.NullMarked;
