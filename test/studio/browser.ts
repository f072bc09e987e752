/**
 * What the studio's browser tests share: Debian's Chromium driven by playwright-core, and the
 * author's gestures on a page (wait for a bot message, tap a quick reply, start a flow).
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ServerProcess } from '../support/server-process.js';

export const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches headless Chromium, or fails with what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium) to run the studio's browser tests.`);
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/** A page on the studio at `url`, once it is ready; page errors are collected into `errors`. */
export async function openStudio(browser: Browser, url: string, viewport: { width: number; height: number }, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** Waits for a bot bubble or card with this text. */
export async function botSays(page: Page, text: string): Promise<void> {
  await page.locator('#messages .msg.in', { hasText: text }).last().waitFor();
}

/** The quick reply with this title. */
export function chip(page: Page, title: string): Locator {
  return page.locator('#quick-replies').getByRole('button', { name: title, exact: true });
}

/** Picks flow `id` and presses Start. */
export async function startFlow(page: Page, id: string): Promise<void> {
  await page.selectOption('#flow-select', id);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
}

/** A studio in local mode on a temporary copy of flows/ (plus `files`), with Chromium on it. */
export interface StudioUnderTest {
  flowsDir: string;
  server: ServerProcess;
  browser: Browser;
  page: Page;
  /** Errors thrown in the page. */
  errors: string[];
  close(): Promise<void>;
}

export async function startStudio(options: { name: string; store: (dir: string) => string; viewport: { width: number; height: number }; files?: Record<string, string> }): Promise<StudioUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), `flowstate-${options.name}-`));
  const flowsDir = join(dir, 'flows');
  cpSync('flows', flowsDir, { recursive: true });
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(flowsDir, name), text);
  const server = new ServerProcess({ FLOWS_DIR: flowsDir, STORE_URL: options.store(dir), LOG_LEVEL: 'warn' });
  await server.start();
  const browser = await launchChromium();
  const errors: string[] = [];
  const page = await openStudio(browser, server.url, options.viewport, errors);
  return {
    flowsDir,
    server,
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
