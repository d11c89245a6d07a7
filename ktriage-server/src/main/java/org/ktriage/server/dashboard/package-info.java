/**
 * What the crash service's dashboard pages show, as plain records the jte templates under {@code
 * src/main/jte/dashboard} draw; built by the server from its store, no logic in the templates.
 */
@NullMarked
package org.ktriage.server.dashboard;

import org.jspecify.annotations.NullMarked;
