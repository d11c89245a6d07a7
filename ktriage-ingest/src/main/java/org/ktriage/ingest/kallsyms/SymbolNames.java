package org.ktriage.ingest.kallsyms;

/**
 * The names and type letters of a symbol table, in the table's (address) order: decoded strings
 * ({@link DecodedNames}), or the kernel's own compressed {@code kallsyms_names} kept as read and
 * expanded one name at a time ({@link CompressedNames}).
 */
interface SymbolNames {
  /** The name of symbol {@code i}. */
  String name(int i);

  /** The type letter of symbol {@code i} ({@code '?'} when the name is empty). */
  char type(int i);

  /** Every name decoded, back to back (made once, for the index by name). */
  DecodedNames decoded();
}
