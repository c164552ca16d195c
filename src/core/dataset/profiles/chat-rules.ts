/**
 * Per-example chat rules some providers add on top of the base format: which roles they take,
 * where a system message may stand, whether turns must alternate, whether content must be text.
 * Each rule reports with an existing catalogue code and a message naming the provider's rule.
 */
import { makeIssue, type Issue, type Loc } from '../issues.js';
import { isObject } from '../kinds.js';

export interface ChatRules {
  /** The provider's display name, for messages. */
  provider: string;
  /** Roles the provider accepts. */
  roles: readonly string[];
  /** A system message, if any, must be the first message (and so there is at most one). */
  systemFirst?: boolean;
  /** No two messages in a row may have the same role. */
  alternate?: boolean;
  /** `content` must be a string (no content parts, so no images). */
  textOnly?: boolean;
}

/** The issues of one chat example under `rules`; other kinds and malformed examples are left to the base rules. */
export function checkChat(rules: ChatRules, value: unknown, loc: Loc): Issue[] {
  if (!isObject(value) || !Array.isArray(value.messages)) return [];
  const issues: Issue[] = [];
  let previous: string | undefined;
  value.messages.forEach((m: unknown, i: number) => {
    if (!isObject(m) || typeof m.role !== 'string') return;
    const role = m.role;
    const at = `messages[${i}]`;
    if (!rules.roles.includes(role)) {
      issues.push(makeIssue('invalid_role', loc, `${at}.role`, `${rules.provider} does not take "${role}" messages; it accepts ${rules.roles.join(', ')}`, `rewrite or drop the ${role} message (use one of ${rules.roles.join(', ')})`));
    } else if (rules.systemFirst && role === 'system' && i > 0) {
      issues.push(makeIssue('invalid_role', loc, `${at}.role`, `${rules.provider} takes a system message only as the first message; this is message ${i + 1}`, 'merge it into the first system message, or make it a user message'));
    } else if (rules.alternate && role === previous) {
      issues.push(
        makeIssue('invalid_role', loc, `${at}.role`, `${rules.provider} needs the roles to alternate after the optional system message; messages ${i} and ${i + 1} are both "${role}"`, `merge the two ${role} messages into one`),
      );
    }
    if (rules.textOnly && 'content' in m && m.content !== null && typeof m.content !== 'string') {
      issues.push(makeIssue('invalid_content_type', loc, `${at}.content`, `${rules.provider} trains on text: content must be a string, not content parts`, 'join the text parts into one string and drop images'));
    }
    previous = role;
  });
  return issues;
}
