import { describe, expect, it } from 'vitest';
import { parseYfmTable, plain, scanPage } from '../markdown.mjs';

const cells = (text: string) => parseYfmTable(text).map((r: { cells: string[] }) => r.cells);

describe('parseYfmTable', () => {
  it('splits rows and cells', () => {
    expect(cells('#|\n|| **a** | b ||\n|| **c** | d ||\n|#')).toEqual([
      ['**a**', 'b'],
      ['**c**', 'd'],
    ]);
  });

  it('ignores separators inside inline code, fenced code and escapes', () => {
    const t = '#|\n|| **a** | uses `x|y` and \\| a pipe\n\n```\nif (a || b) { c | d }\n```\n||\n|| **b** | two ||\n|#';
    const rows = cells(t);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.[1]).toContain('if (a || b) { c | d }');
    expect(rows[0]?.[1]).toContain('`x|y` and | a pipe');
    expect(rows[1]).toEqual(['**b**', 'two']);
  });

  it('ends a row on `||` written right after a closing fence', () => {
    const t = '#|\n|| **A** | text\n```js\n{ x: 1 }\n``` ||\n|| **B** | b ||\n|#';
    expect(cells(t).map((r: string[]) => r[0])).toEqual(['**A**', '**B**']);
  });

  it('keeps a nested table inside one cell', () => {
    const t = '#|\n|| **a** | #|\n|| x | y ||\n|# ||\n|| **b** | c ||\n|#';
    const rows = cells(t);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.[1]).toContain('|| x | y ||');
  });

  it('keeps a last row whose closing `||` the docs forgot', () => {
    expect(cells('#|\n|| **a** | one ||\n|| **b** | two\n|#')).toEqual([
      ['**a**', 'one'],
      ['**b**', 'two'],
    ]);
  });
});

describe('scanPage', () => {
  it('tags tables and code with the heading above and reads explicit anchors', () => {
    const page = scanPage(
      '# T\n\n## Params\n\n#|\n|| a | b ||\n|#\n\n### Deal Type {#deal}\n\n| N | T |\n|---|---|\n| x | y |\n\n```json\n{"a":1}\n```\n',
    );
    expect(page.tables.map((t: any) => t.heading?.text)).toEqual(['Params', 'Deal Type']);
    expect(page.tables[1]?.heading?.anchor).toBe('deal');
    expect(page.tables[1]?.rows).toEqual([{ cells: ['N', 'T'] }, { cells: ['x', 'y'] }]);
    expect(page.code[0]).toMatchObject({ lang: 'json', text: '{"a":1}' });
  });

  it('does not read headings inside fenced code', () => {
    const page = scanPage('# T\n\n```bash\n# not a heading\n```\n');
    expect(page.headings.map((h: any) => h.text)).toEqual(['T']);
  });
});

describe('plain', () => {
  it('drops marks and keeps link text', () => {
    expect(plain('**Name**\n`type` [see](x.md)')).toBe('Name type see');
  });
});
