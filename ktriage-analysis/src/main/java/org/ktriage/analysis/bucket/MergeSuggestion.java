package org.ktriage.analysis.bucket;

/**
 * Two buckets whose stacks are so similar that they may be one bug split by its signature; a
 * suggestion for a human, never applied.
 *
 * @param signatureA the larger bucket's signature
 * @param signatureB the other bucket's signature
 * @param similarity 0..1, 1 meaning identical normalized stacks
 */
public record MergeSuggestion(String signatureA, String signatureB, double similarity) {}
