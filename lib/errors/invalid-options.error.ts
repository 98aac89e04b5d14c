/** Thrown at bootstrap when the module options are invalid; lists every bad field at once. */
export class McpAuthOptionsError extends Error {
  readonly code = 'MCP_AUTH_INVALID_OPTIONS';

  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid McpAuthModule options (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
    this.name = 'McpAuthOptionsError';
  }
}
