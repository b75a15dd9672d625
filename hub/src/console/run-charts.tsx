/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Inline SVG charts for training runs: pure functions of their data, no script (they work offline,
 * on Workers, and in a page that refreshes itself every two seconds).
 */

/** An axis: the domain widened to round numbers, and the ticks on it. */
export interface Scale {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** A line: [x, y] points in order of x; points whose x or y is not finite are left out. */
export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Default: the palette colour for the series' place. */
  color?: string;
}

export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
  color?: string;
}

// Tableau 10: tells ten lines apart; past ten, colours repeat with a dash pattern.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** The colour of the i-th series (and of the i-th run on a compare page). */
export const seriesColor = (i: number) => PALETTE[i % PALETTE.length]!;
const dash = (i: number) => (i < PALETTE.length ? undefined : `${4 + 2 * Math.floor(i / PALETTE.length)},3`);

/** 1, 2 or 5 times a power of ten, the nearest to `x` on a log scale (as d3's ticks choose). */
function niceStep(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  const f = x / power;
  return (f < Math.SQRT2 ? 1 : f < Math.sqrt(10) ? 2 : f < Math.sqrt(50) ? 5 : 10) * power;
}
const decimalsOf = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

/**
 * An axis over the finite values (null when there are none) with about `count` ticks at round numbers.
 * One distinct value gets room either side; `integer` keeps steps whole (epochs).
 * @example niceScale([0.42, 0.97]) // { min: 0.4, max: 1, step: 0.1, ticks: [0.4, 0.5, …, 1] }
 */
export function niceScale(values: readonly number[], options: { count?: number; integer?: boolean } = {}): Scale | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  let step = niceStep((hi - lo) / (options.count ?? 5));
  if (options.integer) step = Math.max(1, Math.round(step));
  const decimals = decimalsOf(step);
  const round = (x: number) => Number(x.toFixed(decimals));
  const min = round(Math.floor(lo / step + 1e-9) * step);
  const max = round(Math.ceil(hi / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step / 2; i++) ticks.push(round(min + i * step));
  return { min, max, step, ticks };
}

const tickText = (scale: Scale) => (v: number) => v.toFixed(decimalsOf(scale.step));
const at = (scale: Scale, from: number, to: number) => (v: number) => Math.round((from + ((v - scale.min) / (scale.max - scale.min)) * (to - from)) * 10) / 10;
const finitePoint = ([x, y]: readonly [number, number]) => Number.isFinite(x) && Number.isFinite(y);

interface Frame {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

/** Legend entries laid out in rows across the top; returns the height they take. */
function legendRows(names: readonly string[], width: number): Array<{ name: string; index: number; x: number; y: number }> {
  const out: Array<{ name: string; index: number; x: number; y: number }> = [];
  let x = 52;
  let y = 12;
  names.forEach((name, index) => {
    const w = 22 + name.length * 6.5;
    if (x + w > width && x > 52) {
      x = 52;
      y += 14;
    }
    out.push({ name, index, x, y });
    x += w + 8;
  });
  return out;
}

type Box = { left: number; top: number; right: number; bottom: number };
/** Data to pixels inside the box, `inset` pixels in from its edges (so dots at the extremes stay clear of the axes). */
const mapping = (x: Scale, y: Scale, box: Box, inset: number) => ({ px: at(x, box.left + inset, box.right - inset), py: at(y, box.bottom - inset, box.top + inset) });

/** Axes, grid and labels around a plot area; the marks go inside. */
function Axes(props: { x: Scale; y: Scale; box: Box; inset?: number; xLabel: string; yLabel: string; width: number; height: number }) {
  const { x, y, box } = props;
  const { px, py } = mapping(x, y, box, props.inset ?? 0);
  const fx = tickText(x);
  const fy = tickText(y);
  return (
    <g class="axes" font-size="10" fill="#6b7280">
      {y.ticks.map((t) => (
        <>
          <line x1={box.left} x2={box.right} y1={py(t)} y2={py(t)} stroke="#eef1f5" />
          <text x={box.left - 4} y={py(t) + 3} text-anchor="end">{fy(t)}</text>
        </>
      ))}
      {x.ticks.map((t) => (
        <text x={px(t)} y={box.bottom + 12} text-anchor="middle">{fx(t)}</text>
      ))}
      <line x1={box.left} x2={box.right} y1={box.bottom} y2={box.bottom} stroke="#9ca3af" />
      <line x1={box.left} x2={box.left} y1={box.top} y2={box.bottom} stroke="#9ca3af" />
      <text class="x-label" x={(box.left + box.right) / 2} y={props.height - 4} text-anchor="middle" font-size="11">{props.xLabel}</text>
      <text class="y-label" x="0" y="0" transform={`translate(12 ${(box.top + box.bottom) / 2}) rotate(-90)`} text-anchor="middle" font-size="11">{props.yLabel}</text>
    </g>
  );
}

function Empty(props: Frame & { message: string }) {
  const { width = 480, height = 240 } = props;
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} class="chart empty">
      <title>{props.title}</title>
      <rect x="0.5" y="0.5" width={width - 1} height={height - 1} fill="#fff" stroke="#e3e6ea" />
      <text x={width / 2} y={height / 2} text-anchor="middle" font-size="12" fill="#6b7280">{props.message}</text>
    </svg>
  );
}

/**
 * Lines on shared axes, one polyline per series (its `points` attribute has one pair per finite point),
 * a legend when there is more than one series. With no finite point at all it says `empty`.
 * @example <LineChart title="Loss" xLabel="epoch" yLabel="loss" series={[{ name: 'loss', points: [[1, 0.9], [2, 0.5]] }]} />
 */
export function LineChart(props: Frame & { series: readonly Series[]; empty?: string; xInclude?: readonly number[]; integerX?: boolean }) {
  const { width = 480, height = 240 } = props;
  const series = props.series.map((s) => ({ ...s, points: s.points.filter(finitePoint) }));
  const all = series.flatMap((s) => s.points);
  const x = niceScale([...all.map((p) => p[0]), ...(props.xInclude ?? [])], { integer: props.integerX ?? false });
  const y = niceScale(all.map((p) => p[1]));
  if (all.length === 0 || !x || !y) return <Empty {...props} message={props.empty ?? 'no data yet'} />;
  const legend = series.length > 1 ? legendRows(series.map((s) => s.name), width) : [];
  const box = { left: 52, right: width - 12, top: (legend.at(-1)?.y ?? 0) + 12, bottom: height - 34 };
  const px = at(x, box.left, box.right);
  const py = at(y, box.bottom, box.top);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} class="chart line-chart">
      <title>{props.title}</title>
      <Axes x={x} y={y} box={box} xLabel={props.xLabel} yLabel={props.yLabel} width={width} height={height} />
      {series.map((s, i) => {
        const color = s.color ?? seriesColor(i);
        return (
          <g class="series" data-series={s.name}>
            <polyline fill="none" stroke={color} stroke-width="1.8" stroke-dasharray={dash(i)} points={s.points.map(([a, b]) => `${px(a)},${py(b)}`).join(' ')}>
              <title>{s.name}</title>
            </polyline>
            {s.points.length === 1 && <circle cx={px(s.points[0]![0])} cy={py(s.points[0]![1])} r="3" fill={color} />}
          </g>
        );
      })}
      {legend.map((l) => (
        <g class="legend-entry" font-size="10" fill="#1d2330">
          <line x1={l.x} x2={l.x + 16} y1={l.y - 3} y2={l.y - 3} stroke={series[l.index]!.color ?? seriesColor(l.index)} stroke-width="2.5" stroke-dasharray={dash(l.index)} />
          <text x={l.x + 20} y={l.y}>{l.name}</text>
        </g>
      ))}
    </svg>
  );
}

/**
 * One labelled dot per point (non-finite points are left out).
 * @example <ScatterChart title="Accuracy by hiddenUnits" xLabel="hiddenUnits" yLabel="validation accuracy" points={[{ x: 8, y: 0.97, label: '3f2a9c01' }]} />
 */
export function ScatterChart(props: Frame & { points: readonly ScatterPoint[]; empty?: string; /** Default true; false for many points (their labels stay as tooltips). */ labels?: boolean }) {
  const { width = 480, height = 260 } = props;
  const points = props.points.filter((p) => finitePoint([p.x, p.y]));
  const x = niceScale(points.map((p) => p.x));
  const y = niceScale(points.map((p) => p.y));
  if (points.length === 0 || !x || !y) return <Empty {...props} message={props.empty ?? 'nothing to plot'} />;
  const box = { left: 52, right: width - 70, top: 14, bottom: height - 34 };
  const { px, py } = mapping(x, y, box, 10);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} class="chart scatter-chart">
      <title>{props.title}</title>
      <Axes x={x} y={y} box={box} inset={10} xLabel={props.xLabel} yLabel={props.yLabel} width={width} height={height} />
      {points.map((p, i) => (
        <g class="point" data-label={p.label}>
          <circle cx={px(p.x)} cy={py(p.y)} r="4.5" fill={p.color ?? seriesColor(i)} stroke="#1d2330" stroke-width="0.5">
            <title>{`${p.label}: ${props.xLabel} ${p.x}, ${props.yLabel} ${p.y}`}</title>
          </circle>
          {props.labels !== false && <text x={px(p.x) + 7} y={py(p.y) + 3} font-size="10" fill="#1d2330">{p.label}</text>}
        </g>
      ))}
    </svg>
  );
}

/** A bar chart as inline SVG: no script, works offline and on Workers. */
export function Bars(props: { values: number[]; titles: string[]; axis: [string, string]; width?: number; height?: number; title: string }) {
  const { values, width = 320, height = 90 } = props;
  const max = Math.max(1, ...values);
  const w = width / Math.max(1, values.length);
  return (
    <svg width={width} height={height + 14} role="img" aria-label={props.title} class="chart">
      <title>{props.title}</title>
      {values.map((v, i) => {
        const h = (v / max) * height;
        return (
          <rect x={i * w + 1} y={height - h} width={Math.max(1, w - 2)} height={h} fill="#60a5fa">
            <title>{`${props.titles[i] ?? ''}: ${v}`}</title>
          </rect>
        );
      })}
      <line x1="0" y1={height} x2={width} y2={height} stroke="#9ca3af" />
      <text x="0" y={height + 12} font-size="10" fill="#6b7280">{props.axis[0]}</text>
      <text x={width} y={height + 12} font-size="10" fill="#6b7280" text-anchor="end">{props.axis[1]}</text>
    </svg>
  );
}
