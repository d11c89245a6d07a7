/** Kernel log extraction from the printk ring buffers and makedumpfile-style formatting. */
@NullMarked
package org.ktriage.ingest.printk;

import org.jspecify.annotations.NullMarked;
