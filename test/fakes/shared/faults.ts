/**
 * Fault injection for the fake servers. A test pushes faults; each request takes the first fault
 * whose `match` fits it (after letting `skip` matching requests through), and the fault fires
 * `times` times before it is used up.
 *
 *   fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', times: 2, status: 429, retryAfterMs: 20 })
 *   fake.faults.push({ match: 'GET /v1/fine_tuning/jobs/*', drop: true })
 *   fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', loseResponse: true })
 */

export interface FaultMatchInput {
  method: string;
  path: string;
}

export interface FaultSpec {
  /** `'METHOD /path'` with `*` standing for one path segment (`**` for any rest), a RegExp over `'METHOD /path'`, or a predicate. */
  match: string | RegExp | ((r: FaultMatchInput) => boolean);
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** Matching requests to let through before it starts (default 0). */
  skip?: number;
  /** Answer with this status and an error body instead of handling the request. */
  status?: number;
  /** Error body fields (merged over a default for the status). */
  error?: { message?: string; type?: string; code?: string | null; param?: string | null };
  /** `Retry-After` in seconds. */
  retryAfter?: number;
  /** `retry-after-ms` (the OpenAI SDK reads it before `Retry-After`). */
  retryAfterMs?: number;
  /** Extra response headers, e.g. `{ 'x-should-retry': 'false' }`. */
  headers?: Record<string, string>;
  /** Destroy the connection before handling the request (nothing happens on the server). */
  drop?: boolean;
  /** Handle the request normally, then destroy the connection instead of answering (the effect happened, the answer is lost). */
  loseResponse?: boolean;
  /** Wait this long (real time) before handling; combine with the client's timeout for slow responses. */
  delayMs?: number;
}

interface ActiveFault {
  spec: FaultSpec;
  test: (r: FaultMatchInput) => boolean;
  left: number;
  skip: number;
  fired: number;
}

export class FaultQueue {
  private readonly active: ActiveFault[] = [];

  push(...specs: FaultSpec[]): this {
    for (const spec of specs) this.active.push({ spec, test: matcher(spec.match), left: spec.times ?? 1, skip: spec.skip ?? 0, fired: 0 });
    return this;
  }

  clear(): void {
    this.active.length = 0;
  }

  /** Faults not used up yet. */
  pending(): FaultSpec[] {
    return this.active.filter((f) => f.left > 0).map((f) => f.spec);
  }

  /** The fault for this request, if any; counts it as fired. */
  take(r: FaultMatchInput): FaultSpec | undefined {
    for (const f of this.active) {
      if (f.left <= 0 || !f.test(r)) continue;
      if (f.skip > 0) {
        f.skip--;
        continue;
      }
      f.left--;
      f.fired++;
      return f.spec;
    }
    return undefined;
  }
}

export function describeFault(f: FaultSpec): string {
  if (f.drop) return 'drop';
  if (f.loseResponse) return 'lose_response';
  if (f.status !== undefined) return `status_${f.status}`;
  if (f.delayMs !== undefined) return `delay_${f.delayMs}`;
  return 'noop';
}

function matcher(m: FaultSpec['match']): (r: FaultMatchInput) => boolean {
  if (typeof m === 'function') return m;
  if (m instanceof RegExp) return (r) => m.test(`${r.method} ${r.path}`);
  const [method, path] = m.includes(' ') ? (m.split(/\s+/, 2) as [string, string]) : ['*', m];
  const source = path
    .split('/')
    .map((seg) => (seg === '**' ? '.*' : seg === '*' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const re = new RegExp(`^${source}$`);
  return (r) => (method === '*' || method.toUpperCase() === r.method) && re.test(r.path);
}
