package org.ktriage.server;

/** A request the service refuses: an HTTP status and a one-line reason for the client. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** A refusal with the given HTTP status (4xx) and a one-line message. */
  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
