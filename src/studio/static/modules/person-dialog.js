// "Another person…": a dialog with the profile fields a flow can read (user.*). Submitting
// resolves with the profile; Cancel or Escape resolves with undefined.

const LOCALES = { en: 'en_US', fr: 'fr_FR', de: 'de_DE', es: 'es_ES', it: 'it_IT', pt: 'pt_BR', nl: 'nl_NL', ja: 'ja_JP', zh: 'zh_CN' };
const FIELDS = ['name', 'first_name', 'last_name', 'email', 'title', 'department', 'locale'];

/** A locale for a language code: `fr` -> `fr_FR`. */
export function localeFor(language) {
  return LOCALES[language] ?? `${language}_${language.toUpperCase()}`;
}

export class PersonDialog {
  /** @param {HTMLDialogElement} dialog */
  constructor(dialog) {
    this.dialog = dialog;
    this.form = dialog.querySelector('form');
    this.error = dialog.querySelector('#person-error');
    this.resolve = undefined;
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(this.form);
      const profile = {};
      for (const f of FIELDS) {
        const v = String(data.get(f) ?? '').trim();
        if (v !== '') profile[f] = v;
      }
      this.finish(profile);
    });
    dialog.querySelector('#person-cancel').addEventListener('click', () => this.finish(undefined));
    dialog.addEventListener('close', () => this.finish(undefined));
  }

  /** Fills the language list from the bot's languages. */
  setLanguages(languages, defaultLanguage) {
    const select = this.form.elements.namedItem('locale');
    const keep = select.value;
    const options = [new Option('(none given by the platform)', '')];
    for (const lang of languages) options.push(new Option(`${lang}${lang === defaultLanguage ? ' (default)' : ''} — ${localeFor(lang)}`, localeFor(lang)));
    select.replaceChildren(...options);
    select.value = keep;
  }

  /** Opens the dialog with `profile` filled in (and `error` shown); resolves with the new profile or undefined. */
  ask(profile = {}, error = '') {
    for (const f of FIELDS) {
      const input = this.form.elements.namedItem(f);
      if (input) input.value = profile[f] ?? '';
    }
    this.showError(error);
    this.dialog.showModal();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  showError(text) {
    this.error.textContent = text;
  }

  finish(value) {
    const resolve = this.resolve;
    this.resolve = undefined;
    if (this.dialog.open) this.dialog.close();
    resolve?.(value);
  }
}
