/**
 * `flow test [paths...]`: validates the bot, runs its flow tests (`tests/*.test.yaml`),
 * prints each test and, per flow, the states and transitions no test reached.
 */
import { basename } from 'node:path';
import { countBySeverity } from '../diagnostics/diagnostic.js';
import { isTestFileName } from '../language/load.js';
import { checkProjectDir } from '../language/validate.js';
import { Coverage } from '../testing/coverage.js';
import { formatCoverage, formatResults, formatSummary } from '../testing/report.js';
import { runTestFiles, type FileResult } from '../testing/run-files.js';
import { findTestFiles, loadTestFile, projectDirOf, type TestFile } from '../testing/test-file.js';
import type { Command } from './command.js';
import { parseCommandArgs } from './args.js';
import { printErrors, projectFileCount, projectTexts } from './bot-errors.js';
import { EXIT, UsageError, useColor } from './io.js';
import { displayPath, resolveTargets } from './paths.js';

export const testCommand: Command = {
  name: 'test',
  summary: 'run the flow tests (tests/*.test.yaml) and report state and transition coverage',
  help: [
    'Usage: flow test [paths...]',
    '',
    'Runs flow tests: a folder means every tests/*.test.yaml under it (default flows/),',
    'a file means that test file. The bot is validated first. Prints each test (✓ or ✗ with',
    'the failing step), then per flow the states and transitions no test reached.',
    '',
    'Options:',
    '  -h, --help  show this help',
    '',
    'Exit codes: 0 every test passed, 1 a test failed or the bot has errors, 2 bad usage.',
    '',
  ].join('\n'),
  async run(args, io) {
    const { positionals } = parseCommandArgs('test', args, {});
    const targets = resolveTargets('test', io.cwd, positionals);
    const byProject = new Map<string, string[]>();
    for (const t of targets) {
      let files: string[];
      if (t.kind === 'dir') files = findTestFiles(t.path);
      else if (isTestFileName(basename(t.path))) files = [t.path];
      else throw new UsageError(`"${t.given}" is not a test file: test files end in .test.yaml (give one, or a folder that holds tests/).`);
      for (const f of files) {
        const dir = projectDirOf(f);
        const list = byProject.get(dir) ?? [];
        if (!list.includes(f)) list.push(f);
        byProject.set(dir, list);
      }
    }
    if (byProject.size === 0) {
      const where = targets.map((t) => t.given).join(', ');
      io.stdout.write(`No flow tests found in ${where}. Tests are files named <name>.test.yaml in the flows folder's tests/ folder.\n`);
      return EXIT.problems;
    }
    const color = useColor(io);
    let failed = false;
    const all: FileResult[] = [];
    const coverageBlocks: string[] = [];
    for (const [dir, files] of byProject) {
      const { project, diagnostics } = checkProjectDir(dir);
      if (countBySeverity(diagnostics).errors > 0) {
        io.stdout.write(`The bot in ${displayPath(io.cwd, dir)} has errors; fix them before its tests can run:\n`);
        printErrors(io, diagnostics, projectTexts(project), projectFileCount(project));
        failed = true;
        continue;
      }
      const loaded: TestFile[] = [];
      for (const path of files) {
        const r = loadTestFile(path);
        if (!r.file) {
          io.stdout.write(`${displayPath(io.cwd, path)} cannot run:\n`);
          printErrors(io, r.diagnostics, new Map(r.source ? [[path, r.source.text]] : []), 1);
          failed = true;
          continue;
        }
        loaded.push(r.file);
      }
      const coverage = new Coverage();
      const results = await runTestFiles(project, loaded, coverage);
      all.push(...results);
      io.stdout.write(formatResults(results, { display: (p) => displayPath(io.cwd, p), color }));
      coverageBlocks.push(formatCoverage(project, coverage));
    }
    if (coverageBlocks.some((b) => b !== '')) io.stdout.write(`\n${coverageBlocks.join('')}`);
    io.stdout.write(`\n${formatSummary(all)}`);
    if (all.some((r) => r.problem || r.results.some((t) => !t.passed))) failed = true;
    return failed ? EXIT.problems : EXIT.ok;
  },
};
