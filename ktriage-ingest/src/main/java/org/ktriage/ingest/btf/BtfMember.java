package org.ktriage.ingest.btf;

/**
 * One {@code struct btf_member} of a struct or union: name ("" when anonymous), type id, offset in
 * bits from the start of the enclosing type, and the bitfield width in bits (0 when not a
 * bitfield).
 */
public record BtfMember(String name, int typeId, long bitOffset, int bitfieldSize) {}
