// The studio's calls to the server. Errors come back as Error objects whose message is the
// server's explanation, ready to show.

/** GETs JSON from the studio API. */
export async function getJson(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  return readJson(res);
}

/** POSTs a JSON body to the studio API. */
export async function postJson(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return readJson(res);
}

async function readJson(res) {
  let data;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const why = data && typeof data.error === 'string' ? data.error : data && data.message ? data.message : `the server answered ${res.status}`;
    throw new Error(why);
  }
  return data;
}

/**
 * Opens the event stream of a person: `onEntry(entry)` for each chat line (once each, in
 * order), `onChanged()` when the conversation may have moved, `onReload(info)` after an edit.
 */
export function openEvents(user, handlers) {
  let lastSeq = 0;
  const source = new EventSource(`/studio/api/events?user=${encodeURIComponent(user)}`);
  source.addEventListener('entry', (e) => {
    const entry = JSON.parse(e.data);
    if (entry.seq <= lastSeq) return;
    lastSeq = entry.seq;
    handlers.onEntry(entry);
  });
  source.addEventListener('changed', () => handlers.onChanged());
  source.addEventListener('reload', (e) => handlers.onReload(JSON.parse(e.data)));
  source.addEventListener('open', () => handlers.onOpen?.());
  source.addEventListener('error', () => handlers.onError?.());
  return () => source.close();
}
