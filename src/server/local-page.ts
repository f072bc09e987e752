/** The plain page served at `/` in local mode: the loaded flows and how to try them. */
export interface FlowSummary {
  id: string;
  title?: string;
  description?: string;
  states: number;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderLocalPage(flows: readonly FlowSummary[]): string {
  const rows = flows
    .map((f) => `<li><strong>${esc(f.title ?? f.id)}</strong> <code>${esc(f.id)}</code> — ${f.states} states${f.description ? `<br><span>${esc(f.description)}</span>` : ''}</li>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flowstate (local mode)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}code{background:#eef;padding:0 .3em}li{margin:.5em 0}</style></head>
<body><h1>Flowstate is running in local mode</h1>
<p>No <code>ACCESS_TOKEN</code> is set, so nothing is sent to a chat platform. Try a flow in the terminal with <code>npx flow chat &lt;flow-id&gt;</code>, or connect the bot with the steps in <code>docs/connect.md</code>.</p>
<h2>Loaded flows (${flows.length})</h2><ul>${rows}</ul></body></html>`;
}
