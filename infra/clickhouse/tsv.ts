// TabSeparated fields for the bodies written with Db.insertFormatted. Only these
// characters are escaped; every other character (or byte) of a String is taken as it is.
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', '\b': '\\b', '\f': '\\f' };
const SPECIAL = /[\\\t\n\r\0\b\f]/;
const SPECIAL_ALL = /[\\\t\n\r\0\b\f]/g;

/** A field escaped for TabSeparated. Most fields need nothing, so they are only tested. */
export function tsvField(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : s;
}
