import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

import { describe, expect, it } from 'vitest';

import { documentationFiles, exampleText, fencedBlocks, headingAnchors, relativeLinks, type FencedBlock } from './fixtures/markdown.js';
import { REPOSITORY_ROOT } from '../fixtures/repository-root.js';

// README code is tested code: every TypeScript block of the README and docs/ is a file (or a region of one)
// under examples/, which test/examples/ compiles and runs. This suite holds the Markdown to that, byte for byte.
// Markers: see fixtures/markdown.ts.

const TYPESCRIPT = new Set(['ts', 'typescript']);

describe.each(documentationFiles())('%s', (file) => {
  const blocks = fencedBlocks(file);

  it('every TypeScript block names the example it shows (or says why it is a fragment)', () => {
    const unmarked = blocks.filter((block) => TYPESCRIPT.has(block.language) && block.source === undefined);
    expect(
      unmarked.map((block) => `${file}:${block.line}: a \`\`\`${block.language} block without <!-- example: examples/… --> on the line before it`),
    ).toEqual([]);
  });

  it('every example block is its source, byte for byte', () => {
    const problems = blocks.flatMap((block) => (block.source?.kind === 'example' ? differenceFromSource(block, block.source.path, block.source.region) : []));
    expect(problems).toEqual([]);
  });

  it('every relative link resolves, anchors included', () => {
    const broken = relativeLinks(file).flatMap(({ line, target }) => {
      const [path = '', anchor] = target.split('#');
      const linked = path === '' ? file : normalize(join(dirname(file), decodeURI(path)));
      if (!existsSync(join(REPOSITORY_ROOT, linked))) return [`${file}:${line}: ${target} (no file ${linked})`];
      if (anchor !== undefined && linked.endsWith('.md') && !headingAnchors(linked).has(anchor)) {
        return [`${file}:${line}: ${target} (no heading #${anchor} in ${linked})`];
      }
      return [];
    });
    expect(broken).toEqual([]);
  });
});

function differenceFromSource(block: FencedBlock, path: string, region: string | undefined): string[] {
  const where = `${block.file}:${block.line} (${path}${region === undefined ? '' : `#${region}`})`;
  if (!existsSync(join(REPOSITORY_ROOT, path))) return [`${where}: no such file`];
  let expected: string;
  try {
    expected = exampleText(path, region);
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
  if (block.text === expected) return [];
  const shown = block.text.split('\n');
  const source = expected.split('\n');
  const first = shown.findIndex((line, index) => line !== source[index]);
  const at = first === -1 ? shown.length : first;
  return [
    `${where} differs from its source at block line ${at + 1}:\n` +
      `    in the Markdown: ${JSON.stringify(shown[at] ?? '(end of block)')}\n` +
      `    in the source:   ${JSON.stringify(source[at] ?? '(end of source)')}\n` +
      '  Copy the source into the block (or change the example and its test).',
  ];
}
