import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

describe('CSV (RFC 4180)', () => {
  it('quotes only cells with a comma, a quote or a line break, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(0)).toBe('0');
  });

  it('writes a non-finite number (a row stored before they were refused) as empty, as the JSON export writes null', () => {
    expect([csvCell(Infinity), csvCell(-Infinity), csvCell(Number.NaN)]).toEqual(['', '', '']);
    expect(JSON.stringify({ v: Infinity })).toBe('{"v":null}');
  });

  it('defuses text that a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell('fe-1')).toBe('fe-1');
  });

  it('writes a header row and CRLF line ends', () => {
    expect(toCsv(['a', 'b'], [[1, null], ['x,y', 2]])).toBe('a,b\r\n1,\r\n"x,y",2\r\n');
    expect(toCsv(['only'], [])).toBe('only\r\n');
  });
});
