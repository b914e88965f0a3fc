// Wording helpers for warnings: ages, counts and lists in plain words.

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** "45 seconds", "12 minutes", "2 hours 5 minutes", "3 days 4 hours". */
export function durationInWords(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return [plural(hours, 'hour'), minutes % 60 ? plural(minutes % 60, 'minute') : '']
      .filter(Boolean)
      .join(' ');
  const days = Math.floor(hours / 24);
  return [plural(days, 'day'), hours % 24 ? plural(hours % 24, 'hour') : '']
    .filter(Boolean)
    .join(' ');
}

/** "a", "a and b", "a, b and c", "a, b, c and 4 more". */
export function listOf(items: readonly string[], max = 5): string {
  const shown =
    items.length > max
      ? [...items.slice(0, max - 1), `${items.length - (max - 1)} more`]
      : [...items];
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}
