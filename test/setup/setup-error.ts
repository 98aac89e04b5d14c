/** A test setup failure whose message is the whole story: printed as one line, without a stack. */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}
