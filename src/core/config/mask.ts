/**
 * How a secret is shown: its vendor prefix (`sk-`, `sk-proj-`) and its last four characters, the
 * way provider dashboards show keys. Short values show nothing of themselves at all.
 */
export function maskSecret(value: string): string {
  if (value.length < 16) return '••••';
  const prefix = /^[A-Za-z]{1,4}-(?:[A-Za-z]{1,8}-)?/.exec(value)?.[0] ?? '';
  return `${prefix}…${value.slice(-4)}`;
}
