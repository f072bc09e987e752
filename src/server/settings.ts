/**
 * Server settings: read once from the environment (and `.env` when present), validated, then
 * frozen. A bad or missing required setting stops the start with a message that names it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export type Platform = 'workplace' | 'messenger';

export interface Settings {
  port: number;
  host: string;
  flowsDir: string;
  storeUrl: string;
  platform: Platform;
  graphApiUrl: string;
  /** Path segment such as `v25.0`; empty for Workplace's unversioned Graph host. */
  graphApiVersion: string;
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** No ACCESS_TOKEN: the local studio runs and nothing is sent to a platform. */
  localMode: boolean;
  /** The studio outside local mode (protected by STUDIO_TOKEN). */
  studioToken?: string;
  /** Replies per second per page (the platform allows about 300). */
  sendRate: number;
  /** Largest accepted webhook body, in bytes. */
  bodyLimit: number;
  /** People whose events are processed at the same time, per process. */
  workers: number;
  /**
   * Backoff of failed sends (RETRY_BASE_MS, RETRY_MAX_MS, RETRY_ATTEMPTS): attempt n waits a
   * random time up to min(retryMaxMs, retryBaseMs * 2^(n-1)); after retryAttempts failed
   * attempts a reply is dropped. Defaults 1000 ms, 30000 ms, 2900: a reply outlives a Graph
   * outage of about 24 hours (Messenger's standard messaging window), and goes out at most
   * about 30 s after the API is back.
   */
  retryBaseMs: number;
  retryMaxMs: number;
  retryAttempts: number;
  /** Environment variables offered to flows (filtered by bot.yaml's env_allow). */
  env: Record<string, string>;
}

export class SettingsError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`Setting ${variable}: ${reason}`);
    this.name = 'SettingsError';
  }
}

const DEFAULT_GRAPH: Record<Platform, { url: string; version: string }> = {
  workplace: { url: 'https://graph.workplace.com', version: '' },
  messenger: { url: 'https://graph.facebook.com', version: 'v25.0' },
};
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new SettingsError(name, `"${raw}" is not a whole number. Use a number between ${min} and ${max}.`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new SettingsError(name, `${n} is out of range. Use a number between ${min} and ${max}.`);
  return n;
}

/** Loads `.env` from the working folder into `env` (existing variables win). */
export function loadDotEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): void {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return;
  const before = { ...env };
  try {
    process.loadEnvFile(file);
  } catch (err) {
    throw new SettingsError('.env', `the file ${file} could not be read (${(err as Error).message}).`);
  }
  if (env !== process.env) for (const [k, v] of Object.entries(process.env)) if (!(k in before) && v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(before)) if (v !== undefined) env[k] = v;
}

/** Validates the environment into frozen settings; throws SettingsError naming the variable. */
export function loadSettings(env: NodeJS.ProcessEnv): Readonly<Settings> {
  const platformRaw = (env.PLATFORM ?? 'workplace').trim().toLowerCase();
  if (platformRaw !== 'workplace' && platformRaw !== 'messenger') {
    throw new SettingsError('PLATFORM', `"${env.PLATFORM}" is not a platform Flowstate knows. Use "workplace" or "messenger" (Messenger also covers Instagram messaging).`);
  }
  const platform = platformRaw as Platform;
  const graphApiUrl = (env.GRAPH_API_URL ?? DEFAULT_GRAPH[platform].url).trim().replace(/\/+$/, '');
  try {
    const u = new URL(graphApiUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new SettingsError('GRAPH_API_URL', `"${env.GRAPH_API_URL}" is not an http(s) URL. Example: https://graph.facebook.com`);
  }
  const graphApiVersion = (env.GRAPH_API_VERSION ?? DEFAULT_GRAPH[platform].version).trim();
  if (graphApiVersion !== '' && !/^v\d+\.\d+$/.test(graphApiVersion)) {
    throw new SettingsError('GRAPH_API_VERSION', `"${graphApiVersion}" is not a Graph API version. Use a value like v25.0, or leave it empty for Workplace.`);
  }
  const accessToken = env.ACCESS_TOKEN?.trim() || undefined;
  const appSecret = env.APP_SECRET?.trim() || undefined;
  const verifyToken = env.VERIFY_TOKEN?.trim() || undefined;
  if (accessToken && !appSecret) throw new SettingsError('APP_SECRET', 'is required when ACCESS_TOKEN is set: it verifies that webhooks come from the platform. Copy it from the app\'s settings (see docs/connect.md).');
  if (accessToken && !verifyToken) throw new SettingsError('VERIFY_TOKEN', 'is required when ACCESS_TOKEN is set: it answers the platform\'s webhook handshake. Choose any secret string and enter the same one in the webhook settings.');
  const logLevel = (env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!(LEVELS as readonly string[]).includes(logLevel)) throw new SettingsError('LOG_LEVEL', `"${env.LOG_LEVEL}" is not a log level. Use one of: ${LEVELS.join(', ')}.`);
  const host = (env.HOST ?? '127.0.0.1').trim();
  if (!host) throw new SettingsError('HOST', 'is empty. Use an address such as 127.0.0.1 or 0.0.0.0.');
  const storeUrl = (env.STORE_URL ?? 'sqlite:./data/flowstate.db').trim();
  if (!/^(sqlite:.+|memory:|redis:\/\/.+|rediss:\/\/.+)$/.test(storeUrl)) {
    throw new SettingsError('STORE_URL', `"${storeUrl}" is not a store Flowstate knows. Use sqlite:<path> (e.g. sqlite:./data/flowstate.db), redis://host:port/db, or memory: (tests only).`);
  }
  const flowsDir = resolve(env.FLOWS_DIR ?? './flows');
  if (!existsSync(flowsDir)) throw new SettingsError('FLOWS_DIR', `the folder ${flowsDir} does not exist. Point FLOWS_DIR at the folder holding your flows and bot.yaml.`);
  const retryBaseMs = int(env, 'RETRY_BASE_MS', 1000, 1, 3_600_000);
  const retryMaxMs = int(env, 'RETRY_MAX_MS', 30_000, 1, 86_400_000);
  if (retryMaxMs < retryBaseMs) {
    throw new SettingsError('RETRY_MAX_MS', `is below RETRY_BASE_MS (${retryBaseMs}). Use a value of at least ${retryBaseMs}, or lower RETRY_BASE_MS.`);
  }
  const settings: Settings = {
    port: int(env, 'PORT', 3000, 0, 65535),
    host,
    flowsDir,
    storeUrl,
    platform,
    graphApiUrl,
    graphApiVersion,
    accessToken,
    appSecret,
    verifyToken,
    logLevel: logLevel as Settings['logLevel'],
    localMode: !accessToken,
    studioToken: env.STUDIO_TOKEN?.trim() || undefined,
    sendRate: int(env, 'SEND_RATE', 250, 1, 10_000),
    bodyLimit: int(env, 'BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
    workers: int(env, 'WORKERS', 32, 1, 1024),
    retryBaseMs,
    retryMaxMs,
    retryAttempts: int(env, 'RETRY_ATTEMPTS', 2900, 1, 1_000_000),
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
  return Object.freeze(settings);
}
