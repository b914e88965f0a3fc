// What the downtime chart draws, and its title and height: shared by the Recharts module and the
// placeholder that stands in for it while it loads.
export const DOWNTIME_CHART_TITLE = 'Expected downtime per year by number of members';
export const DOWNTIME_CHART_HEIGHT = 320;

export interface DowntimeBar {
  members: number;
  /** Expected downtime per year in minutes. */
  minutes: number;
  /** "157 min", shown on top of the bar. */
  label: string;
  even: boolean;
  /** "DTR", "UCP", "DTR + UCP" or "" when the plan does not use this size. */
  plan: string;
}
