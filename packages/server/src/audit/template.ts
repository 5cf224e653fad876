// The part of Go's text/template that Flipt's webhook templates use: text, `{{ .Field.Path }}`,
// `{{ toJson .Field.Path }}`, comments and the `{{-`/`-}}` trim markers, over Flipt's event
// fields (`.Type`, `.Action`, `.Metadata.Actor.Email`, `.Payload.Key`...). Anything else (if,
// range, pipes, variables, other functions) is refused when the template is parsed, so a config
// that asks for more than this stops the server at start instead of failing on every event.

type Part = { text: string } | { path: string[]; json: boolean };

export interface Template {
  render(event: unknown): string;
}

export class TemplateError extends Error {}

/** Go field names of Flipt's audit event, and where each may lead. */
const ROOTS = ['Version', 'Type', 'Action', 'Status', 'Timestamp', 'Metadata', 'Payload'];
const ACTOR_FIELDS = ['Authentication', 'IP', 'Email', 'Name', 'Picture'];

function checkPath(path: readonly string[], action: string): void {
  const [root, second, third, ...rest] = path;
  if (root === undefined || root === 'Payload') return;
  const fail = (why: string) => {
    throw new TemplateError(`{{${action}}}: ${why}`);
  };
  if (!ROOTS.includes(root)) fail(`.${root} is not an event field (${ROOTS.map((r) => `.${r}`).join(', ')})`);
  if (root !== 'Metadata') {
    if (second !== undefined) fail(`.${root} has no fields`);
    return;
  }
  if (second !== undefined && second !== 'Actor') fail('.Metadata has one field, .Actor');
  if (third !== undefined && !ACTOR_FIELDS.includes(third))
    fail(`.Metadata.Actor has ${ACTOR_FIELDS.map((f) => `.${f}`).join(', ')}`);
  if (rest.length > 0) fail(`.Metadata.Actor.${third} has no fields`);
}

const FIELD = /^\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?$/;

function parseAction(inner: string): Part | undefined {
  const trimmed = inner.trim();
  if (trimmed.startsWith('/*')) {
    if (!trimmed.endsWith('*/')) throw new TemplateError(`{{${inner}}}: unclosed comment`);
    return undefined;
  }
  const words = trimmed.split(/\s+/);
  const json = words.length === 2 && words[0] === 'toJson';
  const field = json ? words[1]! : words[0]!;
  if ((words.length !== 1 && !json) || !FIELD.test(field)) {
    throw new TemplateError(
      `{{${inner}}}: only {{ .Field }} and {{ toJson .Field }} are supported in webhook templates`,
    );
  }
  const path = field === '.' ? [] : field.slice(1).split('.');
  checkPath(path, inner);
  return { path, json };
}

export function parseTemplate(source: string): Template {
  const parts: Part[] = [];
  let rest = source;
  let trimNext = false;
  for (;;) {
    const open = rest.indexOf('{{');
    let text = open === -1 ? rest : rest.slice(0, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open === -1) {
      parts.push({ text });
      break;
    }
    const close = rest.indexOf('}}', open + 2);
    if (close === -1) throw new TemplateError(`unclosed action: ${rest.slice(open, open + 30)}`);
    let inner = rest.slice(open + 2, close);
    // Go's trim markers need a space beside the dash: `{{- x }}`, `{{ x -}}`.
    if (/^-\s/.test(inner)) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    trimNext = /\s-$/.test(inner);
    if (trimNext) inner = inner.slice(0, -1);
    parts.push({ text });
    const action = parseAction(inner);
    if (action) parts.push(action);
    rest = rest.slice(close + 2);
  }
  return {
    render: (event) => parts.map((part) => ('text' in part ? part.text : show(part, event))).join(''),
  };
}

/** `.Metadata.Actor.IP` → event.metadata.actor.ip: Go's exported names, our JSON names. */
function lookup(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const name of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    const record = node as Record<string, unknown>;
    const lowered = name[0]!.toLowerCase() + name.slice(1);
    node = name in record ? record[name] : lowered in record ? record[lowered] : record[name.toLowerCase()];
  }
  return node;
}

function show(part: { path: string[]; json: boolean }, event: unknown): string {
  const value = lookup(event, part.path);
  if (part.json) return JSON.stringify(value ?? null);
  if (value === undefined || value === null) return '';
  // Go would print maps as map[k:v]; JSON is the only form a receiver can use.
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
