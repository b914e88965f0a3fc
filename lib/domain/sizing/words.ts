// Counts in words, singular or plural as the number asks: "1 replica", "3 replicas".

export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
