// The side panels: where the conversation is, its variables, the diagnostics of the last
// edit (a banner when the flows have errors, a panel for warnings), and who you are.

import { el } from './dom.js';

const WAITING = {
  nothing: 'nothing',
  choice: 'a tap on one of the choices',
  answer: 'an answer',
  choice_or_answer: 'a tap or an answer',
  call_result: 'the answer of a web service',
};

/** "In flow X, state Y, waiting for ..." */
export function renderWhere(node, conversation, diagram) {
  const parts = [];
  if (conversation.status === 'active') {
    parts.push('In state ', el('strong', { text: conversation.state }), ` of “${conversation.flowId}”, waiting for ${WAITING[conversation.waitingFor] ?? conversation.waitingFor}.`);
    if (conversation.attempts > 0) parts.push(` ${conversation.attempts} invalid answer(s) so far.`);
    if (conversation.flowChanged) parts.push(' The flow was edited since: the next message follows the flow-change rules.');
  } else if (conversation.status === 'ended') {
    parts.push(`The conversation ended${conversation.lastState ? ' in ' : ''}`, conversation.lastState ? el('strong', { text: conversation.lastState }) : '', '. Write anything to start again, or press Restart.');
  } else {
    parts.push(`No conversation yet. Press Start to begin “${diagram?.title ?? 'the flow'}”, or write something as a colleague would.`);
  }
  node.replaceChildren(...parts);
}

/** The conversation's variables as name = JSON value. */
export function renderVars(node, vars) {
  const names = Object.keys(vars ?? {}).sort();
  if (names.length === 0) {
    node.replaceChildren(el('dd', { class: 'empty', text: 'No variables yet.' }));
    return;
  }
  node.replaceChildren(...names.flatMap((n) => [el('dt', { text: n }), el('dd', { text: JSON.stringify(vars[n], null, 1) })]));
}

function diagnosticItem(d) {
  const children = [
    el('code', { class: 'where', text: `${d.file}:${d.line}:${d.column}` }),
    ` ${d.severity} `,
    el('span', { class: 'rule', text: d.rule }),
    ' ',
    el('span', { class: 'message', text: d.message }),
  ];
  if (d.source !== undefined) children.push(el('pre', { text: `${String(d.line).padStart(4)} | ${d.source}` }));
  return el('li', {}, children);
}

/** The errors banner (hidden when the last load was good) and the warnings panel. */
export function renderDiagnostics(banner, warningsPanel, warningsList, load) {
  const errors = load.diagnostics.filter((d) => d.severity === 'error');
  const warnings = load.diagnostics.filter((d) => d.severity === 'warning');
  if (load.ok) banner.replaceChildren();
  else {
    banner.replaceChildren(
      el('h2', { text: `The flows have ${errors.length} error${errors.length === 1 ? '' : 's'} after your last edit` }),
      el('p', { text: 'The last good version keeps running, so you can go on chatting. Fix these and save the file: the studio reloads it by itself.' }),
      el('ul', { class: 'diagnostics' }, errors.map(diagnosticItem)),
    );
  }
  banner.hidden = load.ok;
  warningsList.replaceChildren(...warnings.map(diagnosticItem));
  warningsPanel.hidden = warnings.length === 0;
}

/** "You are Ana Lopez (fr_FR)". */
export function renderPerson(node, profile) {
  if (!profile) {
    node.textContent = '';
    return;
  }
  const name = profile.name ?? [profile.first_name, profile.last_name].filter(Boolean).join(' ');
  node.textContent = `You are ${name || 'a person without a name'}${profile.locale ? ` (${profile.locale})` : ''} · ${profile.id}`;
}
