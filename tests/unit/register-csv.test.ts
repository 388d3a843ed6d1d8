/** The register's CSV cells: RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../electron/core/disclosure/register-csv.js';

describe('register CSV', () => {
  it('quotes a field with a comma, a quote, CR or LF, doubling quotes, and leaves others bare', () => {
    expect(csvCell('Metropolitan Police')).toBe('Metropolitan Police');
    expect(csvCell('Müller, Sons')).toBe('"Müller, Sons"');
    expect(csvCell('the "Quick" one')).toBe('"the ""Quick"" one"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('中文 café')).toBe('中文 café');
  });

  it.each(['=1+1', '+44 20', '-2', '@SUM(A1)', '\tx', '\rx'])('neutralises %j with an apostrophe', (value) => {
    expect(csvCell(value).replace(/^"/, '').startsWith(`'${value[0]}`)).toBe(true);
  });

  it('starts with a UTF-8 byte-order mark and ends every record with CRLF', () => {
    const csv = toCsv([['a', 'b'], ['c, d', 'e']]);
    expect(csv).toBe('\uFEFFa,b\r\n"c, d",e\r\n');
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
