/** Run in a fresh process: restores a conversation from JSON (stdin) and handles one event. */
import { readFileSync } from 'node:fs';
import { loadProjectDir } from '../../../src/language/load.js';
import { compileBot, createEngine } from '../../../src/engine/index.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
const { project } = loadProjectDir(input.dir);
const engine = createEngine(compileBot(project, { env: input.env }));
process.stdout.write(JSON.stringify(engine.step(input.step)));
