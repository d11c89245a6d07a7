package org.ktriage.model;

/** One input that contributed to a report, with the format the sniffer recognised. */
public record InputSource(String path, InputFormat format) {}
