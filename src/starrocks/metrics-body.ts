/**
 * The gate between a `/metrics` answer and the Prometheus parser: a body that is clearly not
 * Prometheus text is refused here, so the parser — which never throws and reads what it can —
 * does not turn an error page into a snapshot with no samples. Anything that is text with a
 * sample line passes unchanged (CRLF, duplicates, odd layouts and lines holding control
 * characters are the parser's business: it drops such a line, as Prometheus does, and keeps
 * the rest). Reasons describe the body, never repeat it.
 */
import { bodyShape, ScrapeError } from './errors.js';

/**
 * A line that looks like a sample: `name[{…}] value`, the value a float, `NaN` or `±Inf`
 * (which is what keeps a prose line such as "Service Unavailable" from passing).
 */
const SAMPLE_LINE = /^[a-z_:][a-z0-9_:]*(?:\{[^\n]*\})?[ \t]+[-+]?(?:\d|\.\d|inf|nan)/im;
/** Prometheus itself refuses a scrape with invalid UTF-8, so a lenient decode would only hide it. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes decoded, or text searched for a sample line, between two turns of the event loop: a
 * body of tens of MB takes hundreds of ms to decode, which must not freeze the service. A
 * real FE's body (tens of KB) is decoded at once.
 */
const SLICE_BYTES = 1024 * 1024;

/** The body as text, or a `malformed` ScrapeError saying why it is not Prometheus text. */
export async function prometheusTextOf(body: Buffer, source: string): Promise<string> {
  if (body.length === 0) {
    throw new ScrapeError('malformed', source, 'the body is empty (an FE still starting answers 200 with no metrics yet)');
  }
  let text: string;
  try {
    text = body.length <= SLICE_BYTES ? utf8.decode(body) : await decodeInSlices(body);
  } catch (error) {
    throw new ScrapeError('malformed', source, 'the body is binary, not Prometheus text (it is not valid UTF-8)', { cause: error });
  }
  if (text.trimStart().startsWith('<')) {
    throw new ScrapeError('malformed', source, `the body is HTML or XML, not Prometheus text (${bodyShape(text.slice(0, 60), body.length)})`);
  }
  // A real body has its first sample within a few KB; searching all of a hostile one would hold the loop.
  if (!SAMPLE_LINE.test(text.slice(0, SLICE_BYTES))) {
    throw new ScrapeError('malformed', source, `the body is not Prometheus text: no line in its first MiB looks like a sample (${bodyShape(text.slice(0, 60), body.length)})`);
  }
  return text;
}

async function decodeInSlices(body: Buffer): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  for (let at = 0; at < body.length; at += SLICE_BYTES) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    parts.push(decoder.decode(body.subarray(at, at + SLICE_BYTES), { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}
