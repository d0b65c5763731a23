/**
 * The parse of a large body in slices (parsePrometheusTextInSlices) and the parse limits: a body
 * at the size limit must not hold the event loop, must read exactly as the one-go parse does,
 * and a body past max_series or max_line_length is refused with the limit named.
 */
import { describe, expect, it } from 'vitest';
import { ParseLimitError, parsePrometheusText, parsePrometheusTextInSlices } from './prometheus-text.js';

/** Seconds of parsing on any machine, so far more than one slice. */
const BODY_LENGTH = 3 * 1024 * 1024;

/** Several slices of text: families split across the body, labelled series, a bad line now and then. */
function largeBody(bodyLength = BODY_LENGTH, prefix = 'starrocks_fe_m'): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < bodyLength; i += 1) {
    const name = `${prefix}${i % 50}`;
    const group = `# HELP ${name} help of ${name}\n# TYPE ${name} gauge\n${name}{copy="${i}",fe="fe-${i % 3}"} ${i}.5\n${i % 1000 === 0 ? 'not a sample line\n' : ''}`;
    lines.push(group);
    length += group.length;
  }
  return lines.join('');
}

const families = (parsed: { families: readonly { name: string; samples: readonly unknown[] }[] }) => parsed.families.map((f) => [f.name, f.samples.length]);

describe('parsePrometheusTextInSlices', () => {
  const body = largeBody();

  it('reads a body of many slices exactly as the one-go parse does', async () => {
    expect(body.length).toBeGreaterThanOrEqual(BODY_LENGTH);
    const whole = parsePrometheusText(body);
    const sliced = await parsePrometheusTextInSlices(body);
    expect(sliced.sampleCount).toBe(whole.sampleCount);
    expect(sliced.skippedLines).toBe(whole.skippedLines);
    expect(families(sliced)).toEqual(families(whole));
    expect(sliced.warnings).toEqual(whole.warnings);
  });

  it('lets the event loop run between slices, so /healthz and other clusters are answered meanwhile', async () => {
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    let ranBeforeTheEnd = false;
    setImmediate(() => (ranBeforeTheEnd = true));
    try {
      await parsePrometheusTextInSlices(body);
      expect(ranBeforeTheEnd).toBe(true);
      expect(turns).toBeGreaterThan(0);
    } finally {
      clearInterval(ticking);
    }
  });

  it('keeps two parses apart when another runs while one waits for its next slice', async () => {
    // Both small enough to share the kept code-unit array: the second overwrites it while the first waits.
    const first = largeBody(1024 * 1024, 'first_');
    const second = largeBody(512 * 1024, 'second_'); // shorter: it fits the first's array
    const expected = families(parsePrometheusText(first));
    const inSlices = parsePrometheusTextInSlices(first);
    const between = await new Promise<ReturnType<typeof parsePrometheusText>>((resolve) => setImmediate(() => resolve(parsePrometheusText(second))));
    expect(families(await inSlices)).toEqual(expected);
    expect(between.families[0]?.name).toBe('second_0');
  });
});

describe('parse limits', () => {
  const limits = { max_series: 3, max_line_length: 40 };

  it('refuse a body with more series than max_series, at the first one past it', () => {
    expect(parsePrometheusText('a 1\nb 2\nc 3\n', limits).sampleCount).toBe(3);
    expect(() => parsePrometheusText('a 1\nb 2\nc 3\nd 4\n', limits)).toThrow(new ParseLimitError('max_series', 'more than 3 series'));
  });

  it('count duplicates and skipped lines out of the series', () => {
    expect(parsePrometheusText('a 1\na 1\nb 2\n!!\nc 3\n', limits).sampleCount).toBe(3);
  });

  it('refuse a body with a line longer than max_line_length, naming the line', () => {
    const error = (() => {
      try {
        parsePrometheusText(`a 1\n# HELP a ${'x'.repeat(40)}\n`, limits);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ParseLimitError);
    expect(error).toMatchObject({ key: 'max_line_length', message: 'line 2 is longer than 40 characters' });
  });

  it('apply in slices as at once', async () => {
    const many = Array.from({ length: 250_000 }, (_, i) => `m${i} 1\n`).join('');
    await expect(parsePrometheusTextInSlices(many, { max_series: 1000, max_line_length: 100 })).rejects.toThrow('more than 1000 series');
  });
});
