package org.ktriage.collect;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What a collection run did, one event per step, for the CLI to print. */
public sealed interface CollectEvent {
  /** Something was passed over, with the reason. */
  record PassedOver(String what) implements CollectEvent {}

  /** Material already sent (or already found to hold no crash) in an earlier run. */
  record AlreadyDone(Material material, String status) implements CollectEvent {}

  /** Material that holds no crash: remembered, not sent. */
  record NoCrash(Material material) implements CollectEvent {}

  /** Material that could not be read; tried again next run. */
  record Unreadable(Material material, String reason) implements CollectEvent {}

  /** Material diagnosed and queued for sending. */
  record Queued(Material material, @Nullable String title) implements CollectEvent {}

  /** A report the service accepted. */
  record Sent(
      String where,
      long reportId,
      @Nullable Long bucketId,
      boolean created,
      @Nullable String title,
      String url)
      implements CollectEvent {}

  /** The service is away or busy: the next attempt comes after {@code delay}. */
  record Retrying(String where, int attempt, Duration delay, String reason)
      implements CollectEvent {}

  /** The service refused the report for good (4xx other than auth); not sent again. */
  record Refused(String where, int status, String message) implements CollectEvent {}

  /** Still not delivered when the run ends; kept in the outbox for the next run. */
  record Pending(String where, String reason) implements CollectEvent {}
}
