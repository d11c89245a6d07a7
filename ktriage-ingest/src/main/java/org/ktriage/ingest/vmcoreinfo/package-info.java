/** The VMCOREINFO note as a typed view. */
@NullMarked
package org.ktriage.ingest.vmcoreinfo;

import org.jspecify.annotations.NullMarked;
