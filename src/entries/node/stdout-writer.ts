/**
 * Writes the stdout target's lines to process.stdout, resolving once the
 * stream has taken the chunk (so backpressure slows producers down instead of
 * growing memory).
 */
export function writeProcessStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
