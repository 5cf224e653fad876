// Response compression with the web-standard CompressionStream, so the server (Node, Deno, Bun)
// and the edge handler (Workers too) share one implementation.

/** Below this, gzip costs more than it saves (chi's Compress default is similar). */
export const GZIP_MIN_BYTES = 1024;

const encoder = new TextEncoder();

export async function gzipBytes(body: string | Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Accept-Encoding names gzip with a non-zero quality. */
export function acceptsGzipHeader(header: string | null | undefined): boolean {
  return (
    header !== undefined &&
    header !== null &&
    /(?:^|,)\s*gzip\s*(?:,|$|;\s*q=(?:1|0?\.\d*[1-9]))/i.test(header)
  );
}
