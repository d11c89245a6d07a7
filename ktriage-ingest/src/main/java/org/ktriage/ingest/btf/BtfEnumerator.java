package org.ktriage.ingest.btf;

/** One enumerator of an ENUM or ENUM64 type; the value is sign- or zero-extended to 64 bits. */
public record BtfEnumerator(String name, long value) {}
