package org.ktriage.testkit.dump;

/**
 * The layouts {@code scripts/kallsyms.c} ({@code write_src()}) has given the kernel's symbol tables
 * on 64-bit kernels, one constant per era, with the change that made it. Every table starts at an
 * {@code ALGN} boundary ({@code .balign 8} where {@code BITS_PER_LONG == 64}); {@code PTR} is
 * {@code .quad}. Each symbol's stored name starts with its type letter; names are token indexes
 * into {@code kallsyms_token_table} (256 NUL-terminated strings, {@code kallsyms_token_index} their
 * 256 {@code .short} offsets).
 */
public enum KallsymsLayout {
  /**
   * v2.6.10 (Paulo Marques' table-lookup compression) to v4.5, and later on kernels without {@code
   * CONFIG_KALLSYMS_BASE_RELATIVE}: {@code kallsyms_addresses} ({@code PTR} each), {@code
   * kallsyms_num_syms} and {@code kallsyms_markers} as {@code PTR}, then names, markers, token
   * table and index.
   */
  ABSOLUTE_V2_6_10(Addresses.ABSOLUTE, true, false, false, false),

  /**
   * v4.6, commit 2213e9a66bb8 "kallsyms: add support for relative offsets in kallsyms address
   * table" (Ard Biesheuvel): {@code kallsyms_offsets} ({@code .long}) and {@code
   * kallsyms_relative_base} ({@code PTR}); with {@code CONFIG_KALLSYMS_ABSOLUTE_PERCPU} (x86_64
   * SMP) the per-CPU symbols keep their absolute value ({@code >= 0}) and every other symbol is
   * stored as {@code relative_base - addr - 1} ({@code < 0}). Counts still {@code PTR}.
   */
  RELATIVE_PERCPU_V4_6(Addresses.RELATIVE_ABSOLUTE_PERCPU, true, false, false, false),

  /**
   * v4.20, commit 80ffbaa5b1bd "kallsyms: reduce size a little on 64-bit" (Jan Beulich): {@code
   * kallsyms_num_syms} and {@code kallsyms_markers} became {@code .long}; absolute addresses.
   */
  ABSOLUTE_V4_20(Addresses.ABSOLUTE, false, false, false, false),

  /** v4.20 with base-relative offsets and absolute per-CPU symbols (x86_64 v4.20–v6.0). */
  RELATIVE_PERCPU_V4_20(Addresses.RELATIVE_ABSOLUTE_PERCPU, false, false, false, false),

  /**
   * v4.20 with base-relative offsets and no absolute per-CPU symbols (arm64 and others): {@code
   * addr - relative_base} as an unsigned {@code .long}, {@code relative_base} the lowest address.
   */
  RELATIVE_V4_20(Addresses.RELATIVE, false, false, false, false),

  /**
   * v6.1, commit 73bbb94466fd "kallsyms: support "big" kernel symbols" (Miguel Ojeda): a name
   * length above 0x7f takes two ULEB128 bytes.
   */
  RELATIVE_PERCPU_V6_1(Addresses.RELATIVE_ABSOLUTE_PERCPU, false, true, false, false),

  /**
   * v6.2, commits 60443c88f3a8 "kallsyms: Improve the performance of kallsyms_lookup_name()" and
   * 19bd8981dc2e "kallsyms: Reduce the memory occupied by kallsyms_seqs_of_names[]" (Zhen Lei):
   * {@code kallsyms_seqs_of_names} after the markers, each symbol's index in name order as three
   * big-endian bytes.
   */
  RELATIVE_PERCPU_V6_2(Addresses.RELATIVE_ABSOLUTE_PERCPU, false, true, true, false),

  /**
   * v6.4, commit 404bad70fcf7 "scripts/kallsyms: change the output order" (Masahiro Yamada): {@code
   * kallsyms_num_syms}, names, markers, token table, token index, then the addresses or offsets,
   * {@code kallsyms_relative_base} and {@code kallsyms_seqs_of_names}.
   */
  RELATIVE_PERCPU_V6_4(Addresses.RELATIVE_ABSOLUTE_PERCPU, false, true, true, true),

  /**
   * v6.4 order with absolute addresses: kernels without base-relative kallsyms, until "kallsyms:
   * get rid of code for absolute kallsyms" (Jann Horn, 2024) made base-relative the only form.
   */
  ABSOLUTE_V6_4(Addresses.ABSOLUTE, false, true, true, true),

  /**
   * v6.4 order with plain base-relative offsets: arm64, and x86_64 once its per-CPU section stopped
   * being zero-based and {@code CONFIG_KALLSYMS_ABSOLUTE_PERCPU} was removed (2025).
   */
  RELATIVE_V6_4(Addresses.RELATIVE, false, true, true, true);

  /** How symbol addresses are stored. */
  public enum Addresses {
    /** {@code kallsyms_addresses}: one {@code PTR} per symbol. */
    ABSOLUTE,
    /** {@code kallsyms_offsets} from {@code kallsyms_relative_base}, unsigned. */
    RELATIVE,
    /** {@code kallsyms_offsets}, per-CPU symbols absolute, the others negative. */
    RELATIVE_ABSOLUTE_PERCPU
  }

  final Addresses addresses;
  final boolean ptrCounts;
  final boolean ulebLengths;
  final boolean seqsOfNames;
  final boolean addressesLast;

  KallsymsLayout(
      Addresses addresses,
      boolean ptrCounts,
      boolean ulebLengths,
      boolean seqsOfNames,
      boolean addressesLast) {
    this.addresses = addresses;
    this.ptrCounts = ptrCounts;
    this.ulebLengths = ulebLengths;
    this.seqsOfNames = seqsOfNames;
    this.addressesLast = addressesLast;
  }

  /** How this layout stores addresses. */
  public Addresses addresses() {
    return addresses;
  }

  /** True when the kernel also has {@code kallsyms_seqs_of_names}. */
  public boolean seqsOfNames() {
    return seqsOfNames;
  }
}
