// The chat pane: renders transcript entries like Workplace Chat / Messenger. Quick replies
// belong to the latest bot message and disappear with the next message; button templates
// stay in the history and can be tapped again (which is how stale taps are tried).

import { el } from './dom.js';

export class ChatView {
  /**
   * @param {{ list: HTMLOListElement, chips: HTMLElement, input: HTMLInputElement, onTap: (event: object) => void }} parts
   */
  constructor(parts) {
    this.list = parts.list;
    this.chips = parts.chips;
    this.input = parts.input;
    this.onTap = parts.onTap;
  }

  /** Empties the pane (another person or a restart). */
  clear() {
    this.list.replaceChildren();
    this.setQuickReplies([]);
  }

  /** Adds one transcript entry at the bottom. */
  add(entry) {
    if (entry.from === 'note') this.append(el('li', { class: 'note', text: entry.text }));
    else if (entry.from === 'person') this.addPerson(entry.event);
    else if (entry.from === 'bot') this.addBot(entry.message);
  }

  addPerson(event) {
    this.setQuickReplies([]);
    if (event.kind === 'postback') {
      this.append(el('li', { class: 'msg out' }, [el('div', { class: 'bubble tap', text: `Tapped “${event.title ?? event.payload}”` })]));
      return;
    }
    const text = event.kind === 'text' ? event.text : (event.title ?? event.payload);
    this.append(el('li', { class: 'msg out' }, [el('div', { class: 'bubble', text })]));
  }

  addBot(message) {
    if (message.kind === 'image') {
      const img = el('img', { src: message.url, alt: 'An image sent by the bot', loading: 'lazy' });
      const caption = el('figcaption', {}, [el('a', { href: message.url, target: '_blank', rel: 'noopener noreferrer', text: message.url })]);
      this.append(el('li', { class: 'msg in' }, [el('figure', { class: 'image' }, [img, caption])]));
    } else if (message.kind === 'buttons') {
      const buttons = message.buttons.map((b) =>
        b.type === 'web_url'
          ? el('a', { href: b.url, target: '_blank', rel: 'noopener noreferrer', text: b.title, title: `Opens ${b.url}` })
          : this.tapButton(b.title, { kind: 'postback', payload: b.payload, title: b.title }),
      );
      this.append(el('li', { class: 'msg in' }, [el('div', { class: 'card', role: 'group', 'aria-label': message.text }, [el('p', { text: message.text }), el('div', { class: 'card-buttons' }, buttons)])]));
    } else {
      this.append(el('li', { class: 'msg in' }, [el('div', { class: 'bubble', text: message.text })]));
    }
    this.setQuickReplies(message.kind === 'image' ? [] : (message.quick_replies ?? []));
  }

  tapButton(title, event) {
    const button = el('button', { type: 'button', text: title });
    button.addEventListener('click', () => this.onTap(event));
    return button;
  }

  /** Shows the quick replies of the latest message (none hides the row). */
  setQuickReplies(replies) {
    const hadFocus = this.chips.contains(document.activeElement);
    this.chips.replaceChildren(...replies.map((q) => this.tapButton(q.title, { kind: 'quick_reply', payload: q.payload, title: q.title })));
    this.chips.hidden = replies.length === 0;
    // The row takes room from the list: keep the newest message in view above it.
    this.list.scrollTop = this.list.scrollHeight;
    if (hadFocus) (this.chips.querySelector('button') ?? this.input).focus();
  }

  append(node) {
    this.list.append(node);
    this.list.scrollTop = this.list.scrollHeight;
  }
}
