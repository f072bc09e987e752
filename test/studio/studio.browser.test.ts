/**
 * The studio in real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) against the real server process in local mode, on a temporary copy of
 * flows/ (the edits below never touch flows/ itself). Leaves test-results/studio.png.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botSays as botSaysOn, chip as chipOn, startFlow as startFlowOn, startStudio, type StudioUnderTest } from './browser.js';

const SLOW = 90_000;

let studio: StudioUnderTest;
let flowsDir: string;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  studio = await startStudio({ name: 'studio-browser', store: () => 'memory:', viewport: { width: 1280, height: 860 } });
  ({ flowsDir, page, errors: pageErrors } = studio);
}, SLOW);

afterAll(async () => {
  await studio?.close();
});

const botSays = (text: string): Promise<void> => botSaysOn(page, text);
const chip = (title: string) => chipOn(page, title);
const startFlow = (id: string): Promise<void> => startFlowOn(page, id);

/** Waits until the diagram highlights `state`, and checks the highlighted node is that state. */
async function highlighted(state: string): Promise<void> {
  await page.waitForFunction((s) => document.querySelector<HTMLElement>('#diagram')?.dataset.highlight === s, state);
  expect((await page.locator('#diagram .node.current').textContent())?.trim()).toBe(state);
}

describe('the studio in a browser', () => {
  it('walks the IT helpdesk flow by chips, typing and buttons, highlighting the current state', async () => {
    await startFlow('it-helpdesk');
    await botSays('What do you need?');
    await highlighted('welcome');
    await chip('Password reset').click();
    await botSays('Did that work?');
    await highlighted('password');
    expect(await chip('Password reset').count()).toBe(0); // chips go once used
    await chip('No, still locked').click();
    await botSays('Describe the problem in one message.');
    await highlighted('describe');
    await page.locator('#vars dt', { hasText: 'priority' }).waitFor();
    expect(await page.locator('#vars dt:has-text("priority") + dd').textContent()).toBe('"high"');

    await page.fill('#composer-text', 'Locked');
    await page.press('#composer-text', 'Enter'); // Enter sends
    await botSays('Could you say a bit more?');
    await page.fill('#composer-text', 'My account is still locked after the reset');
    await page.press('#composer-text', 'Enter');
    await botSays('Shall I open a ticket?');
    await highlighted('confirm');
    const card = page.locator('#messages .card', { hasText: 'Shall I open a ticket?' });
    await card.getByRole('button', { name: 'Cancel' }).click();
    await botSays('OK, no ticket.');
    await page.locator('#where', { hasText: 'The conversation ended' }).waitFor();

    // the button template stays in the history: tapping it again is a stale tap
    await card.getByRole('button', { name: 'Open ticket' }).click();
    await botSays('That button is from an earlier step.');
    expect(await card.getByRole('button').count()).toBe(2);
    expect(await card.getByRole('link', { name: 'Status page' }).getAttribute('href')).toBe('https://status.example.com');
  }, SLOW);

  it('is usable by keyboard: chips are buttons before the message box, and new messages are announced', async () => {
    // Restart ends by focusing the message box; wait for its status line so that focus does
    // not land after ours.
    await page.evaluate(() => { document.getElementById('status')!.textContent = ''; });
    await page.getByRole('button', { name: 'Restart' }).click();
    await page.locator('#status', { hasText: 'Started' }).waitFor();
    await botSays('What do you need?');
    expect(await page.locator('#messages').getAttribute('aria-live')).toBe('polite');
    // The chips arrive with the message: wait for them before moving the focus.
    await page.locator('#quick-replies').getByRole('button', { name: 'Something else' }).waitFor();
    await page.focus('#composer-text');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Something else');
    await page.keyboard.press('Enter');
    await botSays('Describe the problem in one message.');
    await highlighted('describe');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer-text');
  }, SLOW);

  it('starts every example flow from the picker and shows its diagram', async () => {
    const ids = await page.locator('#flow-select option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(ids).toEqual(['it-helpdesk', 'leave-request', 'main-menu', 'onboarding']);
    for (const id of ids) {
      await startFlow(id);
      await page.waitForFunction((f) => document.querySelector<HTMLElement>('#diagram')?.dataset.flow === f && document.querySelector<HTMLElement>('#diagram')?.dataset.highlight !== '', id);
      await page.locator('#messages .msg.in').first().waitFor();
      expect(await page.locator('#diagram .node.current').count()).toBe(1);
    }
    // onboarding (the last one) begins with an image: shown with its address, no internet needed
    const image = page.locator('#messages figure.image img');
    await image.waitFor({ state: 'attached' });
    expect(await image.getAttribute('src')).toBe('https://intranet.example.com/images/welcome-team.png');
    expect(await image.getAttribute('alt')).toBe('An image sent by the bot');
  }, SLOW);

  it('pretends to be another person: the profile and language reach the flow', async () => {
    await page.selectOption('#flow-select', 'main-menu');
    await page.getByRole('button', { name: 'Another person…' }).click();
    await page.getByLabel('First name').fill('Ana');
    await page.getByLabel('Language').selectOption('fr_FR');
    await page.getByRole('button', { name: 'Start as this person' }).click();
    await botSays('Bonjour Ana ! Je suis l\'assistant RH et informatique.');
    await chip('Support informatique').waitFor();
    expect(await page.locator('#person-summary').textContent()).toContain('Ana (fr_FR)');
  }, SLOW);

  it('shows an edit of the flow file without reloading the page, then a broken edit as diagnostics', async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.getByRole('button', { name: 'Another person…' }).click();
    await page.getByLabel('Language').selectOption('');
    await page.getByLabel('First name').fill('');
    await page.getByRole('button', { name: 'Start as this person' }).click();
    await startFlow('it-helpdesk');
    await botSays('What do you need?');

    const file = join(flowsDir, 'it-helpdesk.yaml');
    const original = readFileSync(file, 'utf8');
    const edited = original
      .replace('      - title: Something else\n        goto: describe\n', '      - title: Something else\n        goto: describe\n      - title: Read the FAQ\n        goto: faq\n')
      .replace(/\s*$/, '\n\n  faq:\n    say: "The answers to common questions are at https://faq.example.com."\n    quick_replies:\n      - title: Back\n        goto: welcome\n');
    expect(edited).toContain('goto: faq');
    writeFileSync(file, edited);
    await page.locator('#diagram .node', { hasText: 'faq' }).waitFor();
    await page.locator('#status', { hasText: 'Reloaded: your edit is live' }).waitFor();
    // the conversation goes on with the new version: a restart offers the new choice
    await page.fill('#composer-text', 'restart');
    await page.press('#composer-text', 'Enter');
    await chip('Read the FAQ').click();
    await botSays('The answers to common questions are at https://faq.example.com.');
    await highlighted('faq');

    writeFileSync(file, edited.replace('goto: faq', 'goto: faqq'));
    const banner = page.locator('#problems');
    await banner.waitFor({ state: 'visible' });
    const text = await banner.textContent();
    expect(text).toMatch(/flows\/it-helpdesk\.yaml:\d+:\d+/);
    expect(text).toContain('"faqq"');
    expect(text).toContain('The last good version keeps running');
    // the last good version keeps running
    await page.fill('#composer-text', 'restart');
    await page.press('#composer-text', 'Enter');
    await chip('Read the FAQ').waitFor();
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/studio.png', fullPage: true });

    writeFileSync(file, original);
    await banner.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !document.querySelector('#diagram .node')?.closest('svg')?.textContent?.includes('faq'));
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(pageErrors).toEqual([]);
  }, SLOW);
});
