/** What this invocation connected with, for messages that say what to do next. */
export const session: { profile?: string } = {};
