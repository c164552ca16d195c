/**
 * What `llmgw init` writes. The files live in the package's `templates/` folder, found relative
 * to this module (it sits at the same depth in `src/` and `dist/`), never the working folder.
 */
import { fileURLToPath } from 'node:url';

export type CiSystem = 'github' | 'gitlab';

export interface TemplateFile {
  /** Path under `templates/`. */
  template: string;
  /** Path under the project folder. */
  target: string;
}

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates/', import.meta.url));
export const GITIGNORE_TEMPLATE = 'gitignore';
export const MANIFEST_TEMPLATE = 'llmgw.routes.json';

const STARTER: TemplateFile[] = [
  { template: MANIFEST_TEMPLATE, target: 'llmgw.routes.json' },
  { template: 'datasets/sample.jsonl', target: 'datasets/sample.jsonl' },
];

const CI: Record<CiSystem, TemplateFile[]> = {
  github: [
    { template: 'ci/github/llmgw-validate.yml', target: '.github/workflows/llmgw-validate.yml' },
    { template: 'ci/github/llmgw-tune.yml', target: '.github/workflows/llmgw-tune.yml' },
  ],
  gitlab: [{ template: 'ci/gitlab/gitlab-ci.yml', target: '.gitlab-ci.yml' }],
};

export function templateFiles(ci: CiSystem | undefined): TemplateFile[] {
  return [...STARTER, ...(ci ? CI[ci] : [])];
}

/**
 * Replaces `{{llmgw.name}}` placeholders (the CI templates pin the llmgw version that wrote them);
 * the prefix keeps them apart from GitHub's own `${{ … }}` expressions.
 */
export function fillTemplate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{llmgw\.(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

export interface GitignoreChange {
  /** The new file content, or undefined when nothing needs adding. */
  text: string | undefined;
  added: string[];
}

/**
 * Adds the template's entries a `.gitignore` lacks, keeping everything already there. An entry
 * counts as present with or without its leading or trailing slash.
 */
export function updateGitignore(existing: string | undefined, template: string): GitignoreChange {
  const norm = (line: string) => line.trim().replace(/^\/+|\/+$/g, '');
  const have = new Set((existing ?? '').split(/\r?\n/).map(norm));
  const entries = template.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const added = entries.filter((e) => !have.has(norm(e)));
  if (added.length === 0) return { text: undefined, added };
  if (existing === undefined || existing.trim() === '') return { text: template, added };
  const sep = existing.endsWith('\n') ? '\n' : '\n\n';
  return { text: `${existing}${sep}${template}`, added };
}
