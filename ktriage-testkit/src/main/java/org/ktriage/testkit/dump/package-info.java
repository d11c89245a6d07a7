/**
 * Writers of small synthetic crash dumps (ELF cores, kdump-compressed, flattened, split) for tests.
 */
@NullMarked
package org.ktriage.testkit.dump;

import org.jspecify.annotations.NullMarked;
