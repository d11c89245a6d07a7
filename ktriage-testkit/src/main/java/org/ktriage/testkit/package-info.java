/** ktriage testkit layer. */
@NullMarked
package org.ktriage.testkit;

import org.jspecify.annotations.NullMarked;
