/**
 * The default `retry` message of each input type, in English and French (other languages
 * fall back to the bot's default language when it is one of these, else English). The
 * limits of the `ask` (`min`, `max`, `min_length`, `max_length`) are part of the message.
 */
import type { CompiledAsk } from '../compile/types.js';
import { isMonthFirst } from './input.js';

type Lang = 'en' | 'fr';

function between(lang: Lang, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return lang === 'fr' ? ` entre ${min} et ${max}` : ` between ${min} and ${max}`;
  if (min !== undefined) return lang === 'fr' ? ` d'au moins ${min}` : ` of at least ${min}`;
  if (max !== undefined) return lang === 'fr' ? ` d'au plus ${max}` : ` of at most ${max}`;
  return '';
}

function message(lang: Lang, ask: CompiledAsk, locale: string | undefined): string {
  const fr = lang === 'fr';
  switch (ask.type) {
    case 'number':
      return fr ? `Merci d'écrire un nombre${between(lang, ask.min, ask.max)}, par exemple 12 ou 1,5.` : `Please write a number${between(lang, ask.min, ask.max)}, for example 12 or 1.5.`;
    case 'integer':
      return fr ? `Merci d'écrire un nombre entier${between(lang, ask.min, ask.max)}, par exemple 12.` : `Please write a whole number${between(lang, ask.min, ask.max)}, for example 12.`;
    case 'email':
      return fr ? "Merci d'écrire une adresse e-mail, par exemple prenom.nom@exemple.com." : 'Please write an email address, for example name@example.com.';
    case 'phone':
      return fr ? "Merci d'écrire un numéro de téléphone, par exemple +33 6 12 34 56 78." : 'Please write a phone number, for example +1 555 123 4567.';
    case 'url':
      return fr ? "Merci d'écrire une adresse web, par exemple https://exemple.com." : 'Please write a web address, for example https://example.com.';
    case 'date':
      // The example is written the way the person's dates are read (month first in the US).
      if (isMonthFirst(locale)) return fr ? "Merci d'écrire une date, par exemple 12/31/2026 ou 2026-12-31." : 'Please write a date, for example 12/31/2026 or 2026-12-31.';
      return fr ? "Merci d'écrire une date, par exemple 31/12/2026 ou 2026-12-31." : 'Please write a date, for example 31/12/2026 or 2026-12-31.';
    case 'yes_no':
      return fr ? 'Merci de répondre par oui ou par non.' : 'Please answer yes or no.';
    case 'pattern':
      return fr ? "Ce format n'est pas celui attendu. Merci de réessayer." : "That is not in the expected format. Please try again.";
    case 'text':
    default: {
      const { minLength: min, maxLength: max } = ask;
      if (min !== undefined && max !== undefined) return fr ? `Merci d'écrire entre ${min} et ${max} caractères.` : `Please write between ${min} and ${max} characters.`;
      if (min !== undefined) return fr ? `Pourriez-vous en dire un peu plus ? Au moins ${min} caractères, s'il vous plaît.` : `Could you say a bit more? At least ${min} characters, please.`;
      if (max !== undefined) return fr ? `C'est un peu long : ${max} caractères au plus, s'il vous plaît.` : `That is a bit long: at most ${max} characters, please.`;
      return fr ? "Merci d'écrire votre réponse en texte." : 'Please type your answer as text.';
    }
  }
}

/**
 * The default retry message for `ask` in `language` (else `defaultLanguage`, else English);
 * `locale` is the person's (their profile's), which decides how a date's example is written.
 */
export function defaultRetry(ask: CompiledAsk, language: string, defaultLanguage: string, locale?: string): string {
  const lang: Lang = language === 'fr' || language === 'en' ? language : defaultLanguage === 'fr' ? 'fr' : 'en';
  return message(lang, ask, locale);
}
