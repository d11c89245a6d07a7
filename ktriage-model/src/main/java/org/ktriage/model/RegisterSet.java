package org.ktriage.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Register values by upper-case name as the kernel or crash prints them ({@code RIP}, {@code RSP},
 * {@code RAX} … {@code R15}, {@code CR2}, {@code EFLAGS}, {@code ORIG_RAX}; arm64 {@code PC},
 * {@code LR}, {@code SP}, {@code X0} … {@code X29}, {@code PSTATE}), in print order.
 */
public record RegisterSet(Map<String, Long> values) {
  public RegisterSet {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static RegisterSet empty() {
    return new RegisterSet(Map.of());
  }

  public @Nullable Long get(String name) {
    return values.get(name);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }
}
