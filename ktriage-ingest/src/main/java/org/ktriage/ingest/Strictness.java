package org.ktriage.ingest;

/** How readers treat malformed input: fail fast (tests) or record a problem and go on (users). */
public enum Strictness {
  STRICT,
  LENIENT
}
