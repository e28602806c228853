// Placeholder FC handler: replaced by the runtime issue's handler.
export const handler = async (_event: unknown, _context: unknown): Promise<unknown> => {
  return { error: { code: 'NotImplemented', message: 'runtime handler not built yet' } };
};
