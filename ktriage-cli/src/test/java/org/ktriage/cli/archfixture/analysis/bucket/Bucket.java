package org.ktriage.cli.archfixture.analysis.bucket;

/** A result record render may draw. */
public record Bucket(String signature, int count) {}
