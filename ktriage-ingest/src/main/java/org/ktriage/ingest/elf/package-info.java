/** ELF core (vmcore) reading: program headers, notes and the physical memory they carry. */
@NullMarked
package org.ktriage.ingest.elf;

import org.jspecify.annotations.NullMarked;
