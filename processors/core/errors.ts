// Every error the pure core raises, with a stable code (STYLE.md). None is
// retriable: each means a programming error or corrupt stored state.

export class CoreError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: `SQA_E_CORE_${string}`,
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

/** An event whose `type` is none of the contract's (validation was skipped). */
export const unknownEventError = (type: unknown) =>
  new CoreError('SQA_E_CORE_EVENT_TYPE', `processor core: unknown event type ${JSON.stringify(type)}`);

/** A stored scope snapshot that cannot be restored. */
export const snapshotError = (scope: string, why: string) =>
  new CoreError('SQA_E_CORE_SNAPSHOT', `snapshot of scope ${scope}: ${why}`);
