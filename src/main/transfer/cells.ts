// Spreadsheet formula neutralisation: the one rule every writer applies to every cell it writes
// and every reader takes off again.
//
// A cell a spreadsheet would run as a formula starts with = + - @ tab or CR. Such a cell gets a
// leading apostrophe, unless it is a plain number (`-1`, `+5`, `-2.5`: a spreadsheet reads those
// as numbers, nothing runs). A cell that already starts with apostrophes before such a character
// gets one more, so that taking one off on import gives back exactly what was written.
const FORMULA = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

export function neutralise(s: string): string {
  return FORMULA.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** The inverse of neutralise: one leading apostrophe before a formula character comes off. */
export function unneutralise(s: string): string {
  return NEUTRALISED.test(s) ? s.slice(1) : s;
}
