/**
 * Which subjects of a stream hold a target's dead letters, from its subject
 * template (`dead.{type}`, `{{` and `}}` for literal braces): the subject
 * itself when it has no attribute, else the literal tokens before the first
 * attribute followed by `>`, narrowed by matching the whole template (an
 * attribute's value may hold dots, so it spans any number of tokens).
 */

type Part = { readonly literal: string } | { readonly attribute: true };

export interface DeadLetterSubjects {
  /** What the server filters by (`next_by_subj`): a subject or a wildcard over the template's literal head. */
  readonly filter: string;
  /** Whether a stored message's subject is one the template expands to. */
  matches(subject: string): boolean;
}

function partsOf(template: string): Part[] {
  const parts: Part[] = [];
  let literal = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if ((c === "{" || c === "}") && template[i + 1] === c) {
      literal += c;
      i++;
    } else if (c === "{") {
      const end = template.indexOf("}", i);
      // The config loader refused malformed templates: take the rest as literal.
      if (end === -1) {
        literal += template.slice(i);
        break;
      }
      if (literal !== "") parts.push({ literal });
      literal = "";
      parts.push({ attribute: true });
      i = end;
    } else {
      literal += c;
    }
  }
  if (literal !== "") parts.push({ literal });
  return parts;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function deadLetterSubjects(template: string): DeadLetterSubjects {
  const parts = partsOf(template);
  const firstAttribute = parts.findIndex((p) => "attribute" in p);
  if (firstAttribute === -1) {
    const subject = parts.map((p) => ("literal" in p ? p.literal : "")).join("");
    return { filter: subject, matches: (s) => s === subject };
  }
  const head = parts
    .slice(0, firstAttribute)
    .map((p) => ("literal" in p ? p.literal : ""))
    .join("");
  // Only whole tokens before the attribute are fixed: `dead.x{type}` fixes `dead` alone.
  const fixed = head.split(".").slice(0, -1);
  const filter = [...fixed, ">"].join(".");
  const pattern = new RegExp(
    `^${parts.map((p) => ("literal" in p ? escapeRegExp(p.literal) : "[^\\s*>]+")).join("")}$`,
  );
  return { filter, matches: (s) => pattern.test(s) };
}
