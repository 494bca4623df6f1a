// Drawing: the decision-boundary heat map (probability lattice, the P = 0.5 contour, the points) and
// the cost curve. Plain 2-D canvas; every function redraws its canvas completely.

import type { Bounds } from './config.js';

type RGB = readonly [number, number, number];

/** Class colours (as in style.css) and the pale ends of the heat-map ramp. */
const CLASS0: RGB = [239, 108, 77];
const CLASS1: RGB = [61, 125, 216];
const PALE0: RGB = [247, 185, 169];
const MID: RGB = [244, 244, 242];
const PALE1: RGB = [169, 198, 238];

const rgb = (c: RGB) => `rgb(${c[0]} ${c[1]} ${c[2]})`;

/** Sizes a canvas's backing store to its CSS box times the device pixel ratio; returns the CSS size. */
export function fitCanvas(canvas: HTMLCanvasElement): { width: number; height: number; ratio: number } {
  const ratio = Math.min(globalThis.devicePixelRatio || 1, 3);
  const width = Math.max(1, Math.round(canvas.clientWidth || canvas.width));
  const height = Math.max(1, Math.round(canvas.clientHeight || canvas.height));
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  return { width, height, ratio };
}

/** The ramp: pale class-0 colour at p = 0, near white at 0.5, pale class-1 colour at 1. */
function shade(p: number, out: Uint8ClampedArray, i: number): void {
  const [a, b, t] = p < 0.5 ? [PALE0, MID, p * 2] : [MID, PALE1, (p - 0.5) * 2];
  out[i] = a[0] + (b[0] - a[0]) * t;
  out[i + 1] = a[1] + (b[1] - a[1]) * t;
  out[i + 2] = a[2] + (b[2] - a[2]) * t;
  out[i + 3] = 255;
}

/** The lattice as a grid × grid image, on a reusable offscreen canvas. */
let lattice: HTMLCanvasElement | undefined;
function latticeImage(probabilities: Float32Array, grid: number): HTMLCanvasElement {
  if (!lattice || lattice.width !== grid) {
    lattice = document.createElement('canvas');
    lattice.width = grid;
    lattice.height = grid;
  }
  const ctx = lattice.getContext('2d')!;
  const image = ctx.createImageData(grid, grid);
  for (let k = 0; k < grid * grid; k++) shade(probabilities[k], image.data, 4 * k);
  ctx.putImageData(image, 0, 0);
  return lattice;
}

/**
 * Segments of the P = 0.5 level line by marching squares over the lattice's cell centres, in units
 * of cells (x to the right, y down).
 */
function contour(p: Float32Array, grid: number): number[] {
  const seg: number[] = [];
  const at = (r: number, c: number) => p[r * grid + c] - 0.5;
  // where the level crosses the edge between two corners, as a fraction from the first
  const cross = (a: number, b: number) => a / (a - b);
  for (let r = 0; r < grid - 1; r++) {
    for (let c = 0; c < grid - 1; c++) {
      const tl = at(r, c);
      const tr = at(r, c + 1);
      const br = at(r + 1, c + 1);
      const bl = at(r + 1, c);
      const pts: number[] = [];
      if (tl > 0 !== tr > 0) pts.push(c + cross(tl, tr), r);
      if (tr > 0 !== br > 0) pts.push(c + 1, r + cross(tr, br));
      if (br > 0 !== bl > 0) pts.push(c + 1 - cross(br, bl), r + 1);
      if (bl > 0 !== tl > 0) pts.push(c, r + 1 - cross(bl, tl));
      // two crossings: one segment; four (a saddle): two, pairing around the corners
      for (let k = 0; k + 3 < pts.length; k += 4) seg.push(pts[k], pts[k + 1], pts[k + 2], pts[k + 3]);
    }
  }
  return seg;
}

export interface HeatmapData {
  bounds: Bounds;
  points: Float64Array;
  labels: Float64Array;
  grid: number;
  probabilities?: Float32Array;
}

/** Draws the heat map, the decision boundary and the points. */
export function drawHeatmap(canvas: HTMLCanvasElement, data: HeatmapData): void {
  const { width, height, ratio } = fitCanvas(canvas);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const size = Math.min(width, height);
  const { grid, probabilities, bounds } = data;
  if (probabilities) {
    // each lattice value sits at its cell's centre; smoothing interpolates between them
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(latticeImage(probabilities, grid), 0, 0, size, size);
    const cell = size / grid;
    const seg = contour(probabilities, grid);
    ctx.beginPath();
    for (let k = 0; k < seg.length; k += 4) {
      ctx.moveTo((seg[k] + 0.5) * cell, (seg[k + 1] + 0.5) * cell);
      ctx.lineTo((seg[k + 2] + 0.5) * cell, (seg[k + 3] + 0.5) * cell);
    }
    ctx.strokeStyle = 'rgb(29 36 51 / 55%)';
    ctx.lineWidth = 1.5;
    ctx.stroke();
  } else {
    ctx.fillStyle = rgb(MID);
    ctx.fillRect(0, 0, size, size);
  }
  const { x0, y0, size: span } = bounds;
  const radius = Math.max(2.5, size / 150);
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgb(255 255 255 / 90%)';
  for (const cls of [0, 1]) {
    ctx.fillStyle = rgb(cls === 0 ? CLASS0 : CLASS1);
    ctx.beginPath();
    for (let i = 0; i < data.labels.length; i++) {
      if (data.labels[i] !== cls) continue;
      const x = ((data.points[2 * i] - x0) / span) * size;
      const y = (1 - (data.points[2 * i + 1] - y0) / span) * size;
      ctx.moveTo(x + radius, y);
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
    }
    ctx.fill();
    ctx.stroke();
  }
}

/** A "nice" step (1, 2 or 5 × 10^k) giving about `count` ticks over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * pow;
}

function formatTick(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return `${+(v / 1000).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

/** Draws costs[0 .. count) against the iteration number. */
export function drawCostCurve(canvas: HTMLCanvasElement, costs: Float64Array, count: number): void {
  const { width, height, ratio } = fitCanvas(canvas);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const styles = getComputedStyle(canvas);
  const muted = styles.getPropertyValue('--muted').trim() || '#667085';
  const line = styles.getPropertyValue('--line').trim() || '#e4e7ec';
  const pad = { left: 42, right: 18, top: 8, bottom: 22 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  let hi = 0;
  for (let i = 0; i < count; i++) if (Number.isFinite(costs[i])) hi = Math.max(hi, costs[i]);
  hi = hi > 0 ? hi * 1.05 : 1;
  const xMax = Math.max(count, 100);
  const X = (i: number) => pad.left + (i / xMax) * w;
  const Y = (v: number) => pad.top + (1 - v / hi) * h;

  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = muted;
  ctx.strokeStyle = line;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const ys = niceStep(hi, 4);
  for (let v = 0; v <= hi + 1e-12; v += ys) {
    ctx.beginPath();
    ctx.moveTo(pad.left, Math.round(Y(v)) + 0.5);
    ctx.lineTo(pad.left + w, Math.round(Y(v)) + 0.5);
    ctx.stroke();
    ctx.fillText(formatTick(v), pad.left - 6, Y(v));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xs = niceStep(xMax, 4);
  for (let i = 0; i <= xMax; i += xs) ctx.fillText(formatTick(i), X(i), pad.top + h + 6);

  if (count === 0) return;
  // one vertex per pixel column at most: the cost at that column's first iteration
  ctx.beginPath();
  const columns = Math.min(count, Math.ceil(w));
  for (let k = 0; k < columns; k++) {
    const i = Math.min(count - 1, Math.floor((k * count) / columns));
    const y = Y(Number.isFinite(costs[i]) ? costs[i] : hi);
    if (k === 0) ctx.moveTo(X(i), y);
    else ctx.lineTo(X(i), y);
  }
  ctx.lineTo(X(count - 1), Y(costs[count - 1]));
  ctx.strokeStyle = rgb(CLASS1);
  ctx.lineWidth = 2;
  ctx.lineJoin = 'round';
  ctx.stroke();
}
