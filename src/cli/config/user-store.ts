/**
 * The user config: one JSON file in the OS config folder (`~/.config/llmgw/config.json` on
 * Linux), kept through `conf`. `LLMGW_CONFIG_DIR` moves it (tests, CI, several profiles). The file
 * is always restricted to its owner (0600): it may hold an API key.
 */
import { chmodSync } from 'node:fs';
import Conf from 'conf';
import { ConfigError } from '../../core/errors.js';
import type { Io } from '../io.js';

export const CONFIG_DIR_ENV = 'LLMGW_CONFIG_DIR';
const OWNER_ONLY = 0o600;

export class UserStore {
  private readonly conf: Conf;
  /** Set when the file exists but is not JSON; then it is reported and never overwritten. */
  private readonly broken: string | undefined;

  constructor(io: Pick<Io, 'env'>) {
    let broken: string | undefined;
    const dir = io.env[CONFIG_DIR_ENV]?.trim();
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
    this.broken = broken;
  }

  get path(): string {
    return this.conf.path;
  }

  /** The whole document as stored (nested objects), for `readConfigDocument`. */
  read(): Record<string, unknown> {
    this.assertReadable();
    return { ...this.conf.store };
  }

  set(key: string, value: string): void {
    this.assertReadable();
    this.conf.set(key, value);
    this.restrict();
  }

  /** Removes a key (and a provider section it leaves empty); false when it was not there. */
  unset(key: string): boolean {
    this.assertReadable();
    if (!this.conf.has(key)) return false;
    this.conf.delete(key);
    const section = key.includes('.') ? key.slice(0, key.indexOf('.')) : undefined;
    const rest = section ? this.conf.get(section) : undefined;
    if (section && rest !== null && typeof rest === 'object' && Object.keys(rest).length === 0) this.conf.delete(section);
    this.restrict();
    return true;
  }

  /** configFileMode only applies when conf creates the file; an older, looser file is tightened too. */
  private restrict(): void {
    chmodSync(this.conf.path, OWNER_ONLY);
  }

  private assertReadable(): void {
    if (this.broken === undefined) return;
    throw new ConfigError('user_config_invalid', `The user config ${this.conf.path} is not valid JSON (${this.broken}), so llmgw cannot read or change it.`, {
      hint: `fix the file by hand, or delete it and set the values again with \`llmgw config set\``,
    });
  }
}
