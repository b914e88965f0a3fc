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

/** "157 min", "7.3 days", "19 s", "< 1 s": a year's downtime, in minutes while under a day. */
export function formatDowntime(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return 'unknown';
  if (minutes >= 24 * 60) return `${round(minutes / (24 * 60))} days`;
  if (minutes >= 1) return `${Math.round(minutes)} min`;
  const seconds = minutes * 60;
  if (seconds >= 1) return `${Math.round(seconds)} s`;
  return '< 1 s';
}

function round(value: number): string {
  return value >= 10 ? String(Math.round(value)) : (Math.round(value * 10) / 10).toFixed(1);
}

/** "99.970%", "99.99997%": enough digits to show the first digit that is not a 9. */
export function formatAvailability(unavailability: number): string {
  const percentDown = unavailability * 100;
  if (!Number.isFinite(percentDown) || percentDown < 0) return 'unknown';
  if (percentDown < 1e-9) return '> 99.999999999%';
  const decimals = Math.max(1, Math.ceil(-Math.log10(percentDown)) + 1);
  return `${(100 - percentDown).toFixed(decimals)}%`;
}
