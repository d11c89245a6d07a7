package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/** One fact a finding rests on: the text shown to people and where it was read. */
public record Evidence(String text, @Nullable SourceSpan source) {}
