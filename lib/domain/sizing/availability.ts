// Binomial availability of a majority-quorum group: the group is up while at least majority(n) of
// its n members are up, members failing independently with the same per-node availability.
import { majority } from '../quorum';

export const MINUTES_PER_YEAR = 525_600;

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** Per-node unavailability q = 1 − p from a percentage, computed without the 1 − 0.999… cancellation. */
export function nodeUnavailability(availabilityPercent: number): number {
  return (100 - availabilityPercent) / 100;
}

/**
 * P(fewer than majority(n) of n members up) — summed over the failing outcomes directly, so that
 * tiny values (7 nodes at 99.999%) keep their precision instead of vanishing in 1 − A.
 */
export function quorumUnavailability(members: number, availabilityPercent: number): number {
  const q = nodeUnavailability(availabilityPercent);
  const p = 1 - q;
  const need = majority(members);
  let down = 0;
  for (let up = 0; up < need; up++) {
    down += binomial(members, up) * p ** up * q ** (members - up);
  }
  return down;
}

/** Yearly downtime in minutes for a given unavailability: (1 − A) × 525,600. */
export function yearlyDowntimeMinutes(unavailability: number): number {
  return unavailability * MINUTES_PER_YEAR;
}

/** P(every one of k interchangeable members down): a cache region behind a load balancer. */
export function anyUpUnavailability(members: number, availabilityPercent: number): number {
  return nodeUnavailability(availabilityPercent) ** members;
}

/** Two tiers that must both be up (DTR needs UCP for sign-in), failing independently. */
export function bothUpUnavailability(a: number, b: number): number {
  return a + b - a * b;
}

export interface DowntimePoint {
  members: number;
  majority: number;
  unavailability: number;
  downtimeMinutes: number;
  /** Even counts buy nothing over the odd count below. */
  even: boolean;
}

/** Downtime per year for n = 1..maxMembers at one per-node availability (the chart's data). */
export function downtimeSeries(availabilityPercent: number, maxMembers = 7): DowntimePoint[] {
  return Array.from({ length: maxMembers }, (_, i) => {
    const members = i + 1;
    const unavailability = quorumUnavailability(members, availabilityPercent);
    return {
      members,
      majority: majority(members),
      unavailability,
      downtimeMinutes: yearlyDowntimeMinutes(unavailability),
      even: members % 2 === 0,
    };
  });
}

const SECOND = 1 / 60;
const MILLISECOND = SECOND / 1000;
const MICROSECOND = MILLISECOND / 1000;
const HOUR = 60;
const DAY = 24 * HOUR;

/** Below this a year's downtime reads "< 1 µs", and the chart draws it at this height. */
export const DOWNTIME_FLOOR_MINUTES = MICROSECOND;

/** 3 significant figures at most, e.g. 8.76 → "8.8", 157.4 → "157", 0.5 → "0.5". */
function figure(value: number): string {
  if (value >= 10) return String(Math.round(value));
  return String(Math.round(value * 10) / 10);
}

/**
 * A year's downtime in the unit that reads best: "3.7 days", "8.8 h", "44 min", "19 s", "320 ms",
 * "18 µs", "< 1 µs". Every size the calculator offers reads differently, down to microseconds.
 */
export function formatDowntime(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return 'unknown';
  if (minutes >= 2 * DAY) return `${figure(minutes / DAY)} days`;
  if (minutes >= 2 * HOUR) return `${figure(minutes / HOUR)} h`;
  if (minutes >= 1) return `${figure(minutes)} min`;
  if (minutes >= SECOND) return `${figure(minutes / SECOND)} s`;
  if (minutes >= MILLISECOND) return `${figure(minutes / MILLISECOND)} ms`;
  if (minutes >= MICROSECOND) return `${figure(minutes / MICROSECOND)} µs`;
  return '< 1 µs';
}

/** Tick marks a log axis of yearly downtime can use: round amounts of readable units. */
const AXIS_TICKS: readonly { minutes: number; label: string }[] = [
  { minutes: MICROSECOND, label: '1 µs' },
  { minutes: 10 * MICROSECOND, label: '10 µs' },
  { minutes: 100 * MICROSECOND, label: '100 µs' },
  { minutes: MILLISECOND, label: '1 ms' },
  { minutes: 10 * MILLISECOND, label: '10 ms' },
  { minutes: 100 * MILLISECOND, label: '100 ms' },
  { minutes: SECOND, label: '1 s' },
  { minutes: 10 * SECOND, label: '10 s' },
  { minutes: 1, label: '1 min' },
  { minutes: 10, label: '10 min' },
  { minutes: HOUR, label: '1 h' },
  { minutes: 10 * HOUR, label: '10 h' },
  { minutes: DAY, label: '1 day' },
  { minutes: 10 * DAY, label: '10 days' },
  { minutes: 100 * DAY, label: '100 days' },
  { minutes: 365 * DAY, label: '1 year' },
];

export interface DowntimeAxis {
  /** [lowest, highest] in minutes per year, both tick values. */
  domain: [number, number];
  /** Ascending; at most `maxTicks`, always including both ends of the domain. */
  ticks: { minutes: number; label: string }[];
}

/**
 * A log axis for yearly downtimes (in minutes): from the round amount at or below the smallest
 * value (never below 1 µs) to the one at or above the largest, labelled in seconds, minutes,
 * hours or days rather than powers of ten of minutes.
 */
export function downtimeAxis(values: readonly number[], maxTicks = 7): DowntimeAxis {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  const low = Math.max(DOWNTIME_FLOOR_MINUTES, Math.min(...finite, 1));
  const high = Math.max(...finite, 1);
  const first = AXIS_TICKS.findLastIndex((t) => t.minutes <= low * (1 + 1e-9));
  const foundLast = AXIS_TICKS.findIndex((t) => t.minutes >= high * (1 - 1e-9));
  const last = foundLast === -1 ? AXIS_TICKS.length - 1 : foundLast;
  const span = AXIS_TICKS.slice(Math.max(0, first), last + 1);
  const step = Math.max(1, Math.ceil((span.length - 1) / Math.max(1, maxTicks - 1)));
  const ticks = span.filter((_, i) => i % step === 0 || i === span.length - 1);
  // Thinning may leave the last two ticks crowded: drop the one before the end.
  if (ticks.length > 2 && (span.length - 1) % step !== 0) ticks.splice(ticks.length - 2, 1);
  const lowest = span[0] ?? AXIS_TICKS[0]!;
  const highest = span.at(-1) ?? lowest;
  return { domain: [lowest.minutes, highest.minutes], ticks };
}

/** "99.970%", "99.99997%": enough digits to show the first digit that is not a 9. */
export function formatAvailability(unavailability: number): string {
  const percentDown = unavailability * 100;
  if (!Number.isFinite(percentDown) || percentDown < 0) return 'unknown';
  if (percentDown < 1e-9) return '> 99.999999999%';
  const decimals = Math.max(1, Math.ceil(-Math.log10(percentDown)) + 1);
  return `${(100 - percentDown).toFixed(decimals)}%`;
}
