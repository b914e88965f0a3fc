// Shell quoting for the commands we print: every value goes through here.
//
// POSIX single quotes: inside '...' a shell expands nothing, so the only character to
// handle is the quote itself ('\''). We do not use shell-quote's quote(): it picks between
// backslashes, single and double quotes per word, and two of its outputs (`\*` and a
// backtick inside double quotes) are read back differently by its own parse(), which the
// round-trip tests rely on. Single quotes mean the same to sh, bash, zsh and that parser.
const PLAIN_WORD = /^[A-Za-z0-9_./:,@%+-]+$/;

/** One argument, quoted so a POSIX shell reads it back unchanged. */
export function quoteWord(word: string): string {
  // Words made only of characters no shell treats specially stay bare, so
  // `docker/dtr:2.9.1` and `https://ucp.example.com` read as the operator expects.
  if (PLAIN_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A command line: each argument quoted, separated by single spaces. */
export function quoteWords(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}

/**
 * One command over several lines: each part (already quoted) on its own line, the first flush
 * left and the others indented, joined by ` \` continuations. A shell reads it back as the one
 * line `parts.join(' ')`, so what is shown is what runs, and no line runs off its box.
 */
export function continued(parts: readonly string[]): string {
  return parts.map((part, i) => (i === 0 ? part : `  ${part}`)).join(' \\\n');
}

/** What a shell makes of continuation lines: backslash-newline removed (tests and readers). */
export function joinContinuations(text: string): string {
  return text.replace(/\\\n/g, '');
}

/** A wrapped command as one line, the way the shell reads it: continuations joined, spaces folded. */
export function oneLine(text: string | undefined): string {
  return joinContinuations(text ?? '').replace(/ {2,}/g, ' ');
}
