import { describe, expect, it } from 'vitest';
import { tsvField } from './tsv.js';

describe('tsvField', () => {
  it('escapes what would end a field or a row, or start an escape, and nothing else', () => {
    expect(tsvField('a\tb\nc\\d\re\0f\bg\fh')).toBe('a\\tb\\nc\\\\d\\re\\0f\\bg\\fh');
    expect(tsvField('plain "json" {é} ✓')).toBe('plain "json" {é} ✓');
  });
});
