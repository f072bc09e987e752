/** A small bot exercising every rule of message handling. */
export const BOT = `
default_flow: menu
session_timeout: 30m
default_language: en
languages: [en, fr]
messages:
  fallback: { en: "Sorry?", fr: "Pardon ?" }
  stale_choice: Old button.
  cancelled: Cancelled.
  help: Help text.
  gave_up: Giving up.
  error: Oops.
  flow_changed: Flow changed.
get_started: { payload: GET_STARTED, flow: menu }
persistent_menu:
  - { title: Survey, flow: survey }
env_allow: [API]
call_allow: [api.test]
`;

export const MENU = `
title: Menu
triggers: { keywords: [menu, hello] }
states:
  start:
    say: { en: "Hi {{user.first_name}}! Pick one.", fr: "Salut {{user.first_name}} ! Choisissez." }
    quick_replies:
      - title: { en: Survey, fr: Sondage }
        flow: survey
      - title: Ask
        goto: ask_name
      - title: Tea
        payload: TEA
        set: { drink: tea }
        goto: drink
  ask_name:
    say: What is your name?
    ask: { save: name, type: text, min_length: 2, attempts: 2 }
    next: greet
  greet:
    say: "Nice to meet you, {{name}}."
    end: true
  drink:
    say: "One {{drink}}."
    end: true
`;

export const SURVEY = `
title: Survey
triggers: { keywords: [survey, poll], postbacks: [SURVEY] }
vars: { n: 0, origin: survey }
states:
  q1:
    say: How many?
    ask: { save: n, type: number, min: 1, max: 5, on_fail: lost }
    next:
      - if: n >= 3
        goto: many
      - goto: few
  many: { say: "Many ({{n}}).", end: true }
  few: { say: "Few ({{n}}, {{origin}}).", end: true }
  lost: { say: "Never mind.", end: true }
`;

export const FILES = { 'bot.yaml': BOT, 'menu.yaml': MENU, 'survey.yaml': SURVEY };
