package org.ktriage.analysis.rule;

/**
 * A snippet a rule must match ({@code hit}) or must not match: a test resource path relative to
 * {@code rules/examples/}.
 */
public record RuleExample(String path, boolean hit) {}
