// The history charts' titles: the drawn chart's SVG title and its placeholder's words alike.
export const HEALTHY_CHART_TITLE = 'Healthy DTR replicas over time';
export const MARGIN_CHART_TITLE = 'Quorum margin over time';
export const LATENCY_CHART_TITLE = 'Probe latency per DTR replica';
