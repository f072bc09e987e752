/**
 * The studio in real headless Chromium, on the durable SQLite store: what an author meets
 * beyond the happy path. A long error banner leaves the chat usable, the newest message stays
 * in view above the quick replies, a tab left open across a server restart goes on showing
 * the chat, "Another person…" works with a flow that cannot be started, and the person
 * dialog shows the profile as it was typed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.js';
import { botSays as botSaysOn, chip as chipOn, openStudio, startFlow as startFlowOn, startStudio, type StudioUnderTest } from './browser.js';

const SLOW = 90_000;
const VIEWPORT = { width: 1280, height: 800 };

/** A flow that no keyword, postback or default_flow starts: only a person who writes reaches others. */
const UNSTARTABLE = 'title: Not started from the picker\nstates:\n  only:\n    say: You found me.\n    end: true\n';

let studio: StudioUnderTest;
let flowsDir: string;
let server: ServerProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  studio = await startStudio({ name: 'studio-usability', store: (dir) => `sqlite:${join(dir, 'studio.db')}`, viewport: VIEWPORT, files: { 'unstarted.yaml': UNSTARTABLE } });
  ({ flowsDir, server, browser, page, errors: pageErrors } = studio);
}, SLOW);

afterAll(async () => {
  await studio?.close();
});

const botSays = (text: string): Promise<void> => botSaysOn(page, text);
const chip = (title: string) => chipOn(page, title);
const startFlow = (id: string): Promise<void> => startFlowOn(page, id);

/** Whether the element's box lies inside the window (nothing of it cut off at the bottom). */
async function inWindow(selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  return box !== null && box.height > 0 && box.y >= 0 && box.y + box.height <= VIEWPORT.height + 0.5;
}

describe('the studio, beyond the happy path', () => {
  it('keeps the newest bot message in view above the quick replies', async () => {
    await startFlow('it-helpdesk');
    await botSays('What do you need?');
    await chip('Something else').waitFor();
    // Enough exchanges for the list to scroll.
    for (let i = 0; i < 10; i++) {
      await page.fill('#composer-text', 'restart');
      await page.press('#composer-text', 'Enter');
      await page.locator('#messages .msg.in', { hasText: 'What do you need?' }).nth(i + 1).waitFor();
      await chip('Something else').waitFor();
    }
    const view = await page.evaluate(() => {
      const list = document.getElementById('messages')!;
      const last = list.lastElementChild!.getBoundingClientRect();
      return { scrolls: list.scrollHeight > list.clientHeight, hidden: last.bottom - list.getBoundingClientRect().bottom };
    });
    expect(view.scrolls).toBe(true);
    expect(view.hidden).toBeLessThanOrEqual(1);
  }, SLOW);

  it('bounds a long error banner, so that the conversation and the message box stay usable', async () => {
    const file = join(flowsDir, 'it-helpdesk.yaml');
    const original = readFileSync(file, 'utf8');
    // Every goto of the flow misspelt: a long list of errors, each with its source line.
    writeFileSync(file, original.replace(/goto: /g, 'goto: nowhere_'));
    const banner = page.locator('#problems');
    await banner.waitFor({ state: 'visible' });
    expect(await inWindow('#composer-text')).toBe(true);
    const heights = await page.evaluate(() => ({ banner: document.getElementById('problems')!.getBoundingClientRect().height, list: document.getElementById('messages')!.getBoundingClientRect().height }));
    expect(heights.banner).toBeLessThanOrEqual(VIEWPORT.height * 0.35 + 1);
    expect(heights.list).toBeGreaterThan(100);
    // The last good version goes on answering.
    await page.fill('#composer-text', 'restart');
    await page.press('#composer-text', 'Enter');
    await chip('Something else').waitFor();
    writeFileSync(file, original);
    await banner.waitFor({ state: 'hidden' });
  }, SLOW);

  it('goes on showing the chat in a tab left open while the server restarts', async () => {
    await startFlow('it-helpdesk');
    await botSays('What do you need?');
    await chip('Something else').waitFor();
    await server.stop();
    await server.start();
    await chip('Something else').click();
    await botSays('Describe the problem in one message.');
    await page.fill('#composer-text', 'The printer jams');
    await page.press('#composer-text', 'Enter');
    await page.locator('#messages .msg.out', { hasText: 'The printer jams' }).waitFor();
  }, SLOW);

  it('starts "Another person…" with a flow that cannot be started: the person writes first', async () => {
    await page.selectOption('#flow-select', 'unstarted');
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Another person…' }).click();
    await page.getByLabel('First name').fill('Zoe');
    await page.getByRole('button', { name: 'Start as this person' }).click();
    await page.locator('#person-dialog').waitFor({ state: 'hidden' });
    expect(await page.locator('#person-summary').textContent()).toContain('Zoe');
    await page.fill('#composer-text', 'hello');
    await page.press('#composer-text', 'Enter');
    // No keyword matches: the bot does what it does for a colleague who writes first (the default flow).
    await botSays('What can I do for you?');
  }, SLOW);

  it('shows the person as typed when the dialog opens again, so that an empty field stays empty', async () => {
    await page.selectOption('#flow-select', 'main-menu');
    await page.getByRole('button', { name: 'Another person…' }).click();
    await page.getByLabel('First name').fill('');
    await page.getByLabel('Full name').fill('Ana Lopez');
    await page.getByRole('button', { name: 'Start as this person' }).click();
    await page.locator('#person-dialog').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Another person…' }).click();
    expect(await page.getByLabel('Full name').inputValue()).toBe('Ana Lopez');
    expect(await page.getByLabel('First name').inputValue()).toBe('');
    expect(await page.getByLabel('Last name').inputValue()).toBe('');
    await page.getByLabel('Full name').fill('Bob Smith');
    await page.getByRole('button', { name: 'Start as this person' }).click();
    await botSays('Bob');
    expect(pageErrors).toEqual([]);
  }, SLOW);
});

describe('the studio in a narrow window', () => {
  it('puts the diagram and the panels below the chat, at their full height, on a page that scrolls', async () => {
    const narrow = await openStudio(browser, server.url, { width: 700, height: 900 }, pageErrors);
    try {
      await narrow.locator('#diagram svg').waitFor();
      const boxes = await narrow.evaluate(() => {
        const box = (id: string) => document.getElementById(id)!.getBoundingClientRect();
        const inspector = document.querySelector('.inspector')!.getBoundingClientRect();
        return { chatBottom: box('messages').bottom, inspectorTop: inspector.top, inspectorHeight: inspector.height, diagramHeight: box('diagram').height, pageHeight: document.documentElement.scrollHeight, pageWidth: document.documentElement.scrollWidth };
      });
      // Nothing wider than the window: a wide diagram scrolls inside its panel.
      expect(boxes.pageWidth).toBeLessThanOrEqual(700);
      expect(boxes.inspectorTop).toBeGreaterThanOrEqual(boxes.chatBottom);
      expect(boxes.diagramHeight).toBeGreaterThan(200);
      expect(boxes.pageHeight).toBeGreaterThan(900);
    } finally {
      await narrow.close();
    }
  }, SLOW);
});
