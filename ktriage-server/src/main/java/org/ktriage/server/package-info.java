/**
 * The crash service behind {@code ktriage serve}: an HTTP API that ingests crash reports, diagnoses
 * them with the analysis layer, keeps them in a database (embedded H2 or PostgreSQL) and groups
 * them into buckets with a lifecycle. It never prints; the CLI starts it and reports where it
 * listens.
 */
@NullMarked
package org.ktriage.server;

import org.jspecify.annotations.NullMarked;
