package org.ktriage.ingest.btf;

/** One {@code struct btf_param} of a FUNC_PROTO: name ("" when unnamed) and type id. */
public record BtfParam(String name, int typeId) {}
