/**
 * The engine's public API: compile a validated project, create an engine, step it (pure),
 * drive it with an HTTP port, describe a conversation.
 */
export { compileBot, compileFlow, type CompileOptions } from '../compile/compile.js';
export type { CompiledBot, CompiledFlow, CompiledState } from '../compile/types.js';
export { choicePayload, commandPayload, menuPayload, PAYLOAD_PREFIX } from '../compile/payloads.js';
export { createEngine, type Engine } from './step.js';
export { drive, MAX_CALLS_PER_DRIVE, type HttpPort } from './drive.js';
export { describeState, type StateDescription } from './describe.js';
export { cutTitle, fitMessages, splitText } from './limits.js';
export { parseTimerId, timerId } from './timers.js';
export type * from './types.js';
