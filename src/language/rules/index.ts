/**
 * Every semantic rule, in the order they run (house style 3: one list of them all). Each has
 * an entry in the catalogue (`src/diagnostics/codes.ts`) and a section in
 * `docs/diagnostics.md`; `test/diagnostics/catalogue.test.ts` keeps the three in step.
 */
import type { Rule } from './rule.js';
import { unknownState } from './unknown-state.js';
import { unknownFlow } from './unknown-flow.js';
import { missingStartState } from './missing-start-state.js';
import { unreachableState } from './unreachable-state.js';
import { deadEndState } from './dead-end-state.js';
import { loopWithoutWait } from './loop-without-wait.js';
import { unknownMovedTarget } from './unknown-moved-target.js';
import { branchAfterDefault } from './branch-after-default.js';
import { askBadPattern } from './ask-bad-pattern.js';
import { askBadRange } from './ask-bad-range.js';
import { askOptionMismatch } from './ask-option-mismatch.js';
import { titleTooLong } from './title-too-long.js';
import { buttonTextTooLong } from './button-text-too-long.js';
import { textTooLong } from './text-too-long.js';
import { duplicatePayload } from './duplicate-payload.js';
import { duplicateChoiceTitle } from './duplicate-choice-title.js';
import { templateSyntax } from './template-syntax.js';
import { unknownHelper } from './unknown-helper.js';
import { undefinedVariable } from './undefined-variable.js';
import { unknownProfileField } from './unknown-profile-field.js';
import { envNotAllowed } from './env-not-allowed.js';
import { variableMaybeUnset } from './variable-maybe-unset.js';
import { conditionSyntax } from './condition-syntax.js';
import { missingTranslation } from './missing-translation.js';
import { unknownLanguage } from './unknown-language.js';
import { duplicateFlowId } from './duplicate-flow-id.js';
import { flowFileName } from './flow-file-name.js';
import { duplicateKeyword } from './duplicate-keyword.js';
import { unknownBotFlow } from './unknown-bot-flow.js';
import { callHostNotAllowed } from './call-host-not-allowed.js';
import { noDefaultFlow } from './no-default-flow.js';
import { keywordIsCommand } from './keyword-is-command.js';
import { badDuration } from './bad-duration.js';
import { timerExceedsSession } from './timer-exceeds-session.js';

export type { Rule } from './rule.js';

/** The semantic rules, in running order. */
export const RULES: readonly Rule[] = Object.freeze([
  unknownState,
  unknownFlow,
  missingStartState,
  unreachableState,
  deadEndState,
  loopWithoutWait,
  unknownMovedTarget,
  branchAfterDefault,
  askBadPattern,
  askBadRange,
  askOptionMismatch,
  titleTooLong,
  buttonTextTooLong,
  textTooLong,
  duplicatePayload,
  duplicateChoiceTitle,
  templateSyntax,
  unknownHelper,
  undefinedVariable,
  unknownProfileField,
  envNotAllowed,
  variableMaybeUnset,
  conditionSyntax,
  missingTranslation,
  unknownLanguage,
  flowFileName,
  duplicateFlowId,
  duplicateKeyword,
  unknownBotFlow,
  callHostNotAllowed,
  noDefaultFlow,
  keywordIsCommand,
  badDuration,
  timerExceedsSession,
]);
