/**
 * Small ports the delivery loops use for what lives outside them: logs and metrics. Both are
 * optional; pino's logger and the server's prom-client counters fit them as they are.
 */

/** The part of a pino-style logger the loops use. Messages never hold message texts. */
export interface DeliveryLogger {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Counters of the outbox. `failed` counts every failed attempt, by Graph code, `http_<status>` or `network`. */
export interface OutboxMetrics {
  sent(): void;
  failed(code: string): void;
  /** A reply removed unsent (permanent error or retries exhausted). */
  dropped(): void;
  /** A reply put back for a later attempt. */
  retried(): void;
}
