/**
 * Running a step to completion: the step, then every `call` it asks for through the HTTP
 * port, each result fed back as a `call_result` event, until no call is left (at most
 * `MAX_CALLS_PER_DRIVE`). The messages of all the steps are concatenated. The effects live
 * in the port; this function adds no clock of its own (every step uses `input.now`).
 */
import type { Engine } from './step.js';
import type { CallRequest, StepInput, StepOutput } from './types.js';

/** The HTTP port for `call` states. Implementations never throw: failures are `{status: 0, error}`. */
export interface HttpPort {
  request(req: CallRequest): Promise<{ status: number; body?: unknown; error?: string }>;
}

/** Calls performed by one `drive` before it gives up (a flow looping over calls). */
export const MAX_CALLS_PER_DRIVE = 20;

/** Runs `input` through `engine`, performing its calls through `http` (see the module comment). */
export async function drive(engine: Engine, input: StepInput, http: HttpPort): Promise<StepOutput> {
  let out = engine.step(input);
  const messages = [...out.messages];
  const notes = [...out.notes];
  let queue = [...out.calls];
  let performed = 0;
  while (queue.length > 0) {
    const call = queue.shift()!;
    if (performed >= MAX_CALLS_PER_DRIVE) {
      notes.push('too_many_calls');
      break;
    }
    performed += 1;
    let result: { status: number; body?: unknown; error?: string };
    try {
      result = await http.request(call);
    } catch (error) {
      result = { status: 0, error: error instanceof Error ? error.message : String(error) };
    }
    out = engine.step({
      conversation: out.conversation,
      event: { kind: 'call_result', callId: call.id, status: result.status, body: result.body, error: result.error },
      profile: input.profile,
      now: input.now,
      eventId: `${input.eventId}#call${performed}`,
    });
    messages.push(...out.messages);
    notes.push(...out.notes);
    queue = [...queue.filter((c) => !out.calls.some((n) => n.id === c.id)), ...out.calls];
  }
  return { conversation: out.conversation, messages, timers: out.timers, calls: queue, notes };
}
