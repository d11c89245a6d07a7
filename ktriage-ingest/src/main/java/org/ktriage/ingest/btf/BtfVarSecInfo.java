package org.ktriage.ingest.btf;

/** One {@code struct btf_var_secinfo} of a DATASEC: the VAR's type id, its offset and size. */
public record BtfVarSecInfo(int typeId, long offset, long size) {}
