package org.ktriage.model;

/** Severity of a finding; {@link #id()} is API. */
public enum Severity {
  CRITICAL("critical"),
  HIGH("high"),
  MEDIUM("medium"),
  LOW("low"),
  INFO("info");

  private final String id;

  Severity(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
