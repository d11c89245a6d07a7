/** Classification of kernel virtual addresses (x86_64 layouts per era, arm64, poison values). */
@NullMarked
package org.ktriage.analysis.address;

import org.jspecify.annotations.NullMarked;
