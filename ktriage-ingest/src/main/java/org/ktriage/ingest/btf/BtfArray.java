package org.ktriage.ingest.btf;

/** The {@code struct btf_array} of an ARRAY type: element type, index type and element count. */
public record BtfArray(int elementTypeId, int indexTypeId, long elementCount) {}
