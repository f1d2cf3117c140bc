// Every error the simulator raises, with a stable code (STYLE.md). `retriable`
// tells the sender loop whether trying again can help.

export class SimulatorError extends Error {
  constructor(
    readonly code: `SQA_E_SIM_${string}`,
    message: string,
    readonly retriable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SimulatorError';
  }
}

/** Bad command-line arguments or options. */
export const argsError = (message: string) => new SimulatorError('SQA_E_SIM_ARGS', message);

/** A scenario directory that cannot be read back. */
export const scenarioError = (message: string, cause?: unknown) =>
  new SimulatorError('SQA_E_SIM_SCENARIO', message, false, { cause });

/** The target did not take a batch; retriable for 429, 5xx and network errors. */
export const sendError = (message: string, retriable: boolean, cause?: unknown) =>
  new SimulatorError('SQA_E_SIM_SEND', message, retriable, { cause });
