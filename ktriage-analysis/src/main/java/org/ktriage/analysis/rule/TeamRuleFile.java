package org.ktriage.analysis.rule;

/** A team's rule file handed in by the CLI: its name (for errors) and its YAML text. */
public record TeamRuleFile(String name, String yamlText) {}
