package org.ktriage.model;

/** A rule that threw while running: shown in the report, never swallowed. */
public record RuleFailure(String rule, String error) {}
