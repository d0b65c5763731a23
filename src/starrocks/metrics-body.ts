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

/** The body as text, or a `malformed` ScrapeError saying why it is not Prometheus text. */
export function prometheusTextOf(body: Buffer, source: string): string {
  if (body.length === 0) {
    throw new ScrapeError('malformed', source, 'the body is empty (an FE still starting answers 200 with no metrics yet)');
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch (error) {
    throw new ScrapeError('malformed', source, 'the body is binary, not Prometheus text (it is not valid UTF-8)', { cause: error });
  }
  if (text.trimStart().startsWith('<')) {
    throw new ScrapeError('malformed', source, `the body is HTML or XML, not Prometheus text (${bodyShape(text.slice(0, 60), body.length)})`);
  }
  if (!SAMPLE_LINE.test(text)) {
    throw new ScrapeError('malformed', source, `the body is not Prometheus text: no line looks like a sample (${bodyShape(text.slice(0, 60), body.length)})`);
  }
  return text;
}
