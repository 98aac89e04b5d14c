import { readFile } from 'node:fs/promises';
import { PACKAGE_ROOT } from '../paths.js';

/** The parts of a V8 `.cpuprofile` (Profiler.Profile) this summary reads. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  name: string;
  location: string;
  area: string;
  selfMs: number;
  share: number;
}

export interface CpuProfileSummary {
  totalMs: number;
  /**
   * Time by where the code comes from (our lib, a package, Node internals, GC…): `self` while that area's
   * code was on top of the stack, `onStack` while it was anywhere on the stack (what it called included).
   */
  areas: Array<{ area: string; selfMs: number; share: number; onStackShare: number }>;
  /** Functions by self time, largest first. */
  functions: SelfTimeRow[];
}

const PSEUDO_FRAMES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** Self time per function and per area of a CPU profile, from its samples. */
export async function summarizeCpuProfile(file: string, top = 25): Promise<CpuProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const areasOnStack = new Map<number, Set<string>>();
  const stackAreas = (id: number): Set<string> => {
    let areas = areasOnStack.get(id);
    if (!areas) {
      const frame = nodes.get(id)!.callFrame;
      const parent = parents.get(id);
      areas = new Set(parent === undefined ? [] : stackAreas(parent));
      areas.add(areaOf(frame.functionName, frame.url));
      areasOnStack.set(id, areas);
    }
    return areas;
  };

  const byFunction = new Map<string, SelfTimeRow>();
  const byArea = new Map<string, number>();
  const onStackByArea = new Map<string, number>();
  let totalMicros = 0;
  for (const [id, micros] of selfByNode) {
    const frame = nodes.get(id)!.callFrame;
    const area = areaOf(frame.functionName, frame.url);
    const location = frame.url ? `${shorten(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name} ${location}`;
    const row = byFunction.get(key) ?? { name, location, area, selfMs: 0, share: 0 };
    row.selfMs += micros / 1000;
    byFunction.set(key, row);
    byArea.set(area, (byArea.get(area) ?? 0) + micros / 1000);
    for (const onStack of stackAreas(id)) onStackByArea.set(onStack, (onStackByArea.get(onStack) ?? 0) + micros / 1000);
    totalMicros += micros;
  }
  const totalMs = totalMicros / 1000;
  const functions = [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  for (const row of functions) row.share = row.selfMs / totalMs;
  const areas = [...byArea]
    .map(([area, selfMs]) => ({ area, selfMs, share: selfMs / totalMs, onStackShare: (onStackByArea.get(area) ?? 0) / totalMs }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs, areas, functions };
}

function areaOf(functionName: string, url: string): string {
  if (!url) return PSEUDO_FRAMES.has(functionName) ? functionName : '(native / V8 builtins)';
  // AsyncLocalStorage on Node < 24 runs on async_hooks: its promise hooks are worth seeing on their own.
  if (url.startsWith('node:internal/async_hooks') || url.startsWith('node:async_hooks')) return 'node async_hooks (AsyncLocalStorage)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.includes('/dist-bench/lib/')) return 'nestjs-mcp-auth (lib/)';
  if (url.includes('/dist-bench/')) return 'bench harness';
  return 'other';
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  if (path.startsWith(PACKAGE_ROOT)) return path.slice(PACKAGE_ROOT.length);
  return path;
}
