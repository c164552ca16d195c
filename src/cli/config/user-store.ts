/**
 * The user config: one JSON file in the OS config folder (`~/.config/llmgw/config.json` on
 * Linux), kept through `conf`. `LLMGW_CONFIG_DIR` moves it (tests, CI, several profiles). The file
 * is always restricted to its owner (0600): it may hold an API key.
 */
import { chmodSync, existsSync } from 'node:fs';
import Conf from 'conf';
import { ConfigError } from '../../core/errors.js';
import type { Io } from '../io.js';

export const CONFIG_DIR_ENV = 'LLMGW_CONFIG_DIR';
const OWNER_ONLY = 0o600;

/** File-system failures that mean "the config folder cannot be created or read", not a bug. */
const UNAVAILABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR']);

export class UserStore {
  private readonly conf: Conf | undefined;
  /** Set when the file exists but is not JSON; then it is reported and never overwritten. */
  private readonly broken: string | undefined;
  /** Set when the folder cannot be created or read (a read-only home in CI): reads see no values. */
  private readonly unavailable: string | undefined;

  constructor(io: Pick<Io, 'env'>) {
    let broken: string | undefined;
    const dir = io.env[CONFIG_DIR_ENV]?.trim();
    try {
      this.conf = new Conf({
        projectName: 'llmgw',
        projectSuffix: '',
        ...(dir ? { cwd: dir } : {}),
        configFileMode: OWNER_ONLY,
        // A hand-edited file with a typo must not be wiped (conf would clear or throw); keep it and report it.
        deserialize: (text: string) => {
          try {
            return JSON.parse(text) as Record<string, unknown>;
          } catch (err) {
            broken = (err as Error).message;
            return {};
          }
        },
      });
    } catch (err) {
      // conf creates its folder as soon as it opens; a provider command must still run without it.
      if (!UNAVAILABLE.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      this.unavailable = (err as Error).message;
    }
    this.broken = broken;
  }

  /** The file's path, or a description of why there is none. */
  get path(): string {
    return this.conf?.path ?? `(unavailable: ${this.unavailable ?? 'unknown'})`;
  }

  get exists(): boolean {
    return this.conf !== undefined && existsSync(this.conf.path);
  }

  /** The whole document as stored (nested objects), for `readConfigDocument`. */
  read(): Record<string, unknown> {
    this.assertReadable();
    return this.conf ? { ...this.conf.store } : {};
  }

  set(key: string, value: string): void {
    const conf = this.writable();
    conf.set(key, value);
    this.restrict(conf);
  }

  /** Removes a key (and a provider section it leaves empty); false when it was not there. */
  unset(key: string): boolean {
    const conf = this.writable();
    if (!conf.has(key)) return false;
    conf.delete(key);
    const section = key.includes('.') ? key.slice(0, key.indexOf('.')) : undefined;
    const rest = section ? conf.get(section) : undefined;
    if (section && rest !== null && typeof rest === 'object' && Object.keys(rest).length === 0) conf.delete(section);
    this.restrict(conf);
    return true;
  }

  /** configFileMode only applies when conf creates the file; an older, looser file is tightened too. */
  private restrict(conf: Conf): void {
    chmodSync(conf.path, OWNER_ONLY);
  }

  private writable(): Conf {
    this.assertReadable();
    if (this.conf) return this.conf;
    throw new ConfigError('user_config_unavailable', `llmgw cannot create or read its user config folder: ${this.unavailable ?? 'unknown error'}.`, {
      hint: `set ${CONFIG_DIR_ENV} to a folder you can write, or use environment variables instead`,
    });
  }

  private assertReadable(): void {
    if (this.broken === undefined) return;
    throw new ConfigError('user_config_invalid', `The user config ${this.path} is not valid JSON (${this.broken}), so llmgw cannot read or change it.`, {
      hint: `fix the file by hand, or delete it and set the values again with \`llmgw config set\``,
    });
  }
}
