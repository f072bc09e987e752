/**
 * `flow chat <flow-id or file>`: a conversation with a flow in the terminal. Bot messages
 * are printed, quick replies and buttons numbered; the person types a number (a tap) or
 * text; `/restart`, `/state`, `/vars`, `/wait 10m`, `/help` and `/quit` drive the session.
 */
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { countBySeverity } from '../diagnostics/diagnostic.js';
import { compileBot, describeState, type HttpPort } from '../engine/index.js';
import type { InboundEvent, OutMessage } from '../engine/types.js';
import { formatDuration, parseDuration } from '../language/duration.js';
import { createMockHttp } from '../testing/mock-http.js';
import { Session } from '../testing/session.js';
import type { Command } from './command.js';
import { parseCommandArgs } from './args.js';
import { printErrors, projectFileCount, projectTexts } from './bot-errors.js';
import { parseProfile, readMocks } from './chat-profile.js';
import { EXIT, UsageError, useColor, type CliIo } from './io.js';
import { displayPath } from './paths.js';
import { resolveFlow } from './resolve-flow.js';

/** A numbered choice the person can pick by typing its number. */
interface Pick {
  title: string;
  event?: InboundEvent;
  url?: string;
}

const COMMANDS_HELP = [
  'Type a number to tap that choice, or any text to send it.',
  '  /restart   start the flow again (forgets the variables)',
  '  /state     where the conversation is and what it waits for',
  '  /vars      the conversation\'s variables',
  '  /wait 10m  let time pass (reminders and time-outs fire)',
  '  /help      this list',
  '  /quit      leave (Ctrl+D too)',
].join('\n');

/** Prints the bot's messages; returns the choices, numbered from 1. */
function printMessages(io: CliIo, messages: readonly OutMessage[], color: boolean): Pick[] {
  const bold = (t: string) => (color ? `\x1b[1m${t}\x1b[0m` : t);
  const picks: Pick[] = [];
  for (const m of messages) {
    if (m.kind === 'image') {
      io.stdout.write(`${bold('bot>')} [image] ${m.url}\n`);
      continue;
    }
    io.stdout.write(`${bold('bot>')} ${m.text.replace(/\n/g, '\n     ')}\n`);
    const here: Pick[] = [];
    if (m.kind === 'buttons') {
      for (const b of m.buttons) here.push(b.type === 'postback' ? { title: b.title, event: { kind: 'postback', payload: b.payload, title: b.title } } : { title: b.title, url: b.url });
    }
    for (const q of m.quick_replies ?? []) here.push({ title: q.title, event: { kind: 'quick_reply', payload: q.payload, title: q.title } });
    if (here.length > 0) {
      picks.length = 0;
      picks.push(...here);
    }
  }
  picks.forEach((p, i) => io.stdout.write(`     [${i + 1}] ${p.title}${p.url ? ` (opens ${p.url})` : ''}\n`));
  return picks;
}

export const chatCommand: Command = {
  name: 'chat',
  summary: 'talk to a flow in the terminal (choices numbered; /restart /state /vars /wait /quit)',
  help: [
    'Usage: flow chat [options] <flow-id or file>',
    '',
    'Talks to a flow in the terminal. Bot messages are printed, quick replies and buttons',
    'numbered: type a number to tap one, or type text. Commands:',
    COMMANDS_HELP.split('\n').slice(1).join('\n'),
    '',
    'Options:',
    '  --as key=value,...  the person\'s profile: id, name, first_name, last_name, email,',
    '                      title, department, locale (e.g. --as first_name=Ana,locale=fr_FR)',
    '  --mock FILE         answer call steps from mocks (flow test format) instead of the network',
    '  --dir FOLDER        the flows folder when a flow id is given (default flows/)',
    '  -h, --help          show this help',
    '',
    'Calls are made for real (only to hosts bot.yaml lists in call_allow) unless --mock is given.',
    'Time is simulated: it passes only with /wait.',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('chat', args, { as: { type: 'string' }, mock: { type: 'string' }, dir: { type: 'string' } });
    if (positionals.length > 1) throw new UsageError(`\`flow chat\` talks to one flow at a time; got ${positionals.length}: ${positionals.join(', ')}.`);
    const profile = parseProfile(values.as as string | undefined);
    const { project, diagnostics, flowFile } = resolveFlow('chat', io.cwd, positionals[0], values.dir as string | undefined);
    const color = useColor(io);
    if (countBySeverity(diagnostics).errors > 0) {
      io.stdout.write(`The bot in ${displayPath(io.cwd, project.dir)} has errors; fix them before chatting:\n`);
      printErrors(io, diagnostics, projectTexts(project), projectFileCount(project));
      return EXIT.problems;
    }
    const mockPath = values.mock as string | undefined;
    let http: HttpPort;
    if (mockPath !== undefined) http = createMockHttp(readMocks(resolve(io.cwd, mockPath), mockPath), project.settings.call_allow);
    else http = (await import('../http/guarded-http.js')).createGuardedHttp({ allow: project.settings.call_allow });
    const bot = compileBot(project, { env: io.env });
    const session = new Session({ bot, http, profile, startAt: Date.now() });
    const flowId = flowFile.id;

    io.stdout.write(`Talking to the flow "${flowId}". Type /help for the commands, /quit to leave.\n`);
    let picks = printMessages(io, (await session.start(flowId)).messages, color);
    const rl = createInterface({ input: io.stdin, terminal: false, crlfDelay: Infinity });
    const prompt = () => io.stdout.write(color ? '\x1b[2myou>\x1b[0m ' : 'you> ');
    const afterStep = (messages: readonly OutMessage[]) => {
      const next = printMessages(io, messages, color);
      picks = next.length > 0 || messages.length > 0 ? next : picks;
      if (session.ended()) io.stdout.write('(the conversation is over: write anything to start again, /restart, or /quit)\n');
    };
    prompt();
    try {
      for await (const raw of rl) {
        const line = raw.trim();
        if (line === '') {
          prompt();
          continue;
        }
        if (line.startsWith('/')) {
          const [cmd, ...rest] = line.split(/\s+/);
          if (cmd === '/quit' || cmd === '/exit') return EXIT.ok;
          if (cmd === '/help') io.stdout.write(`${COMMANDS_HELP}\n`);
          else if (cmd === '/restart') {
            session.reset();
            picks = printMessages(io, (await session.start(flowId)).messages, color);
          } else if (cmd === '/state') {
            const d = describeState(session.bot, session.conversation);
            const pending = session.timers.map((t) => `${formatDuration(t.at - session.now)} (${t.id})`).join(', ');
            io.stdout.write(
              d.status === 'active'
                ? `flow ${d.flowId}, state ${d.state}, waiting for ${d.waitingFor.replace(/_/g, ' ')}${d.askType ? ` (${d.askType})` : ''}${d.attempts ? `, ${d.attempts} invalid answer(s)` : ''}${pending ? `; timers due in ${pending}` : ''}\n`
                : 'no conversation in progress\n',
            );
          } else if (cmd === '/vars') io.stdout.write(`${JSON.stringify(session.vars(), null, 2)}\n`);
          else if (cmd === '/wait') {
            const ms = rest[0] === undefined ? undefined : parseDuration(rest[0]);
            if (ms === undefined) io.stdout.write('Write how long to wait as a duration, for example /wait 10m or /wait 1h30m.\n');
            else {
              const r = await session.wait(ms);
              if (r.messages.length === 0) io.stdout.write(`(${rest[0]} later: nothing happened)\n`);
              afterStep(r.messages);
            }
          } else io.stdout.write(`Unknown command ${cmd}. ${COMMANDS_HELP}\n`);
          prompt();
          continue;
        }
        const n = /^\d+$/.test(line) ? Number(line) : undefined;
        const pick = n !== undefined && n >= 1 && n <= picks.length ? picks[n - 1]! : undefined;
        if (pick && !pick.event) {
          io.stdout.write(`"${pick.title}" opens ${pick.url} in a browser; it sends nothing to the bot.\n`);
          prompt();
          continue;
        }
        const event: InboundEvent = pick?.event ?? { kind: 'text', text: line };
        afterStep((await session.send(event)).messages);
        prompt();
      }
    } finally {
      rl.close();
    }
    io.stdout.write('\n');
    return EXIT.ok;
  },
};
