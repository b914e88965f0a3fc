// Spreading a quorum group over failure zones so that losing any one zone keeps a majority.
import { majority } from '../quorum';
import { MAX_MEMBERS_INPUT } from './input';

export interface ZoneSpread {
  members: number;
  zones: number;
  /** Members placed in each zone (zone A first). */
  perZone: number[];
  majority: number;
  /** Members left after losing the fullest zone. */
  worstRemaining: number;
  survivesZoneLoss: boolean;
  /** The nearest member counts (1..9) that would survive losing any one of these zones. */
  alternatives: number[];
}

export function zoneName(index: number): string {
  return String.fromCharCode(65 + index);
}

/** True when losing any one zone leaves a majority: n − (fullest zone) ≥ majority(n). */
export function survivesAnyZoneLoss(perZone: readonly number[]): boolean {
  const members = perZone.reduce((sum, count) => sum + count, 0);
  if (members === 0) return false;
  return members - Math.max(...perZone) >= majority(members);
}

/** Round-robin placement: the fullest zone is as small as it can be, so no placement does better. */
export function roundRobin(members: number, zones: number, start = 0): number[] {
  const perZone = Array.from({ length: zones }, () => 0);
  for (let i = 0; i < members; i++) {
    const zone = (start + i) % zones;
    perZone[zone] = (perZone[zone] ?? 0) + 1;
  }
  return perZone;
}

export function spreadOverZones(members: number, zones: number, start = 0): ZoneSpread {
  const perZone = roundRobin(members, zones, start);
  const survives = survivesAnyZoneLoss(perZone);
  const alternatives: number[] = [];
  if (!survives) {
    const works = (n: number) => survivesAnyZoneLoss(roundRobin(n, zones));
    for (let n = members - 1; n >= 1; n--) {
      if (works(n)) {
        alternatives.push(n);
        break;
      }
    }
    for (let n = members + 1; n <= MAX_MEMBERS_INPUT; n++) {
      if (works(n)) {
        alternatives.push(n);
        break;
      }
    }
  }
  return {
    members,
    zones,
    perZone,
    majority: majority(members),
    worstRemaining: members - Math.max(0, ...perZone),
    survivesZoneLoss: survives,
    alternatives,
  };
}

export interface TierWords {
  /** "replica" */
  one: string;
  /** "replicas" */
  many: string;
  /** "DTR": what stops when quorum is lost. */
  system: string;
}

/** One line on whether this spread survives a zone loss, and what would. */
export function describeSpread(spread: ZoneSpread, words: TierWords): string {
  const { members, zones, perZone } = spread;
  const noun = members === 1 ? words.one : words.many;
  if (zones === 1) {
    return `All ${members} ${noun} share one zone: losing it stops ${words.system}, whatever the count.`;
  }
  if (spread.survivesZoneLoss) {
    return `${perZone.join(' + ')}: losing any one zone leaves at least ${spread.worstRemaining} of ${members}, enough for the majority of ${spread.majority}.`;
  }
  if (members === 1) {
    return `A single ${words.one} cannot survive the loss of its zone.`;
  }
  if (zones === 2) {
    return `Over 2 zones one zone always holds at least half of the ${members} ${noun}, and half is not a majority: losing that zone stops ${words.system}. No count fixes this; a third zone does (a small one holding one tie-breaking member is enough).`;
  }
  const fullest = perZone.indexOf(Math.max(...perZone));
  const alternatives =
    spread.alternatives.length > 0
      ? ` ${spread.alternatives.join(' or ')} ${words.many} would survive losing any one of ${zones} zones.`
      : '';
  return `${perZone.join(' + ')}: losing zone ${zoneName(fullest)} leaves ${spread.worstRemaining} of ${members}, below the majority of ${spread.majority}.${alternatives}`;
}
