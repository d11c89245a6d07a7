/**
 * Reader for the kernel's BPF Type Format (BTF): struct layouts of the running kernel, found in
 * {@code /sys/kernel/btf/vmlinux} or in a dump between {@code __start_BTF} and {@code __stop_BTF}.
 */
@NullMarked
package org.ktriage.ingest.btf;

import org.jspecify.annotations.NullMarked;
