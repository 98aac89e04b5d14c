import { describe, expect, it } from 'vitest';

import { documentationFiles, fencedBlocks } from './fixtures/markdown.js';
import { REPOSITORY_ROOT } from '../fixtures/repository-root.js';

// Printed messages the README and docs/ quote (option errors, discovery errors, the sample's banner) are what the
// code prints: each `<!-- output: path#export -->` block is compared with what that export returns.
const outputBlocks = documentationFiles().flatMap((file) =>
  fencedBlocks(file).flatMap((block) => (block.source?.kind === 'output' ? [{ ...block, source: block.source }] : [])),
);

describe('printed output quoted in the documentation', () => {
  it('there are output blocks to check', () => {
    expect(outputBlocks.length).toBeGreaterThan(0);
  });

  it.each(outputBlocks.map((block) => [`${block.file}:${block.line} (${block.source.path}#${block.source.exportName})`, block] as const))(
    '%s is what the code prints',
    async (_name, block) => {
      const module = (await import(`${REPOSITORY_ROOT}${block.source.path}`)) as Record<string, unknown>;
      const produce = module[block.source.exportName];
      if (typeof produce !== 'function') throw new Error(`${block.source.path} exports no function ${block.source.exportName}`);
      const printed = trimBlankLines(String(await (produce as () => unknown)()));
      // On failure, the diff shows the real output: paste it into the block.
      expect(trimBlankLines(block.text), `${block.file}:${block.line} quotes output that the code no longer prints`).toBe(printed);
    },
  );
});

/** Blank lines around a printout (a banner opens and ends with one) are not something a code block can show. */
function trimBlankLines(text: string): string {
  return text.replace(/^(\s*\n)+/, '').replace(/(\n\s*)+$/, '');
}
