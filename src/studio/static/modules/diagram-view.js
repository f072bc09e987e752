// The flow diagram: Mermaid text from the server (current state already marked with the
// `current` class), rendered by the Mermaid bundle served from node_modules. Renders run one
// at a time; only the latest text asked for is drawn.

let counter = 0;
let initialised = false;

function mermaidLib() {
  const lib = globalThis.mermaid;
  if (!lib) throw new Error('the diagram library (mermaid.min.js) did not load; reload the page');
  if (!initialised) {
    lib.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', flowchart: { useMaxWidth: false, htmlLabels: true } });
    initialised = true;
  }
  return lib;
}

export class DiagramView {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    this.shown = undefined;
    this.wanted = undefined;
    this.busy = false;
  }

  /** Draws `diagram` ({ flowId, title, mermaid, highlight }) unless it is what is shown already. */
  show(diagram) {
    this.wanted = diagram;
    return this.pump();
  }

  async pump() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.wanted && this.wanted.mermaid !== this.shown?.mermaid) {
        const d = this.wanted;
        await this.draw(d);
        this.shown = d;
      }
    } finally {
      this.busy = false;
    }
  }

  async draw(d) {
    try {
      const { svg } = await mermaidLib().render(`flow-diagram-${++counter}`, d.mermaid);
      this.container.innerHTML = svg;
      const figure = this.container.querySelector('svg');
      figure?.setAttribute('role', 'img');
      figure?.setAttribute('aria-label', `Diagram of the flow "${d.title}"${d.highlight ? `; the current state is ${d.highlight}` : ''}.`);
      this.container.dataset.flow = d.flowId;
      this.container.dataset.highlight = d.highlight ?? '';
      const current = this.container.querySelector('.node.current');
      current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    } catch (err) {
      const pre = document.createElement('pre');
      pre.textContent = `The diagram could not be drawn (${err.message}). Its Mermaid text:\n\n${d.mermaid}`;
      this.container.replaceChildren(pre);
    }
  }
}
