/**
 * `--html report.html`: the whole report as one self-contained page (inline CSS and SVG, no
 * script, no external resource), readable offline: the figures table, the pairs, three charts and
 * each candidate's worst examples with every candidate's answer side by side.
 */
import type { EvalReport } from '../../../core/eval/report.js';
import { colour, costChart, esc, latencyChart, scoreChart } from './charts.js';
import { comparisonLine } from './render.js';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#111;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f6f6}
.chart{display:block;margin:8px 0;max-width:100%;height:auto}.axis,.tick{stroke:#555}.grid{stroke:#eee}
.tick-label,.axis-title,.point-label{font-size:11px;fill:#444}.label{font-size:12px;fill:#222}
.ci{stroke-width:3;stroke-linecap:round;opacity:.55}.whisker{stroke-width:2}.latency-box{opacity:.6}.median{stroke:#111;stroke-width:2}
.note,.dim{color:#666;font-size:12px}pre{white-space:pre-wrap;margin:0;font:12px/1.4 ui-monospace,monospace;max-height:16em;overflow:auto}
.swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}.bad{color:#b91c1c}`;

const f3 = (x: number | null): string => (x === null ? '–' : x.toFixed(3));
const ms = (x: number | null): string => (x === null ? '–' : String(Math.round(x)));

function figures(r: EvalReport): string {
  const head = '<tr><th>candidate</th><th>score</th><th>95% CI</th><th>n</th><th>p50 ms</th><th>p95 ms</th><th>TTFT p50</th><th>TTFT p95</th><th>tokens in/out (mean)</th><th>$ per 1k requests</th><th>cached</th><th>failed</th></tr>';
  const rows = r.candidates.map((c, i) => {
    const cost = c.cost.per1000RequestsUsd === null ? 'no price' : `$${c.cost.per1000RequestsUsd.toFixed(4)}`;
    return `<tr><td><span class="swatch" style="background:${colour(i)}"></span>${esc(c.name)}<div class="dim">${esc(`${c.provider} · ${c.model}${c.alias ? ` · ${c.alias} (${c.role})` : ''}`)}</div></td><td class="num">${f3(c.score.mean)}</td><td class="num">${f3(c.score.ci95[0])}–${f3(c.score.ci95[1])}</td><td class="num">${c.score.n}</td><td class="num">${ms(c.latencyMs.total.p50)}</td><td class="num">${ms(c.latencyMs.total.p95)}</td><td class="num">${ms(c.latencyMs.ttft.p50)}</td><td class="num">${ms(c.latencyMs.ttft.p95)}</td><td class="num">${c.tokens.meanInput === null ? '–' : Math.round(c.tokens.meanInput)}/${c.tokens.meanOutput === null ? '–' : Math.round(c.tokens.meanOutput)}</td><td class="num">${cost}</td><td class="num">${c.requests.fromCache}</td><td class="num${c.requests.failed ? ' bad' : ''}">${c.requests.failed}</td></tr>`;
  });
  return `<table id="figures">${head}${rows.join('')}</table>`;
}

function worst(r: EvalReport): string {
  const names = r.candidates.map((c) => c.name);
  const sections = r.candidates.map((c) => {
    const ex = r.worst[c.name] ?? [];
    if (ex.length === 0) return `<h3>${esc(c.name)}</h3><p class="dim">No example below a full score.</p>`;
    const head = `<tr><th>line</th><th>prompt</th><th>reference</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr>`;
    const rows = ex.map((e) => `<tr><td class="num">${e.line}</td><td><pre>${esc(e.prompt)}</pre></td><td><pre>${esc(e.reference)}</pre></td>${names.map((n) => {
      const a = e.answers[n];
      return a ? `<td><div class="dim">score ${f3(a.score)}</div><pre>${esc(a.text)}</pre></td>` : '<td class="bad">failed</td>';
    }).join('')}</tr>`);
    return `<h3>${esc(c.name)}</h3><table class="worst">${head}${rows.join('')}</table>`;
  });
  return sections.join('');
}

export function renderHtml(r: EvalReport): string {
  const scorers = r.scorers.map((s) => `<li><b>${esc(s.name)}</b>: measures ${esc(s.measures)}; cannot ${esc(s.cannot)}.</li>`).join('');
  const pairs = r.comparisons.length ? `<ul>${r.comparisons.map((c) => `<li>${esc(comparisonLine(c))}</li>`).join('')}</ul>` : '<p class="dim">One candidate: no pairs.</p>';
  const priced = r.candidates.find((c) => c.cost.priceDate);
  const judge = r.judge ? `<h2>Judge</h2><p>${esc(r.judge.model)}, rubric ${esc(r.judge.rubric)} (${esc(r.judge.scale)}).</p><pre>${esc(r.judge.prompt)}</pre>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>llmgw eval: ${esc(r.data.path)}</title><style>${CSS}</style></head><body>
<h1>llmgw eval: ${esc(r.data.path)}</h1>
<p>${r.data.examples} examples (${esc(r.data.sample)}) · sha256 <code>${esc(r.data.sha256)}</code> · ${esc(r.createdAt)}${r.data.skipped ? ` · <span class="bad">${r.data.skipped} line(s) skipped</span>` : ''}</p>
<h2>Figures</h2>${figures(r)}
<p class="dim">Score: ${esc(r.method.score)}. Intervals: ${esc(r.method.interval)}. ${priced ? `Prices: dated table of ${esc(priced.cost.priceDate ?? '')}, from ${esc([...new Set(r.candidates.map((c) => c.cost.priceSource).filter((s): s is string => s !== null))].join('; '))}.` : ''}</p>
<h2>Pairs on the same examples</h2>${pairs}<p class="dim">${esc(r.method.pairedTest)}. "Better" only when the interval of the difference excludes zero.</p>
<h2>Score with 95% interval</h2>${scoreChart(r.candidates)}
<h2>Cost against score</h2>${costChart(r.candidates)}
<h2>Latency</h2>${latencyChart(r.candidates)}
<h2>Scorers</h2><ul>${scorers}</ul>${judge}
<h2>Worst examples</h2>${worst(r)}
</body></html>
`;
}
