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
