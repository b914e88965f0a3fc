// Drawn with Recharts: loaded only through ./downtime-chart-lazy (next/dynamic), never imported
// directly.
import { Bar, BarChart, CartesianGrid, LabelList, Rectangle, XAxis, YAxis } from 'recharts';
import type { BarShapeProps } from 'recharts';
import { DOWNTIME_CHART_HEIGHT, DOWNTIME_CHART_TITLE, type DowntimeBar } from './downtime-bars';
import { DOWNTIME_FLOOR_MINUTES, downtimeAxis } from '@/lib/domain/sizing/availability';

// Colours come from CSS variables set on the wrapper (light and dark), never hard-coded here.
const PALETTE =
  '[--chart-odd:var(--color-sky-600)] [--chart-even:var(--color-orange-500)] [--chart-plan:var(--color-slate-950)] [--chart-text:var(--color-slate-700)] [--chart-grid:var(--color-slate-200)] ' +
  'dark:[--chart-odd:var(--color-sky-400)] dark:[--chart-even:var(--color-orange-400)] dark:[--chart-plan:var(--color-white)] dark:[--chart-text:var(--color-slate-300)] dark:[--chart-grid:var(--color-slate-700)]';

function MembersTick({
  x,
  y,
  payload,
  bars,
}: {
  x?: number | string;
  y?: number | string;
  payload?: { value: number | string };
  bars: DowntimeBar[];
}) {
  const bar = bars.find((b) => b.members === Number(payload?.value));
  const note = bar?.plan ? bar.plan : bar?.even ? 'even' : '';
  return (
    <text
      x={Number(x)}
      y={Number(y) + 14}
      textAnchor="middle"
      fill="var(--chart-text)"
      fontSize={12}
    >
      <tspan fontWeight={bar?.plan ? 700 : 400}>{payload?.value}</tspan>
      {note && (
        <tspan x={Number(x)} dy={15} fontWeight={bar?.plan ? 700 : 400}>
          {note}
        </tspan>
      )}
    </text>
  );
}

/** Yearly downtime for 1..n members on a log scale: the zig-zag shows why 2 and 4 lose to 1 and 3. */
export function DowntimeChart({ bars, description }: { bars: DowntimeBar[]; description: string }) {
  const axis = downtimeAxis(bars.map((b) => b.minutes));
  const labels = new Map(axis.ticks.map((t) => [t.minutes, t.label]));
  // A log axis cannot draw 0 or less than its floor: such bars stand at the floor, labelled "< 1 µs".
  const data = bars.map((b) => ({ ...b, height: Math.max(b.minutes, DOWNTIME_FLOOR_MINUTES) }));
  return (
    <div
      className={`w-full ${PALETTE}`}
      data-testid="downtime-chart"
      data-ticks={axis.ticks.map((t) => t.label).join('|')}
    >
      <BarChart
        responsive
        data={data}
        style={{ width: '100%', height: DOWNTIME_CHART_HEIGHT }}
        margin={{ top: 24, right: 8, bottom: 24, left: 16 }}
        title={DOWNTIME_CHART_TITLE}
        desc={description}
      >
        <CartesianGrid vertical={false} stroke="var(--chart-grid)" />
        <XAxis
          dataKey="members"
          interval={0}
          tickLine={false}
          stroke="var(--chart-text)"
          tick={(props) => <MembersTick {...props} bars={bars} />}
        />
        <YAxis
          scale="log"
          domain={axis.domain}
          ticks={axis.ticks.map((t) => t.minutes)}
          allowDataOverflow
          width={64}
          stroke="var(--chart-text)"
          tick={{ fill: 'var(--chart-text)', fontSize: 12 }}
          tickFormatter={(value: number) => labels.get(value) ?? ''}
          label={{
            value: 'Downtime per year',
            angle: -90,
            position: 'insideLeft',
            offset: -2,
            style: { fill: 'var(--chart-text)', fontSize: 12, textAnchor: 'middle' },
          }}
        />
        <Bar
          dataKey="height"
          isAnimationActive={false}
          shape={(props: BarShapeProps) => {
            const bar = bars[props.index];
            return (
              <Rectangle
                {...props}
                fill={bar?.even ? 'var(--chart-even)' : 'var(--chart-odd)'}
                stroke={bar?.plan ? 'var(--chart-plan)' : 'none'}
                strokeWidth={bar?.plan ? 3 : 0}
              />
            );
          }}
        >
          <LabelList
            dataKey="label"
            content={({ x, y, width, value }) => (
              // Drawn by hand: the default label wraps to the bar's width, unreadable on a phone.
              <text
                x={Number(x) + Number(width) / 2}
                y={Number(y) - 6}
                textAnchor="middle"
                fill="var(--chart-text)"
                fontSize={11}
              >
                {value}
              </text>
            )}
          />
        </Bar>
      </BarChart>
    </div>
  );
}
