/**
 * A bot as loaded from a folder: `bot.yaml` (optional) and the flow files, each kept with
 * its source positions. Loading never throws for a wrong file: problems are diagnostics.
 */
import type { SourceFile } from '../source/source-file.js';
import type { BotFile, BotSettings, Flow } from './model.js';

export interface FlowFile {
  /** The flow id: `id:` when the file sets it, else the file name without extension. */
  id: string;
  path: string;
  source: SourceFile;
  /** The flow when the file is YAML-clean and matches the schema; otherwise undefined. */
  flow?: Flow;
  /**
   * A content hash of the flow (sha256 hex of its canonical JSON), identifying its version.
   * Computed when first read (validation never needs it), then kept: the loaded data is
   * never modified afterwards.
   */
  hash: string;
}

export interface Project {
  /** The folder that holds the flows (and `bot.yaml`). */
  dir: string;
  /** `bot.yaml` when present. */
  botSource?: SourceFile;
  /** `bot.yaml` as written, when present and schema-valid. */
  botFile?: BotFile;
  /** Settings with every default applied (also when `bot.yaml` is absent or broken). */
  settings: BotSettings;
  /** Sorted by path (rules that report on "the first file" rely on it). */
  flows: FlowFile[];
}
