// The studio page: wires the chat, the diagram and the panels to the studio API. A "person"
// is a studio user id with a profile; Start, Restart and "Another person" each begin a new
// person (a new conversation), exactly as a colleague writing for the first time.
import { getJson, openEvents, postJson } from './modules/api.js';
import { ChatView } from './modules/chat-view.js';
import { DiagramView } from './modules/diagram-view.js';
import { renderDiagnostics, renderPerson, renderVars, renderWhere } from './modules/panels.js';
import { PersonDialog } from './modules/person-dialog.js';

const $ = (id) => document.getElementById(id);
const SAVED = 'flowstate.studio';

const ui = {
  flowForm: $('flow-form'),
  flowSelect: $('flow-select'),
  restart: $('restart-button'),
  personButton: $('person-button'),
  person: $('person-summary'),
  problems: $('problems'),
  status: $('status'),
  where: $('where'),
  vars: $('vars'),
  warningsPanel: $('warnings-panel'),
  warnings: $('warnings'),
  composer: $('composer'),
  input: $('composer-text'),
};

const session = { user: undefined, profile: {}, flows: [], stopEvents: undefined, generation: 0 };
const chat = new ChatView({ list: $('messages'), chips: $('quick-replies'), input: ui.input, onTap: (event) => send(event) });
const diagram = new DiagramView($('diagram'));
const dialog = new PersonDialog($('person-dialog'));

function say(text) {
  ui.status.textContent = text;
}

function save() {
  sessionStorage.setItem(SAVED, JSON.stringify({ user: session.user, profile: session.profile, flow: ui.flowSelect.value }));
}

function saved() {
  try {
    return JSON.parse(sessionStorage.getItem(SAVED) ?? '{}');
  } catch {
    return {};
  }
}

async function loadFlows() {
  const info = await getJson('/studio/api/flows');
  session.flows = info.flows;
  session.generation = info.generation;
  const keep = ui.flowSelect.value || saved().flow || info.defaultFlow;
  ui.flowSelect.replaceChildren(...info.flows.map((f) => new Option(`${f.title} (${f.id})`, f.id)));
  ui.flowSelect.value = info.flows.some((f) => f.id === keep) ? keep : (info.flows[0]?.id ?? '');
  dialog.setLanguages(info.languages, info.defaultLanguage);
  $('person-warning').hidden = info.profilesApplied;
  updateStartButton();
  return info;
}

function updateStartButton() {
  const flow = session.flows.find((f) => f.id === ui.flowSelect.value);
  const start = $('start-button');
  start.disabled = !flow || !flow.start.ok;
  start.title = flow ? (flow.start.ok ? `Starts a new conversation by ${flow.start.how}` : flow.start.reason) : '';
}

async function loadDiagnostics() {
  renderDiagnostics(ui.problems, ui.warningsPanel, ui.warnings, await getJson('/studio/api/diagnostics'));
}

async function refreshState() {
  const q = new URLSearchParams({ flow: ui.flowSelect.value });
  if (session.user) q.set('user', session.user);
  const view = await getJson(`/studio/api/state?${q}`);
  renderWhere(ui.where, view.conversation, view.diagram);
  renderVars(ui.vars, view.conversation.vars);
  if (view.profile) renderPerson(ui.person, view.profile);
  if (view.diagram) await diagram.show(view.diagram);
}

function follow(user, profile) {
  session.stopEvents?.();
  session.user = user;
  session.profile = profile ?? {};
  save();
  chat.clear();
  renderPerson(ui.person, { id: user, ...session.profile });
  session.stopEvents = openEvents(user, {
    onEntry: (entry) => chat.add(entry),
    onChanged: () => refreshState().catch(showError),
    onReload: (info) => onReload(info).catch(showError),
  });
  return refreshState();
}

async function onReload(info) {
  await Promise.all([loadFlows(), loadDiagnostics()]);
  await refreshState();
  say(info.ok ? `Reloaded: your edit is live (version ${info.generation}).` : `Your edit has ${info.errors} error(s): the last good version keeps running.`);
}

function showError(err) {
  say(`Something went wrong: ${err.message}`);
}

async function start(profile = session.profile) {
  const flow = ui.flowSelect.value;
  const out = await postJson('/studio/api/start', { flow, profile });
  // The profile as typed (the server fills first_name from name and the like): the dialog
  // shows it again as it was, and an empty field stays empty.
  await follow(out.user, profile);
  say(`Started “${flow}” by ${out.how}.`);
  ui.input.focus();
}

/** A new person without starting a flow (when the picked flow cannot be started): they write first. */
async function newPerson(profile) {
  const out = await postJson('/studio/api/person', { profile });
  await follow(out.user, profile);
  say('A new person: write something, as a colleague would.');
  ui.input.focus();
}

async function send(event) {
  if (!session.user) return;
  if (event.kind === 'quick_reply') chat.setQuickReplies([]);
  try {
    await postJson('/studio/api/send', { user: session.user, event });
    say('');
  } catch (err) {
    showError(err);
  }
}

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = ui.input.value.trim();
  if (text === '') return;
  ui.input.value = '';
  send({ kind: 'text', text });
});

ui.flowForm.addEventListener('submit', (e) => {
  e.preventDefault();
  start().catch(showError);
});
ui.flowSelect.addEventListener('change', () => {
  updateStartButton();
  save();
  refreshState().catch(showError);
});
ui.restart.addEventListener('click', () => start().catch(showError));
ui.personButton.addEventListener('click', async () => {
  let profile = session.profile;
  let error = '';
  for (;;) {
    profile = await dialog.ask(profile, error);
    if (profile === undefined) return;
    try {
      const flow = session.flows.find((f) => f.id === ui.flowSelect.value);
      if (flow && flow.start.ok) await start(profile);
      else await newPerson(profile);
      return;
    } catch (err) {
      error = err.message; // shown in the dialog, which opens again with what was typed
    }
  }
});

async function main() {
  await Promise.all([loadFlows(), loadDiagnostics()]);
  const { user, profile } = saved();
  if (user) {
    await follow(user, profile);
  } else {
    const out = await postJson('/studio/api/person', { profile: {} });
    await follow(out.user, {});
  }
  document.body.dataset.ready = 'true';
}

main().catch(showError);
