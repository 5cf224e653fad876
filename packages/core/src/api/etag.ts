// If-None-Match per RFC 9110 §13.1.2: a comma-separated list of entity tags or `*`, compared
// weakly (W/"x" matches "x"). Flipt's clients send the bare, unquoted ETag Flipt gives them, so
// an unquoted tag is read as if it were quoted. Every conditional endpoint, on the server and at
// the edge, uses this one helper.

/** Whether `header` (the If-None-Match value) matches the current `etag`, so the answer is 304. */
export function ifNoneMatchMatches(header: string | null | undefined, etag: string): boolean {
  if (header === undefined || header === null || etag === '') return false;
  const current = opaqueTag(etag);
  for (const candidate of entityTags(header)) {
    if (candidate === '*' || candidate === current) return true;
  }
  return false;
}

/** The tag without `W/` and quotes: weak comparison looks at nothing else. */
function opaqueTag(tag: string): string {
  const text = tag.trim().replace(/^W\//, '');
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** The opaque tags of a list; a quoted tag may itself contain commas. */
function* entityTags(header: string): Generator<string> {
  let i = 0;
  while (i < header.length) {
    while (i < header.length && (header[i] === ',' || header[i] === ' ' || header[i] === '\t')) i++;
    if (i >= header.length) return;
    if (header.startsWith('W/', i)) i += 2;
    if (header[i] === '"') {
      const end = header.indexOf('"', i + 1);
      if (end === -1) return; // An unterminated tag matches nothing.
      yield header.slice(i + 1, end);
      i = end + 1;
    } else {
      const end = header.indexOf(',', i);
      const stop = end === -1 ? header.length : end;
      const tag = header.slice(i, stop).trim();
      if (tag !== '') yield tag;
      i = stop;
    }
  }
}
