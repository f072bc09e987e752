/**
 * The catalogue of runtime error codes (what the server logs or answers while running, as
 * opposed to the flow diagnostics of `src/diagnostics/codes.ts`). Modelled on fastify's
 * `lib/errors.js`: one entry per code with its HTTP status (when the code is an HTTP answer)
 * and a message template whose `%s` are filled in order. `docs/errors.md` explains each code
 * and how to fix what caused it; `test/errors.test.ts` keeps the two in step.
 *
 * Codes are stable: never rename or reuse one. Messages never contain message texts, access
 * tokens or app secrets.
 */

export interface ErrorInfo {
  /** HTTP status the server answers with, when the error is an answer to a request. */
  readonly statusCode?: number;
  /** Template; each `%s` is replaced by the next argument. */
  readonly message: string;
}

const catalogue = {
  // --- webhook requests (src/channel/signature.ts, src/channel/webhook.ts) ---
  FLOW_ERR_SIGNATURE_MISSING: {
    statusCode: 401,
    message:
      'The webhook request has neither an X-Hub-Signature-256 nor an X-Hub-Signature header, so nothing proves it comes from Meta; it was not processed. Meta signs every delivery: the caller is not Meta, or a proxy in front of this server removes the header.',
  },
  FLOW_ERR_SIGNATURE_INVALID: {
    statusCode: 403,
    message:
      'The webhook signature (%s) does not match the request body; it was not processed. Check that APP_SECRET is the app secret of this app (Workplace: the integration\'s "App Secret"; Messenger: App Dashboard > Settings > Basic) and that no proxy changes the body.',
  },
  FLOW_ERR_BODY_NOT_JSON: {
    statusCode: 400,
    message: 'The webhook request body is not valid JSON (%s); it was not processed.',
  },
  FLOW_ERR_VERIFY_TOKEN_MISMATCH: {
    statusCode: 403,
    message:
      'The subscription handshake was refused: hub.mode must be "subscribe" and hub.verify_token must equal VERIFY_TOKEN. Type the same verify token in the webhook settings of the app and in VERIFY_TOKEN.',
  },
  FLOW_ERR_WEBHOOK_NOT_RECORDED: {
    statusCode: 503,
    message:
      'The webhook events could not be recorded because the store is unavailable (%s); nothing was processed. The platform will deliver them again.',
  },
  FLOW_ERR_WEBHOOK_DISABLED: {
    statusCode: 403,
    message: 'Webhooks are not accepted: APP_SECRET is not set, so no signature can be checked. Set APP_SECRET (and ACCESS_TOKEN, VERIFY_TOKEN) to connect a platform.',
  },
  FLOW_ERR_WEBHOOK_EVENT_SKIPPED: {
    message: 'Part of a webhook delivery could not be read and was skipped: %s',
  },
  // --- Send API (src/channel/send-api.ts, src/delivery/outbox-worker.ts) ---
  FLOW_ERR_SEND_NETWORK: {
    message: 'The Graph API could not be reached (%s). The reply stays in the outbox and will be retried.',
  },
  FLOW_ERR_SEND_TEMPORARY: {
    message: 'The Graph API refused a reply for now (HTTP %s, Graph code %s: %s). It will be retried.',
  },
  FLOW_ERR_SEND_PERMANENT: {
    message:
      'The Graph API rejected a reply for good (HTTP %s, Graph code %s: %s). It was dropped; the person did not get it.',
  },
  FLOW_ERR_SEND_GAVE_UP: {
    message:
      'A reply was dropped after %s failed attempts (last error: %s). Check that the Graph API is reachable and that the access token is valid.',
  },
  FLOW_ERR_SEND_NO_RECIPIENT: {
    message:
      'A reply has no recipient (neither a person id nor, on Workplace, a thread key); it was dropped. This is a bug: please report it.',
  },
  // --- profiles (src/channel/profile.ts) ---
  FLOW_ERR_PROFILE_LOOKUP: {
    message:
      'The profile of a person could not be looked up (%s); replies go on without it. If it repeats, check that the Graph API is reachable and that ACCESS_TOKEN may read profiles (Workplace: the integration\'s "Read work profile" permission).',
  },
  // --- store, as seen by the background loops (src/delivery/) ---
  FLOW_ERR_STORE_FAILURE: {
    message: 'The store failed while %s (%s). The loop waits a moment and tries again.',
  },
} as const satisfies Record<string, ErrorInfo>;

/** A runtime error code, e.g. `FLOW_ERR_SIGNATURE_INVALID`. */
export type ErrorCode = keyof typeof catalogue;

/** An error carrying a catalogue code (and an HTTP status when it answers a request). */
export class FlowstateError extends Error {
  readonly code: ErrorCode;
  readonly statusCode?: number;

  constructor(code: ErrorCode, message: string, statusCode?: number) {
    super(message);
    this.name = 'FlowstateError';
    this.code = code;
    if (statusCode !== undefined) this.statusCode = statusCode;
  }
}

/** Fills a code's template: each `%s` takes the next argument; missing ones become `?`. */
export function errorMessage(code: ErrorCode, ...args: Array<string | number>): string {
  let i = 0;
  return catalogue[code].message.replace(/%s/g, () => (i < args.length ? String(args[i++]) : '?'));
}

/** Builds the error for a code (see `errorMessage`). */
export function flowError(code: ErrorCode, ...args: Array<string | number>): FlowstateError {
  const info: ErrorInfo = catalogue[code];
  return new FlowstateError(code, errorMessage(code, ...args), info.statusCode);
}

/** Every code with its entry, sorted by code. */
export function allErrorCodes(): Array<{ code: ErrorCode } & ErrorInfo> {
  return (Object.keys(catalogue) as ErrorCode[]).sort().map((code) => ({ code, ...catalogue[code] }));
}

/** The catalogue entry of a code, or undefined for an unknown one. */
export function errorInfo(code: string): ErrorInfo | undefined {
  return Object.hasOwn(catalogue, code) ? catalogue[code as ErrorCode] : undefined;
}
