package org.ktriage.collect;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A diagnosed crash ready to send, as kept in the outbox until the service accepts it.
 *
 * @param key the material's key (see {@link Material#key()})
 * @param where the material's description, for messages
 * @param host the host name sent as {@code X-Ktriage-Host}
 * @param labels the labels sent as {@code X-Ktriage-Labels}
 * @param seen when the crash was saved, sent as {@code X-Ktriage-Seen}
 * @param title the diagnosis title, for messages
 * @param document the body: the JSON of {@code ktriage analyze --format json} with the added {@code
 *     collected} and {@code kernelLog} fields
 */
public record Outgoing(
    String key,
    String where,
    String host,
    List<String> labels,
    Instant seen,
    @Nullable String title,
    String document) {
  public Outgoing {
    labels = List.copyOf(labels);
  }
}
