/**
 * `flow serve`: starts the webhook server, like `npm start`. The server module is imported
 * only here, so the other commands never load Fastify.
 */
import type { Command } from './command.js';
import { parseCommandArgs } from './args.js';
import { EXIT, UsageError } from './io.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the webhook server (same as npm start); settings from environment variables',
  help: [
    'Usage: flow serve',
    '',
    'Starts the webhook server (same as `npm start`). Settings come from environment',
    'variables and a .env file: PORT, HOST, FLOWS_DIR, STORE_URL, PLATFORM, ACCESS_TOKEN,',
    'APP_SECRET, VERIFY_TOKEN, LOG_LEVEL... Without ACCESS_TOKEN it runs in local mode',
    'with the authoring studio on http://127.0.0.1:3000/.',
    '',
  ].join('\n'),
  async run(args, io) {
    const { positionals } = parseCommandArgs('serve', args, {});
    if (positionals.length > 0) throw new UsageError(`\`flow serve\` takes no paths (got ${positionals.join(', ')}); set FLOWS_DIR to choose the flows folder.`);
    const { runServer } = await import('../server/main.js');
    // Not started (a setting or the store is wrong; the message says which): exit 1, as `npm start` does.
    return (await runServer(io.env)) ? EXIT.ok : EXIT.problems;
  },
};
